// SPDX-License-Identifier: GPL-2.0
#include "common.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.hpp"
#include "fd.hpp"
#include "ns_type.hpp"

namespace nstree::cli {

Result<BackendChoice> pick_backend(std::optional<BackendKind> flag)
{
	auto settings = backend_settings(flag);
	if (!settings)
		return settings.error();
	return choose_backend(*settings);
}

Result<OperandArgs> parse_operand_args(std::span<const std::string_view> args, OperandOptions accepted,
				       std::string_view usage)
{
	OperandArgs out;
	bool have = false;
	for (size_t i = 0; i < args.size(); i++) {
		std::string_view a = args[i];
		std::optional<std::string_view> backend;
		if (a == "--backend" && i + 1 < args.size())
			backend = args[++i];
		else if (a.starts_with("--backend="))
			backend = a.substr(std::string_view("--backend=").size());
		if (backend) {
			out.backend = parse_backend(*backend);
			if (!out.backend)
				return Error{EINVAL, "unknown backend '" + std::string(*backend) + "' (native, module, proc)"};
		} else if (accepted.json && (a == "-J" || a == "--json")) {
			out.json = true;
		} else if (accepted.type && (a == "-t" || a == "--type") && i + 1 < args.size()) {
			auto t = ns_type_index(args[++i]);
			if (!t)
				return Error{EINVAL, "unknown namespace type '" + std::string(args[i]) + "'"};
			out.type = kNsTypes[*t].flag;
		} else if (!have && !a.empty() && !a.starts_with("-")) {
			out.operand = a;
			have = true;
		} else {
			return Error{EINVAL, std::string(usage)};
		}
	}
	if (!have)
		return Error{EINVAL, std::string(usage)};
	return out;
}

Result<Target> parse_target(std::string_view arg)
{
	Target t;
	uint64_t id = 0;
	auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
	if (ec == std::errc() && p == arg.data() + arg.size()) {
		if (id == 0)
			return Error{EINVAL, "namespace ID 0 does not exist (IDs start at 1)"};
		t.id = id;
		return t;
	}
	if (auto link = parse_ns_link(arg)) {
		t.type = link->type;
		t.inode = link->inode;
		return t;
	}
	auto fd = Fd::open(std::string(arg), O_RDONLY);
	if (!fd)
		return Error{fd.error().code, "'" + std::string(arg) + "' is neither an ID, type:[inode] nor a "
							       "namespace file: " + fd.error().str()};
	int type = ioctl(fd->get(), NS_GET_NSTYPE);
	struct stat st;
	if (type < 0 || fstat(fd->get(), &st) < 0)
		return Error{EINVAL, "'" + std::string(arg) + "' is not a namespace file"};
	t.type = uint32_t(type);
	t.inode = st.st_ino;
	t.path = std::string(arg);
	return t;
}

std::pair<std::vector<std::string_view>, std::vector<std::string_view>>
split_command(std::span<const std::string_view> args)
{
	std::vector<std::string_view> before, after;
	bool cmd = false;
	for (auto a : args) {
		if (!cmd && a == "--") {
			cmd = true;
			continue;
		}
		(cmd ? after : before).push_back(a);
	}
	return {before, after};
}

int run_in_namespace(std::string_view cmd, int ns_fd, uint32_t nstype, std::span<const std::string_view> argv)
{
	int type = ioctl(ns_fd, NS_GET_NSTYPE);
	if (type < 0) {
		print_error(cmd, Error::from_errno(errno, "not a namespace file"));
		return kExitFailure;
	}
	if (nstype && uint32_t(type) != nstype) {
		print_error(cmd, Error{EINVAL, "that is a " + std::string(ns_type_name(uint32_t(type))) +
						       " namespace, not " + std::string(ns_type_name(nstype))});
		return kExitFailure;
	}
	auto join = [&]() {
		if (setns(ns_fd, int(nstype)) == 0)
			return true;
		int err = errno;
		std::string hint = err == EPERM ? " (needs CAP_SYS_ADMIN over the namespace)" : "";
		print_error(cmd, Error{err, "setns into " + std::string(ns_type_name(uint32_t(type))) +
						    " namespace: " + std::strerror(err) + hint});
		return false;
	};
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
	// A pid or time namespace is one for children only: join, then fork. A user
	// namespace takes only a single-threaded caller (EINVAL otherwise), and this
	// process may not be one: io_uring's workers (the /proc walk's batched statx)
	// are threads of it until they leave, after the ring, in their own time. A
	// forked child has one thread: it joins, then runs the command.
	const bool join_in_child = type == CLONE_NEWUSER;
	if (!join_in_child && !join())
		return kExitFailure;
	if (type != CLONE_NEWPID && type != CLONE_NEWTIME && !join_in_child)
		return exec();
	std::fflush(nullptr);
	pid_t child = fork();
	if (child < 0) {
		print_error(cmd, Error::from_errno(errno, "fork into the new namespace"));
		return kExitFailure;
	}
	if (child == 0)
		_exit(join_in_child && !join() ? kExitFailure : exec());
	// As nsenter's parent: ^C and ^\ are the command's to answer.
	std::signal(SIGINT, SIG_IGN);
	std::signal(SIGQUIT, SIG_IGN);
	int status;
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return kExitFailure;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void print_error(std::string_view cmd, const Error &e)
{
	std::fprintf(stderr, "nstree %.*s: %s\n", int(cmd.size()), cmd.data(), e.str().c_str());
}

} // namespace nstree::cli
