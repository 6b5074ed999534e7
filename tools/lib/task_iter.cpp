// SPDX-License-Identifier: GPL-2.0
#include "task_iter.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

#include "fd.hpp"
#include "parallel.hpp"
#include "phase_timer.hpp"

#include "bpf/task_ns_record.h"
#ifdef NSTREE_HAVE_BPF
#include "bpf/task_ns_loader.h"
#endif

namespace nstree {

static_assert(NSTREE_TASK_NS_CMDLINE_MAX == kCommandBytes, "the iterator reads what one /proc read would");

namespace {

std::optional<uint64_t> nonzero(uint64_t v)
{
	return v ? std::optional<uint64_t>(v) : std::nullopt;
}

// The entry for one record and its command line.
ProcEntry to_entry(const nstree_task_ns_record &r, std::string_view cmdline)
{
	ProcEntry e;
	e.pid = e.tgid = pid_t(r.pid);
	e.ppid = pid_t(r.ppid);
	e.uid = r.euid;
	e.comm.assign(r.comm, strnlen(r.comm, sizeof(r.comm)));
	// /proc names kernel threads in full ("kworker/0:0-events"): a few reads.
	if (r.flags & NSTREE_TASK_NS_KTHREAD)
		read_proc_stat("/proc/" + std::to_string(r.pid), e);
	// After setproctitle(3) /proc shows the title through its first NUL.
	if (r.flags & NSTREE_TASK_NS_TITLE)
		if (auto nul = cmdline.find('\0'); nul != std::string_view::npos)
			cmdline = cmdline.substr(0, nul + 1);
	e.cmdline = std::string(cmdline);
	for (size_t t = 0; t < kNsTypes.size(); t++)
		e.ns[t] = r.inum[t];
	return e;
}

// The facts of the namespace in slot @t of @r.
NsFacts to_facts(const nstree_task_ns_record &r, size_t t)
{
	NsFacts f;
	f.type = kNsTypes[t].flag;
	f.inode = r.inum[t];
	f.id = nonzero(r.ns_id[t]);
	f.owner_inode = nonzero(r.owner_inum[t]);
	if (f.type == CLONE_NEWPID || f.type == CLONE_NEWUSER)
		f.parent_inode = nonzero(r.parent_inum[t]);
	if (f.type == CLONE_NEWUSER)
		f.owner_uid = r.user_owner_uid;
	return f;
}

} // namespace

Result<ProcScan> parse_task_records(std::span<const std::string_view> chunks)
{
	// Validate and index every record first; build entries in pid order after.
	struct Rec {
		uint32_t pid;
		const char *data;   // the record, unaligned
		std::string_view cmdline;
	};
	std::vector<Rec> recs;
	for (std::string_view bytes : chunks) {
		while (!bytes.empty()) {
			nstree_task_ns_record r;
			if (bytes.size() < sizeof(r))
				return Error{EPROTO, "BPF task iterator: a partial record (" +
							     std::to_string(bytes.size()) + " bytes)"};
			std::memcpy(&r, bytes.data(), sizeof(r));
			if (r.version != NSTREE_TASK_NS_VERSION || r.cmdline_len > NSTREE_TASK_NS_CMDLINE_MAX ||
			    bytes.size() - sizeof(r) < r.cmdline_len)
				return Error{EPROTO, "BPF task iterator: a malformed record (version " +
							     std::to_string(r.version) + ")"};
			recs.push_back({r.pid, bytes.data(), bytes.substr(sizeof(r), r.cmdline_len)});
			bytes.remove_prefix(sizeof(r) + r.cmdline_len);
		}
	}
	// Each chunk comes in pid order: one chunk needs no sort, several a merge.
	auto by_pid = [](const Rec &x, const Rec &y) { return x.pid < y.pid; };
	if (!std::is_sorted(recs.begin(), recs.end(), by_pid))
		std::sort(recs.begin(), recs.end(), by_pid);

	ProcScan scan;
	scan.entries.reserve(recs.size());
	// Namespaces by inode and type index, in the order first seen.
	std::unordered_map<uint64_t, size_t> seen;
	for (const Rec &rec : recs) {
		nstree_task_ns_record r;
		std::memcpy(&r, rec.data, sizeof(r));
		scan.entries.push_back(to_entry(r, rec.cmdline));
		for (size_t t = 0; t < kNsTypes.size(); t++) {
			if (!r.inum[t])
				continue;
			auto [it, fresh] = seen.try_emplace(uint64_t(r.inum[t]) << 3 | t, scan.namespaces.size());
			if (fresh)
				scan.namespaces.push_back(to_facts(r, t));
		}
	}
	return scan;
}

#ifdef NSTREE_HAVE_BPF

namespace {

// The initial namespaces have fixed inode numbers (include/linux/proc_ns.h).
constexpr uint64_t kInitUserIno = 0xEFFFFFFDU;
constexpr uint64_t kInitPidIno = 0xEFFFFFFCU;

bool own_ns_is(const char *type, uint64_t ino)
{
	struct stat st;
	return stat((std::string("/proc/self/ns/") + type).c_str(), &st) == 0 && st.st_ino == ino;
}

Error bpf_error(int err, const std::string &what)
{
	std::string hint = err == EPERM || err == EACCES ? " (loading BPF needs CAP_BPF and CAP_PERFMON)" : "";
	return Error{err, "BPF task iterator: " + what + ": " + std::strerror(err) + hint};
}

// The iterator's output, read until EOF. The buffer is not zero-filled: under TCG
// every page first touched is a fault, and only what read() wrote is kept.
struct Bytes {
	std::unique_ptr<char[]> data;
	size_t size = 0;
	std::string_view view() const { return {data.get(), size}; }
};

Result<Bytes> read_all(int iter_fd)
{
	size_t cap = size_t(1) << 18, bytes = 0;
	auto buf = std::make_unique_for_overwrite<char[]>(cap);
	for (;;) {
		if (bytes == cap) {
			auto bigger = std::make_unique_for_overwrite<char[]>(cap * 2);
			std::memcpy(bigger.get(), buf.get(), bytes);
			buf = std::move(bigger);
			cap *= 2;
		}
		ssize_t n = read(iter_fd, buf.get() + bytes, cap - bytes);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return bpf_error(errno, "read");
		}
		if (n == 0)
			break;
		bytes += size_t(n);
	}
	return Bytes{std::move(buf), bytes};
}

// What nstree_task_ns_load() keeps, closed on the way out.
struct LoadedIter {
	nstree_task_ns_iter it{-1, -1};
	LoadedIter() = default;
	LoadedIter(const LoadedIter &) = delete;
	LoadedIter &operator=(const LoadedIter &) = delete;
	~LoadedIter() { nstree_task_ns_unload(&it); }
};

} // namespace

