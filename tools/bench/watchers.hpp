// SPDX-License-Identifier: GPL-2.0
// What the watch benchmarks share: the creation rates a watcher may slow, watchers
// that drain their streams on threads of their own, and event latency. The
// stream comes from an opener: the module's (bench_create.cpp) or BPF's
// (bench_watch_native.cpp).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "watch_stream.hpp"

namespace bench {

using StreamOpener =
	std::function<nstree::Result<std::unique_ptr<nstree::WatchSource>>(const nstree::WatchOptions &)>;

// Children per second, each unsharing NET, UTS and IPC and exiting, one at a time.
double unshare_rate();
// Children per second, each made by clone3() in all eight kinds of new namespace,
// exiting at once.
double clone_all_rate();
// Children per second that fork and exit, in no new namespace.
double fork_rate();

// @n streams as `nstree watch` opens them (activity and the present walk), each
// drained by a thread of its own for as long as the Watchers live.
class Watchers {
public:
	Watchers(int n, const StreamOpener &open);
	~Watchers();
	Watchers(const Watchers &) = delete;
	Watchers &operator=(const Watchers &) = delete;
	size_t size() const { return streams_.size(); }

private:
	std::vector<std::unique_ptr<nstree::WatchSource>> streams_;
	std::vector<std::thread> threads_;
	std::atomic<bool> stop_{false};
	std::atomic<size_t> events_{0};
};

// Microseconds from a child's unshare(CLONE_NEWUTS) returning to a watcher reading
// its `created`, over @n children; sorted. An event read before unshare() returned
// counts as 0, and *@early counts those.
std::vector<double> event_latencies_us(int n, int *early, const StreamOpener &open);

double percentile(const std::vector<double> &v, double p);

} // namespace bench
