// SPDX-License-Identifier: GPL-2.0
// What a mount namespace's in-memory filesystems (tmpfs, ramfs, hugetlbfs) hold:
// the memory that stays pinned if one of them is orphaned (nstree show).
#pragma once

#include <cstdint>
#include <sys/types.h>

#include "error.hpp"

namespace nstree {

// Above this, nstree show and nstree ls warn: should the namespace die while
// something outside still holds a file there, that much memory stays pinned.
constexpr uint64_t kPinWarnBytes = 1ull << 30;

struct MountPins {
	uint64_t bytes = 0;     // in use, over distinct superblocks
	size_t filesystems = 0; // distinct in-memory superblocks
};

// Through process @pid of the namespace: its mount table and a statfs of each
// in-memory mount, reached through /proc/PID/root.
Result<MountPins> in_memory_pins(pid_t pid);

} // namespace nstree
