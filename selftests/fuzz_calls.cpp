// SPDX-License-Identifier: GPL-2.0
// The fuzzer's calls, one function per interface: each builds a valid request,
// mutates it a little, makes the call and has it judged (fuzz_kit.hpp).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <vector>

#include "fuzz_kit.hpp"
#include "harness.hpp"
#include "listns_util.hpp"

namespace selftest::fuzz {

void fuzz_version(Rng &rng, World &w, Memory &m, Violations &v)
{
	Request r = {};
	auto *q = reinterpret_cast<nstree_version *>(r.buf);
	q->size = sizeof(*q);
	if (rng.coin(20)) {
		q->abi = uint32_t(rng.next() | 1);
		r.bad("abi set");
	}
	if (rng.coin(20)) {
		q->features = rng.next() | 1;
		r.bad("features set");
	}
	if (rng.coin(20)) {
		q->module_version[rng.below(sizeof(q->module_version))] = 'x';
		r.bad("version string set");
	}
	if (rng.coin(30))
		mutate_size(rng, r, sizeof(*q));
	void *arg = r.buf;
	if (rng.coin(15) && q->size == sizeof(*q)) { // only the struct itself moves
		bool ok;
		arg = reinterpret_cast<void *>(pointer(rng, m, sizeof(*q), &ok));
		if (!ok)
			r.bad("bad pointer");
		else if (arg != r.buf)
			m.place(uintptr_t(arg), r.buf, sizeof(*q));
	}
	judge(w, r, do_ioctl(w.ctl, NSTREE_IOC_VERSION, arg), "NSTREE_IOC_VERSION", false, v);
}

void fuzz_ns_id(Rng &rng, World &w, Memory &m, Violations &v)
{
	Request r = {};
	auto *q = reinterpret_cast<nstree_ns_id *>(r.buf);
	q->size = sizeof(*q);
	q->fd = rng.pick(w.fds);
	if (rng.coin(10)) {
		q->ns_id = rng.next() | 1;
		r.bad("ns_id set");
	}
	if (rng.coin(10)) {
		q->reserved = rng.next() | 1;
		r.bad("reserved set");
	}
	if (rng.coin(20))
		mutate_size(rng, r, sizeof(*q));
	void *arg = r.buf;
	if (rng.coin(5)) {
		arg = m.unmapped();
		r.bad("unmapped request");
	}
	judge(w, r, do_ioctl(w.ctl, NSTREE_IOC_NS_ID, arg), "NSTREE_IOC_NS_ID", false, v);
}

void fuzz_open(Rng &rng, World &w, Memory &, Violations &v)
{
	Request r = {};
	auto *q = reinterpret_cast<nstree_open *>(r.buf);
	q->size = sizeof(*q);
	bool by_fd = rng.coin(40);
	q->flags = (by_fd ? NSTREE_OPEN_BY_FD : 0) | (rng.coin(50) ? NSTREE_OPEN_NSFS : 0);
	if (by_fd)
		q->fd = rng.pick(w.fds);
	else
		q->ns_id = rng.pick(w.ids) + (rng.coin(10) ? rng.below(4) : 0);
	if (rng.coin(25)) {
		const auto &t = kNsTypes[rng.below(kNsTypes.size())];
		q->ns_type = uint32_t(t.flag);
	}
	if (rng.coin(8)) {
		q->ns_type = uint32_t(rng.next()) | 3; // never exactly one type bit
		r.bad("bad type");
	}
	if (rng.coin(8)) {
		q->flags |= 1U << (2 + rng.below(30));
		r.bad("unknown flag");
	}
	if (rng.coin(8)) {
		q->reserved = rng.next() | 1;
		r.bad("reserved set");
	}
	if (by_fd && rng.coin(8)) {
		q->ns_id = rng.next() | 1;
		r.bad("ID with BY_FD");
	}
	if (!by_fd && rng.coin(8)) {
		q->fd = int(rng.below(1000)) + 1;
		r.bad("fd without BY_FD");
	}
	if (rng.coin(20))
		mutate_size(rng, r, sizeof(*q));
	judge(w, r, do_ioctl(w.ctl, NSTREE_IOC_OPEN, r.buf), "NSTREE_IOC_OPEN", true, v);
}

void fuzz_listns(Rng &rng, World &w, Memory &m, Violations &v)
{
	Request r = {};
	auto *q = reinterpret_cast<nstree_listns *>(r.buf);
	q->size = sizeof(*q);
	alignas(8) unsigned char reqbuf[kPage + 64] = {};
	auto *req = reinterpret_cast<ns_id_req *>(reqbuf);
	req->size = sizeof(*req);
	req->ns_id = rng.coin(50) ? 0 : rng.pick(w.ids);
	req->ns_type = rng.coin(50) ? 0 : uint32_t(kNsTypes[rng.below(kNsTypes.size())].flag);
	if (rng.coin(20))
		req->user_ns_id = rng.coin(30) ? LISTNS_CURRENT_USER : rng.pick(w.ids);
	if (rng.coin(8)) {
		req->spare = uint32_t(rng.next()) | 1;
		r.bad("spare set");
	}
	if (rng.coin(8)) {
		req->ns_type |= 1U << rng.below(7); // bits 0-6: no type
		r.bad("unknown type bit");
	}
	std::vector<uint64_t> out(1024);
	q->req = reinterpret_cast<uintptr_t>(reqbuf);
	q->ns_ids = reinterpret_cast<uintptr_t>(out.data());
	q->nr_ns_ids = rng.pick<uint64_t>({0, 1, 3, 16, 1024});
	if (rng.coin(10)) {
		q->flags = uint32_t(rng.next()) | 1;
		r.bad("flags set");
	}
	if (rng.coin(5)) {
		q->nr_ns_ids = 1000001 + rng.below(1ULL << 40);
		r.bad("too many");
	}
	if (rng.coin(10)) {
		bool ok;
		q->ns_ids = pointer(rng, m, size_t(q->nr_ns_ids) * 8, &ok);
	}
	if (rng.coin(15)) { // before the request is placed anywhere else
		Request inner = {};
		std::memcpy(inner.buf, reqbuf, sizeof(inner.buf));
		mutate_size(rng, inner, sizeof(*req));
		std::memcpy(reqbuf, inner.buf, sizeof(reqbuf));
		if (inner.must_fail)
			r.bad(inner.why.c_str());
	}
	if (rng.coin(10) && req->size == sizeof(*req)) { // only the struct itself moves
		bool ok;
		q->req = pointer(rng, m, sizeof(*req), &ok, false);
		if (!ok)
			r.bad("bad request pointer");
		else if (q->req != uintptr_t(reqbuf))
			m.place(q->req, reqbuf, sizeof(*req));
	}
	// Under nstree compat's filter, half of the calls are listns(2) itself: the
	// same request without the ioctl's own struct.
	const bool via_syscall = w.trapped && rng.coin(50);
	if (rng.coin(15) && !via_syscall)
		mutate_size(rng, r, sizeof(*q));
	Outcome o;
	if (via_syscall) {
		errno = 0;
		long n = syscall(470, q->req, q->ns_ids, q->nr_ns_ids, q->flags);
		o = {n, n < 0 ? errno : 0};
	} else {
		o = do_ioctl(w.ctl, NSTREE_IOC_LISTNS, r.buf);
	}
	const char *what = via_syscall ? "listns(2) under nstree compat" : "NSTREE_IOC_LISTNS";
	judge(w, r, o, what, false, v);
	if (o.ret > 0 && q->ns_ids == uintptr_t(out.data())) {
		for (long i = 0; i < o.ret; i++) {
			if (i && out[size_t(i)] <= out[size_t(i - 1)])
				v.add(std::string(what) + ": IDs not ascending");
			if (!w.see_all && !w.own.count(out[size_t(i)]))
				v.add(std::string(what) + " listed " + std::to_string(out[size_t(i)]) +
				      ", not one of the caller's own");
		}
	}
}

// The bytes of a handle: upstream's layout with live, dead or made-up fields.
void fill_handle(Rng &rng, World &w, struct file_handle *fh, Request &r)
{
	auto *h = reinterpret_cast<nsfs_file_handle *>(fh->f_handle);
	fh->handle_bytes = sizeof(*h);
	fh->handle_type = FILEID_NSFS;
	h->ns_id = rng.pick(w.ids);
	if (rng.coin(50)) {
		const auto &t = kNsTypes[rng.below(kNsTypes.size())];
		h->ns_type = uint32_t(t.flag);
		h->ns_inum = uint32_t(rng.coin(50) ? 0xf0000000 + rng.below(1 << 20) : rng.next());
	}
	switch (rng.below(8)) {
	case 0:
		fh->handle_bytes = 0;
		r.bad("handle_bytes 0");
		break;
	case 1:
		fh->handle_bytes = 129 + uint32_t(rng.below(1 << 20));
		r.bad("handle_bytes above MAX_HANDLE_SZ");
		break;
	case 2:
		fh->handle_type = -int(1 + rng.below(1000));
		r.bad("negative handle_type");
		break;
	case 3:
		fh->handle_bytes = uint32_t(rng.below(129));
		break;
	case 4:
		fh->handle_type = int(rng.below(256));
		break;
	default:
		break;
	}
}

void fuzz_open_handle(Rng &rng, World &w, Memory &m, Violations &v)
{
	Request r = {};
	auto *q = reinterpret_cast<nstree_open_handle *>(r.buf);
	q->size = sizeof(*q);
	alignas(8) unsigned char hb[sizeof(struct file_handle) + 256] = {};
	auto *fh = reinterpret_cast<struct file_handle *>(hb);
	fill_handle(rng, w, fh, r);
	q->handle = reinterpret_cast<uintptr_t>(hb);
	q->flags = rng.coin(50) ? NSTREE_OPEN_NSFS : 0;
	q->open_flags = rng.coin(70) ? O_RDONLY : uint32_t(rng.next());
	if (rng.coin(8)) {
		q->flags |= 1U << (1 + rng.below(31));
		r.bad("unknown flag");
	}
	if (rng.coin(8)) {
		q->reserved = uint32_t(rng.next()) | 1;
		r.bad("reserved set");
	}
	if (rng.coin(10)) {
		bool ok;
		q->handle = pointer(rng, m, sizeof(struct file_handle) + 16, &ok, false);
		if (!ok)
			r.bad("bad handle pointer");
		else if (q->handle != uintptr_t(hb))
			m.place(q->handle, hb, sizeof(struct file_handle) + 16);
	}
	if (rng.coin(15))
		mutate_size(rng, r, sizeof(*q));
	judge(w, r, do_ioctl(w.ctl, NSTREE_IOC_OPEN_HANDLE, r.buf), "NSTREE_IOC_OPEN_HANDLE", true, v);
}

void fuzz_bulk(Rng &rng, World &w, Memory &m, Violations &v)
{
	Request r = {};
	unsigned long cmd;
	const char *what;
	std::vector<unsigned char> array(64 * 64, 0);
	std::vector<char> text(64 * 1024);
	bool ok;
	switch (rng.below(3)) {
	case 0: {
		auto *q = reinterpret_cast<nstree_procs *>(r.buf);
		q->size = sizeof(*q);
		q->procs = reinterpret_cast<uintptr_t>(array.data());
		q->nr_procs = uint32_t(rng.below(65));
		q->proc_size = sizeof(nstree_proc);
		if (rng.coin(10)) {
			q->proc_size = uint32_t(rng.next());
			if (q->proc_size != sizeof(nstree_proc))
				r.bad("proc_size");
		}
		if (rng.coin(8)) {
			q->flags = uint32_t(rng.next()) | (NSTREE_PROCS_SHARD << 1);
			r.bad("flags");
		}
		if (rng.coin(8)) {
			// A shard, in range or not, with the flag or without it.
			q->shard = uint32_t(rng.below(rng.coin(50) ? 4 : 1u << 31));
			q->nr_shards = uint32_t(rng.below(rng.coin(50) ? 5 : 1u << 31));
			if (rng.coin(50)) {
				q->flags |= NSTREE_PROCS_SHARD;
				if (!q->nr_shards || q->nr_shards > NSTREE_PROCS_SHARDS_MAX || q->shard >= q->nr_shards)
					r.bad("shard");
			} else if (q->shard || q->nr_shards) {
				r.bad("shard without the flag");
			}
		}
		if (rng.coin(5)) {
			q->nr_procs = NSTREE_PROCS_MAX + 1 + uint32_t(rng.below(1000));
			r.bad("too many");
		}
		if (rng.coin(10))
			q->procs = pointer(rng, m, size_t(q->nr_procs) * sizeof(nstree_proc), &ok);
		if (rng.coin(15))
			mutate_size(rng, r, sizeof(*q));
		cmd = NSTREE_IOC_PROCS;
		what = "NSTREE_IOC_PROCS";
		break;
	}
	case 1: {
		auto *q = reinterpret_cast<nstree_ns_infos *>(r.buf);
		q->size = sizeof(*q);
		auto *infos = reinterpret_cast<nstree_ns_info *>(array.data());
		q->nr_infos = uint32_t(rng.below(65));
		for (uint32_t i = 0; i < q->nr_infos; i++)
			infos[i].ns_id = rng.pick(w.ids);
		q->infos = reinterpret_cast<uintptr_t>(infos);
		q->info_size = sizeof(nstree_ns_info);
		if (q->nr_infos && rng.coin(10)) {
			infos[rng.below(q->nr_infos)].flags = 1;
			r.bad("output field set");
		}
		if (rng.coin(8)) {
			q->info_size = uint32_t(rng.next()) | 1;
			r.bad("info_size");
		}
		if (rng.coin(8)) {
			q->flags = uint32_t(rng.next()) | 1;
			r.bad("flags");
		}
		if (rng.coin(5)) {
			q->nr_infos = NSTREE_NS_INFO_MAX + 1 + uint32_t(rng.below(1000));
			r.bad("too many");
		}
		if (rng.coin(10)) {
			q->infos = pointer(rng, m, size_t(q->nr_infos) * sizeof(nstree_ns_info), &ok);
			if (!ok && q->nr_infos)
				r.bad("bad infos pointer");
		}
		if (rng.coin(15))
			mutate_size(rng, r, sizeof(*q));
		cmd = NSTREE_IOC_NS_INFO;
		what = "NSTREE_IOC_NS_INFO";
		break;
	}
	default: {
		auto *q = reinterpret_cast<nstree_cmdlines *>(r.buf);
		q->size = sizeof(*q);
		auto *procs = reinterpret_cast<nstree_cmdline *>(array.data());
		q->nr_procs = uint32_t(rng.below(65));
		for (uint32_t i = 0; i < q->nr_procs; i++)
			procs[i].pid = rng.coin(70) && !w.pids.empty() ? uint32_t(rng.pick(w.pids)) : uint32_t(rng.next());
		q->procs = reinterpret_cast<uintptr_t>(procs);
		q->max_len = uint32_t(1 + rng.below(4096));
		q->buf = reinterpret_cast<uintptr_t>(text.data());
		q->buf_size = text.size();
		if (q->nr_procs && rng.coin(10)) {
			procs[rng.below(q->nr_procs)].offset = 1;
			r.bad("output field set");
		}
		if (rng.coin(8)) {
			q->max_len = rng.coin(50) ? 0 : NSTREE_CMDLINE_MAX_LEN + 1 + uint32_t(rng.below(1 << 20));
			r.bad("max_len");
		}
		if (rng.coin(8)) {
			q->buf_size = rng.below(q->max_len ? q->max_len : 1);
			if (q->buf_size < q->max_len)
				r.bad("buf_size below max_len");
		}
		if (rng.coin(8)) {
			q->flags = uint32_t(rng.next()) | 1;
			r.bad("flags");
		}
		if (rng.coin(5)) {
			q->nr_procs = NSTREE_CMDLINES_MAX + 1 + uint32_t(rng.below(1000));
			r.bad("too many");
		}
		if (rng.coin(10)) {
			q->buf = pointer(rng, m, size_t(q->buf_size), &ok);
		}
		if (rng.coin(10)) {
			q->procs = pointer(rng, m, size_t(q->nr_procs) * sizeof(nstree_cmdline), &ok);
			if (!ok && q->nr_procs)
				r.bad("bad procs pointer");
		}
		if (rng.coin(15))
			mutate_size(rng, r, sizeof(*q));
		cmd = NSTREE_IOC_CMDLINES;
		what = "NSTREE_IOC_CMDLINES";
		break;
	}
	}
	// They need may_see_all: anyone else gets EPERM, whatever else the request says.
	Outcome o = do_ioctl(w.ctl, cmd, r.buf);
	if (!w.see_all && o.ret >= 0)
		v.add(std::string(what) + " succeeded for a caller that may not see all");
	judge(w, r, o, what, false, v);
}

// Commands the module does not define, on /dev/nstree and on nstreefs files.
void fuzz_unknown_cmd(Rng &rng, World &w, Memory &m, Violations &v)
{
	static const std::set<unsigned long> known = {
		NSTREE_IOC_VERSION, NSTREE_IOC_NS_ID,  NSTREE_IOC_OPEN,	 NSTREE_IOC_LISTNS,   NSTREE_IOC_OPEN_HANDLE,
		NSTREE_IOC_ROOT,    NSTREE_IOC_PROCS,  NSTREE_IOC_NS_INFO, NSTREE_IOC_CMDLINES};
	// Magic 0xb8, or one of 0xa0-0xff other than nsfs's: no command the VFS handles
	// itself (FIOCLEX, FIGETBSZ, FS_IOC_*...) has a type in that range.
	unsigned type = rng.coin(50) ? NSTREE_IOC_MAGIC : unsigned(0xa0 + rng.below(0x60));
	if (type == NSIO)
		type = NSTREE_IOC_MAGIC;
	unsigned long cmd = _IOC(rng.below(4), type, rng.below(256), rng.below(1 << 14));
	bool on_ctl = rng.coin(50) || w.nstreefs.empty();
	int fd = on_ctl ? w.ctl : rng.pick(w.nstreefs);
	if (on_ctl && known.count(cmd))
		return;
	Request r = {};
	r.bad("unknown command");
	Outcome o = do_ioctl(fd, cmd, rng.coin(50) ? m.good() : m.unmapped());
	judge(w, r, o, "unknown ioctl " + std::to_string(cmd), false, v);
	if (o.ret < 0 && o.err != ENOTTY)
		v.add("unknown ioctl: " + std::to_string(o.err) + " instead of ENOTTY");
}

namespace {

// One of nsfs's commands, extensible sizes included; @r learns why it must fail.
unsigned long nsfs_cmd(Rng &rng, Request &r)
{
	static const std::vector<unsigned long> cmds = {NS_GET_USERNS,	 NS_GET_PARENT,	  NS_GET_NSTYPE,   NS_GET_OWNER_UID,
							 NS_GET_MNTNS_ID, NS_GET_ID,	  NS_MNT_GET_INFO, NS_MNT_GET_NEXT,
							 NS_MNT_GET_PREV};
	unsigned long cmd = rng.pick(cmds);
	if (_IOC_NR(cmd) >= 10 && _IOC_NR(cmd) <= 12 && rng.coin(40)) {
		unsigned size = unsigned(rng.below(64));
		cmd = _IOC(_IOC_READ, NSIO, _IOC_NR(cmd), size);
		if (size < MNT_NS_INFO_SIZE_VER0)
			r.bad("mnt_ns_info below VER0");
	}
	return cmd;
}

} // namespace

// The same commands on the kernel's own nsfs files: the layer answers 6.19's.
void fuzz_nsfs(Rng &rng, World &w, Memory &m, Violations &v)
{
	if (w.nsfs.empty())
		return;
	Request r = {};
	unsigned long cmd = nsfs_cmd(rng, r);
	bool ok = true;
	uint64_t arg = rng.coin(60) ? uintptr_t(m.good()) : pointer(rng, m, 64, &ok);
	Outcome o = do_ioctl(rng.pick(w.nsfs), cmd, reinterpret_cast<void *>(arg));
	if (o.ret >= 0 && (cmd == NS_GET_USERNS || cmd == NS_GET_PARENT)) {
		// The kernel's own answer, someone else's namespace perhaps: an nsfs file.
		struct statfs sfs;
		if (fstatfs(int(o.ret), &sfs) != 0 || sfs.f_type != NSFS_MAGIC)
			v.add("nsfs NS_GET_USERNS/PARENT: not an nsfs fd");
		close(int(o.ret));
		return;
	}
	bool fd_result = _IOC_TYPE(cmd) == NSIO && (_IOC_NR(cmd) == 11 || _IOC_NR(cmd) == 12);
	judge(w, r, o, "nsfs ioctl " + std::to_string(cmd), fd_result, v);
}

// name_to_handle_at() of every kind of fd: nsfs files get upstream's handle.
void fuzz_name_to_handle(Rng &rng, World &w, Memory &m, Violations &v)
{
	Request r = {};
	alignas(8) unsigned char hb[sizeof(struct file_handle) + 256] = {};
	auto *fh = reinterpret_cast<struct file_handle *>(hb);
	fh->handle_bytes = uint32_t(rng.coin(50) ? 16 + rng.below(113) : rng.below(200));
	if (fh->handle_bytes > 128)
		r.bad("handle_bytes above MAX_HANDLE_SZ");
	void *ufh = hb;
	if (rng.coin(10)) {
		bool ok;
		ufh = reinterpret_cast<void *>(pointer(rng, m, sizeof(struct file_handle) + 16, &ok));
		if (!ok)
			r.bad("bad handle pointer");
		else if (ufh != hb)
			m.place(uintptr_t(ufh), hb, sizeof(struct file_handle) + 16);
	}
	int fd = rng.coin(70) && !w.nsfs.empty() ? rng.pick(w.nsfs) : rng.pick(w.fds);
	int mnt;
	errno = 0;
	int ret = name_to_handle_at(fd, "", static_cast<struct file_handle *>(ufh), &mnt, AT_EMPTY_PATH);
	Outcome o = {ret, ret < 0 ? errno : 0};
	judge(w, r, o, "name_to_handle_at", false, v);
	auto *out = static_cast<struct file_handle *>(ufh);
	bool nsfs = std::find(w.nsfs.begin(), w.nsfs.end(), fd) != w.nsfs.end();
	if (ret == 0 && nsfs) {
		nstree_ns_id q = {};
		q.size = sizeof(q);
		q.fd = fd;
		auto *h = reinterpret_cast<nsfs_file_handle *>(out->f_handle);
		if (out->handle_type != FILEID_NSFS || out->handle_bytes != sizeof(*h))
			v.add("name_to_handle_at of nsfs: not upstream's handle");
		else if (ioctl(w.ctl, NSTREE_IOC_NS_ID, &q) == 0 && q.ns_id != h->ns_id)
			v.add("name_to_handle_at of nsfs: the handle's ID is not NS_GET_ID's");
	}
	if (nsfs && ufh == hb && fh->handle_bytes < 16 && !(ret < 0 && o.err == EOVERFLOW))
		v.add("name_to_handle_at of nsfs into " + std::to_string(fh->handle_bytes) + " bytes: no EOVERFLOW");
}

// nsfs's commands on nstreefs files, with every argument and extensible size.
void fuzz_nstreefs(Rng &rng, World &w, Memory &m, Violations &v)
{
	if (w.nstreefs.empty())
		return;
	int fd = rng.pick(w.nstreefs);
	Request r = {};
	unsigned long cmd = nsfs_cmd(rng, r);
	bool ok = true;
	uint64_t arg = rng.coin(60) ? uintptr_t(m.good()) : pointer(rng, m, 64, &ok);
	Outcome o = do_ioctl(fd, cmd, reinterpret_cast<void *>(arg));
	bool fd_result = cmd == NS_GET_USERNS || cmd == NS_GET_PARENT || _IOC_NR(cmd) == 11 || _IOC_NR(cmd) == 12;
	if (fd_result && _IOC_TYPE(cmd) == NSIO && o.ret >= 0 && (cmd == NS_GET_USERNS || cmd == NS_GET_PARENT)) {
		// Upstream's rules, not "own namespaces only": a parent or owner may be
		// someone else's. The fd must still be a namespace file; keep the check
		// to that and to what nsfs itself would give (fuzzing cannot ask nsfs).
		struct statfs sfs;
		if (fstatfs(int(o.ret), &sfs) != 0 || sfs.f_type != NSTREEFS_MAGIC)
			v.add("NS_GET_USERNS/PARENT: not an nstreefs fd");
		close(int(o.ret));
		return;
	}
	judge(w, r, o, "nstreefs ioctl " + std::to_string(cmd), fd_result, v);
}

// open_by_handle_at() on nstreefs (it wants CAP_DAC_READ_SEARCH on 6.1/6.12).
void fuzz_open_by_handle(Rng &rng, World &w, Memory &, Violations &v)
{
	if (w.mount_fds.empty())
		return;
	Request r = {};
	alignas(8) unsigned char hb[sizeof(struct file_handle) + 256] = {};
	auto *fh = reinterpret_cast<struct file_handle *>(hb);
	fill_handle(rng, w, fh, r);
	int flags = rng.coin(70) ? O_RDONLY : int(rng.next() & ~O_CREAT & ~__O_TMPFILE);
	errno = 0;
	int fd = open_by_handle_at(rng.pick(w.mount_fds), fh, flags | O_CLOEXEC);
	Outcome o = {fd, fd < 0 ? errno : 0};
	judge(w, r, o, "open_by_handle_at", true, v);
}

} // namespace selftest::fuzz