bool task_iter_built()
{
	return true;
}

Result<ProcScan> scan_processes_bpf()
{
	if (!own_ns_is("pid", kInitPidIno) || !own_ns_is("user", kInitUserIno))
		return Error{EPERM, "BPF task iterator: not in the initial pid and user namespaces, whose "
				    "pids and uids it reports"};
	PhaseTimer timer;
	LoadedIter loaded;
	if (int err = nstree_task_ns_load(&loaded.it))
		return bpf_error(-err, "load (needs CO-RE and BTF: Linux >= 5.18 with /sys/kernel/btf/vmlinux)");
	timer.mark("  bpf load");
	// One reader per CPU (up to the iterator's limit), each reporting the processes
	// whose pid falls to it: reading another process's command line is most of the
	// cost, and it runs in the reader's read().
	size_t shards = cpu_parts(NSTREE_TASK_NS_MAX_SHARDS);
	std::vector<std::optional<Result<Bytes>>> out(shards);
	run_parts(shards, [&](size_t i) {
		int fd = nstree_task_ns_reader_open(&loaded.it, unsigned(i), unsigned(shards));
		if (fd < 0) {
			out[i] = bpf_error(-fd, "create an iterator");
			return;
		}
		Fd iter(fd);
		out[i] = read_all(iter.get());
	});
	timer.mark("  bpf read");
	std::vector<std::string_view> chunks;
	for (auto &o : out) {
		if (!*o)
			return o->error();
		chunks.push_back((*o)->view());
	}
	return parse_task_records(chunks);
}

#else

bool task_iter_built()
{
	return false;
}

Result<ProcScan> scan_processes_bpf()
{
	return Error{ENOSYS, "BPF task iterator: not built in (clang, bpftool or libbpf-dev was missing at build time)"};
}

#endif

} // namespace nstree
