// SPDX-License-Identifier: GPL-2.0
// Backend: where namespaces come from (backend_choice.hpp says which, and why).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend_kind.hpp"
#include "error.hpp"
#include "fd.hpp"
#include "namespace.hpp"
#include "ns_facts.hpp"
#include "ns_handle.hpp"
#include "proc_walk.hpp"

namespace nstree {

class Backend {
public:
	virtual ~Backend() = default;
	virtual BackendKind kind() const = 0;
	// Whether list() enumerates every active namespace (native, module) or
	// only what /proc shows (proc).
	virtual bool lists_all() const = 0;
	// IDs of every active namespace the caller may see, ascending; @types 0 for all.
	virtual Result<std::vector<uint64_t>> list(uint32_t types) const = 0;
	// A kernel nsfs fd (one setns() takes) for @id, with upstream's permission rules.
	virtual Result<Fd> open_id(uint64_t id) const = 0;
	// The namespace ID behind a namespace fd; empty when the kernel has none.
	virtual std::optional<uint64_t> id_of(int ns_fd) const = 0;
	// The nsfs handle of a namespace fd.
	virtual Result<NsHandle> handle_of(int ns_fd) const = 0;
	// A kernel nsfs fd for a handle, with upstream's rules.
	virtual Result<Fd> open_handle(const NsHandle &h) const = 0;
	// Every process with its namespaces' inodes: a /proc walk unless the backend
	// has a faster source.
	virtual ProcessTable processes() const { return scan_processes(); }
	// The same where only pids and namespaces matter (nstree orphans): a backend
	// may leave the commands out where reading them costs.
	virtual ProcessTable process_namespaces() const { return processes(); }
	// Where processes() takes the table from here, and why (nstree doctor).
	virtual std::string process_source() const { return "/proc walk"; }
	// Whether the backend may load BPF iterators for what the module's bulk ioctls
	// answer elsewhere (the native backend, NSTREE_NO_BPF unset).
	virtual bool may_use_bpf() const { return false; }
	// The COMMAND of each (pid, comm): read_commands() unless the backend has a
	// faster source.
	virtual std::vector<std::string> commands(const std::vector<std::pair<pid_t, std::string>> &procs) const
	{
		return read_commands(procs);
	}
	// What opening each ID and asking nsfs would tell, for all @ids in one go; empty
	// when the backend cannot (then open each). A fact for an ID that died has type 0.
	virtual std::optional<std::vector<NsFacts>> facts_of(const std::vector<uint64_t> &ids) const
	{
		(void)ids;
		return std::nullopt;
	}
};

// nullptr: no listns(2), the kernel's or the module's (under `nstree compat`). @task_iterator: whether it may load the BPF task iterator
// for its process table (BackendSettings).
std::unique_ptr<Backend> make_native_backend(bool task_iterator);
Result<std::unique_ptr<Backend>> make_module_backend(); // error: no usable /dev/nstree
std::unique_ptr<Backend> make_proc_backend();

// Whether this kernel has listns(2) of its own (probed with a real call; under
// `nstree compat` the module answers it, and that is not the kernel's own).
bool kernel_has_listns();

} // namespace nstree
