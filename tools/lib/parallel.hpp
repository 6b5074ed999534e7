// SPDX-License-Identifier: GPL-2.0
// Work split over the CPUs, for the few loops that cost real time at 10,000
// namespaces (reading command lines, the BPF task iterator, laying out the table).
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace nstree {

// One part per CPU, at most @max.
inline size_t cpu_parts(size_t max = 8)
{
	return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, max);
}

// How many parts to split @items into: cpu_parts(), or one when there are fewer
// than @min_items (a thread would cost more than it saves).
inline size_t parallel_parts(size_t items, size_t min_items)
{
	return items < min_items ? 1 : cpu_parts();
}

// Runs @fn(part) for every part in [0, @parts): part 0 on the calling thread, each
// other on a thread of its own. Returns when all have finished.
template <typename Fn>
void run_parts(size_t parts, const Fn &fn)
{
	std::vector<std::jthread> others;
	for (size_t p = 1; p < parts; p++)
		others.emplace_back([&fn, p] { fn(p); });
	fn(0);
}

// The items [first, last) of part @p of @parts over @items.
inline std::pair<size_t, size_t> part_range(size_t items, size_t p, size_t parts)
{
	return {items * p / parts, items * (p + 1) / parts};
}

} // namespace nstree
