// SPDX-License-Identifier: GPL-2.0
// Joining namespaces (setns(2)) and running a command there, as nsenter does.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "fd.hpp"

namespace nstree::cli {

struct Joining {
	Fd fd;
	uint32_t type = 0; // CLONE_NEW*, as NS_GET_NSTYPE says
};

// @fd with its type, as NS_GET_NSTYPE says; EINVAL for a file that is no namespace.
Result<Joining> joining_of(Fd fd);

// Joins every namespace of @ns and execs @argv (a shell when empty). Returns only
// on failure, with the exit code to use (or the command's, when it ran in a child);
// errors name @cmd.
//
// In nsenter's order: every namespace but the user one first, then the user
// namespace and whatever its privilege was needed for. After a user namespace,
// uid and gid become 0 there unless @preserve_credentials. A pid or time namespace
// applies to children only, and a user namespace takes only a single-threaded
// caller (io_uring's workers of the /proc walk are threads of this process until
// they leave, in their own time): for those a forked child joins and runs the
// command, and the parent waits, ignoring SIGINT and SIGQUIT (the command's).
int join_and_run(std::string_view cmd, std::vector<Joining> ns, bool preserve_credentials,
		 std::span<const std::string_view> argv);

} // namespace nstree::cli
