// SPDX-License-Identifier: GPL-2.0
// bpf_file_refs(): what processes hold, from the BPF iterators of
// bpf/file_refs.bpf.c (the native backend's NSTREE_IOC_HOLDERS), loaded for this
// one call and gone with it: three reads in place of a statx of every fd, cwd,
// root and exe and a read of every /proc/PID/maps.
#include "file_refs.hpp"

#include <cerrno>
#include <cstring>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bpf/file_refs_record.h"
#include "fd.hpp"

#ifdef NSTREE_HAVE_BPF
#include "bpf/file_refs_loader.h"
#endif

namespace nstree {

#ifdef NSTREE_HAVE_BPF

namespace {

// The iterators, unloaded when this goes.
class FileRefsIter {
public:
	FileRefsIter() = default;
	FileRefsIter(const FileRefsIter &) = delete;
	FileRefsIter &operator=(const FileRefsIter &) = delete;
	~FileRefsIter()
	{
		if (loaded_)
			nstree_file_refs_unload(&it_);
	}
	int load()
	{
		int err = nstree_file_refs_load(&it_);
		loaded_ = err == 0;
		return err;
	}
	const nstree_file_refs_iter &get() const { return it_; }

private:
	nstree_file_refs_iter it_{};
	bool loaded_ = false;
};

// Every record one iterator writes, appended to @out; errno-style on failure.
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

// The kernel's dev_t of a superblock: MAJOR << 20 | MINOR (include/linux/kdev_t.h).
uint32_t kernel_dev(dev_t d)
{
	return uint32_t(major(d)) << 20 | uint32_t(minor(d));
}

} // namespace

Result<std::vector<FileRef>> bpf_file_refs(const std::set<uint32_t> &reach_ids, const std::set<dev_t> &reach_devs,
					   const RefFilter &keep, bool maps)
{
	auto fail = [](int err, const char *what) {
		return Error::from_errno(-err, std::string("the BPF file iterators ") + what);
	};
	if (reach_ids.size() > NSTREE_FILE_REFS_MAX_REACHABLE || reach_devs.size() > NSTREE_FILE_REFS_MAX_REACHABLE)
		return Error{E2BIG, "more mounts than the BPF file iterators take"};
	FileRefsIter it;
	if (int err = it.load())
		return fail(err, "cannot be loaded (CAP_BPF and CAP_PERFMON are needed)");
	for (uint32_t id : reach_ids)
		if (int err = nstree_file_refs_reach_mount(&it.get(), id))
			return fail(err, "cannot be told the reachable mounts");
	for (dev_t d : reach_devs)
		if (int err = nstree_file_refs_reach_dev(&it.get(), kernel_dev(d)))
			return fail(err, "cannot be told the reachable filesystems");
	std::vector<nstree_holder> records;
	int err = read_records(it.get().fds_link, records);
	if (!err)
		err = read_records(it.get().paths_link, records);
	if (!err && maps)
		err = read_records(it.get().maps_link, records);
	if (err)
		return fail(err, "could not be read");
	return file_refs_from_records(records, keep);
}

#else

Result<std::vector<FileRef>> bpf_file_refs(const std::set<uint32_t> &, const std::set<dev_t> &, const RefFilter &,
					   bool)
{
	return Error{ENOTSUP, "this nstree was built without BPF (clang, bpftool and libbpf's headers)"};
}

#endif

} // namespace nstree
