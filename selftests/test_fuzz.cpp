// SPDX-License-Identifier: GPL-2.0
// A structure-aware fuzzer of every ioctl on /dev/nstree and on nstreefs files, of
// open_by_handle_at() on nstreefs, and of the upstream API layer's entry points
// (listns(2) under nstree compat's filter, 6.19's ioctls on the kernel's nsfs files,
// name_to_handle_at() of nsfs files, open_by_handle_at(FD_NSFS_ROOT)): each call starts from a valid request and
// takes a few mutations (sizes from 0 to past a page, reserved fields, flag bits,
// IDs live and dead and made up, every kind of fd, NULL / unmapped / read-only /
// PROT_NONE / kernel / page-straddling pointers, huge counts). It runs as root, as
// nobody, as root of a user namespace and as root of a child pid namespace, with a
// fixed seed and a bounded count (NSTREE_CAMPAIGN=long: many more).
//
// What fails a run: a splat (the harness reads dmesg), a call that succeeds although
// a mutation made its request invalid, an errno the interface does not document, an
// fd that is not a namespace of the caller's own when the caller may not see all,
// and counts (fds, dentries, tracked entries, the initial pid namespace's count)
// that do not come back.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "compat_filter.hpp"
#include "fuzz_kit.hpp"
#include "harness.hpp"
#include "listns_util.hpp"

using namespace selftest;
using namespace selftest::fuzz;

namespace {

struct Totals {
	long calls = 0;
	Violations v;
};

// One caller's run: @n calls from @seed.
Totals fuzz_as_caller(uint64_t seed, long n, const std::vector<uint64_t> &foreign, const std::vector<pid_t> &pids,
	    bool see_all)
{
	Totals t;
	Memory m;
	if (!m.ok()) {
		t.v.add("mmap failed");
		return t;
	}
	World w = make_world(foreign, pids, see_all);
	// listns(2) too, as the module answers it under nstree compat's filter.
	w.trapped = nstree::module_answers_listns_traps().ok() && nstree::trap_listns_for_module().ok();
	if (w.ctl < 0) {
		t.v.add("cannot open /dev/nstree");
		return t;
	}
	Rng rng(seed);
	using Fn = void (*)(Rng &, World &, Memory &, Violations &);
	static const Fn fns[] = {fuzz_version, fuzz_ns_id,	 fuzz_open,	    fuzz_open, fuzz_listns,
				 fuzz_listns,  fuzz_open_handle, fuzz_open_handle, fuzz_bulk, fuzz_unknown_cmd,
				 fuzz_nstreefs, fuzz_nstreefs,	 fuzz_open_by_handle, fuzz_nsfs,	    fuzz_nsfs,
				 fuzz_name_to_handle};
	int fds0 = open_fd_count();
	for (long i = 0; i < n; i++) {
		fns[rng.below(sizeof(fns) / sizeof(fns[0]))](rng, w, m, t.v);
		t.calls++;
		if (i % 256 == 0)
			heartbeat();
	}
	if (open_fd_count() != fds0)
		t.v.add("fds leaked: " + std::to_string(open_fd_count() - fds0));
	return t;
}

} // namespace

TEST_CASE("fuzzing every ioctl and open_by_handle_at as four callers", "[fuzz][privilege]")
{
	REQUIRE_ROOT();
	const long n = campaign_count(25000, 1000000);
	// Others' namespaces, live and dead, for the IDs the callers try.
	std::vector<Child> others;
	for (int flags : {CLONE_NEWNET | CLONE_NEWUTS, CLONE_NEWUSER | CLONE_NEWIPC, CLONE_NEWPID | CLONE_NEWCGROUP})
		others.push_back(spawn_holder(flags));
	std::vector<uint64_t> foreign;
	for (auto &c : others)
		for (const auto &t : kNsTypes)
			if (uint64_t id = id_of(open_path(ns_path(c.pid(), t.name)).get()))
				foreign.push_back(id);
	{
		Child dead = spawn_holder(CLONE_NEWUTS);
		foreign.push_back(id_of(open_path(ns_path(dead.pid(), "uts")).get()));
	}
	std::vector<pid_t> pids = list_pids();
	Baseline base;
	uint64_t seed = 0x6e73747265650001ULL;
	for (Caller who : kCallers) {
		std::string found = run_as(who, [&]() {
			Totals t = fuzz_as_caller(seed, n, foreign, pids, who == Caller::root);
			if (t.calls != n)
				return "stopped after " + std::to_string(t.calls) + " calls";
			return t.v.count ? std::to_string(t.v.count) + " violations; the first: " + t.v.first : "";
		});
		INFO(caller_name(who) << ", " << n << " calls from seed " << seed << ": " << found);
		CHECK(found.empty());
		seed++;
	}
	others.clear();
	CHECK(base.settle() == "");
}
