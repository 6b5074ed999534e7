// SPDX-License-Identifier: GPL-2.0
// The /proc walk's system calls, three ways, at 5,000 processes: the statx of each
// process's 8 namespace links batched through io_uring (StatxBatch), the same one by
// one, and one by one split over every online CPU; and the cmdline reads one by one
// and split. A diagnostic (not in the default run): it decides how libnstree walks.
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "bench.hpp"
#include "ns_type.hpp"
#include "statx_batch.hpp"

namespace bench {
namespace {

std::vector<std::string> ns_paths(const std::vector<pid_t> &pids)
{
	std::vector<std::string> paths;
	for (pid_t p : pids)
		for (const auto &t : nstree::kNsTypes)
			paths.push_back("/proc/" + std::to_string(p) + "/ns/" + std::string(t.name));
	return paths;
}

void statx_range(const std::vector<std::string> &paths, size_t from, size_t to)
{
	struct statx stx;
	for (size_t i = from; i < to; i++)
		statx(AT_FDCWD, paths[i].c_str(), 0, STATX_INO, &stx);
}

void cmdline_range(const std::vector<pid_t> &pids, size_t from, size_t to)
{
	char buf[4096];
	for (size_t i = from; i < to; i++) {
		int fd = open(("/proc/" + std::to_string(pids[i]) + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) < 0)
			buf[0] = 0;
		close(fd);
	}
}

// statx of every path through one StatxBatch whose io-wq has at most @workers
// bounded and unbounded workers each (0: the kernel's default).
void statx_uring(const std::vector<std::string> &paths, unsigned workers)
{
	nstree::StatxBatch batch(workers);
	for (const auto &p : paths)
		batch.add(p, STATX_INO);
	batch.run();
}

// Runs @fn(from, to) over [0, @n) split evenly across @workers threads.
void split(size_t n, unsigned workers, const std::function<void(size_t, size_t)> &fn)
{
	std::vector<std::jthread> threads;
	for (unsigned w = 0; w < workers; w++)
		threads.emplace_back([&, w]() { fn(n * w / workers, n * (w + 1) / workers); });
}

} // namespace

int bench_proc_walk()
{
	unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
	std::printf("proc-walk: 5,000 processes, %u CPUs\n", cpus);
	Holders holders(5000);
	const auto &pids = holders.pids();
	auto paths = ns_paths(pids);
	std::string tag = std::to_string(paths.size()) + " namespace links: ";
	double uring = best_ns_per_op(1, 3, [&]() { statx_uring(paths, 0); });
	double plain = best_ns_per_op(1, 3, [&]() { statx_range(paths, 0, paths.size()); });
	double threaded = best_ns_per_op(
		1, 3, [&]() { split(paths.size(), cpus, [&](size_t a, size_t b) { statx_range(paths, a, b); }); });
	row(tag + "statx through io_uring", uring / 1e6, "ms");
	for (unsigned w : {1u, cpus, 4 * cpus})
		row(tag + "statx through io_uring, " + std::to_string(w) + " io-wq workers",
		    best_ns_per_op(1, 3, [&]() { statx_uring(paths, w); }) / 1e6, "ms");
	row(tag + "statx one by one", plain / 1e6, "ms");
	row(tag + "statx one by one, split over the CPUs", threaded / 1e6, "ms");
	double cmd = best_ns_per_op(1, 3, [&]() { cmdline_range(pids, 0, pids.size()); });
	double cmd_threaded = best_ns_per_op(
		1, 3, [&]() { split(pids.size(), cpus, [&](size_t a, size_t b) { cmdline_range(pids, a, b); }); });
	row("5,000 cmdline reads one by one", cmd / 1e6, "ms");
	row("5,000 cmdline reads split over the CPUs", cmd_threaded / 1e6, "ms");
	return 0;
}

} // namespace bench
