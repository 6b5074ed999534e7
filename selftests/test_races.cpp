// SPDX-License-Identifier: GPL-2.0
// Races, each bounded in time: opens racing the last task's exit (every type),
// setns() through a pidfd racing the target's exit, the stash's fast path against
// drop_caches, listings killed half way, PROCS and CMDLINES against exec and exit.
// KASAN, lockdep and kmemleak on the debug kernel judge what the assertions cannot;
// on every kernel the counts must come back. NSTREE_CAMPAIGN=long runs each longer.
#include <catch2/catch_test_macros.hpp>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "harness.hpp"
#include "listns_util.hpp"
#include "ns_handle.hpp"

using namespace selftest;
using Clock = std::chrono::steady_clock;

namespace {

std::chrono::seconds bounded(long test_seconds, long long_seconds)
{
	return std::chrono::seconds(campaign_count(test_seconds, long_seconds));
}

constexpr int kAllTypes = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			  CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWTIME;

struct Seen {
	uint64_t id = 0;
	uint32_t type = 0, inum = 0;
};

} // namespace

TEST_CASE("opens by ID, by handle and through the bridge racing the last task's exit, every type",
	  "[races][lifetime]")
{
	REQUIRE_ROOT();
	Baseline base;
	std::array<Seen, 64> recent{};
	std::mutex lock;
	std::atomic<bool> stop{false};
	std::atomic<long> made{0}, opened{0}, gone{0}, wrong{0};
	auto deadline = Clock::now() + bounded(15, 300);
	std::thread churn([&]() {
		for (long i = 0; Clock::now() < deadline; i++) {
			// All eight types; pid and user namespaces die only when it is reaped.
			Child c = spawn_holder(i % 3 ? kAllTypes : kAllTypes & ~CLONE_NEWNET);
			if (c.pid() <= 0)
				continue;
			for (const auto &t : kNsTypes) {
				auto fd = open_path(ns_path(c.pid(), t.child_name));
				auto who = ctl().identify(fd.get());
				if (!who)
					continue;
				std::lock_guard<std::mutex> g(lock);
				recent[size_t(made++) % recent.size()] = {who->id, who->type, who->inum};
			}
			// ~Child kills and reaps it while the lookers go on.
		}
		stop = true;
	});
	std::vector<std::thread> lookers;
	for (int t = 0; t < 4; t++) {
		lookers.emplace_back([&, t]() {
			for (unsigned i = t; !stop; i++) {
				Seen s;
				{
					std::lock_guard<std::mutex> g(lock);
					s = recent[i % recent.size()];
				}
				if (!s.id)
					continue;
				auto kind = i % 2 ? nstree::NsFdKind::nsfs : nstree::NsFdKind::nstreefs;
				nstree::Result<nstree::Fd> fd = i % 3 == 0   ? ctl().open_id(s.id, kind)
								 : i % 3 == 1 ? ctl().open_handle(nstree::NsHandle{s.id, 0, 0}, kind)
									      : ctl().open_handle(nstree::NsHandle{s.id, s.type, s.inum}, kind);
				if (fd) {
					opened++;
					auto who = ctl().identify(fd->get());
					if (!who || who->id != s.id || who->type != s.type)
						wrong++;
				} else if (fd.error().code == ENOENT || fd.error().code == ESTALE) {
					gone++;
				} else {
					wrong++;
				}
			}
		});
	}
	churn.join();
	for (auto &th : lookers)
		th.join();
	INFO(made << " namespaces made, " << opened << " opened, " << gone << " gone or inactive");
	CHECK(wrong == 0);
	CHECK(opened > 0);
	CHECK(gone > 0);
	CHECK(base.settle() == "");
}

// Upstream's regression_pidfd_setns_test, on the module's side: a setns() through a
// pidfd that wins the race with the target's exit leaves the caller in namespaces
// the module lists and opens at once; one that loses fails cleanly.
TEST_CASE("setns() through a pidfd racing the target's exit", "[races][active]")
{
	REQUIRE_ROOT();
	Baseline base;
	auto deadline = Clock::now() + bounded(10, 120);
	long joined = 0, refused = 0, rounds = 0;
	std::string bad;
	while (Clock::now() < deadline) {
		rounds++;
		Child target = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC);
		REQUIRE(target.pid() > 0);
		int pidfd = int(syscall(SYS_pidfd_open, target.pid(), 0));
		REQUIRE(pidfd >= 0);
		unsigned delay = unsigned(rounds % 7) * 150;
		std::thread killer([&]() {
			usleep(delay);
			target = Child();
		});
		int code = exit_code_of([&]() {
			if (setns(pidfd, CLONE_NEWUTS | CLONE_NEWIPC) != 0)
				return errno == ESRCH ? 10 : 11;
			for (const char *name : {"uts", "ipc"}) {
				auto fd = open_path(std::string("/proc/self/ns/") + name);
				auto who = ctl().identify(fd.get());
				if (!who || who->id <= 8)
					return 1;
				fd.reset(); // only our nsproxy holds it now
				if (!listed(who->id))
					return 2;
				if (!ctl().open_handle(nstree::NsHandle{who->id, who->type, who->inum}))
					return 3;
			}
			return 0;
		});
		killer.join();
		close(pidfd);
		if (code == 0)
			joined++;
		else if (code == 10)
			refused++;
		else
			bad += std::to_string(code) + " ";
	}
	INFO(rounds << " rounds: " << joined << " joined, " << refused << " refused (ESRCH)");
	CHECK(bad.empty());
	CHECK(joined > 0);
	CHECK(base.settle() == "");
}

