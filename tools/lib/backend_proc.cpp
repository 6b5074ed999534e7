// SPDX-License-Identifier: GPL-2.0
// The proc backend, for kernels with neither listns(2) nor the module: namespaces come
// from the /proc walk in discover.cpp; this class only answers what a namespace fd
// can tell by itself.
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

} // namespace nstree
