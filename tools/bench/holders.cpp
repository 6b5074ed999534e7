// SPDX-License-Identifier: GPL-2.0
// The benchmarks' workload: processes that each hold two namespaces of their own,
// and the way the benchmarks run the programs they time.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.hpp"
#include "exec.hpp"

namespace bench {
namespace {

// The module's count of tracked namespaces, or -1 without the module.
long long tracked() { return module_stat("tracked"); }

} // namespace

Holders::Holders(int n) : tracked_before_(tracked())
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC)) {
		std::perror("bench: pipe2");
		return;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(ready[0]);
			if (unshare(CLONE_NEWUTS | CLONE_NEWIPC))
				_exit(1);
			char byte = 1;
			if (write(ready[1], &byte, 1) != 1)
				_exit(1);
			close(ready[1]);
			for (;;)
				pause();
		}
		if (pid < 0)
			break;
		pids_.push_back(pid);
	}
	close(ready[1]);
	// EOF once every child has written its byte (or died): each closed its end.
	char buf[4096];
	size_t got = 0;
	for (ssize_t r; (r = read(ready[0], buf, sizeof(buf))) != 0;) {
		if (r < 0 && errno != EINTR)
			break;
		got += r > 0 ? size_t(r) : 0;
	}
	close(ready[0]);
	if (got != size_t(n))
		std::fprintf(stderr, "bench: %zu of %d holders unshared\n", got, n);
}

Holders::~Holders()
{
	for (pid_t p : pids_)
		kill(p, SIGKILL);
	for (pid_t p : pids_)
		waitpid(p, nullptr, 0);
	// Their namespaces die later (6.1 frees each ipc namespace's mqueue mount after a
	// synchronize_rcu(), one by one, from a workqueue): the next round would time that
	// work, and the module would rescan for each death. Wait until they are gone.
	if (tracked_before_ < 0)
		return;
	for (int waited_ms = 0; tracked() > tracked_before_; waited_ms += 100) {
		if (waited_ms >= 120000) {
			std::fprintf(stderr, "bench: namespaces of killed holders still alive after 120 s\n");
			break;
		}
		usleep(100000);
	}
}

void Holders::kill_one()
{
	if (pids_.empty())
		return;
	kill(pids_.back(), SIGKILL);
	waitpid(pids_.back(), nullptr, 0);
	pids_.pop_back();
}

int run_quiet(const std::vector<std::string> &argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		nstree::exec_or_exit(argv);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace bench
