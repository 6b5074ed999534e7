// SPDX-License-Identifier: GPL-2.0
// The native backend: listns(2) and nsfs file handles of Linux >= 6.19.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend.hpp"
#include "listns_pages.hpp"
#include "ns_facts.hpp"
#include "nsfs_handles.hpp"
#include "nstree.h"
#include "task_iter.hpp"


namespace nstree {

namespace {

class NativeBackend : public Backend {
public:
	explicit NativeBackend(bool task_iterator) : task_iterator_(task_iterator) {}
	BackendKind kind() const override { return BackendKind::native; }
	bool lists_all() const override { return true; }

	Result<std::vector<uint64_t>> list(uint32_t types) const override
	{
		ListRequest req;
		req.types = types;
		return list_all_pages(req, 4096, listns_syscall_page);
	}

	Result<Fd> open_id(uint64_t id) const override { return open_nsfs_id(id); }

	std::optional<uint64_t> id_of(int ns_fd) const override { return ns_get_id(ns_fd); }

	Result<NsHandle> handle_of(int ns_fd) const override { return NsHandle::of_fd(ns_fd); }

	// Upstream has no bulk "who is in which namespace": the BPF task iterator where
	// the caller may load it (it also names each namespace's ID, owner and parent,
	// so the listing need not open them), else the /proc walk.
	ProcessTable processes() const override
	{
		if (task_iterator_)
			if (auto scan = scan_processes_bpf())
				return std::move(*scan);
		return scan_processes();
	}

	ProcessTable process_namespaces() const override
	{
		if (task_iterator_)
			if (auto scan = scan_processes_bpf(false))
				return std::move(*scan);
		return scan_processes();
	}

	std::string process_source() const override
	{
		if (!task_iterator_)
			return "/proc walk (NSTREE_NO_BPF is set)";
		auto scan = scan_processes_bpf();
		if (!scan)
			return "/proc walk (" + scan.error().str() + ")";
		return scan->source + " (" + std::to_string(scan->entries.size()) + " processes in one read)";
	}

	bool may_use_bpf() const override { return task_iterator_; }

	Result<Fd> open_handle(const NsHandle &h) const override { return open_nsfs_handle(h); }

private:
	bool task_iterator_; // BackendSettings::task_iterator
};

} // namespace

namespace {

// Whether system call 470 answers: the kernel's own listns(2), or the module's
// for a process under `nstree compat`.
bool listns_answers()
{
	struct ns_id_req req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	uint64_t id;
	return sys_listns(&req, &id, 1, 0) >= 0 || errno != ENOSYS;
}

// The module loads only on kernels without listns(2) (it is not even built for
// one), so while it is loaded a listns(2) that answers is its layer.
bool nstree_module_loaded()
{
	return access("/sys/module/nstree", F_OK) == 0;
}

} // namespace

bool kernel_has_listns()
{
	return !nstree_module_loaded() && listns_answers();
}

std::unique_ptr<Backend> make_native_backend(bool task_iterator)
{
	if (!listns_answers())
		return nullptr;
	return std::make_unique<NativeBackend>(task_iterator);
}

} // namespace nstree
