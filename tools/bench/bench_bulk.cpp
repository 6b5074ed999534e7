// SPDX-License-Identifier: GPL-2.0
// bulk (diagnostic): the module's bulk calls one by one at 5,000 processes, as
// nstree ls makes them: the process table whole and in shards (one thread each),
// the listing, and the facts of every listed ID. Says which one the listing waits for.
#include <thread>
#include <vector>

#include "bench.hpp"
#include "module_client.hpp"
#include "parallel.hpp"

namespace bench {

int bench_bulk()
{
	std::printf("bulk: the module's bulk calls at 5,000 processes (best of 5)\n");
	auto client = nstree::ModuleClient::open();
	if (!client) {
		std::printf("  no module: %s\n", client.error().str().c_str());
		return 1;
	}
	Holders holders(5000);
	auto ms = [](const std::function<void()> &op) { return best_ns_per_op(1, 5, op) / 1e6; };
	row("NSTREE_IOC_PROCS, whole", ms([&] { (void)client->procs(); }), "ms");
	for (uint32_t shards : {2u, 4u})
		row("NSTREE_IOC_PROCS, " + std::to_string(shards) + " shards at once", ms([&] {
			    nstree::run_parts(shards, [&](size_t p) { (void)client->procs(uint32_t(p), shards); });
		    }),
		    "ms");
	std::vector<uint64_t> ids;
	row("NSTREE_IOC_LISTNS, all", ms([&] {
		    if (auto l = client->list_all({}))
			    ids = std::move(*l);
	    }),
	    "ms");
	row("NSTREE_IOC_NS_INFO, " + std::to_string(ids.size()) + " IDs", ms([&] { (void)client->ns_info(ids); }), "ms");
	std::vector<pid_t> pids = holders.pids();
	row("NSTREE_IOC_CMDLINES, " + std::to_string(pids.size()) + " pids", ms([&] { (void)client->cmdlines(pids, 4096); }),
	    "ms");
	return 0;
}

} // namespace bench
