// SPDX-License-Identifier: GPL-2.0
// What the loaded module costs the host: the rate of namespace creation (a child
// that unshares CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC and exits; a clone3()
// child with every namespace flag that exits at once) with the module unloaded,
// loaded, loaded with one `nstree watch` stream and with eight, all in one guest
// run; what the loaded module costs lsns; and how long an event takes from
// unshare() returning to a watcher reading it (Documentation/watch.md).
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.hpp"
#include "fd.hpp"
#include "module_client.hpp"
#include "watch_stream.hpp"
#include "watchers.hpp"

namespace bench {
namespace {

constexpr int kLsnsProcesses = 500;
constexpr int kRounds = 3;

// A stream as `nstree watch` opens it (activity and the present walk), from the module.
nstree::Result<std::unique_ptr<nstree::WatchSource>> module_stream(const nstree::WatchOptions &o)
{
	auto module = nstree::ModuleClient::open();
	if (!module)
		return module.error();
	auto s = nstree::WatchStream::open(*module, o);
	if (!s)
		return s.error();
	return std::unique_ptr<nstree::WatchSource>(std::make_unique<nstree::WatchStream>(std::move(*s)));
}

// One lsns run, in ms.
double lsns_ms()
{
	return best_ns_per_op(1, 1, []() {
		       if (std::system("lsns > /dev/null 2>&1") != 0)
			       std::fprintf(stderr, "bench create: lsns failed\n");
	       }) / 1e6;
}

} // namespace

int bench_create()
{
	std::printf("create: namespace creation and lsns, module unloaded, loaded, loaded with 1 and 8 watchers\n");
	if (!module_set(false)) {
		std::fprintf(stderr, "bench create: cannot unload nstree (something holds it)\n");
		return 1;
	}
	Holders procs(kLsnsProcesses);
	// The four settings take turns, round after round, and each keeps its best: under
	// TCG a machine's speed drifts over a minute more than the module costs.
	double unloaded = 0, loaded = 0, one = 0, eight = 0;
	double clone_unloaded = 0, clone_loaded = 0, clone_one = 0, clone_eight = 0;
	double lsns_unloaded = 1e18, lsns_loaded = 1e18;
	for (int round = 0; round < kRounds; round++) {
		if (!module_set(false)) {
			std::fprintf(stderr, "bench create: cannot unload nstree (something holds it)\n");
			return 1;
		}
		unloaded = std::max(unloaded, unshare_rate());
		clone_unloaded = std::max(clone_unloaded, clone_all_rate());
		lsns_unloaded = std::min(lsns_unloaded, lsns_ms());
		if (!module_set(true)) {
			std::fprintf(stderr, "bench create: cannot load nstree again\n");
			return 1;
		}
		loaded = std::max(loaded, unshare_rate());
		clone_loaded = std::max(clone_loaded, clone_all_rate());
		lsns_loaded = std::min(lsns_loaded, lsns_ms());
		{
			Watchers w(1, module_stream);
			if (w.size() != 1) {
				std::fprintf(stderr, "bench create: cannot open a watch stream\n");
				return 1;
			}
			one = std::max(one, unshare_rate());
			clone_one = std::max(clone_one, clone_all_rate());
		}
		{
			Watchers w(8, module_stream);
			eight = std::max(eight, unshare_rate());
			clone_eight = std::max(clone_eight, clone_all_rate());
		}
	}
	int early = 0;
	auto lat = event_latencies_us(200, &early, module_stream);

	row("unshare(NET|UTS|IPC) + exit, module unloaded", unloaded, "/s");
	row("unshare(NET|UTS|IPC) + exit, module loaded", loaded, "/s");
	row("unshare(NET|UTS|IPC) + exit, loaded, 1 watcher", one, "/s");
	row("unshare(NET|UTS|IPC) + exit, loaded, 8 watchers", eight, "/s");
	row("clone3(all 8 types) + exit, module unloaded", clone_unloaded, "/s");
	row("clone3(all 8 types) + exit, module loaded", clone_loaded, "/s");
	row("clone3(all 8 types) + exit, loaded, 1 watcher", clone_one, "/s");
	row("clone3(all 8 types) + exit, loaded, 8 watchers", clone_eight, "/s");
	row("lsns, " + std::to_string(kLsnsProcesses) + " processes, module unloaded", lsns_unloaded, "ms");
	row("lsns, " + std::to_string(kLsnsProcesses) + " processes, module loaded", lsns_loaded, "ms");
	row("event latency, unshare() returning to the event read, median", percentile(lat, 0.5), "us");
	row("event latency, p99 (" + std::to_string(lat.size()) + " events, " + std::to_string(early) +
		    " read before unshare() returned)",
	    percentile(lat, 0.99), "us");
	record_ratio("loaded, no watcher / unloaded (unshare)", loaded / unloaded);
	ratio_at_least("1 watcher / unloaded (unshare)", one / unloaded, 0.95);
	ratio_at_least("1 watcher / unloaded (clone3)", clone_one / clone_unloaded, 0.95);
	record_ratio("8 watchers / unloaded (unshare)", eight / unloaded);
	record_ratio("lsns time, module loaded / unloaded", lsns_loaded / lsns_unloaded);
	record_value("event latency, unshare() to read, median", percentile(lat, 0.5), "us");
	record_value("event latency, unshare() to read, p99", percentile(lat, 0.99), "us");
	std::printf("RESULT create loaded_over_unloaded %.3f\n", loaded / unloaded);
	std::printf("RESULT create watcher_over_unloaded %.3f\n", one / unloaded);
	std::printf("RESULT create clone_watcher_over_unloaded %.3f\n", clone_one / clone_unloaded);
	std::printf("RESULT create eight_watchers_over_unloaded %.3f\n", eight / unloaded);
	std::printf("RESULT create lsns_loaded_over_unloaded %.3f\n", lsns_loaded / lsns_unloaded);
	std::printf("RESULT create event_latency_median_us %.1f\n", percentile(lat, 0.5));
	std::printf("RESULT create event_latency_p99_us %.1f\n", percentile(lat, 0.99));
	return 0;
}

} // namespace bench
