// SPDX-License-Identifier: GPL-2.0
// nstree-bench [NAME...]: run the named benchmarks (default: all).
#include <cstring>

#include "bench.hpp"


int main(int argc, char **argv)
{
	struct {
		const char *name;
		int (*run)();
	} benches[] = {
		{"open", bench::bench_open},
		{"handles", bench::bench_handles},
		{"listns", bench::bench_listns},
		{"cli", bench::bench_cli},
	};
	int rc = 0;
	for (const auto &b : benches) {
		bool wanted = argc < 2;
		for (int i = 1; i < argc; i++)
			wanted |= std::strcmp(argv[i], b.name) == 0;
		if (wanted)
			rc |= b.run();
	}
	return rc;
}
