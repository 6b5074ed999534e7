// SPDX-License-Identifier: GPL-2.0
#include "task_iter.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "fd.hpp"
#include "proc_path.hpp"
#include "key_index.hpp"
#include "parallel.hpp"
#include "phase_timer.hpp"
#include "raw_buffer.hpp"

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
		read_proc_stat(proc_path(pid_t(r.pid)), e);
	// After setproctitle(3) /proc shows the title through its first NUL.
	if (r.flags & NSTREE_TASK_NS_TITLE)
		if (auto nul = cmdline.find('\0'); nul != std::string_view::npos)
			cmdline = cmdline.substr(0, nul + 1);
	e.command = command_from_cmdline(std::string(cmdline), e.comm);
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

// The records are packed: sizeof(record) plus a command line each, about.
constexpr size_t kRecordGuess = sizeof(nstree_task_ns_record) + 32;

} // namespace

Result<ProcessTable> parse_task_chunk(std::string_view bytes)
{
	ProcessTable scan;
	scan.entries.reserve(bytes.size() / kRecordGuess + 1);
	// Namespaces in the order first seen; most processes share most of theirs.
	KeyIndex seen; // (type index, inode)
	seen.reserve(bytes.size() / kRecordGuess * 2 + 64);
	std::array<uint32_t, kNsTypes.size()> last{}; // the previous record's: seen
	while (!bytes.empty()) {
		nstree_task_ns_record r;
		if (bytes.size() < sizeof(r))
			return Error{EPROTO,
				     "BPF task iterator: a partial record (" + std::to_string(bytes.size()) + " bytes)"};
		std::memcpy(&r, bytes.data(), sizeof(r));
		if (r.version != NSTREE_TASK_NS_VERSION || r.cmdline_len > NSTREE_TASK_NS_CMDLINE_MAX ||
		    bytes.size() - sizeof(r) < r.cmdline_len)
			return Error{EPROTO,
				     "BPF task iterator: a malformed record (version " + std::to_string(r.version) + ")"};
		if (!scan.entries.empty() && pid_t(r.pid) <= scan.entries.back().pid)
			return Error{EPROTO, "BPF task iterator: pid " + std::to_string(r.pid) + " out of order"};
		scan.entries.push_back(to_entry(r, bytes.substr(sizeof(r), r.cmdline_len)));
		for (size_t t = 0; t < kNsTypes.size(); t++) {
			if (!r.inum[t] || r.inum[t] == last[t])
				continue;
			last[t] = r.inum[t];
			if (seen.insert(uint32_t(t), r.inum[t], scan.namespaces.size()))
				scan.namespaces.push_back(to_facts(r, t));
		}
		bytes.remove_prefix(sizeof(r) + r.cmdline_len);
	}
	return scan;
}

Result<ProcessTable> merge_task_chunks(std::vector<Result<ProcessTable>> parts)
{
	size_t entries = 0, namespaces = 0;
	for (auto &p : parts) {
		if (!p)
			return p.error();
		entries += p->entries.size();
		namespaces += p->namespaces.size();
	}
	if (parts.size() == 1)
		return std::move(parts.front());
	ProcessTable out;
	out.entries.reserve(entries);
	out.namespaces.reserve(namespaces);
	KeyIndex seen; // (type, inode)
	seen.reserve(namespaces);
	// Each part is in pid order: take the lowest head each time, moving each entry
	// once (the parts interleave throughout: readers share pids modulo their count).
	std::vector<size_t> head(parts.size());
	for (;;) {
		size_t best = parts.size();
		for (size_t p = 0; p < parts.size(); p++)
			if (head[p] < parts[p]->entries.size() &&
			    (best == parts.size() ||
			     parts[p]->entries[head[p]].pid < parts[best]->entries[head[best]].pid))
				best = p;
		if (best == parts.size())
			break;
		out.entries.push_back(std::move(parts[best]->entries[head[best]++]));
	}
	for (auto &p : parts)
		for (auto &f : p->namespaces)
			if (seen.insert(f.type, f.inode, out.namespaces.size()))
				out.namespaces.push_back(std::move(f));
	return out;
}

Result<ProcessTable> parse_task_records(std::span<const std::string_view> chunks)
{
	if (chunks.empty())
		return ProcessTable{};
	std::vector<Result<ProcessTable>> parts(chunks.size(), Error{0, ""});
	run_parts(chunks.size(), [&](size_t i) { parts[i] = parse_task_chunk(chunks[i]); });
	return merge_task_chunks(std::move(parts));
}

#ifdef NSTREE_HAVE_BPF

