// SPDX-License-Identifier: GPL-2.0
// BpfFileRefs: what processes hold, from the BPF iterators of bpf/file_refs.bpf.c
// (the native backend's NSTREE_IOC_HOLDERS), loaded for one scan and gone with it:
// three reads in place of a statx of every fd, cwd, root and exe and a read of
// every /proc/PID/maps. The maps walk, the dearest, is shared by one reader
// thread per CPU.
#include "file_refs.hpp"

#include <cerrno>
#include <cstring>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bpf/file_refs_record.h"
#include "fd.hpp"
#include "parallel.hpp"
#include "phase_timer.hpp"

#ifdef NSTREE_HAVE_BPF
#include "bpf/file_refs_loader.h"
#endif

namespace nstree {

#ifdef NSTREE_HAVE_BPF

struct BpfFileRefs::Iters {
	nstree_file_refs_iter it{};
	~Iters() { nstree_file_refs_unload(&it); }
};

namespace {

Error iter_error(int err, const char *what)
{
	return Error::from_errno(-err, std::string("the BPF file iterators ") + what);
}

// Every record one reading of @link writes, appended to @out; -errno on failure.
int read_records(int link, std::vector<nstree_holder> &out)
{
	int fd = nstree_file_refs_open(link);
	if (fd < 0)
		return fd;
	Fd owned(fd);
	std::vector<char> buf(1 << 16);
	std::string bytes;
	for (;;) {
		ssize_t n = read(owned.get(), buf.data(), buf.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		bytes.append(buf.data(), size_t(n));
	}
	if (bytes.size() % sizeof(nstree_holder))
		return -EPROTO;
	size_t first = out.size();
	out.resize(first + bytes.size() / sizeof(nstree_holder));
	std::memcpy(static_cast<void *>(out.data() + first), bytes.data(), bytes.size());
	return 0;
}

// The maps walk, one reader thread per CPU, each registered as its shard.
int read_maps(const nstree_file_refs_iter &it, std::vector<nstree_holder> &out)
{
	size_t parts = std::min<size_t>(cpu_parts(), NSTREE_FILE_REFS_MAX_SHARDS);
	std::vector<std::vector<nstree_holder>> got(parts);
	std::vector<int> errs(parts, 0);
	run_parts(parts, [&](size_t p) {
		errs[p] = nstree_file_refs_shard_join(&it, unsigned(p), unsigned(parts));
		if (!errs[p])
			errs[p] = read_records(it.maps_link, got[p]);
		nstree_file_refs_shard_done(&it);
	});
	for (size_t p = 0; p < parts; p++) {
		if (errs[p])
			return errs[p];
		out.insert(out.end(), got[p].begin(), got[p].end());
	}
	return 0;
}

// The kernel's dev_t of a superblock: MAJOR << 20 | MINOR (include/linux/kdev_t.h).
uint32_t kernel_dev(dev_t d)
{
	return uint32_t(major(d)) << 20 | uint32_t(minor(d));
}

} // namespace

BpfFileRefs::BpfFileRefs(std::unique_ptr<Iters> it) : it_(std::move(it)) {}
BpfFileRefs::~BpfFileRefs() = default;

Result<std::unique_ptr<BpfFileRefs>> BpfFileRefs::load()
{
	auto it = std::make_unique<Iters>();
	if (int err = nstree_file_refs_load(&it->it))
		return iter_error(err, "cannot be loaded (CAP_BPF and CAP_PERFMON are needed)");
	return std::unique_ptr<BpfFileRefs>(new BpfFileRefs(std::move(it)));
}

Result<std::vector<FileRef>> BpfFileRefs::refs(const std::set<uint32_t> &reach_ids, const std::set<dev_t> &reach_devs,
					       const RefFilter &keep, bool maps) const
{
	if (reach_ids.size() > NSTREE_FILE_REFS_MAX_REACHABLE || reach_devs.size() > NSTREE_FILE_REFS_MAX_REACHABLE)
		return Error{E2BIG, "more mounts than the BPF file iterators take"};
	PhaseTimer timer;
	const nstree_file_refs_iter &it = it_->it;
	for (uint32_t id : reach_ids)
		if (int err = nstree_file_refs_reach_mount(&it, id))
			return iter_error(err, "cannot be told the reachable mounts");
	for (dev_t d : reach_devs)
		if (int err = nstree_file_refs_reach_dev(&it, kernel_dev(d)))
			return iter_error(err, "cannot be told the reachable filesystems");
	std::vector<nstree_holder> records;
	int err = read_records(it.fds_link, records);
	if (!err)
		err = read_records(it.paths_link, records);
	timer.mark("  bpf fds, paths");
	if (!err && maps)
		err = read_maps(it, records);
	timer.mark("  bpf maps");
	if (err)
		return iter_error(err, "could not be read");
	// A process whose mmap lock was held while the walk came by: its maps from /proc.
	std::vector<FileRef> out;
	for (auto &r : file_refs_from_records(records, keep)) {
		if (r.busy && r.kind == FileRef::Kind::map)
			scan_maps(r.pid, keep, out);
		else
			out.push_back(std::move(r));
	}
	timer.mark("  records");
	return out;
}

#else

struct BpfFileRefs::Iters {};

BpfFileRefs::BpfFileRefs(std::unique_ptr<Iters> it) : it_(std::move(it)) {}
BpfFileRefs::~BpfFileRefs() = default;

Result<std::unique_ptr<BpfFileRefs>> BpfFileRefs::load()
{
	return Error{ENOTSUP, "this nstree was built without BPF (clang, bpftool and libbpf's headers)"};
}

Result<std::vector<FileRef>> BpfFileRefs::refs(const std::set<uint32_t> &, const std::set<dev_t> &, const RefFilter &,
					       bool) const
{
	return Error{ENOTSUP, "this nstree was built without BPF"};
}

#endif

} // namespace nstree
