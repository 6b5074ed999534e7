// SPDX-License-Identifier: GPL-2.0
// Namespace helpers shared by the selftests: the types, /proc paths, the control device.
#pragma once

#include <array>
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <vector>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.hpp"
#include "module_client.hpp"
#include "nstree.h"

namespace selftest {

struct NsType {
	int flag;               // CLONE_NEW*
	const char *name;       // nsfs name, as in /proc/PID/ns/NAME
	const char *child_name; // the /proc entry that changes right after unshare()
	uint64_t init_id;       // upstream's fixed ID of the initial namespace
};

// In upstream's initial-ID order.
inline constexpr std::array<NsType, 8> kNsTypes = {{
	{CLONE_NEWIPC, "ipc", "ipc", 1},
	{CLONE_NEWUTS, "uts", "uts", 2},
	{CLONE_NEWUSER, "user", "user", 3},
	{CLONE_NEWPID, "pid", "pid_for_children", 4},
	{CLONE_NEWCGROUP, "cgroup", "cgroup", 5},
	{CLONE_NEWTIME, "time", "time_for_children", 6},
	{CLONE_NEWNET, "net", "net", 7},
	{CLONE_NEWNS, "mnt", "mnt", 8},
}};

inline std::string ns_path(pid_t pid, const std::string &name)
{
	return "/proc/" + std::to_string(pid) + "/ns/" + name;
}

inline nstree::Fd open_path(const std::string &path, int flags = O_RDONLY)
{
	return nstree::Fd(open(path.c_str(), flags | O_CLOEXEC));
}

inline ino_t ino_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

inline ino_t ino_of(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// errno of an ioctl, 0 on success.
inline int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

inline int ioctl_errno(int fd, unsigned long cmd, unsigned long arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

// Which filesystem an fd lives on.
bool is_nstreefs(int fd);
bool is_nsfs(int fd);

// The control device, opened once per test binary; REQUIREs it.
const nstree::ModuleClient &ctl();
// Closes it (an open /dev/nstree pins the module); the next ctl() reopens it.
void ctl_reset();

// The ID of the namespace behind @fd, or 0.
uint64_t id_of(int fd);
// Whether /dev/nstree exists (the module is loaded); where not, as on a kernel
// with listns(2), id_of() and list_ids() ask the kernel itself.
bool module_device();

// Number of open fds of this process.
int open_fd_count();

// A network namespace only a socket keeps alive: it exists but is not active
// (a child made it, sent the socket and exited). id 0 when that failed.
struct SocketHeldNet {
	nstree::Fd sock;
	uint64_t id = 0;
	uint32_t inum = 0;
};
SocketHeldNet socket_held_net();

// Every pid in /proc, in directory order.
std::vector<pid_t> list_pids();

} // namespace selftest