namespace {

// The initial namespaces have fixed inode numbers (include/linux/proc_ns.h).
constexpr uint64_t kInitUserIno = 0xEFFFFFFDU;
constexpr uint64_t kInitPidIno = 0xEFFFFFFCU;

bool own_ns_is(const char *type, uint64_t ino)
{
	return own_ns_inode(type) == ino;
}

Error bpf_error(int err, const std::string &what)
{
	std::string hint = err == EPERM || err == EACCES ? " (loading BPF needs CAP_BPF and CAP_PERFMON)" : "";
	return Error{err, "BPF task iterator: " + what + ": " + std::strerror(err) + hint};
}

// The iterator's output, read until EOF.
Result<RawBuffer> read_all(int iter_fd)
{
	size_t cap = size_t(1) << 18;
	RawBuffer buf(cap);
	for (;;) {
		if (buf.size == cap) {
			RawBuffer bigger(cap * 2);
			std::memcpy(bigger.data.get(), buf.data.get(), buf.size);
			bigger.size = buf.size;
			buf = std::move(bigger);
			cap *= 2;
		}
		ssize_t n = read(iter_fd, buf.data.get() + buf.size, cap - buf.size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return bpf_error(errno, "read");
		}
		if (n == 0)
			break;
		buf.size += size_t(n);
	}
	return buf;
}

// What nstree_task_ns_load() keeps, closed on the way out.
struct LoadedIter {
	nstree_task_ns_iter it{-1, -1};
	LoadedIter() = default;
	LoadedIter(const LoadedIter &) = delete;
	LoadedIter &operator=(const LoadedIter &) = delete;
	~LoadedIter() { nstree_task_ns_unload(&it); }
};

// A reader's registration in the readers map and its iterator fd; the
// registration is withdrawn when the reader is done with the fd.
class Registration {
public:
	Registration(const nstree_task_ns_iter &it, unsigned index, unsigned count, unsigned flags) : it_(it)
	{
		int fd = nstree_task_ns_reader_open(&it, index, count, flags);
		if (fd < 0)
			err_ = -fd;
		else
			fd_.reset(fd);
	}
	Registration(const Registration &) = delete;
	Registration &operator=(const Registration &) = delete;
	~Registration()
	{
		if (fd_)
			nstree_task_ns_reader_done(&it_);
	}
	int fd() const { return fd_.get(); }
	int error() const { return err_; } // when fd() < 0: why (an errno value)

private:
	const nstree_task_ns_iter &it_;
	Fd fd_;
	int err_ = 0;
};

// One reader's share through @it: its bytes, parsed once the registration is withdrawn.
Result<ProcessTable> read_share(const nstree_task_ns_iter &it, unsigned index, unsigned count, unsigned flags)
{
	Result<RawBuffer> bytes = Error{0, ""};
	{
		Registration reader(it, index, count, flags);
		if (reader.fd() < 0)
			return bpf_error(reader.error(), "create an iterator");
		bytes = read_all(reader.fd());
	}
	if (!bytes)
		return bytes.error();
	return parse_task_chunk(bytes->view());
}

// The table through @it: one reader per CPU (up to the iterator's limit), each
// reporting the processes whose pid falls to it (reading another process's
// command line is most of the cost, and it runs in the reader's read()), and
// parsing its share once read, while the others may still read.
Result<ProcessTable> read_table(const nstree_task_ns_iter &it, unsigned flags, PhaseTimer &timer)
{
	size_t shards = cpu_parts(NSTREE_TASK_NS_MAX_SHARDS);
	std::vector<Result<ProcessTable>> parts(shards, Error{0, ""});
	run_parts(shards, [&](size_t i) { parts[i] = read_share(it, unsigned(i), unsigned(shards), flags); });
	timer.mark("  bpf read+parse");
	auto merged = merge_task_chunks(std::move(parts));
	timer.mark("  merge");
	return merged;
}

} // namespace

bool task_iter_built()
{
	return true;
}

Result<ProcessTable> scan_processes_bpf(bool commands)
{
	if (!own_ns_is("pid", kInitPidIno) || !own_ns_is("user", kInitUserIno))
		return Error{EPERM, "BPF task iterator: not in the initial pid and user namespaces, whose "
				    "pids and uids it reports"};
	PhaseTimer timer;
	// Loaded for this run and gone with it: a listing leaves nothing behind.
	LoadedIter loaded;
	if (int err = nstree_task_ns_load(&loaded.it))
		return bpf_error(-err, "load (needs CO-RE and BTF: Linux >= 5.18 with /sys/kernel/btf/vmlinux)");
	timer.mark("  bpf load");
	auto table = read_table(loaded.it, commands ? 0 : NSTREE_TASK_NS_NO_CMDLINE, timer);
	if (table)
		table->source = "BPF task iterator";
	return table;
}

#else

bool task_iter_built()
{
	return false;
}

Result<ProcessTable> scan_processes_bpf(bool)
{
	return Error{ENOSYS, "BPF task iterator: not built in (clang, bpftool or libbpf-dev was missing at build time)"};
}

#endif

} // namespace nstree
