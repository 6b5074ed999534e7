// SPDX-License-Identifier: GPL-2.0
// The process table: every process with its namespaces, from whichever source read
// it (the module's NSTREE_IOC_PROCS, the BPF task iterator, the /proc walk).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

#include "ns_facts.hpp"
#include "ns_type.hpp"

namespace nstree {

struct ProcEntry {
	pid_t pid = 0;  // the tid for thread entries
	pid_t tgid = 0; // == pid for processes
	pid_t ppid = 0;
	uid_t uid = 0;  // owner of /proc/PID: the process's euid
	std::string comm;
	// COMMAND (command_from_cmdline() of the first kCommandBytes of /proc/PID/cmdline),
	// when the source read the command line along with the rest (bpf).
	std::optional<std::string> command;
	std::array<uint64_t, kNsTypes.size()> ns{}; // inode per kNsTypes index; 0 unreadable
};

struct ProcessTable {
	std::vector<ProcEntry> entries; // ascending pid
	std::set<pid_t> refused;        // processes whose namespace links were refused
	bool io_uring = false;          // whether the statx calls were batched
	std::string source;             // how the table was read, when there is more to say (bpf)
	// What opening each of the processes' namespaces would tell (ID, owner, parent),
	// when the source knows it (bpf); then those namespaces need not be opened.
	std::vector<NsFacts> namespaces;
};

} // namespace nstree
