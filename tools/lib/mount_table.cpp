// SPDX-License-Identifier: GPL-2.0
#include "mount_table.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd.hpp"
#include "libmount_dl.hpp"
#include "proc_path.hpp"

namespace nstree {

namespace {

struct FileCloser {
	void operator()(FILE *f) const { std::fclose(f); }
};

// Every line of @f, through libmount.
Result<std::vector<MountEntry>> parse_stream(FILE *f, const std::string &name)
{
	auto lib = libmount();
	if (!lib)
		return lib.error();
	const LibMount &mnt = **lib;
	std::unique_ptr<libmnt_table, void (*)(libmnt_table *)> tb(mnt.new_table(), mnt.unref_table);
	std::unique_ptr<libmnt_iter, void (*)(libmnt_iter *)> it(mnt.new_iter(MNT_ITER_FORWARD), mnt.free_iter);
	if (!tb || !it)
		return Error{ENOMEM, "libmount: cannot allocate a table"};
	if (mnt.table_parse_stream(tb.get(), f, name.c_str()) < 0)
		return Error{EINVAL, "libmount cannot parse " + name};
	std::vector<MountEntry> out;
	struct libmnt_fs *fs;
	while (mnt.table_next_fs(tb.get(), it.get(), &fs) == 0) {
		MountEntry e;
		e.id = uint32_t(mnt.fs_get_id(fs));
		e.dev = mnt.fs_get_devno(fs);
		if (const char *s = mnt.fs_get_fstype(fs))
			e.fstype = s;
		if (const char *s = mnt.fs_get_source(fs))
			e.source = s;
		if (const char *s = mnt.fs_get_target(fs))
			e.target = s;
		if (const char *s = mnt.fs_get_root(fs))
			e.root = s;
		out.push_back(std::move(e));
	}
	return out;
}

// What the child of read_mount_table_in() does: only system calls, no allocation
// (the parent may have threads). Exit status 0, or the errno that stopped it.
[[noreturn]] void dump_table_of(int mntns_fd, int proc_fd, int out_fd)
{
	if (setns(mntns_fd, CLONE_NEWNS) < 0)
		_exit(errno);
	int fd = openat(proc_fd, "thread-self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(errno);
	char buf[16384];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0)
			_exit(errno);
		if (n == 0)
			_exit(0);
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out_fd, buf + off, size_t(n - off));
			if (w < 0)
				_exit(errno);
			off += w;
		}
	}
}

} // namespace

Result<std::vector<MountEntry>> parse_mount_table(const std::string &text, const std::string &name)
{
	std::unique_ptr<FILE, FileCloser> f(fmemopen(const_cast<char *>(text.data()), text.size(), "r"));
	if (!f)
		return Error::from_errno(errno, "cannot read " + name);
	return parse_stream(f.get(), name);
}

Result<std::vector<MountEntry>> read_mount_table(pid_t pid)
{
	std::string path = proc_path(pid, "mountinfo");
	std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "re"));
	if (!f)
		return Error::from_errno(errno, "cannot read " + path);
	return parse_stream(f.get(), path);
}

Result<std::vector<MountEntry>> read_mount_table_in(int mntns_fd)
{
	// The caller's /proc, opened before the child leaves for a namespace that may
	// have none: thread-self there is the child.
	auto proc = Fd::open("/proc", O_PATH | O_DIRECTORY);
	if (!proc)
		return proc.error();
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return Error::from_errno(errno, "cannot make a pipe");
	Fd rd(p[0]), wr(p[1]);
	pid_t child = fork();
	if (child < 0)
		return Error::from_errno(errno, "cannot fork to enter a mount namespace");
	if (child == 0)
		dump_table_of(mntns_fd, proc->get(), wr.get());
	wr.reset();
	std::string text;
	char buf[16384];
	for (;;) {
		ssize_t n = read(rd.get(), buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text.append(buf, size_t(n));
	}
	int status = 0;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		int err = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
		return Error::from_errno(err, "cannot enter the mount namespace to read its mounts");
	}
	return parse_mount_table(text, "the mount table of an entered namespace");
}

} // namespace nstree
