// SPDX-License-Identifier: GPL-2.0
// The proc backend, for kernels with neither listns(2) nor the module: namespaces come
// from the /proc walk in discover.cpp; this class answers what a namespace fd can
// tell by itself and, where the kernel has nsfs file handles without listns(2)
// (6.18), opens IDs and handles with them.
#include <cerrno>

#include "backend.hpp"
#include "ns_facts.hpp"
#include "nsfs_handles.hpp"
#include "nstree.h"

namespace nstree {

namespace {

const char kNeedIds[] = "needs listns(2) (Linux >= 6.19) or the nstree module (modprobe nstree)";
const char kNeedHandles[] = "needs nsfs file handles (Linux >= 6.18) or the nstree module (modprobe nstree)";

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
		if (kernel_has_nsfs_handles())
			return open_nsfs_id(id);
		return Error{ENOTSUP, "opening namespace " + std::to_string(id) + " by ID " + kNeedHandles};
	}

	std::optional<uint64_t> id_of(int ns_fd) const override { return ns_get_id(ns_fd); }

	Result<NsHandle> handle_of(int ns_fd) const override { return NsHandle::of_fd(ns_fd); }

	Result<Fd> open_handle(const NsHandle &h) const override
	{
		if (kernel_has_nsfs_handles())
			return open_nsfs_handle(h);
		return Error{ENOTSUP, std::string("opening a namespace handle ") + kNeedHandles};
	}
};

} // namespace

std::unique_ptr<Backend> make_proc_backend()
{
	return std::make_unique<ProcBackend>();
}

} // namespace nstree
