// SPDX-License-Identifier: GPL-2.0
// The module's debugfs counters, for the selftests and benchmarks (the tools never
// read them).
#pragma once

#include <string>

namespace nstree {

// A counter from /sys/kernel/debug/nstree/stats ("tracked", "dentries"...), or -1.
long long module_stat(const std::string &name);

} // namespace nstree
