// SPDX-License-Identifier: GPL-2.0
// Orphaned filesystems: superblocks and mounts that something still holds but no
// mount namespace with a process in it reaches (Documentation/orphans.md).
//
//   superblock       no namespace's mount table names its device: the namespace it
//                    was mounted in died, or it was lazily unmounted everywhere
//   held_namespace   only mount namespaces that no process is in reach it: they are
//                    kept alive by an nsfs bind mount or fd (and keep it)
//   detached_mount   a mount no namespace lists (umount -l, a decaying fragment,
//                    open_tree()), of a superblock still mounted elsewhere: it pins
//                    nothing more than that mount
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "backend_choice.hpp"
#include "error.hpp"
#include "file_refs.hpp"

namespace nstree {

struct FsHolder {
	enum class Kind {
		file,           // an fd, mapping, cwd, root or exe of a process (ref says which)
		loop,           // a loop device backed by a file there
		namespace_fd,   // an fd of the mount namespace that reaches it
		namespace_mount,// a bind mount of that namespace's nsfs file
		swap,           // swapon(2) uses a file there (the module; ref.path: /proc/swaps's name)
	};
	Kind kind = Kind::file;
	pid_t pid = 0;
	std::string command;
	FileRef ref;          // file; swap and loop: ref.path
	std::string device;   // loop: "/dev/loop0"
	std::string target;   // namespace_mount: the mount point
	uint64_t mntns_inode = 0; // namespace_mount: the namespace it is mounted in

	std::string str() const;
};

struct Orphan {
	enum class Kind { superblock, held_namespace, detached_mount };
	Kind kind = Kind::superblock;
	dev_t dev = 0;
	std::string fstype;                 // "tmpfs"; "0xMAGIC" when nothing names it
	std::string source;                 // the mount's source, or the superblock's s_id
	std::vector<uint32_t> mount_ids;    // the orphaned mounts seen (holders' mounts)
	std::optional<uint64_t> mntns_id;   // held_namespace: the namespace that reaches it
	std::optional<uint64_t> mntns_inode;
	std::optional<uint64_t> size_bytes; // statfs: f_blocks * f_frsize
	std::optional<uint64_t> used_bytes; // statfs: (f_blocks - f_bfree) * f_frsize
	std::optional<uint64_t> inodes;     // statfs: f_files - f_ffree
	bool in_memory = false;             // tmpfs, ramfs, hugetlbfs: used_bytes is memory
	bool block_device = false;
	uint64_t dirty_bytes = 0;           // of its block device (module only)
	uint64_t writeback_bytes = 0;
	std::optional<uint32_t> active;     // the superblock's active references (module)
	std::vector<FsHolder> holders;
	bool unexplained = false;           // the module sees it; no holder was found
	std::vector<std::string> remedies;

	bool at_risk() const; // block-backed with dirty or writeback pages, or writers
	std::string kind_name() const; // "superblock", "namespace", "mount"
	std::string dev_str() const;   // "0:52"
	// What pins it in memory: used_bytes of an in-memory filesystem, else 0.
	uint64_t pinned_bytes() const { return in_memory && used_bytes ? *used_bytes : 0; }
};

struct OrphanReport {
	BackendKind backend = BackendKind::proc;
	bool kernel_view = false;        // the module listed every superblock
	std::vector<Orphan> orphans;     // superblocks first, by pinned bytes, then mounts
	size_t mount_namespaces = 0;     // mount tables read
	size_t processes = 0;            // processes scanned
	bool partial = false;
	std::vector<std::string> notices;
};

Result<OrphanReport> find_orphans(const BackendChoice &backend);

// What to do about @o, one step a line, naming its holders (orphan_remedies.cpp).
std::vector<std::string> remedies_for(const Orphan &o);
// "64 MiB"
std::string human_bytes(uint64_t bytes);

} // namespace nstree
