// SPDX-License-Identifier: GPL-2.0
// The last step of running a program from a forked child (selftests, benchmarks).
#pragma once

#include <string>
#include <unistd.h>
#include <vector>

namespace nstree {

// execv(@argv[0], @argv) (a full path, no PATH search); when that fails, _exit(127)
// as a shell would. Only for a child after fork().
[[noreturn]] inline void exec_or_exit(const std::vector<std::string> &argv)
{
	std::vector<char *> args;
	for (const auto &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);
	execv(args[0], args.data());
	_exit(127);
}

} // namespace nstree
