// SPDX-License-Identifier: GPL-2.0
// The references scan_file_refs() finds, from struct nstree_holder records: the
// module's one pass over the kernel's tasks (NSTREE_IOC_HOLDERS), or the native
// backend's BPF iterators (file_refs_bpf.cpp), which write the same records. Both
// report only what can matter, so only those few are read further through /proc
// (mount ID, path).
#include "file_refs.hpp"

#include <cctype>
#include <charconv>
#include <set>
#include <tuple>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fd.hpp"
#include "module_client.hpp"
#include "nstree.h"
#include "proc_path.hpp"

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
	case NSTREE_HOLDER_INFLIGHT:
		return FileRef::Kind::inflight;
	case NSTREE_HOLDER_UNIX_BOUND:
		return FileRef::Kind::unix_bound;
	case NSTREE_HOLDER_IO_URING:
		return FileRef::Kind::io_uring;
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

FileRef ref_of(const nstree_holder &h)
{
	FileRef r;
	r.kind = kind_of(h.kind);
	r.pid = pid_t(h.pid);
	r.fd = r.kind == FileRef::Kind::fd || r.held_through() ? int(h.fd) : -1;
	r.dev = makedev(h.dev_major, h.dev_minor);
	r.ino = h.ino;
	r.start = h.start;
	r.end = h.end;
	// An access mode is a file's or a mapping's: a cwd, root, exe or socket name has
	// none, as the /proc scan reports them.
	bool has_access = h.kind == NSTREE_HOLDER_FD || h.kind == NSTREE_HOLDER_MAP || h.kind == NSTREE_HOLDER_INFLIGHT ||
			  h.kind == NSTREE_HOLDER_IO_URING;
	r.access = has_access ? access_of(h) : "";
	bool w = h.access & NSTREE_ACCESS_WRITE;
	// A file in flight writes nothing until it is received; a ring writes through
	// its registered files as an fd does.
	r.writes = r.kind == FileRef::Kind::map ? w && (h.access & NSTREE_ACCESS_SHARED)
						: (r.kind == FileRef::Kind::fd || r.kind == FileRef::Kind::io_uring) && w;
	return r;
}

// The inode number of "socket:[N]", 0 for anything else.
uint64_t socket_inode(const std::string &link)
{
	uint64_t ino = 0;
	if (link.rfind("socket:[", 0) != 0)
		return 0;
	std::from_chars(link.data() + 8, link.data() + link.size(), ino);
	return ino;
}

// The name the unix socket of inode @sock is bound to, from the /proc/net/unix of
// its holder's network namespace ("Num RefCount Protocol Flags Type St Inode Path").
std::string unix_socket_name(pid_t pid, uint64_t sock)
{
	std::string table = read_whole_file(proc_path(pid, "net/unix"));
	std::string_view rest(table);
	while (!rest.empty()) {
		size_t nl = rest.find('\n');
		std::string_view line = rest.substr(0, nl);
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
		std::vector<std::string_view> f;
		for (size_t i = 0; i < line.size();) {
			while (i < line.size() && line[i] == ' ')
				i++;
			size_t j = line.find(' ', i);
			if (j == std::string_view::npos)
				j = line.size();
			if (j > i)
				f.push_back(line.substr(i, j - i));
			i = j;
		}
		uint64_t ino = 0;
		if (f.size() >= 8 && std::from_chars(f[6].data(), f[6].data() + f[6].size(), ino).ec == std::errc() &&
		    ino == sock)
			return std::string(f[7]);
	}
	return {};
}

// The name fdinfo gives registered file @index of the io_uring at /proc/PID/fd/FD:
// after "UserFiles:", one "  N: name" line per slot (the last part of the path).
std::string io_uring_file_name(pid_t pid, int fd, uint64_t index)
{
	std::string info = read_whole_file(proc_path(pid, "fdinfo/" + std::to_string(fd)));
	size_t at = info.find("UserFiles:");
	if (at == std::string::npos)
		return {};
	std::string_view rest = std::string_view(info).substr(at);
	const std::string key = std::to_string(index) + ": ";
	for (size_t nl = rest.find('\n'); nl != std::string_view::npos; nl = rest.find('\n', nl + 1)) {
		std::string_view line = rest.substr(nl + 1, rest.find('\n', nl + 1) - nl - 1);
		line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
		if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0])))
			break; // past the slots
		if (line.substr(0, key.size()) == key)
			return std::string(line.substr(key.size()));
	}
	return {};
}

// What the path of a reference held through another file is: the socket's name, the
// registered file's name; nothing for a file in flight (only its inode is known).
std::string held_through_path(const FileRef &r)
{
	switch (r.kind) {
	case FileRef::Kind::unix_bound:
		return unix_socket_name(r.pid, socket_inode(read_link(r.proc_link())));
	case FileRef::Kind::io_uring:
		return io_uring_file_name(r.pid, r.fd, r.start);
	default:
		return {};
	}
}

} // namespace

std::vector<FileRef> file_refs_from_records(const std::vector<nstree_holder> &records, const RefFilter &keep)
{
	std::vector<FileRef> out;
	std::set<std::tuple<pid_t, uint32_t, uint32_t, uint64_t, uint64_t>> seen;
	for (const auto &h : records) {
		// A thread group whose leader exited reports its mm once per thread.
		if (!seen.emplace(pid_t(h.pid), h.kind, h.fd, h.start, h.ino).second)
			continue;
		FileRef r = ref_of(h);
		if (h.flags & NSTREE_HOLDER_BUSY) {
			r.busy = true;
			out.push_back(std::move(r));
			continue;
		}
		if (r.kind == FileRef::Kind::inflight && (h.flags & NSTREE_HOLDER_MNTNS))
			continue; // an nsfs file in flight: its namespace cannot be entered from here
		if (h.mnt_id) {
			r.mnt_id = h.mnt_id;
		} else if (r.kind != FileRef::Kind::map && !r.held_through()) {
			struct statx st;
			if (statx(AT_FDCWD, r.proc_link().c_str(), 0, STATX_MNT_ID, &st) != 0)
				continue; // closed or exited meanwhile
			if (st.stx_mask & STATX_MNT_ID)
				r.mnt_id = uint32_t(st.stx_mnt_id);
		}
		if (!keep(r))
			continue;
		r.path = r.held_through() ? held_through_path(r) : read_link(r.proc_link());
		out.push_back(std::move(r));
	}
	return out;
}

Result<std::vector<FileRef>> module_file_refs(const ModuleClient &module, const std::vector<dev_t> &devs,
					      const RefFilter &keep, bool maps, uint32_t look_into)
{
	auto found = module.holders(devs, NSTREE_HOLDERS_DETACHED | (maps ? NSTREE_HOLDERS_MAPS : 0) | look_into);
	if (!found)
		return found.error();
	return file_refs_from_records(*found, keep);
}

} // namespace nstree
