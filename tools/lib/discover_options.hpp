// SPDX-License-Identifier: GPL-2.0
// What a listing is asked to hold: discover()'s options.
#pragma once

#include <cstdint>
#include <optional>
#include <sys/types.h>

namespace nstree {

struct DiscoverOptions {
	uint32_t types = 0;         // CLONE_NEW* bits; 0 for all
	std::optional<pid_t> task;  // only the namespaces of this process (-p)
	bool holders = true;        // explain namespaces that no process is in
	bool mounts = true;         // bind mounts of namespaces that processes are in too (NSFS, HOLDER)
	bool netnsid = false;       // ask netlink for each net namespace's nsid
};

} // namespace nstree
