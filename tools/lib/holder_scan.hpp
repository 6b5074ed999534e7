// SPDX-License-Identifier: GPL-2.0
// What holds namespaces besides processes: open namespace files (fds) and bind mounts
// of namespace files in any mount namespace.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

#include "error.hpp"
#include "ns_type.hpp"

namespace nstree {

struct FdHolder {
	pid_t pid;
	int fd;
	NsLink ns; // which namespace the fd is (nsfs and nstreefs files read "type:[inode]")
};

// Every namespace fd of @pids (readlink of /proc/PID/fd/*). Adds the processes
// whose fd directory was refused to @refused.
std::vector<FdHolder> scan_namespace_fds(const std::vector<pid_t> &pids, std::set<pid_t> &refused);

struct MountHolder {
	std::string target;    // mount point, as seen from that mount namespace
	uint64_t mntns_inode;  // the mount namespace it is in
	NsLink ns;
};

// nsfs bind mounts in the mount namespace of @pid (its /proc/PID/mountinfo, through
// libmount). None when the table cannot be read (the process is gone or not ours);
// an error when libmount cannot be loaded.
Result<std::vector<MountHolder>> scan_namespace_mounts(pid_t pid, uint64_t mntns_inode);

} // namespace nstree
