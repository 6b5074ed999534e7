// SPDX-License-Identifier: GPL-2.0
// Namespaces that die while their IDs are being looked up and opened. Run on the
// debug kernel, KASAN, lockdep and kmemleak judge this; on every kernel the counts
// must come back.
#include <catch2/catch_test_macros.hpp>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;
using Clock = std::chrono::steady_clock;

TEST_CASE("namespaces dying under concurrent lookups and opens", "[lifetime][concurrency]")
{
	REQUIRE_ROOT();
	long long dentries0 = module_stat("dentries");
	long long deaths0 = module_stat("deaths");
	long long tracked0 = module_stat("tracked");

	// The churn thread publishes the IDs of short-lived namespaces here.
	std::array<std::atomic<uint64_t>, 64> recent{};
	std::atomic<bool> stop{false};
	std::atomic<long> created{0}, opened{0}, gone{0}, other{0};

	const int children = 20; // 60 namespaces, each dying under the lookers
	std::thread churn([&]() {
		for (int i = 0; i < children; i++) {
			Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP);
			if (c.pid() <= 0)
				continue;
			for (const char *name : {"uts", "ipc", "cgroup"}) {
				auto fd = open_path(ns_path(c.pid(), name));
				if (uint64_t id = id_of(fd.get()))
					recent[created++ % recent.size()] = id;
			}
			// ~Child kills it: its namespaces die while the others look them up.
		}
		stop = true;
	});
	// Bounded: the churn normally ends first (a few seconds, a minute under KASAN).
	auto deadline = Clock::now() + std::chrono::seconds(120);
	std::vector<std::thread> lookers;
	for (int t = 0; t < 6; t++) {
		lookers.emplace_back([&, t]() {
			for (unsigned i = t; !stop && Clock::now() < deadline; i++) {
				uint64_t id = recent[i % recent.size()];
				if (!id)
					continue;
				auto kind = i % 2 ? nstree::NsFdKind::nsfs : nstree::NsFdKind::nstreefs;
				auto fd = ctl().open_id(id, kind);
				if (fd) {
					opened++;
					uint64_t back = id_of(fd->get());
					if (back != id)
						other++;
				} else if (fd.error().code == ENOENT) {
					gone++;
				} else {
					other++;
				}
			}
		});
	}
	churn.join();
	for (auto &th : lookers)
		th.join();

	INFO(created.load() << " namespaces created, " << opened.load() << " opened, " << gone.load()
			    << " found dead");
	CHECK(other == 0);
	CHECK(created == 3 * children);
	CHECK(opened > 0);
	CHECK(module_stat("dentries") == dentries0);
	CHECK(module_stat("deaths") > deaths0);
	// Retired entries are unhashed by a work item; ipc namespaces die from one too.
	long long tracked = -1;
	for (int i = 0; i < 200; i++) {
		tracked = module_stat("tracked");
		if (tracked <= tracked0 + 8)
			break;
		usleep(10000);
	}
	CHECK(tracked <= tracked0 + 8);
	CHECK(module_stat("dead_pending") == 0);
}
