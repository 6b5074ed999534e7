// SPDX-License-Identifier: GPL-2.0
// A walk over /proc: every process (or every thread) and the inode of each of its
// namespaces, batched through StatxBatch.
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

struct ProcScan {
	std::vector<ProcEntry> entries; // ascending pid
	std::set<pid_t> refused;        // processes whose namespace links were refused
	bool io_uring = false;          // whether the statx calls were batched
	std::string source;             // how the table was read, when there is more to say (bpf)
	// What opening each of the processes' namespaces would tell (ID, owner, parent),
	// when the source knows it (bpf); then those namespaces need not be opened.
	std::vector<NsFacts> namespaces;
};

// Every process in the caller's /proc.
ProcScan scan_processes();
// The threads of @tgids other than their leaders; entries carry tgid.
ProcScan scan_threads(const std::vector<pid_t> &tgids);

// comm and ppid of @e from @dir/stat (a /proc/PID or /proc/PID/task/TID directory);
// @e stays as it is when the process is gone.
void read_proc_stat(const std::string &dir, ProcEntry &e);

// How much of a command line COMMAND shows (one read of /proc/PID/cmdline).
constexpr uint32_t kCommandBytes = 4096;

// /proc/PID/cmdline with spaces for NULs, else [comm]; "" when the process is gone.
std::string read_command(pid_t pid, const std::string &comm);
// The COMMAND lsns shows for the bytes of a cmdline: spaces for NULs, else [comm].
std::string command_from_cmdline(std::string cmdline, const std::string &comm);
// read_command() of each (pid, comm), in order, the reads split over the online CPUs
// (under TCG 5,000 of them take 240 ms one by one, 110 ms on two CPUs).
std::vector<std::string> read_commands(const std::vector<std::pair<pid_t, std::string>> &procs);

} // namespace nstree
