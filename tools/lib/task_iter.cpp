// SPDX-License-Identifier: GPL-2.0
#include "task_iter.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.hpp"
#include "phase_timer.hpp"

#ifdef NSTREE_HAVE_BPF
#include "bpf/task_ns_loader.h"
#include "bpf/task_ns_record.h"
#endif

namespace nstree {

#ifdef NSTREE_HAVE_BPF

static_assert(NSTREE_TASK_NS_CMDLINE_MAX == kCommandBytes, "the iterator reads what one /proc read would");

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

// Records back to back, each followed by its command line.
Result<ProcScan> to_scan(std::string_view bytes)
{
	ProcScan scan;
	std::map<std::pair<uint32_t, uint64_t>, NsFacts> seen;
	while (!bytes.empty()) {
		nstree_task_ns_record r;
		if (bytes.size() < sizeof(r))
			return Error{EPROTO, "BPF task iterator: a partial record (" + std::to_string(bytes.size()) +
						     " bytes)"};
		std::memcpy(&r, bytes.data(), sizeof(r));
		bytes.remove_prefix(sizeof(r));
		if (r.version != NSTREE_TASK_NS_VERSION || r.cmdline_len > NSTREE_TASK_NS_CMDLINE_MAX ||
		    bytes.size() < r.cmdline_len)
			return Error{EPROTO, "BPF task iterator: a malformed record (version " +
						     std::to_string(r.version) + ")"};
		scan.entries.push_back(to_entry(r, bytes.substr(0, r.cmdline_len)));
		bytes.remove_prefix(r.cmdline_len);
		for (size_t t = 0; t < kNsTypes.size(); t++) {
			if (!r.inum[t])
				continue;
			auto [it, fresh] = seen.try_emplace({kNsTypes[t].flag, r.inum[t]});
			if (fresh)
				it->second = to_facts(r, t);
		}
	}
	std::sort(scan.entries.begin(), scan.entries.end(),
		  [](const ProcEntry &a, const ProcEntry &b) { return a.pid < b.pid; });
	for (auto &[key, f] : seen)
		scan.namespaces.push_back(f);
	return scan;
}

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
	int fd = nstree_task_ns_iter_open();
	if (fd < 0)
		return bpf_error(-fd, "load (needs CO-RE and BTF: Linux >= 5.18 with /sys/kernel/btf/vmlinux)");
	Fd iter(fd);
	timer.mark("  bpf load");
	auto bytes = read_all(iter.get());
	if (!bytes)
		return bytes.error();
	timer.mark("  bpf read");
	return to_scan(bytes->view());
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
