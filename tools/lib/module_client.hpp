// SPDX-License-Identifier: GPL-2.0
// ModuleClient: the control device /dev/nstree of the nstree kernel module.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "error.hpp"
#include "nstree.h"
#include "fd.hpp"
#include "listns_pages.hpp"
#include "ns_handle.hpp"

namespace nstree {

struct ModuleVersion {
	uint32_t abi = 0;
	uint64_t features = 0;
	std::string version;
};

// What NSTREE_IOC_NS_ID says of a namespace fd.
struct NsIdentity {
	uint64_t id = 0;
	uint32_t type = 0;  // CLONE_NEW*
	uint32_t inum = 0;  // inode number, as st_ino of /proc/PID/ns/TYPE
};

// Which kind of fd NSTREE_IOC_OPEN returns.
enum class NsFdKind { nstreefs, nsfs };

class ModuleClient {
public:
	// Opens /dev/nstree; the error says how to load the module when it is absent.
	static Result<ModuleClient> open(const std::string &path = "/dev/nstree");

	Result<ModuleVersion> version() const;
	// The ID of the namespace behind a kernel nsfs fd or an nstreefs fd.
	Result<NsIdentity> identify(int ns_fd) const;
	// Opens a namespace by ID; @type 0 accepts any type.
	Result<Fd> open_id(uint64_t id, NsFdKind kind = NsFdKind::nstreefs, uint32_t type = 0) const;
	// One listns call: at most @max IDs after @req.after, ascending.
	Result<std::vector<uint64_t>> list_page(const ListRequest &req, size_t max) const;
	// Every visible active namespace, paginated in pages of @page.
	Result<std::vector<uint64_t>> list_all(ListRequest req, size_t page = 1000) const;
	// Opens an nsfs file handle with upstream's rules (no CAP_DAC_READ_SEARCH needed).
	Result<Fd> open_handle(const NsHandle &h, NsFdKind kind = NsFdKind::nsfs) const;
	// Reopens a namespace fd as the other kind (or the same kind).
	Result<Fd> reopen(int ns_fd, NsFdKind kind) const;
	// NSTREE_IOC_PROCS: every process and its namespaces' inodes in one call; with
	// @nr_shards, only those whose pid modulo @nr_shards is @shard (EINVAL from a
	// module older than shards). EPERM for a caller that may not see every namespace.
	Result<std::vector<nstree_proc>> procs(uint32_t shard = 0, uint32_t nr_shards = 0) const;
	// NSTREE_IOC_NS_INFO: type, inode, owner, parent and owner uid of each ID;
	// ns_type 0 for an ID that names no live namespace. EPERM as procs().
	Result<std::vector<nstree_ns_info>> ns_info(const std::vector<uint64_t> &ids) const;
	// NSTREE_IOC_CMDLINES: the first @max_len bytes of /proc/PID/cmdline of each of
	// @pids, in order ("" for none). EPERM as procs().
	Result<std::vector<std::string>> cmdlines(const std::vector<pid_t> &pids, uint32_t max_len) const;
	// NSTREE_IOC_SUPERS: every live superblock of filesystem type @fstype (a name
	// /proc/filesystems lists); @flags: NSTREE_SUPERS_STATFS for each one's statfs,
	// NSTREE_SUPERS_SWAPFILES to learn which hold a swap file. EPERM as procs().
	Result<std::vector<nstree_super>> supers(const std::string &fstype, uint32_t flags) const;
	// NSTREE_IOC_HOLDERS: what processes hold on the superblocks @devs (and, with
	// NSTREE_HOLDERS_DETACHED in @flags, on mounts in no namespace).
	Result<std::vector<nstree_holder>> holders(const std::vector<dev_t> &devs, uint32_t flags) const;
	int fd() const { return fd_.get(); }

private:
	explicit ModuleClient(Fd fd) : fd_(std::move(fd)) {}
	Fd fd_;
};

} // namespace nstree
