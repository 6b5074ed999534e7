// SPDX-License-Identifier: GPL-2.0
// What the nsfs ioctls say of a namespace fd (an nsfs or an nstreefs fd).
#pragma once

#include <cstdint>
#include <optional>
#include <sys/types.h>

#include "error.hpp"

namespace nstree {

struct NsFacts {
	uint32_t type = 0;                   // NS_GET_NSTYPE
	uint64_t inode = 0;                  // st_ino
	uint64_t dev = 0;                    // st_dev
	std::optional<uint64_t> owner_inode; // NS_GET_USERNS; empty when EPERM (outside our view)
	std::optional<uint64_t> parent_inode;// NS_GET_PARENT, pid and user only
	std::optional<uid_t> owner_uid;      // NS_GET_OWNER_UID, user only
	std::optional<uint64_t> id;          // NS_GET_ID, kernels >= 6.18 (and nstreefs fds)
};

struct FactsWanted {
	bool type = true;     // false when the caller already knows the type
	bool relations = true;
	bool id = false;
};

// Fails only when @fd is not a namespace fd; relations the kernel refuses stay empty.
Result<NsFacts> read_ns_facts(int fd, FactsWanted want = {}, uint32_t known_type = 0);

// NS_GET_ID on @fd: the ID, or empty (kernel < 6.18 for nsfs fds).
std::optional<uint64_t> ns_get_id(int fd);

} // namespace nstree
