// SPDX-License-Identifier: GPL-2.0
#include "holder_scan.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <dirent.h>
#include <unistd.h>

#include "fd.hpp"
#include "proc_path.hpp"
#include "libmount_dl.hpp"

namespace nstree {

std::vector<FdHolder> scan_namespace_fds(const std::vector<pid_t> &pids, std::set<pid_t> &refused)
{
	std::vector<FdHolder> out;
	for (pid_t pid : pids) {
		std::string dir = proc_path(pid, "fd");
		Dir d = open_dir(dir);
		if (!d) {
			if (errno == EACCES || errno == EPERM)
				refused.insert(pid);
			continue;
		}
		while (struct dirent *e = readdir(d.get())) {
			int fd = 0;
			const char *end = e->d_name + strlen(e->d_name);
			auto [p, ec] = std::from_chars(e->d_name, end, fd);
			if (ec != std::errc() || p != end)
				continue;
			char buf[64];
			ssize_t n = readlinkat(dirfd(d.get()), e->d_name, buf, sizeof(buf));
			if (n <= 0 || size_t(n) >= sizeof(buf))
				continue;
			if (auto link = parse_ns_link(std::string_view(buf, size_t(n))))
				out.push_back(FdHolder{pid, fd, *link});
		}
	}
	return out;
}

Result<std::vector<MountHolder>> scan_namespace_mounts(pid_t pid, uint64_t mntns_inode)
{
	auto lib = libmount();
	if (!lib)
		return lib.error();
	const LibMount &mnt = **lib;
	std::vector<MountHolder> out;
	std::string path = proc_path(pid, "mountinfo");
	std::unique_ptr<libmnt_table, void (*)(libmnt_table *)> tb(mnt.new_table_from_file(path.c_str()),
								    mnt.unref_table);
	if (!tb)
		return out; // gone, or not ours to read: no bind mounts seen there
	std::unique_ptr<libmnt_iter, void (*)(libmnt_iter *)> it(mnt.new_iter(MNT_ITER_FORWARD), mnt.free_iter);
	if (!it)
		return Error{ENOMEM, "libmount: cannot allocate an iterator"};
	struct libmnt_fs *fs;
	while (mnt.table_next_fs(tb.get(), it.get(), &fs) == 0) {
		const char *type = mnt.fs_get_fstype(fs);
		const char *root = mnt.fs_get_root(fs);
		const char *target = mnt.fs_get_target(fs);
		if (!type || !root || !target || std::strcmp(type, "nsfs") != 0)
			continue;
		if (auto link = parse_ns_link(root))
			out.push_back(MountHolder{target, mntns_inode, *link});
	}
	return out;
}

} // namespace nstree