TEST_CASE("many threads on the stash's fast path while drop_caches prunes", "[races][nstreefs]")
{
	REQUIRE_ROOT();
	Baseline base;
	long long hits0 = module_stat("fast_hits");
	Child holder = spawn_holder(CLONE_NEWNET);
	REQUIRE(holder.pid() > 0);
	uint64_t id = id_of(open_path(ns_path(holder.pid(), "net")).get());
	REQUIRE(id > 8);
	std::atomic<bool> stop{false};
	std::atomic<long> opens{0}, wrong{0};
	std::vector<std::thread> threads;
	for (int t = 0; t < 6; t++) {
		threads.emplace_back([&, t]() {
			std::vector<nstree::Fd> held;
			for (unsigned i = 0; !stop; i++) {
				auto fd = ctl().open_id(id);
				if (!fd || id_of(fd->get()) != id) {
					wrong++;
					continue;
				}
				opens++;
				// Some threads keep a few for a while: the dentry lives, then dies.
				if (t % 2 && held.size() < 4)
					held.push_back(std::move(*fd));
				else if (t % 2 && i % 16 == 0)
					held.clear();
			}
		});
	}
	threads.emplace_back([&]() {
		while (!stop) {
			int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
			if (fd >= 0) {
				(void)!write(fd, "2\n", 2);
				close(fd);
			}
			usleep(5000);
		}
	});
	std::this_thread::sleep_for(bounded(8, 120));
	stop = true;
	for (auto &th : threads)
		th.join();
	INFO(opens << " opens");
	CHECK(wrong == 0);
	CHECK(opens > 0);
	CHECK(module_stat("fast_hits") > hits0);
	holder = Child();
	CHECK(base.settle() == "");
}

TEST_CASE("a listing killed half way, while namespaces come and go and buffers fault", "[races][listns]")
{
	REQUIRE_ROOT();
	Baseline base;
	std::atomic<bool> stop{false};
	std::thread churn([&]() {
		while (!stop)
			Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC);
	});
	for (int round = 0; round < int(campaign_count(6, 60)); round++) {
		Child lister = fork_child([]() {
			// Two pages: writable, then PROT_NONE; listings of every size into it.
			char *map = static_cast<char *>(
				mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
			if (map == MAP_FAILED || mprotect(map + 4096, 4096, PROT_NONE))
				return 1;
			for (unsigned i = 0;; i++) {
				auto req = make_req(i % 5 ? 0 : 8, i % 3 ? 0 : CLONE_NEWUTS);
				size_t nr = 1 + i % 1100;
				auto *ids = reinterpret_cast<uint64_t *>(map + 4096 - 8 * std::min<size_t>(nr, 300));
				long n = listns_raw(&req, ids, nr);
				if (n < 0 && n != -EFAULT && n != -ENOENT && n != -EINTR)
					return 2;
			}
		});
		REQUIRE(lister.pid() > 0);
		usleep(200000 + round * 50000);
		REQUIRE(kill(lister.pid(), SIGKILL) == 0);
		int st = lister.wait(std::chrono::seconds(10)); // -1: it did not die
		INFO("round " << round);
		REQUIRE(st != -1);
		CHECK(WIFSIGNALED(st));
	}
	stop = true;
	churn.join();
	CHECK(base.settle() == "");
}

TEST_CASE("PROCS and CMDLINES while many processes exec and exit", "[races][procs]")
{
	REQUIRE_ROOT();
	Baseline base;
	std::vector<Child> busy;
	for (int i = 0; i < 16; i++) {
		busy.push_back(fork_child([]() -> int {
			for (;;) {
				pid_t p = fork();
				if (p == 0) {
					execl("/bin/true", "true", "an argument", static_cast<char *>(nullptr));
					_exit(0);
				}
				if (p > 0)
					waitpid(p, nullptr, 0);
			}
		}));
	}
	auto deadline = Clock::now() + bounded(8, 120);
	long calls = 0;
	std::string bad;
	while (Clock::now() < deadline) {
		auto table = ctl().procs();
		if (!table) {
			bad += "procs: " + table.error().str() + "; ";
			break;
		}
		std::set<uint32_t> pids;
		std::vector<pid_t> asked;
		for (const auto &p : *table) {
			if (!p.pid || !pids.insert(p.pid).second)
				bad += "a row with pid " + std::to_string(p.pid) + "; ";
			asked.push_back(pid_t(p.pid));
		}
		auto lines = ctl().cmdlines(asked, 256);
		if (!lines)
			bad += "cmdlines: " + lines.error().str() + "; ";
		else if (lines->size() != asked.size())
			bad += "cmdlines: wrong count; ";
		else
			for (const auto &l : *lines)
				if (l.size() > 256)
					bad += "a command line longer than asked; ";
		calls++;
		if (bad.size() > 1000)
			break;
	}
	busy.clear();
	INFO(calls << " rounds");
	CHECK(bad.empty());
	CHECK(calls > 0);
	CHECK(base.settle() == "");
}
