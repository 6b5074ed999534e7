// SPDX-License-Identifier: GPL-2.0
// The references scan_file_refs() finds, as the module finds them in one pass over
// the kernel's tasks (NSTREE_IOC_HOLDERS): the module reports only what can matter,
// so only those few are read further through /proc (mount ID, path).
#include "file_refs.hpp"

#include <set>
#include <tuple>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "module_client.hpp"
#include "nstree.h"

namespace nstree {

namespace {

FileRef::Kind kind_of(uint32_t k)
{
	switch (k) {
	case NSTREE_HOLDER_MAP:
		return FileRef::Kind::map;
	case NSTREE_HOLDER_CWD:
		return FileRef::Kind::cwd;
	case NSTREE_HOLDER_ROOT:
		return FileRef::Kind::root;
	case NSTREE_HOLDER_EXE:
		return FileRef::Kind::exe;
	default:
		return FileRef::Kind::fd;
	}
}

// "r", "w", "rw" for an fd; "rwxs"-style permissions for a mapping, as maps shows.
std::string access_of(const nstree_holder &h)
{
	bool r = h.access & NSTREE_ACCESS_READ, w = h.access & NSTREE_ACCESS_WRITE;
	if (h.kind != NSTREE_HOLDER_MAP)
		return w ? (r ? "rw" : "w") : "r";
	std::string p = "----";
	p[0] = r ? 'r' : '-';
	p[1] = w ? 'w' : '-';
	p[2] = h.access & NSTREE_ACCESS_EXEC ? 'x' : '-';
	p[3] = h.access & NSTREE_ACCESS_SHARED ? 's' : 'p';
	return p;
}

std::string read_link(const std::string &path)
{
	char buf[4096];
	ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
	return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

FileRef ref_of(const nstree_holder &h)
{
	FileRef r;
	r.kind = kind_of(h.kind);
	r.pid = pid_t(h.pid);
	r.fd = r.kind == FileRef::Kind::fd ? int(h.fd) : -1;
	r.dev = makedev(h.dev_major, h.dev_minor);
	r.ino = h.ino;
	r.start = h.start;
	r.end = h.end;
	r.access = access_of(h);
	bool w = h.access & NSTREE_ACCESS_WRITE;
	r.writes = r.kind == FileRef::Kind::map ? w && (h.access & NSTREE_ACCESS_SHARED) : r.kind == FileRef::Kind::fd && w;
	return r;
}

} // namespace

Result<std::vector<FileRef>> module_file_refs(const ModuleClient &module, const std::vector<dev_t> &devs,
					      const RefFilter &keep, bool maps)
{
	auto found = module.holders(devs, NSTREE_HOLDERS_DETACHED | (maps ? NSTREE_HOLDERS_MAPS : 0));
	if (!found)
		return found.error();
	std::vector<FileRef> out;
	std::set<std::tuple<pid_t, uint32_t, uint32_t, uint64_t>> seen;
	for (const auto &h : *found) {
		// A thread group whose leader exited reports its mm once per thread.
		if (!seen.emplace(pid_t(h.pid), h.kind, h.fd, h.start).second)
			continue;
		FileRef r = ref_of(h);
		if (h.mnt_id) {
			r.mnt_id = h.mnt_id;
		} else if (r.kind != FileRef::Kind::map) {
			struct statx st;
			if (statx(AT_FDCWD, r.proc_link().c_str(), 0, STATX_MNT_ID, &st) != 0)
				continue; // closed or exited meanwhile
			if (st.stx_mask & STATX_MNT_ID)
				r.mnt_id = uint32_t(st.stx_mnt_id);
		}
		if (!keep(r))
			continue;
		r.path = read_link(r.proc_link());
		out.push_back(std::move(r));
	}
	return out;
}

} // namespace nstree
