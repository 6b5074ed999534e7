// SPDX-License-Identifier: GPL-2.0
#include "file_refs.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fd.hpp"
#include "parallel.hpp"
#include "proc_path.hpp"
#include "statx_batch.hpp"

namespace nstree {

namespace {

constexpr unsigned kMask = STATX_INO | STATX_MNT_ID;
constexpr size_t kProcessesPerBatch = 512;

// "r", "w" or "rw" from fdinfo's octal "flags:" line.
std::string fd_access(pid_t pid, int fd)
{
	std::string info = read_small_file(proc_path(pid, "fdinfo/" + std::to_string(fd)));
	auto pos = info.find("flags:");
	if (pos == std::string::npos)
		return "?";
	pos += 6;
	while (pos < info.size() && (info[pos] == ' ' || info[pos] == '\t'))
		pos++;
	unsigned flags = 0;
	std::from_chars(info.data() + pos, info.data() + info.size(), flags, 8);
	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		return "w";
	case O_RDWR:
		return "rw";
	default:
		return "r";
	}
}

struct Pending {
	FileRef ref;
	size_t slot;
};

// Queues the fd, cwd, root and exe links of @pid.
void queue_links(pid_t pid, StatxBatch &batch, std::vector<Pending> &pending, std::set<pid_t> &refused)
{
	auto queue = [&](FileRef::Kind kind, int fd, const std::string &rest) {
		FileRef r;
		r.kind = kind;
		r.pid = pid;
		r.fd = fd;
		pending.push_back({std::move(r), batch.add(proc_path(pid, rest), kMask)});
	};
	queue(FileRef::Kind::cwd, -1, "cwd");
	queue(FileRef::Kind::root, -1, "root");
	queue(FileRef::Kind::exe, -1, "exe");
	Dir d = open_dir(proc_path(pid, "fd"));
	if (!d) {
		if (errno == EACCES || errno == EPERM)
			refused.insert(pid);
		return;
	}
	while (struct dirent *e = readdir(d.get())) {
		int fd = 0;
		const char *end = e->d_name + std::strlen(e->d_name);
		auto [p, ec] = std::from_chars(e->d_name, end, fd);
		if (ec == std::errc() && p == end)
			queue(FileRef::Kind::fd, fd, "fd/" + std::string(e->d_name));
	}
}


} // namespace

void scan_maps(pid_t pid, const RefFilter &keep, std::vector<FileRef> &out)
{
	std::string maps = read_whole_file(proc_path(pid, "maps"));
	std::string_view rest(maps);
	dev_t last_dev = 0;
	bool last_keep = false, have_last = false;
	while (!rest.empty()) {
		size_t nl = rest.find('\n');
		std::string_view line = rest.substr(0, nl);
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
		auto r = parse_maps_line(line);
		if (!r)
			continue;
		r->pid = pid;
		// Most mappings of a process are of a few files on one filesystem: ask the
		// filter once per run of one device.
		if (!have_last || r->dev != last_dev) {
			last_keep = keep(*r);
			last_dev = r->dev;
			have_last = true;
		}
		if (last_keep)
			out.push_back(std::move(*r));
	}
}

std::string FileRef::proc_link() const
{
	char range[48];
	switch (kind) {
	case Kind::fd:
	case Kind::inflight:
	case Kind::unix_bound:
	case Kind::io_uring:
		return proc_path(pid, "fd/" + std::to_string(fd));
	case Kind::map:
		std::snprintf(range, sizeof(range), "map_files/%llx-%llx", static_cast<unsigned long long>(start),
			      static_cast<unsigned long long>(end));
		return proc_path(pid, range);
	case Kind::cwd:
		return proc_path(pid, "cwd");
	case Kind::root:
		return proc_path(pid, "root");
	case Kind::exe:
		return proc_path(pid, "exe");
	}
	return proc_path(pid);
}

std::string FileRef::str() const
{
	char range[64];
	switch (kind) {
	case Kind::fd:
		return "fd " + std::to_string(fd) + " (" + access + ") " + path;
	case Kind::map:
		std::snprintf(range, sizeof(range), "mapping %llx-%llx ", static_cast<unsigned long long>(start),
			      static_cast<unsigned long long>(end));
		return range + access + " " + path;
	case Kind::cwd:
		return "cwd " + path;
	case Kind::root:
		return "root " + path;
	case Kind::exe:
		return "exe " + path;
	case Kind::inflight:
		return "fd " + std::to_string(fd) + " (unix socket): a file in flight (SCM_RIGHTS, not yet received), inode " +
		       std::to_string(ino);
	case Kind::unix_bound:
		return "fd " + std::to_string(fd) + " (unix socket) bound to " + (path.empty() ? "inode " + std::to_string(ino) : path);
	case Kind::io_uring:
		return "fd " + std::to_string(fd) + " (io_uring): registered file " + std::to_string(start) +
		       (path.empty() ? "" : " " + path) + ", inode " + std::to_string(ino);
	}
	return path;
}

