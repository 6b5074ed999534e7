// SPDX-License-Identifier: GPL-2.0
// nstree-bench: benchmarks that run in the guest and print ratios against a peer
// measured in the same run. Timing is best of several rounds (least disturbed).
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "module_stats.hpp"

namespace bench {

// Runs @op @n times per round, @rounds rounds; returns the best ns per op.
inline double best_ns_per_op(int n, int rounds, const std::function<void()> &op)
{
	double best = 1e18;
	for (int r = 0; r < rounds; r++) {
		auto t0 = std::chrono::steady_clock::now();
		for (int i = 0; i < n; i++)
			op();
		double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / n;
		if (ns < best)
			best = ns;
	}
	return best;
}

inline void row(const std::string &name, double value, const char *unit)
{
	std::printf("  %-58s %12.1f %s\n", name.c_str(), value, unit);
}

inline void ratio(const std::string &name, double ours, double peer, double goal)
{
	std::printf("  %-58s %12.2fx  (goal <= %.2fx: %s)\n", name.c_str(), ours / peer, goal,
		    ours / peer <= goal ? "met" : "NOT met");
}

// A ratio @r that should be at least @goal.
inline void ratio_at_least(const std::string &name, double r, double goal)
{
	std::printf("  %-58s %12.2fx  (goal >= %.2fx: %s)\n", name.c_str(), r, goal, r >= goal ? "met" : "NOT met");
}

// A ratio, or a value in @unit, printed for the record beside the judged ones.
inline void record_ratio(const std::string &name, double r)
{
	std::printf("  %-58s %12.2fx  (goal none, for the record: not judged here)\n", name.c_str(), r);
}

inline void record_value(const std::string &name, double value, const char *unit)
{
	std::printf("  %-58s %12.1f %s  (goal none, for the record: not judged here)\n", name.c_str(), value, unit);
}

using nstree::module_stat; // counters from /sys/kernel/debug/nstree/stats

// A full paginated walk of every namespace, through listns(2) (@native: the system
// call, the kernel's or the module's under nstree compat) or NSTREE_IOC_LISTNS on
// @ctl, in pages of @page; returns the number of IDs seen.
size_t walk(int ctl, bool native, size_t page);

// Loads the guest's module (NSTREE_KO, as its init loads it) with @params, or
// unloads it (waiting a little for namespace deaths still on their way).
bool module_set(bool loaded, const char *params = "");

int bench_open();    // open by ID vs /proc, the stash under 100,000 opens
int bench_listns();  // full walks vs lsns; per-ID cost by page size
int bench_handles(); // open_by_handle_at vs open by ID vs /proc
int bench_cli();     // nstree ls per backend vs lsns
int bench_cli_phases(); // where nstree ls spends its time, per backend (not in the default run)
int bench_proc_walk();  // the /proc walk's calls: io_uring, one by one, threads (not default)
int bench_bulk();       // the module's bulk calls one by one, the process table in shards (not default)
int bench_orphans();    // nstree orphans vs lsof -n + findmnt per mount namespace
int bench_scaling();    // listing time by namespace count; memory per tracked namespace
int bench_create();     // namespace creation with the module unloaded and loaded
int bench_watch_native(); // what nstree watch costs without the module (BPF; kernels with listns)
int bench_compat();  // listns(2) through nstree compat vs the ioctl; the layer's cost to other calls

// @n children that each unshare uts+ipc and pause: 2 namespaces each. The constructor
// returns once all have unshared; the destructor kills them and, with the module,
// waits until their namespaces have died.
class Holders {
public:
	explicit Holders(int n);
	~Holders();
	Holders(const Holders &) = delete;
	Holders &operator=(const Holders &) = delete;
	const std::vector<pid_t> &pids() const { return pids_; }
	void kill_one(); // kills and reaps the last one

private:
	std::vector<pid_t> pids_;
	long long tracked_before_; // the module's tracked namespaces before, or -1
};

// Runs @argv (argv[0] a full path) with stdout to /dev/null; its exit status, or -1.
int run_quiet(const std::vector<std::string> &argv);

} // namespace bench
