// SPDX-License-Identifier: GPL-2.0
// The CLI against lsns: wall time of `nstree ls` (default columns) with each backend
// this kernel offers, and of `lsns` (default columns), in the same guest, with 1,000
// processes / 2,000 namespaces and 5,000 / 10,000. Goal: the module and native
// backends at least 30x faster than lsns at 10,000; the /proc fallback faster.
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "backend.hpp"
#include "bench.hpp"

namespace bench {
namespace {

std::vector<std::string> available_backends()
{
	std::vector<std::string> backends;
	if (nstree::kernel_has_listns())
		backends.push_back("native");
	if (access("/dev/nstree", F_OK) == 0)
		backends.push_back("module");
	backends.push_back("proc");
	return backends;
}

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
	auto backends = available_backends();

	std::printf("cli: nstree ls (default columns) per backend against lsns (default columns)\n");
	int rc = 0;
	for (int procs : {1000, 5000}) {
		Holders holders(procs);
		std::string tag = std::to_string(procs) + " processes: ";
		double lsns = time_command({"/usr/bin/lsns"}, 1); // one run: see bench_listns.cpp
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
	}
	return rc;
}

// Where `nstree ls` spends its time at 5,000 processes / 10,000 namespaces: two runs
// (cold caches, then warm) per backend with NSTREE_DEBUG=timing, whose phase lines go to stderr.
int bench_cli_phases()
{
	std::printf("cli-phases: NSTREE_DEBUG=timing nstree ls per backend, 5,000 processes\n");
	Holders holders(5000);
	// What a run costs before and after any work: exec, dynamic linking, exit.
	row("start-up: busybox true", time_command({"/bin/busybox", "true"}, 3) / 1e6, "ms");
	row("start-up: nstree --help", time_command({"/nstree/bin/nstree", "--help"}, 3) / 1e6, "ms");
	setenv("NSTREE_DEBUG", "timing", 1);
	int rc = 0;
	for (const auto &b : available_backends()) {
		for (const char *run : {"first run", "second run"}) {
			std::printf("  backend %s, %s:\n", b.c_str(), run);
			std::fflush(stdout);
			double ns = time_command({"/nstree/bin/nstree", "ls", "--backend", b}, 1);
			rc |= ns < 0;
			row("wall time", ns / 1e6, "ms");
		}
	}
	unsetenv("NSTREE_DEBUG");
	return rc;
}

} // namespace bench
