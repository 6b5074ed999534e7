// SPDX-License-Identifier: GPL-2.0
#include "watchers.hpp"

#include <algorithm>
#include <chrono>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace bench {

namespace {
constexpr int kChildren = 200;
} // namespace

double unshare_rate()
{
	double ns = best_ns_per_op(kChildren, 1, []() {
		pid_t pid = fork();
		if (pid == 0)
			_exit(unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC) ? 1 : 0);
		int st;
		waitpid(pid, &st, 0);
	});
	return 1e9 / ns;
}

double clone_all_rate()
{
	double ns = best_ns_per_op(kChildren / 2, 1, []() {
		struct clone_args args = {};
		args.flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			     CLONE_NEWCGROUP | CLONE_NEWPID | CLONE_NEWTIME;
		args.exit_signal = SIGCHLD;
		pid_t pid = pid_t(syscall(SYS_clone3, &args, sizeof(args)));
		if (pid == 0)
			_exit(0);
		if (pid > 0) {
			int st;
			waitpid(pid, &st, 0);
		}
	});
	return 1e9 / ns;
}

double fork_rate()
{
	double ns = best_ns_per_op(kChildren * 2, 1, []() {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		int st;
		waitpid(pid, &st, 0);
	});
	return 1e9 / ns;
}

Watchers::Watchers(int n, const StreamOpener &open)
{
	for (int i = 0; i < n; i++) {
		auto s = open({});
		if (!s)
			break;
		streams_.push_back(std::move(*s));
	}
	for (auto &s : streams_)
		threads_.emplace_back([this, src = s.get()]() {
			while (!stop_) {
				auto ev = src->next(50);
				if (ev)
					events_ += ev->size();
			}
		});
}

Watchers::~Watchers()
{
	stop_ = true;
	for (auto &t : threads_)
		t.join();
}

std::vector<double> event_latencies_us(int n, int *early, const StreamOpener &open)
{
	std::vector<double> out;
	*early = 0;
	auto s = open({.types = CLONE_NEWUTS, .activity = false, .initial = false});
	if (!s)
		return out;
	// The child writes the time its unshare() returned here (steady clock).
	auto *when = static_cast<std::atomic<long long> *>(
		mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	if (when == MAP_FAILED)
		return out;
	for (int i = 0; i < n; i++) {
		when->store(0);
		pid_t pid = fork();
		if (pid == 0) {
			if (unshare(CLONE_NEWUTS))
				_exit(1);
			when->store(std::chrono::steady_clock::now().time_since_epoch().count());
			pause();
			_exit(0);
		}
		long long read_at = 0;
		for (int tries = 0; tries < 100 && !read_at; tries++) {
			auto ev = (*s)->next(50);
			if (!ev)
				break;
			for (const auto &e : *ev)
				if (e.kind == nstree::WatchEventKind::created && e.pid && *e.pid == pid)
					read_at = std::chrono::steady_clock::now().time_since_epoch().count();
		}
		for (int spins = 0; read_at && !when->load() && spins < 1000; spins++)
			usleep(1000);
		if (read_at && when->load()) {
			long long d = read_at - when->load();
			*early += d < 0;
			out.push_back(d < 0 ? 0.0 : double(d) / 1e3);
		}
		kill(pid, SIGKILL);
		waitpid(pid, nullptr, 0);
	}
	munmap(when, 4096);
	std::sort(out.begin(), out.end());
	return out;
}

double percentile(const std::vector<double> &v, double p)
{
	if (v.empty())
		return 0;
	return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace bench
