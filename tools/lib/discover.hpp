// SPDX-License-Identifier: GPL-2.0
// discover(): the full listing: namespaces from the backend, process facts from a
// /proc walk, and what holds each namespace that no process is in.
#pragma once

#include <optional>
#include <sys/types.h>

#include "backend.hpp"
#include "namespace.hpp"

namespace nstree {

struct DiscoverOptions {
	uint32_t types = 0;         // CLONE_NEW* bits; 0 for all
	std::optional<pid_t> task;  // only the namespaces of this process (-p)
	bool holders = true;        // explain namespaces that no process is in
	bool mounts = true;         // bind mounts of namespaces that processes are in too (NSFS, HOLDER)
	bool netnsid = false;       // ask netlink for each net namespace's nsid
};

Result<Listing> discover(const BackendChoice &backend, const DiscoverOptions &opt);

} // namespace nstree
