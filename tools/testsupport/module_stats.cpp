// SPDX-License-Identifier: GPL-2.0
#include "module_stats.hpp"

#include <cstdlib>
#include <fstream>

namespace nstree {

long long module_stat(const std::string &name)
{
	// "name: value" lines; a few values are words ("hooks: ftrace"), not numbers.
	std::ifstream f("/sys/kernel/debug/nstree/stats");
	const std::string prefix = name + ": ";
	std::string line;
	while (std::getline(f, line)) {
		if (line.rfind(prefix, 0) != 0)
			continue;
		const char *start = line.c_str() + prefix.size();
		char *end = nullptr;
		long long value = std::strtoll(start, &end, 10);
		return end != start && *end == '\0' ? value : -1;
	}
	return -1;
}

} // namespace nstree
