// SPDX-License-Identifier: GPL-2.0
// Orphans in words: holders, kinds, and the remedy for each case.
#include <cstdio>
#include <string>
#include <sys/sysmacros.h>

#include "orphans.hpp"

namespace nstree {

std::string human_bytes(uint64_t bytes)
{
	static const char *const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	double v = double(bytes);
	size_t u = 0;
	while (v >= 1024 && u + 1 < std::size(kUnits)) {
		v /= 1024;
		u++;
	}
	char buf[32];
	if (u == 0)
		std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(bytes));
	else
		std::snprintf(buf, sizeof(buf), v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[u]);
	return buf;
}

std::string FsHolder::str() const
{
	switch (kind) {
	case Kind::file:
		return "pid " + std::to_string(pid) + " (" + command + ") " + ref.str();
	case Kind::loop:
		return "loop device " + device + " backed by " + ref.path;
	case Kind::namespace_fd:
		return "pid " + std::to_string(pid) + " (" + command + ") fd " + std::to_string(ref.fd) + " " + ref.path +
		       " (the mount namespace)";
	case Kind::namespace_mount:
		return "bind mount " + target + " in mnt:[" + std::to_string(mntns_inode) + "] (the mount namespace)";
	case Kind::swap:
		return "swap file (the kernel's, swapon)" + (ref.path.empty() ? std::string() : ": /proc/swaps names " + ref.path);
	}
	return {};
}

bool Orphan::at_risk() const
{
	if (!block_device)
		return false;
	if (dirty_bytes || writeback_bytes)
		return true;
	for (const auto &h : holders)
		if ((h.kind == FsHolder::Kind::file && h.ref.writes) || h.kind == FsHolder::Kind::swap)
			return true;
	return false;
}

std::string Orphan::kind_name() const
{
	switch (kind) {
	case Kind::superblock:
		return "superblock";
	case Kind::held_namespace:
		return "namespace";
	case Kind::detached_mount:
		return "mount";
	}
	return "?";
}

std::string Orphan::dev_str() const
{
	return std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
}

namespace {

// What letting go of one holder takes; @source: the orphan's (a block device's name).
std::string release_step(const FsHolder &h, const std::string &source)
{
	std::string who = "pid " + std::to_string(h.pid) + " (" + h.command + ")";
	switch (h.kind) {
	case FsHolder::Kind::file:
		switch (h.ref.kind) {
		case FileRef::Kind::fd:
			return "have " + who + " close fd " + std::to_string(h.ref.fd) + ", or stop it";
		case FileRef::Kind::map:
			return "have " + who + " unmap " + h.ref.path + ", or stop it";
		case FileRef::Kind::cwd:
			return "have " + who + " leave its working directory " + h.ref.path + ", or stop it";
		case FileRef::Kind::root:
			return "stop " + who + ": its root directory is there";
		case FileRef::Kind::exe:
			return "stop " + who + ": it runs a program from there";
		case FileRef::Kind::inflight:
			return "have " + who + " receive and close the file queued on its unix socket (fd " +
			       std::to_string(h.ref.fd) + "), or close that socket, or stop it";
		case FileRef::Kind::unix_bound:
			return "have " + who + " close its unix socket fd " + std::to_string(h.ref.fd) +
			       " (the name it is bound to keeps the mount), or stop it";
		case FileRef::Kind::io_uring:
			return "have " + who + " unregister file " + std::to_string(h.ref.start) + " of its io_uring (fd " +
			       std::to_string(h.ref.fd) + "; IORING_REGISTER_FILES_UPDATE with -1), or close the ring, or stop it";
		}
		break;
	case FsHolder::Kind::loop:
		return "detach " + h.device + " (losetup -d " + h.device + ") once nothing uses it";
	case FsHolder::Kind::namespace_fd:
		return "have " + who + " close fd " + std::to_string(h.ref.fd) +
		       " (it keeps the mount namespace, and so its mounts, alive)";
	case FsHolder::Kind::namespace_mount:
		return "unmount " + h.target + " in mnt:[" + std::to_string(h.mntns_inode) +
		       "] (the bind mount keeps the mount namespace, and so its mounts, alive)";
	case FsHolder::Kind::swap:
		return "swapoff needs a path to the file: mount " + (source.empty() ? std::string("its device") : "/dev/" + source) +
		       " again at a new directory DIR (a second mount of a block device reuses its superblock), run "
		       "swapoff DIR/" + (h.ref.path.empty() ? std::string("FILE") : "<the file /proc/swaps names>") +
		       ", then unmount DIR";
	}
	return {};
}

} // namespace

std::vector<std::string> remedies_for(const Orphan &o)
{
	std::vector<std::string> out;
	if (o.at_risk())
		out.push_back("data at risk: flush it before its device goes away (sync -f " +
			      (o.holders.empty() || o.holders[0].kind != FsHolder::Kind::file ? std::string("on a holder's file")
											      : o.holders[0].ref.proc_link()) +
			      "), then release every holder so the filesystem is shut down cleanly");
	for (const auto &h : o.holders)
		out.push_back(release_step(h, o.source));
	if (o.unexplained)
		out.push_back(o.active ? "no process holds it that the module can see: a socket in flight inside another socket's "
					 "queue, a connection not yet accepted, the process accounting file, a binfmt_misc "
					 "interpreter, or another kernel user"
				       : "no process holds it that this scan can see: a unix socket with fds in flight (SCM_RIGHTS; "
					 "ss -xp shows its queue), io_uring registered files, a swap file (/proc/swaps), or a "
					 "kernel user");
	if (o.kind == Orphan::Kind::detached_mount) {
		out.push_back("the filesystem stays mounted elsewhere: releasing the holders frees only this mount");
		return out;
	}
	if (o.in_memory && o.used_bytes && *o.used_bytes) {
		std::string freed = "the last holder letting go frees the whole filesystem and its " +
				    human_bytes(*o.used_bytes) + " of memory";
		out.push_back(freed);
		for (const auto &h : o.holders)
			if (h.kind == FsHolder::Kind::file &&
			    (h.ref.kind == FileRef::Kind::cwd || h.ref.kind == FileRef::Kind::root)) {
				out.push_back("or free the memory now: the files are reachable through " + h.ref.proc_link() +
					      "/; deleting them there frees what they hold");
				break;
			} else if (h.kind == FsHolder::Kind::file && h.ref.kind == FileRef::Kind::fd && h.ref.writes) {
				out.push_back("or free that file's share now: truncate -s 0 " + h.ref.proc_link());
				break;
			}
	}
	return out;
}

} // namespace nstree
