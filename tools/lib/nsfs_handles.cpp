// SPDX-License-Identifier: GPL-2.0
#include "nsfs_handles.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>

#ifndef FD_NSFS_ROOT
#define FD_NSFS_ROOT -10003 // upstream's include/uapi/linux/fcntl.h
#endif

namespace nstree {

bool kernel_has_nsfs_handles()
{
	static const bool have = [] {
		auto own = Fd::open("/proc/self/ns/net", O_RDONLY);
		if (!own)
			return false;
		auto h = NsHandle::of_fd(own->get());
		if (!h)
			return false; // no export operations on nsfs: before 6.18
		auto back = open_nsfs_handle(*h);
		struct stat a, b;
		return back && fstat(own->get(), &a) == 0 && fstat(back->get(), &b) == 0 && a.st_ino == b.st_ino;
	}();
	return have;
}

Result<Fd> open_nsfs_handle(const NsHandle &h)
{
	NsHandle::Raw buf = h.raw();
	int fd = open_by_handle_at(FD_NSFS_ROOT, &buf.hdr, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		if (err == ESTALE)
			return Error{err, "no such namespace " + std::to_string(h.id) +
						  ": it may have died, be inactive, or not be yours to see"};
		return Error{err, "cannot open namespace " + std::to_string(h.id) + ": " + std::strerror(err)};
	}
	return Fd(fd);
}

Result<Fd> open_nsfs_id(uint64_t id)
{
	return open_nsfs_handle(NsHandle{id, 0, 0});
}

} // namespace nstree