std::optional<FileRef> parse_maps_line(std::string_view line)
{
	// START-END PERMS OFFSET MAJ:MIN INODE [PATH]
	auto field = [&](std::string_view &s) {
		while (!s.empty() && s.front() == ' ')
			s.remove_prefix(1);
		size_t sp = s.find(' ');
		std::string_view f = s.substr(0, sp);
		s = sp == std::string_view::npos ? std::string_view() : s.substr(sp);
		return f;
	};
	std::string_view s = line;
	std::string_view range = field(s), perms = field(s), offset = field(s), dev = field(s), inode = field(s);
	(void)offset;
	FileRef r;
	r.kind = FileRef::Kind::map;
	size_t dash = range.find('-');
	size_t colon = dev.find(':');
	if (dash == std::string_view::npos || colon == std::string_view::npos || perms.size() != 4)
		return std::nullopt;
	unsigned maj = 0, min = 0;
	if (std::from_chars(range.data(), range.data() + dash, r.start, 16).ec != std::errc() ||
	    std::from_chars(range.data() + dash + 1, range.data() + range.size(), r.end, 16).ec != std::errc() ||
	    std::from_chars(dev.data(), dev.data() + colon, maj, 16).ec != std::errc() ||
	    std::from_chars(dev.data() + colon + 1, dev.data() + dev.size(), min, 16).ec != std::errc() ||
	    std::from_chars(inode.data(), inode.data() + inode.size(), r.ino).ec != std::errc())
		return std::nullopt;
	if (r.ino == 0)
		return std::nullopt;
	r.dev = makedev(maj, min);
	r.access = std::string(perms);
	r.writes = perms[1] == 'w' && perms[3] == 's';
	while (!s.empty() && s.front() == ' ')
		s.remove_prefix(1);
	r.path = std::string(s);
	return r;
}

namespace {

// One part of the scan, on one thread.
void scan_part(const std::vector<pid_t> &pids, size_t begin, size_t end, const RefFilter &keep, bool maps,
	       std::vector<FileRef> &out, std::set<pid_t> &refused)
{
	StatxBatch batch;
	for (size_t first = begin; first < end; first += kProcessesPerBatch) {
		size_t last = std::min(end, first + kProcessesPerBatch);
		std::vector<Pending> pending;
		batch.clear();
		for (size_t i = first; i < last; i++)
			queue_links(pids[i], batch, pending, refused);
		batch.run();
		for (auto &p : pending) {
			if (batch.error(p.slot))
				continue; // closed or exited meanwhile, or not ours to follow
			const struct statx &st = batch.result(p.slot);
			p.ref.dev = makedev(st.stx_dev_major, st.stx_dev_minor);
			p.ref.ino = st.stx_ino;
			if (st.stx_mask & STATX_MNT_ID)
				p.ref.mnt_id = uint32_t(st.stx_mnt_id);
			if (!keep(p.ref))
				continue;
			p.ref.path = read_link(p.ref.proc_link());
			if (p.ref.kind == FileRef::Kind::fd) {
				p.ref.access = fd_access(p.ref.pid, p.ref.fd);
				p.ref.writes = p.ref.access != "r";
			}
			out.push_back(std::move(p.ref));
		}
		if (maps)
			for (size_t i = first; i < last; i++)
				scan_maps(pids[i], keep, out);
	}
}

} // namespace

std::vector<FileRef> scan_file_refs(const std::vector<pid_t> &pids, const RefFilter &keep, bool maps,
				    std::set<pid_t> &refused)
{
	size_t parts = parallel_parts(pids.size(), 256);
	std::vector<std::vector<FileRef>> outs(parts);
	std::vector<std::set<pid_t>> refusals(parts);
	run_parts(parts, [&](size_t p) {
		auto [begin, end] = part_range(pids.size(), p, parts);
		scan_part(pids, begin, end, keep, maps, outs[p], refusals[p]);
	});
	std::vector<FileRef> out;
	for (size_t p = 0; p < parts; p++) {
		out.insert(out.end(), std::make_move_iterator(outs[p].begin()), std::make_move_iterator(outs[p].end()));
		refused.insert(refusals[p].begin(), refusals[p].end());
	}
	return out;
}

} // namespace nstree
