// SPDX-License-Identifier: GPL-2.0
// Opening namespaces: by ID through the stash (a dentry already live) against
// open("/proc/self/ns/net"), and what 100,000 opens of one namespace cost.
#include <algorithm>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

#include "bench.hpp"
#include "module_client.hpp"

namespace bench {

int bench_open()
{
	auto client = nstree::ModuleClient::open();
	if (!client) {
		std::fprintf(stderr, "bench open: %s\n", client.error().str().c_str());
		return 1;
	}
	std::printf("open: one namespace, open + close, best of 5 rounds of 20,000\n");
	// Keep one nstreefs fd open so the stash has a live dentry: the fast path.
	auto keep = client->open_id(7);
	if (!keep) {
		std::fprintf(stderr, "bench open: %s\n", keep.error().str().c_str());
		return 1;
	}
	double by_id = best_ns_per_op(20000, 5, [&]() {
		auto fd = client->open_id(7);
		if (!fd)
			std::abort();
	});
	double by_proc = best_ns_per_op(20000, 5, [&]() {
		int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			std::abort();
		close(fd);
	});
	double by_id_nsfs = best_ns_per_op(20000, 5, [&]() {
		auto fd = client->open_id(7, nstree::NsFdKind::nsfs);
		if (!fd)
			std::abort();
	});
	row("NSTREE_IOC_OPEN by ID (nstreefs, stash hit)", by_id, "ns/op");
	row("NSTREE_IOC_OPEN by ID (bridged kernel nsfs fd)", by_id_nsfs, "ns/op");
	row("open(\"/proc/self/ns/net\")", by_proc, "ns/op");
	ratio("open by ID / open of /proc/self/ns/net", by_id, by_proc, 0.5);
	keep->reset();

	std::printf("open: 100,000 opens of one namespace, all kept open\n");
	struct rlimit lim = {100064, 100064};
	if (setrlimit(RLIMIT_NOFILE, &lim) < 0) {
		std::perror("setrlimit");
		return 1;
	}
	long long before = module_stat("dentries_allocated");
	std::vector<nstree::Fd> fds;
	fds.reserve(100000);
	std::vector<double> chunk_ns; // cost per open, per chunk of 1,000 opens
	auto t0 = std::chrono::steady_clock::now();
	for (int c = 0; c < 100; c++) {
		auto c0 = std::chrono::steady_clock::now();
		for (int i = 0; i < 1000; i++) {
			auto fd = client->open_id(7);
			if (!fd)
				std::abort();
			fds.push_back(std::move(*fd));
		}
		chunk_ns.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - c0).count() /
				   1000);
	}
	double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / 1e5;
	row("dentries allocated for 100,000 opens (goal 1)", double(module_stat("dentries_allocated") - before),
	    "dentries");
	row("cost per open, fds kept open", ns, "ns/op");
	// Flat cost: the median chunk of the last 10,000 opens against the first 10,000.
	auto median = [](std::vector<double> v) {
		std::sort(v.begin(), v.end());
		return v[v.size() / 2];
	};
	double first = median({chunk_ns.begin(), chunk_ns.begin() + 10});
	double last = median({chunk_ns.end() - 10, chunk_ns.end()});
	ratio("flat cost: last 10% of opens / first 10%", last, first, 1.5);
	return 0;
}

} // namespace bench
