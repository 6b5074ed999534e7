// SPDX-License-Identifier: GPL-2.0
// A walk over /proc: every process (or every thread) and the inode of each of its
// namespaces, batched through StatxBatch.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

#include "process_table.hpp"

namespace nstree {

// Every process in the caller's /proc.
ProcessTable scan_processes();
// The threads of @tgids other than their leaders; entries carry tgid.
ProcessTable scan_threads(const std::vector<pid_t> &tgids);

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
// (each read is a page-table walk of another process: they scale with CPUs).
std::vector<std::string> read_commands(const std::vector<std::pair<pid_t, std::string>> &procs);

} // namespace nstree
