// SPDX-License-Identifier: GPL-2.0
// Enumeration: a full walk of every namespace through NSTREE_IOC_LISTNS (or the
// native listns(2) on kernels that have it) against util-linux lsns in the same
// guest, with 1,000 processes / 2,000 namespaces and 5,000 / 10,000, and the
// per-ID cost of walks with pages of 1, 10 and 1,000.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "backend.hpp"
#include "bench.hpp"
#include "module_client.hpp"
#include "nstree.h"

namespace bench {
namespace {

constexpr long kSysListns = 470; // x86_64, kernels >= 6.19 (or the module, under nstree compat)

// One listns call through the native syscall or the module: count, or -errno.
long list_call(int ctl, bool native, const ns_id_req &req, uint64_t *ids, size_t nr)
{
	if (native) {
		long n = syscall(kSysListns, &req, ids, nr, 0);
		return n < 0 ? -errno : n;
	}
	nstree_listns a;
	std::memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.req = reinterpret_cast<uintptr_t>(&req);
	a.ns_ids = reinterpret_cast<uintptr_t>(ids);
	a.nr_ns_ids = nr;
	long n = ioctl(ctl, NSTREE_IOC_LISTNS, &a);
	return n < 0 ? -errno : n;
}

} // namespace

size_t walk(int ctl, bool native, size_t page)
{
	std::vector<uint64_t> ids(page);
	ns_id_req req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	size_t total = 0;
	for (;;) {
		long n = list_call(ctl, native, req, ids.data(), page);
		if (n <= 0)
			break;
		total += size_t(n);
		if (size_t(n) < page)
			break;
		req.ns_id = ids[size_t(n) - 1];
	}
	return total;
}

namespace {

double run_lsns()
{
	// One run: at 10,000 namespaces lsns takes 5-15 s, and make bench has 20 minutes.
	return best_ns_per_op(1, 1, []() { run_quiet({"/usr/bin/lsns", "-n", "-o", "NS,TYPE"}); });
}

} // namespace

int bench_listns()
{
	bool native = nstree::kernel_has_listns();
	int ctl = -1;
	nstree::Result<nstree::ModuleClient> client = nstree::Error{ENOENT, "unused"};
	if (!native) {
		client = nstree::ModuleClient::open();
		if (!client) {
			std::fprintf(stderr, "bench listns: %s\n", client.error().str().c_str());
			return 1;
		}
		ctl = client->fd();
	}
	const char *how = native ? "native listns(2)" : "NSTREE_IOC_LISTNS";
	std::printf("listns: full walks with %s against lsns -n -o NS,TYPE\n", how);
	for (int procs : {1000, 5000}) {
		Holders holders(procs);
		size_t n = walk(ctl, native, 1000);
		// The first walk after the churn pays for the module's activity scan.
		double first = best_ns_per_op(1, 1, [&]() { walk(ctl, native, 1000); });
		double cold = 0;
		if (!native) {
			holders.kill_one(); // one change: the next walk rescans
			cold = best_ns_per_op(1, 1, [&]() { walk(ctl, native, 1000); });
		}
		long long scans = native ? 0 : module_stat("scans");
		double warm = best_ns_per_op(1, 5, [&]() { walk(ctl, native, 1000); });
		scans = native ? 0 : module_stat("scans") - scans;
		double lsns = run_lsns();
		std::string tag = std::to_string(procs) + " processes, " + std::to_string(n) + " namespaces: ";
		row(tag + "walk, pages of 1,000", warm / 1e6, "ms");
		if (!native) {
			row(tag + "walk after a change (rescan)", cold / 1e6, "ms");
			row(tag + "activity scans during 5 unchanged walks", double(scans), "");
		}
		row(tag + "lsns", lsns / 1e6, "ms");
		std::printf("  %-58s %12.0fx  (goal >= 300x at 10,000: %s)\n", (tag + "lsns / walk").c_str(),
			    lsns / warm, procs < 5000 || lsns / warm >= 300 ? "met" : "NOT met");
		for (size_t page : {1, 10, 1000}) {
			double ns = best_ns_per_op(1, 3, [&]() { walk(ctl, native, page); }) / double(n);
			row(tag + "per ID, pages of " + std::to_string(page), ns, "ns");
			std::printf("RESULT %s per_id_page_%zu_%d %.1f\n", native ? "native" : "module", page, procs, ns);
		}
		(void)first;
	}
	return 0;
}

} // namespace bench
