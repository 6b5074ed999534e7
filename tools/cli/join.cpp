// SPDX-License-Identifier: GPL-2.0
#include "join.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <grp.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.hpp"
#include "common.hpp"
#include "ns_type.hpp"

namespace nstree::cli {

namespace {

Error setns_error(int err, uint32_t type)
{
	std::string hint = err == EPERM ? " (needs CAP_SYS_ADMIN over the namespace)" : "";
	return Error{err, "setns into " + std::string(ns_type_name(type)) + " namespace: " + std::strerror(err) + hint};
}

// Two passes, as nsenter: the others first, failures put off while a user namespace
// is still to come (entering it may give the privilege they need); then the user
// namespace, then what failed before.
std::optional<Error> join_all(std::vector<Joining> &ns, bool preserve_credentials)
{
	const bool has_user = std::any_of(ns.begin(), ns.end(), [](const Joining &j) { return j.type == CLONE_NEWUSER; });
	std::stable_partition(ns.begin(), ns.end(), [](const Joining &j) { return j.type == CLONE_NEWUSER; });
	for (int pass = 0; pass < 2; pass++) {
		for (auto &j : ns) {
			if (!j.fd || (pass == 0 && j.type == CLONE_NEWUSER))
				continue;
			if (setns(j.fd.get(), int(j.type)) != 0) {
				if (pass == 0 && has_user)
					continue;
				return setns_error(errno, j.type);
			}
			j.fd.reset();
			if (j.type == CLONE_NEWUSER && !preserve_credentials) {
				// setgroups() is refused where /proc/PID/setgroups says deny (rootless
				// containers): then there are none to drop.
				if (setgroups(0, nullptr) != 0 && errno != EPERM)
					return Error::from_errno(errno, "setgroups in the user namespace");
				if (setgid(0) != 0 || setuid(0) != 0)
					return Error::from_errno(errno, "becoming root in the user namespace (uid or gid 0 "
									"unmapped? --preserve-credentials keeps yours)");
			}
		}
	}
	return std::nullopt;
}

// Runs @in_child in a forked child and waits for it, ignoring SIGINT and SIGQUIT
// meanwhile, as nsenter's parent does. Returns the child's exit code as a shell
// would give it.
template <typename Fn>
int fork_and_wait(std::string_view cmd, const Fn &in_child)
{
	std::fflush(nullptr);
	pid_t child = fork();
	if (child < 0) {
		print_error(cmd, Error::from_errno(errno, "fork into the new namespace"));
		return kExitFailure;
	}
	if (child == 0)
		_exit(in_child());
	std::signal(SIGINT, SIG_IGN);
	std::signal(SIGQUIT, SIG_IGN);
	int status;
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return kExitFailure;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

Result<Joining> joining_of(Fd fd)
{
	int type = ioctl(fd.get(), NS_GET_NSTYPE);
	if (type < 0)
		return Error::from_errno(errno, "not a namespace file");
	return Joining{std::move(fd), uint32_t(type)};
}

int join_and_run(std::string_view cmd, std::vector<Joining> ns, bool preserve_credentials,
		 std::span<const std::string_view> argv)
{
	std::vector<std::string> words;
	if (argv.empty()) {
		const char *shell = std::getenv("SHELL");
		words.push_back(shell && *shell ? shell : "/bin/sh");
	}
	for (auto a : argv)
		words.emplace_back(a);
	std::vector<char *> c_argv;
	for (auto &w : words)
		c_argv.push_back(w.data());
	c_argv.push_back(nullptr);
	auto exec = [&]() {
		execvp(c_argv[0], c_argv.data());
		std::fprintf(stderr, "nstree: cannot run %s: %s\n", c_argv[0], std::strerror(errno));
		return errno == ENOENT ? 127 : 126;
	};
	auto any = [&](uint32_t type) {
		return std::any_of(ns.begin(), ns.end(), [&](const Joining &j) { return j.type == type; });
	};
	auto join = [&]() {
		auto err = join_all(ns, preserve_credentials);
		if (err)
			print_error(cmd, *err);
		return !err;
	};
	const bool children_only = any(CLONE_NEWPID) || any(CLONE_NEWTIME);
	auto run = [&]() { return children_only ? fork_and_wait(cmd, exec) : exec(); };
	if (!any(CLONE_NEWUSER))
		return join() ? run() : kExitFailure;
	return fork_and_wait(cmd, [&]() { return join() ? run() : kExitFailure; });
}

} // namespace nstree::cli
