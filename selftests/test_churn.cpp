// SPDX-License-Identifier: GPL-2.0
// Churn: 1,000 cycles of namespace sets (every type, user namespaces nested two
// deep) born and killed while other threads list and open. Afterwards the tracked
// count, the live dentries, the listing and the initial pid namespace's count are
// back where they started; kmemleak (debug kernel) reports nothing at the end of
// the run. NSTREE_CAMPAIGN=long: 20,000 cycles.
#include <catch2/catch_test_macros.hpp>
#include <atomic>
#include <thread>
#include <unistd.h>
#include <vector>

#include "harness.hpp"
#include "listns_util.hpp"

using namespace selftest;

namespace {

// The sets the cycles go through; network namespaces (slow to make under TCG) in one
// cycle of four.
constexpr int kSets[] = {
	CLONE_NEWUTS | CLONE_NEWIPC,
	CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP,
	CLONE_NEWNS | CLONE_NEWTIME | CLONE_NEWUTS,
	CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUSER,
};

// A child two user namespaces deep, with namespaces of @flags owned by the inner one.
Child nested_holder(int flags)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return Child();
	Child c = fork_child(
		[&]() {
			close(p[0]);
			if (unshare(CLONE_NEWUSER) != 0 || !write_id_maps(getpid(), 0, 0, 0, 0))
				return 1;
			if (flags && unshare(flags) != 0)
				return 2;
			char ok = 1;
			if (write(p[1], &ok, 1) != 1)
				return 3;
			for (;;)
				pause();
		},
		CLONE_NEWUSER);
	close(p[1]);
	char ok = 0;
	if (read(p[0], &ok, 1) != 1)
		c = Child();
	close(p[0]);
	return c;
}

} // namespace

TEST_CASE("churn: 1,000 cycles of namespace sets while others list and open, then back to baseline", "[churn]")
{
	REQUIRE_ROOT();
	const long cycles = campaign_count(1000, 20000);
	auto baseline_ids = list_ids();
	Baseline base;
	std::atomic<bool> stop{false};
	std::atomic<long> listings{0}, opens{0}, failures{0};
	std::vector<std::thread> others;
	for (int t = 0; t < 2; t++) {
		others.emplace_back([&, t]() {
			for (unsigned i = t; !stop; i++) {
				auto ids = list_ids(0, 0, 1 + i % 64);
				listings++;
				for (size_t j = i % 7; j < ids.size(); j += 7) {
					auto fd = ctl().open_id(ids[j], i % 2 ? nstree::NsFdKind::nsfs
									      : nstree::NsFdKind::nstreefs);
					if (fd)
						opens++;
					else if (fd.error().code != ENOENT)
						failures++;
				}
			}
		});
	}
	long made = 0;
	for (long i = 0; i < cycles; i++) {
		int set = kSets[i % 4];
		// Every fifth cycle nests its user namespaces (no pid namespace there: it
		// would need a process of its own inside).
		Child c = i % 5 == 4 ? nested_holder(set & ~(CLONE_NEWUSER | CLONE_NEWPID)) : spawn_holder(set);
		made += c.pid() > 0;
		if (i % 10 == 9)
			usleep(1000); // let the listers in
	}
	stop = true;
	for (auto &th : others)
		th.join();
	INFO(made << " of " << cycles << " cycles; " << listings << " listings, " << opens << " opens");
	CHECK(made == cycles);
	CHECK(failures == 0);
	CHECK(listings > 0);
	CHECK(base.settle(30) == ""); // net namespaces die from a work item, slowly
	std::vector<uint64_t> ids;
	for (int i = 0; i < 500 && (ids = list_ids()) != baseline_ids; i++)
		usleep(10000);
	CHECK(ids == baseline_ids);
}
