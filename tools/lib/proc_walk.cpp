// SPDX-License-Identifier: GPL-2.0
#include "proc_walk.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

#include "fd.hpp"
#include "proc_path.hpp"
#include "parallel.hpp"
#include "statx_batch.hpp"

namespace nstree {

static_assert(kCommandBytes == kSmallFileBytes, "one read of /proc/PID/cmdline is what COMMAND shows");

namespace {

std::vector<pid_t> numeric_entries(const std::string &path)
{
	std::vector<pid_t> out;
	Dir d = open_dir(path);
	if (!d)
		return out;
	while (struct dirent *e = readdir(d.get())) {
		pid_t pid = 0;
		const char *end = e->d_name + strlen(e->d_name);
		auto [p, ec] = std::from_chars(e->d_name, end, pid);
		if (ec == std::errc() && p == end && pid > 0)
			out.push_back(pid);
	}
	std::sort(out.begin(), out.end());
	return out;
}

// "PID (comm) S PPID ...": comm may hold spaces and parentheses; the last ')' ends it.
void parse_stat(const std::string &stat, ProcEntry &e)
{
	auto open = stat.find('(');
	auto close = stat.rfind(')');
	if (open == std::string::npos || close == std::string::npos || close < open)
		return;
	e.comm = stat.substr(open + 1, close - open - 1);
	// ") S PPID"
	size_t p = close + 4;
	if (p < stat.size())
		std::from_chars(stat.data() + p, stat.data() + stat.size(), e.ppid);
}

// Fills @entries' uid and namespace inodes from /proc/<dir>/..., all statx calls at once.
void fill(std::vector<ProcEntry> &entries, const std::vector<std::string> &dirs, ProcessTable &scan)
{
	StatxBatch batch;
	scan.io_uring = batch.uses_io_uring();
	const size_t per = 1 + kNsTypes.size();
	for (const auto &dir : dirs) {
		batch.add(dir, STATX_UID);
		for (const auto &t : kNsTypes)
			batch.add(dir + "/ns/" + std::string(t.name), STATX_INO);
	}
	batch.run();
	for (size_t i = 0; i < entries.size(); i++) {
		size_t base = i * per;
		if (!batch.error(base))
			entries[i].uid = batch.result(base).stx_uid;
		bool refused = false;
		for (size_t t = 0; t < kNsTypes.size(); t++) {
			int err = batch.error(base + 1 + t);
			if (!err)
				entries[i].ns[t] = batch.result(base + 1 + t).stx_ino;
			else if (err == EACCES || err == EPERM)
				refused = true;
		}
		if (refused)
			scan.refused.insert(entries[i].pid);
		read_proc_stat(dirs[i], entries[i]);
	}
}

} // namespace

void read_proc_stat(const std::string &dir, ProcEntry &e)
{
	parse_stat(read_small_file(dir + "/stat"), e);
}

ProcessTable scan_processes()
{
	ProcessTable scan;
	std::vector<std::string> dirs;
	for (pid_t pid : numeric_entries("/proc")) {
		ProcEntry e;
		e.pid = e.tgid = pid;
		scan.entries.push_back(e);
		dirs.push_back(proc_path(pid));
	}
	fill(scan.entries, dirs, scan);
	// A process that exited during the walk has no namespaces left: drop it.
	std::erase_if(scan.entries, [](const ProcEntry &e) {
		return std::all_of(e.ns.begin(), e.ns.end(), [](uint64_t ino) { return ino == 0; }) && e.comm.empty();
	});
	return scan;
}

ProcessTable scan_threads(const std::vector<pid_t> &tgids)
{
	ProcessTable scan;
	std::vector<std::string> dirs;
	for (pid_t tgid : tgids) {
		std::string task = proc_path(tgid, "task");
		for (pid_t tid : numeric_entries(task)) {
			if (tid == tgid)
				continue;
			ProcEntry e;
			e.pid = tid;
			e.tgid = tgid;
			scan.entries.push_back(e);
			dirs.push_back(task + "/" + std::to_string(tid));
		}
	}
	fill(scan.entries, dirs, scan);
	return scan;
}

std::string read_command(pid_t pid, const std::string &comm)
{
	return command_from_cmdline(read_small_file(proc_path(pid, "cmdline")), comm);
}

std::string command_from_cmdline(std::string cmd, const std::string &comm)
{
	while (!cmd.empty() && cmd.back() == '\0')
		cmd.pop_back();
	if (cmd.empty())
		return comm.empty() ? std::string() : "[" + comm + "]";
	std::replace(cmd.begin(), cmd.end(), '\0', ' ');
	return cmd;
}

std::vector<std::string> read_commands(const std::vector<std::pair<pid_t, std::string>> &procs)
{
	std::vector<std::string> out(procs.size());
	// Threads pay off only for many reads; each takes a contiguous share.
	size_t parts = parallel_parts(procs.size(), 256);
	run_parts(parts, [&](size_t p) {
		auto [first, last] = part_range(procs.size(), p, parts);
		for (size_t i = first; i < last; i++)
			out[i] = read_command(procs[i].first, procs[i].second);
	});
	return out;
}

} // namespace nstree
