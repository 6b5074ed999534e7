// SPDX-License-Identifier: GPL-2.0
// nstree compat [--] COMMAND [ARG...]: run an unmodified program with upstream's
// namespace API on a kernel that lacks it (Documentation/compat.md). The module
// answers NS_GET_ID and nsfs file handles for every program; listns(2) it answers
// for the commands run here, under a seccomp filter that traps it.
//
// The command and everything it starts carry the filter. A trapped listns(2) that
// no module answers would be a SIGSYS, so this process stays behind as the
// command's subreaper with /dev/nstree open: rmmod is refused until the last of
// them has exited. It forwards the usual termination signals to the command and
// exits with the command's status, as a shell would give it.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "backend.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "compat_filter.hpp"
#include "module_client.hpp"

namespace nstree::cli {

namespace {

volatile sig_atomic_t g_child = 0;

void forward(int sig)
{
	if (g_child > 0)
		kill(g_child, sig);
}

// The exec, in the child: never returns.
[[noreturn]] void run_command(std::vector<std::string> &words)
{
	std::vector<char *> argv;
	for (auto &w : words)
		argv.push_back(w.data());
	argv.push_back(nullptr);
	execvp(argv[0], argv.data());
	std::fprintf(stderr, "nstree compat: cannot run %s: %s\n", argv[0], std::strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

// Waits for the command, then for every orphan it left us (we are their
// subreaper): the command's status, as a shell gives it.
int wait_all(pid_t command)
{
	int result = kExitFailure;
	for (;;) {
		int status;
		pid_t p = waitpid(-1, &status, 0);
		if (p < 0) {
			if (errno == EINTR)
				continue;
			return result; // ECHILD: nothing of ours is left
		}
		if (p == command)
			result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
}

} // namespace

int cmd_compat(std::span<const std::string_view> args)
{
	if (!args.empty() && args.front() == "--")
		args = args.subspan(1);
	if (args.empty()) {
		std::fprintf(stderr, "usage: nstree compat [--] COMMAND [ARG...]\n");
		return kExitFailure;
	}
	std::vector<std::string> words(args.begin(), args.end());
	// A kernel with listns(2) of its own needs nothing from us.
	if (kernel_has_listns())
		run_command(words);
	if (auto ok = module_answers_listns_traps(); !ok) {
		Error e = ok.error();
		e.message += "; nstree compat needs the nstree module (modprobe nstree) on a kernel without listns(2)";
		print_error("compat", e);
		return kExitFailure;
	}
	// Held open until the last process carrying the filter is gone: pins the module.
	auto pin = ModuleClient::open();
	if (!pin) {
		print_error("compat", pin.error());
		return kExitFailure;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
		print_error("compat", Error::from_errno(errno, "prctl(PR_SET_CHILD_SUBREAPER)"));
		return kExitFailure;
	}
	std::fflush(nullptr);
	pid_t child = fork();
	if (child < 0) {
		print_error("compat", Error::from_errno(errno, "fork"));
		return kExitFailure;
	}
	if (child == 0) {
		if (auto ok = trap_listns_for_module(); !ok) {
			print_error("compat", ok.error());
			_exit(kExitFailure);
		}
		run_command(words);
	}
	g_child = child;
	struct sigaction sa = {};
	sa.sa_handler = forward;
	for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
		sigaction(sig, &sa, nullptr);
	return wait_all(child);
}

} // namespace nstree::cli
