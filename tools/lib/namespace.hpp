// SPDX-License-Identifier: GPL-2.0
// What nstree knows about one namespace, and a whole listing of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

#include "backend_kind.hpp"

namespace nstree {

// Something that keeps a namespace alive.
struct Holder {
	enum class Kind {
		process,    // a process's nsproxy, credentials or pid namespace
		thread,     // only a thread (not its thread-group leader) is in it
		fd,         // an open nsfs or nstreefs file
		bind_mount, // a bind mount of an nsfs file
		parent,     // the parent of another namespace (pid, user)
		owner,      // the owner of another namespace (user)
	};
	explicit Holder(Kind k) : kind(k) {}
	Kind kind;
	pid_t pid = 0;               // process, thread (the tid), fd
	int fd = -1;                 // fd
	std::string path;            // bind_mount: mount point as seen in its mount namespace
	uint64_t mntns_inode = 0;    // bind_mount: the mount namespace it is mounted in
	uint32_t other_type = 0;     // parent, owner: the other namespace's CLONE_NEW* type
	uint64_t other_inode = 0;    // parent, owner: the other namespace's inode
	size_t count = 1;            // owner: how many namespaces it owns

	// "fd 3 of pid 812", "bind mount /run/netns/a in mnt:[4026532450]"...
	std::string str() const;
};

struct Namespace {
	std::optional<uint64_t> id;          // 64-bit namespace ID; absent when the kernel has none
	uint32_t type = 0;                   // CLONE_NEW*
	uint64_t inode = 0;                  // as st_ino of /proc/PID/ns/TYPE
	std::optional<uint64_t> owner_inode; // ONS: the owning user namespace
	std::optional<uint64_t> parent_inode;// PNS: pid and user namespaces
	std::optional<uid_t> owner_uid;      // user namespaces: NS_GET_OWNER_UID
	uint32_t nprocs = 0;                 // processes (thread-group leaders) in it
	uint32_t nthreads = 0;               // threads in it whose leader is not
	std::optional<pid_t> pid;            // lowest pid in it (a thread's tid if only threads are)
	std::optional<pid_t> ppid;
	std::optional<uid_t> uid;            // of that pid; else the owner uid
	std::string command;                 // of that pid
	std::optional<int> netnsid;          // net: the caller's netlink nsid for it
	std::vector<std::string> nsfs;       // bind mounts in the caller's mount namespace
	std::vector<Holder> holders;         // what keeps it alive besides its processes
	std::optional<bool> active;          // listed by listns (native, module); unknown on /proc
	std::optional<uint64_t> pinned_bytes;// mnt: bytes in use in its tmpfs, ramfs, hugetlbfs (PINS)

	std::string name() const;            // "net:[4026531840]"
};

struct Listing {
	BackendKind backend = BackendKind::proc;
	std::string backend_reason;           // why this backend
	std::vector<Namespace> namespaces;    // by type order, then inode (ls --sort reorders)
	bool partial = false;                 // something was hidden from the caller
	std::vector<std::string> notices;     // what was hidden or could not be seen, and why
	std::vector<std::pair<pid_t, pid_t>> ppid; // (pid, ppid) in pid order: the process tree (-T process)
	const Namespace *find(uint32_t type, uint64_t inode) const;
	std::optional<pid_t> parent_of(pid_t pid) const; // through ppid
	const Namespace *find_id(uint64_t id) const;
};

} // namespace nstree
