// SPDX-License-Identifier: GPL-2.0
// What processes hold of filesystems: open files, file mappings, cwd, root and exe,
// from /proc (statx() of each /proc/PID/fd/N link gives the file's device and, with
// STATX_MNT_ID, its mount; /proc/PID/maps gives each mapping's device). Only the
// references a filter keeps are described further (path, access), so the cost of a
// scan is one statx per fd, not the lsof-style reads of every fd's details.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

#include "error.hpp"

struct nstree_holder; // module/uapi/nstree.h

namespace nstree {

struct FileRef {
	// fd, map, cwd, root, exe: what /proc shows. The others are held through a
	// file of the process, fd names it (the module only): inflight, a file sent
	// with SCM_RIGHTS and queued on a unix socket; unix_bound, the name a unix
	// socket is bound to; io_uring, a file registered with an io_uring.
	enum class Kind { fd, map, cwd, root, exe, inflight, unix_bound, io_uring };
	Kind kind = Kind::fd;
	pid_t pid = 0;
	int fd = -1;                    // fd; the socket or ring of the held-through kinds
	uint64_t start = 0, end = 0;    // map: the address range; io_uring: start is the file's index
	dev_t dev = 0;                  // the file's st_dev
	uint64_t ino = 0;
	std::optional<uint32_t> mnt_id; // fd, cwd, root, exe: the mount it was reached through
	std::string path;               // as /proc shows it (" (deleted)" included)
	std::string access;             // fd: "r", "w" or "rw"; map: the permissions ("rw-s")
	bool writes = false;            // open for writing, or a shared writable mapping
	bool busy = false;              // held-through kinds: the socket or ring was busy, not looked into

	// "fd 3 (rw) /data/x", "mapping 7f00..-7f01.. r--s /x", "cwd /run"...
	std::string str() const;
	// The /proc path that reaches the same file: "/proc/PID/fd/3", "/proc/PID/cwd"...;
	// for the held-through kinds, the socket's or ring's fd.
	std::string proc_link() const;
	// Held through another file of the process (inflight, unix_bound, io_uring).
	bool held_through() const { return kind >= Kind::inflight; }
};

// Whether a reference is worth describing, asked with what the scan knows of it so
// far: kind, pid, fd or range, device, mount (none for a mapping); proc_link() is a
// path statfs() may follow (to ask the filesystem's magic).
using RefFilter = std::function<bool(const FileRef &ref)>;

// Every reference of @pids that @keep accepts; mappings only with @maps. Processes
// whose fd directory was refused are added to @refused; processes that exit during
// the scan drop out. The processes are split over the CPUs: @keep is called from
// several threads at once.
std::vector<FileRef> scan_file_refs(const std::vector<pid_t> &pids, const RefFilter &keep, bool maps,
				    std::set<pid_t> &refused);

class ModuleClient;

// What @records (struct nstree_holder, the module's and the BPF iterators' format)
// say, filtered by @keep; each kept one's path read through /proc. A socket or ring
// the module found busy comes back unfiltered, with busy set.
std::vector<FileRef> file_refs_from_records(const std::vector<::nstree_holder> &records, const RefFilter &keep);

// The same as scan_file_refs() for every process, from the module's one pass over
// the kernel's tasks: references on the superblocks @devs, on mounts in no
// namespace, and nsfs or nstreefs files of mount namespaces, filtered by @keep (from
// this thread only). @look_into: NSTREE_HOLDERS_UNIX and NSTREE_HOLDERS_IO_URING, for
// the references held through unix sockets and io_urings, where the module has them.
Result<std::vector<FileRef>> module_file_refs(const ModuleClient &module, const std::vector<dev_t> &devs,
					      const RefFilter &keep, bool maps, uint32_t look_into);

// The native backend's BPF file iterators (bpf/file_refs.bpf.c): what
// module_file_refs() answers, for a caller that may load BPF. Loaded in one call
// and read in another, so that the load can run while the caller reads the
// process table and the mount tables; unloaded when this goes.
class BpfFileRefs {
public:
	// Loads the iterators; an error says why they cannot be used here (the caller
	// then scans /proc).
	static Result<std::unique_ptr<BpfFileRefs>> load();
	~BpfFileRefs();
	BpfFileRefs(const BpfFileRefs &) = delete;
	BpfFileRefs &operator=(const BpfFileRefs &) = delete;
	// References on mounts not in @reach_ids, mappings (with @maps) on superblocks
	// not in @reach_devs, and nsfs files, filtered by @keep (from this thread only).
	Result<std::vector<FileRef>> refs(const std::set<uint32_t> &reach_ids, const std::set<dev_t> &reach_devs,
					  const RefFilter &keep, bool maps) const;

private:
	struct Iters;
	explicit BpfFileRefs(std::unique_ptr<Iters> it);
	std::unique_ptr<Iters> it_;
};

// The file mappings of @pid that @keep accepts, from /proc/PID/maps, added to @out.
void scan_maps(pid_t pid, const RefFilter &keep, std::vector<FileRef> &out);

// Parses one /proc/PID/maps line; nullopt for an anonymous mapping (inode 0).
std::optional<FileRef> parse_maps_line(std::string_view line);

} // namespace nstree
