// SPDX-License-Identifier: GPL-2.0
// Listing time against namespace count, 1,000 to 10,000, in one guest: the full walk
// (NSTREE_IOC_LISTNS with the module, listns(2) natively), `nstree ls` (default
// columns) and lsns (default columns). make bench plots these (bench/listing-time.png)
// and reports what one tracked namespace costs the module in memory.
#include <cerrno>
#include <cstring>
#include <memory>
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

constexpr long kSysListns = 470;

// Every ID by pages of 1,000; how many.
size_t full_walk(int ctl, bool native)
{
	std::vector<uint64_t> ids(1000);
	ns_id_req req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	size_t total = 0;
	for (;;) {
		long n;
		if (native) {
			n = syscall(kSysListns, &req, ids.data(), ids.size(), 0);
		} else {
			nstree_listns a;
			std::memset(&a, 0, sizeof(a));
			a.size = sizeof(a);
			a.req = reinterpret_cast<uintptr_t>(&req);
			a.ns_ids = reinterpret_cast<uintptr_t>(ids.data());
			a.nr_ns_ids = ids.size();
			n = ioctl(ctl, NSTREE_IOC_LISTNS, &a);
		}
		if (n <= 0)
			break;
		total += size_t(n);
		if (size_t(n) < ids.size())
			break;
		req.ns_id = ids[size_t(n) - 1];
	}
	return total;
}

// What one tracked namespace costs the module, from its debugfs counters.
void memory_per_namespace()
{
	long long entry = module_stat("entry_bytes"), slot = module_stat("id_slot_bytes");
	long long hash = module_stat("hash_bytes"), tracked = module_stat("tracked");
	if (entry < 0 || slot < 0 || hash < 0 || tracked <= 0)
		return;
	double per = double(entry + slot) + double(hash) / double(tracked);
	std::printf("memory: what one tracked namespace costs the module, at %lld tracked\n", tracked);
	row("entry (kmalloc's size for struct nstree_ns)", double(entry), "B");
	row("ID xarray slot (a 64-slot node's share, dense IDs)", double(slot), "B");
	row("inode hash buckets, shared", double(hash) / double(tracked), "B");
	std::printf("  %-58s %12.1f B  (goal <= 128 B, what upstream embeds: %s)\n", "per tracked namespace", per,
		    per <= 128 ? "met" : "NOT met");
	std::printf("RESULT memory bytes_per_ns %.1f\n", per);
}

} // namespace

int bench_scaling()
{
	bool native = nstree::kernel_has_listns();
	std::unique_ptr<nstree::ModuleClient> client;
	if (!native) {
		auto c = nstree::ModuleClient::open();
		if (!c) {
			std::fprintf(stderr, "bench scaling: %s\n", c.error().str().c_str());
			return 1;
		}
		client = std::make_unique<nstree::ModuleClient>(std::move(*c));
	}
	int ctl = client ? client->fd() : -1;
	const char *walk = native ? "listns(2) walk" : "module walk";
	std::printf("scaling: listing time by namespace count (%s, nstree ls, lsns)\n", walk);
	// Each holder adds two namespaces (uts, ipc); they are added batch by batch.
	std::vector<std::unique_ptr<Holders>> batches;
	int held = 0;
	for (int target : {1000, 2000, 4000, 6000, 8000, 10000}) {
		batches.push_back(std::make_unique<Holders>(target / 2 - held));
		held = target / 2;
		size_t n = full_walk(ctl, native);
		full_walk(ctl, native); // after the churn: the module's activity scan runs once
		double w = best_ns_per_op(1, 5, [&]() { full_walk(ctl, native); }) / 1e6;
		double ls = best_ns_per_op(1, 3, [&]() { run_quiet({"/nstree/bin/nstree", "ls"}); }) / 1e6;
		double lsns = best_ns_per_op(1, 1, [&]() { run_quiet({"/usr/bin/lsns"}); }) / 1e6;
		std::string tag = std::to_string(n) + " namespaces: ";
		row(tag + walk, w, "ms");
		row(tag + "nstree ls", ls, "ms");
		row(tag + "lsns", lsns, "ms");
		std::printf("RESULT scaling %s %zu %.3f\nRESULT scaling nstree_ls %zu %.3f\nRESULT scaling lsns %zu %.3f\n",
			    native ? "native_walk" : "module_walk", n, w, n, ls, n, lsns);
	}
	if (!native)
		memory_per_namespace();
	// Newest first: each batch waits for the module to see its own namespaces die.
	while (!batches.empty())
		batches.pop_back();
	return 0;
}

} // namespace bench
