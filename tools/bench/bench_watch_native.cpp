// SPDX-License-Identifier: GPL-2.0
// What `nstree watch` costs the host on a kernel with listns(2) and no module (the
// sid guest), where its events come from BPF on the kernel's namespace tree
// (watch_native.hpp): the rates of bench_create.cpp, and of plain fork() + exit
// (every fork passes the traced active-reference functions), with no watcher,
// one and eight, in one guest run; and the event latency.
#include <algorithm>
#include <cstdio>

#include "bench.hpp"
#include "watch_native.hpp"
#include "watchers.hpp"

namespace bench {
namespace {

constexpr int kRounds = 3;

nstree::Result<std::unique_ptr<nstree::WatchSource>> native_stream(const nstree::WatchOptions &o)
{
	return nstree::open_native_watch(o);
}

} // namespace

int bench_watch_native()
{
	std::printf("watch-native: namespace creation and fork with no watcher, 1 and 8 (BPF, no module)\n");
	{
		auto probe = native_stream({});
		if (!probe) {
			std::fprintf(stderr, "bench watch-native: %s\n", probe.error().message.c_str());
			return 1;
		}
	}
	Holders procs(500);
	// The settings take turns, round after round, and each keeps its best (under TCG
	// a machine's speed drifts over a minute more than the programs cost).
	double none = 0, one = 0, eight = 0, clone_none = 0, clone_one = 0, fork_none = 0, fork_one = 0;
	for (int round = 0; round < kRounds; round++) {
		none = std::max(none, unshare_rate());
		clone_none = std::max(clone_none, clone_all_rate());
		fork_none = std::max(fork_none, fork_rate());
		{
			Watchers w(1, native_stream);
			if (w.size() != 1) {
				std::fprintf(stderr, "bench watch-native: cannot open a stream\n");
				return 1;
			}
			one = std::max(one, unshare_rate());
			clone_one = std::max(clone_one, clone_all_rate());
			fork_one = std::max(fork_one, fork_rate());
		}
		{
			Watchers w(8, native_stream);
			eight = std::max(eight, unshare_rate());
		}
	}
	int early = 0;
	auto lat = event_latencies_us(200, &early, native_stream);

	row("unshare(NET|UTS|IPC) + exit, no watcher", none, "/s");
	row("unshare(NET|UTS|IPC) + exit, 1 watcher", one, "/s");
	row("unshare(NET|UTS|IPC) + exit, 8 watchers", eight, "/s");
	row("clone3(all 8 types) + exit, no watcher", clone_none, "/s");
	row("clone3(all 8 types) + exit, 1 watcher", clone_one, "/s");
	row("fork + exit, no watcher", fork_none, "/s");
	row("fork + exit, 1 watcher", fork_one, "/s");
	row("event latency, unshare() returning to the event read, median", percentile(lat, 0.5), "us");
	row("event latency, p99 (" + std::to_string(lat.size()) + " events, " + std::to_string(early) +
		    " read before unshare() returned)",
	    percentile(lat, 0.99), "us");
	ratio_at_least("1 watcher / none (unshare)", one / none, 0.95);
	ratio_at_least("1 watcher / none (clone3)", clone_one / clone_none, 0.95);
	record_ratio("1 watcher / none (fork)", fork_one / fork_none);
	record_ratio("8 watchers / none (unshare)", eight / none);
	std::printf("RESULT watch-native watcher_over_none %.3f\n", one / none);
	std::printf("RESULT watch-native clone_watcher_over_none %.3f\n", clone_one / clone_none);
	std::printf("RESULT watch-native fork_watcher_over_none %.3f\n", fork_one / fork_none);
	std::printf("RESULT watch-native eight_watchers_over_none %.3f\n", eight / none);
	std::printf("RESULT watch-native event_latency_median_us %.1f\n", percentile(lat, 0.5));
	std::printf("RESULT watch-native event_latency_p99_us %.1f\n", percentile(lat, 0.99));
	return 0;
}

} // namespace bench
