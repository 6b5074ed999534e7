// SPDX-License-Identifier: GPL-2.0
// The kernel's own nsfs file handles (Linux >= 6.18): open_by_handle_at() with
// FD_NSFS_ROOT, probed once rather than assumed from a version, since 6.18 has
// them without listns(2) and distributions backport them.
#pragma once

#include <cstdint>

#include "error.hpp"
#include "fd.hpp"
#include "ns_handle.hpp"

namespace nstree {

// Whether this kernel encodes and opens nsfs handles: a handle of our own net
// namespace round-trips through name_to_handle_at() and open_by_handle_at().
bool kernel_has_nsfs_handles();

// open_by_handle_at(FD_NSFS_ROOT, @h): upstream's permission rules (ESTALE for a
// namespace that is gone, inactive or not the caller's to see, said in words).
Result<Fd> open_nsfs_handle(const NsHandle &h);

// The namespace with ID @id, through a handle of that ID and no type or inode.
Result<Fd> open_nsfs_id(uint64_t id);

} // namespace nstree
