// SPDX-License-Identifier: GPL-2.0
// nstree-bench [NAME...]: run the named benchmarks (default: all).
#include <cstring>
#include <fstream>

#include "bench.hpp"

namespace bench {

long long module_stat(const std::string &name)
{
	std::ifstream f("/sys/kernel/debug/nstree/stats");
	std::string key;
	long long value;
	while (f >> key >> value)
		if (key == name + ":")
			return value;
	return -1;
}

} // namespace bench

int main(int argc, char **argv)
{
	struct {
		const char *name;
		int (*run)();
	} benches[] = {
		{"open", bench::bench_open},
		{"handles", bench::bench_handles},
		{"listns", bench::bench_listns},
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
