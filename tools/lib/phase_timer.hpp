// SPDX-License-Identifier: GPL-2.0
// NSTREE_DEBUG=timing: how long each phase of a command took, on stderr.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nstree {

class PhaseTimer {
public:
	PhaseTimer()
	{
		const char *debug = std::getenv("NSTREE_DEBUG");
		on_ = debug && std::strstr(debug, "timing");
	}
	// Prints the time since the previous mark (or construction) under @phase.
	void mark(const char *phase)
	{
		auto now = std::chrono::steady_clock::now();
		if (on_)
			std::fprintf(stderr, "nstree: timing: %-16s %8.1f ms\n", phase,
				     std::chrono::duration<double, std::milli>(now - last_).count());
		last_ = now;
	}

private:
	bool on_;
	std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

} // namespace nstree
