// SPDX-License-Identifier: GPL-2.0
// Filesystem magic numbers (statfs's f_type): a name for the common ones, which
// are internal (kernel-made filesystems no mount table lists: their files are
// pipes, sockets, namespace files, anonymous inodes), and which keep their data in
// memory that nothing reclaims while the filesystem lives.
#pragma once

#include <cstdint>
#include <string>

namespace nstree {

// "tmpfs", "ext4"...; "0xMAGIC" for one without a name here.
std::string fs_magic_name(uint64_t magic);
// pipefs, sockfs, anon_inodefs, nsfs, nstreefs, pidfs, secretmem, dmabuf, aio, bdev.
bool fs_magic_internal(uint64_t magic);
// nsfs and nstreefs: their files are namespaces (readlink says "type:[inode]").
bool fs_magic_namespace_files(uint64_t magic);
// tmpfs (shmem), ramfs, hugetlbfs: what they hold is memory.
bool fs_magic_in_memory(uint64_t magic);
bool fs_type_in_memory(const std::string &fstype);

} // namespace nstree
