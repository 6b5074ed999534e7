// SPDX-License-Identifier: GPL-2.0
// The mounts of one mount namespace, as its mountinfo lists them (through libmount):
// read from a process in it, or, for a namespace no process is in, from a child
// that enters it by an fd (setns() puts the child at the namespace's root, so no
// chroot hides part of the table).
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "error.hpp"

namespace nstree {

struct MountEntry {
	uint32_t id = 0;   // mountinfo's mount ID (statx's STATX_MNT_ID)
	dev_t dev = 0;     // the superblock's st_dev
	std::string fstype;
	std::string source;
	std::string target; // as seen from the namespace's root
	std::string root;   // the root of the mount within its filesystem ("mnt:[N]" for an nsfs bind mount)
};

// /proc/@pid/mountinfo: the mounts of @pid's namespace that @pid's root reaches.
// An error when the table cannot be read (the process is gone or not ours).
Result<std::vector<MountEntry>> read_mount_table(pid_t pid);

// The table of the mount namespace behind @mntns_fd, read by a child that enters
// it: needs CAP_SYS_ADMIN over the namespace's owner and CAP_SYS_CHROOT.
Result<std::vector<MountEntry>> read_mount_table_in(int mntns_fd);

// Parses mountinfo text (@name for messages).
Result<std::vector<MountEntry>> parse_mount_table(const std::string &text, const std::string &name);

} // namespace nstree
