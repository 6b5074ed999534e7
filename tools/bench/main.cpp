// SPDX-License-Identifier: GPL-2.0
// nstree-bench [NAME...]: run the named benchmarks (default: all but the diagnostic ones).
#include <cstring>

#include "bench.hpp"


int main(int argc, char **argv)
{
	struct {
		const char *name;
		int (*run)();
		bool by_default;
	} benches[] = {
		{"open", bench::bench_open, true},
		{"handles", bench::bench_handles, true},
		{"listns", bench::bench_listns, true},
		{"cli", bench::bench_cli, true},
		{"cli-phases", bench::bench_cli_phases, false},
		{"proc-walk", bench::bench_proc_walk, false},
		{"bulk", bench::bench_bulk, false},
		{"orphans", bench::bench_orphans, true},
		{"scaling", bench::bench_scaling, true},
		{"create", bench::bench_create, true},
		{"watch-native", bench::bench_watch_native, false},
		{"compat", bench::bench_compat, true},
	};
	int rc = 0;
	for (const auto &b : benches) {
		bool wanted = argc < 2 && b.by_default;
		for (int i = 1; i < argc; i++)
			wanted |= std::strcmp(argv[i], b.name) == 0;
		if (wanted)
			rc |= b.run();
	}
	return rc;
}
