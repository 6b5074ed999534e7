// SPDX-License-Identifier: GPL-2.0
// The CLI against lsns: wall time of `nstree ls` (default columns) with each backend
// this kernel offers, and of `lsns` (default columns), in the same guest, with 1,000
// processes / 2,000 namespaces and 5,000 / 10,000. Goal: the module and native
// backends at least 30x faster than lsns at 10,000; the /proc fallback faster.
#include <string>
#include <unistd.h>
#include <vector>

#include "backend.hpp"
#include "bench.hpp"

namespace bench {
namespace {

// Best wall time of @argv over @rounds runs, in ns; -1 when it failed.
double time_command(const std::vector<std::string> &argv, int rounds)
{
	int rc = 0;
	double ns = best_ns_per_op(1, rounds, [&]() { rc |= run_quiet(argv); });
	return rc == 0 ? ns : -1;
}

} // namespace

int bench_cli()
{
	const std::string nstree = "/nstree/bin/nstree";
	bool native = nstree::kernel_has_listns();
	bool module = access("/dev/nstree", F_OK) == 0;
	std::vector<std::string> backends;
	if (native)
		backends.push_back("native");
	if (module)
		backends.push_back("module");
	backends.push_back("proc");

	std::printf("cli: nstree ls (default columns) per backend against lsns (default columns)\n");
	int rc = 0;
	for (int procs : {1000, 5000}) {
		auto pids = fork_holders(procs);
		usleep(200000);
		std::string tag = std::to_string(procs) + " processes: ";
		double lsns = time_command({"/usr/bin/lsns"}, 3);
		row(tag + "lsns", lsns / 1e6, "ms");
		for (const auto &b : backends) {
			double ours = time_command({nstree, "ls", "--backend", b}, 3);
			if (ours < 0) {
				std::printf("  %-58s failed\n", (tag + "nstree ls --backend " + b).c_str());
				rc = 1;
				continue;
			}
			row(tag + "nstree ls --backend " + b, ours / 1e6, "ms");
			double goal = b == "proc" ? 1 : 30;
			bool judged = procs >= 5000 || b == "proc";
			double speedup = lsns / ours;
			std::printf("  %-58s %12.1fx  (goal >= %.0fx%s: %s)\n",
				    (tag + "lsns / nstree ls --backend " + b).c_str(), speedup, goal,
				    b == "proc" ? "" : " at 5,000 processes",
				    !judged ? "not judged here" : speedup >= goal ? "met" : "NOT met");
			std::printf("RESULT cli %s_%d %.1f\n", b.c_str(), procs, speedup);
		}
		kill_all(pids);
	}
	return rc;
}

} // namespace bench
