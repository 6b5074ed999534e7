// SPDX-License-Identifier: GPL-2.0
// The fallback backend: no listns(2), no module. Namespaces come from the /proc walk
// in discover.cpp; this class only answers what a namespace fd can tell by itself.
#include <cerrno>

#include "backend.hpp"
#include "ns_facts.hpp"
#include "nstree.h"

namespace nstree {

namespace {

const char kNeedIds[] = "needs listns(2) (Linux >= 6.19) or the nstree module (modprobe nstree)";

class ProcBackend : public Backend {
public:
	BackendKind kind() const override { return BackendKind::proc; }
	bool lists_all() const override { return false; }

	Result<std::vector<uint64_t>> list(uint32_t) const override
	{
		return Error{ENOTSUP, std::string("listing namespaces by ID ") + kNeedIds};
	}

	Result<Fd> open_id(uint64_t id) const override
	{
		return Error{ENOTSUP, "opening namespace " + std::to_string(id) + " by ID " + kNeedIds};
	}

	std::optional<uint64_t> id_of(int ns_fd) const override { return ns_get_id(ns_fd); }

	Result<NsHandle> handle_of(int ns_fd) const override { return NsHandle::of_fd(ns_fd); }

	Result<Fd> open_handle(const NsHandle &) const override
	{
		return Error{ENOTSUP, std::string("opening a namespace handle ") + kNeedIds};
	}
};

} // namespace

std::unique_ptr<Backend> make_proc_backend()
{
	return std::make_unique<ProcBackend>();
}

std::optional<BackendKind> parse_backend(std::string_view name)
{
	for (auto k : {BackendKind::native, BackendKind::module, BackendKind::proc})
		if (name == backend_name(k))
			return k;
	return std::nullopt;
}

Result<BackendChoice> choose_backend(std::optional<BackendKind> forced)
{
	if (forced == BackendKind::proc)
		return BackendChoice{make_proc_backend(), "requested"};
	if (forced == BackendKind::native) {
		auto b = make_native_backend();
		if (!b)
			return Error{ENOSYS, "the native backend needs listns(2), which this kernel lacks (Linux >= 6.19)"};
		return BackendChoice{std::move(b), "requested"};
	}
	if (forced == BackendKind::module) {
		auto b = make_module_backend();
		if (!b)
			return b.error();
		return BackendChoice{std::move(*b), "requested"};
	}
	if (auto b = make_native_backend())
		return BackendChoice{std::move(b), "the kernel has listns(2)"};
	auto m = make_module_backend();
	if (m)
		return BackendChoice{std::move(*m), "no listns(2) in this kernel; /dev/nstree is present"};
	return BackendChoice{make_proc_backend(), "no listns(2) in this kernel and no usable /dev/nstree"};
}

} // namespace nstree
