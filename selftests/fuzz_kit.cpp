// SPDX-License-Identifier: GPL-2.0
#include "fuzz_kit.hpp"

#include <cerrno>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "harness.hpp"
#include "listns_util.hpp"

namespace selftest::fuzz {

namespace {

int keep(std::vector<int> &v, int fd)
{
	if (fd >= 0)
		v.push_back(fd);
	return fd;
}

int reopen(int ctl, int fd, uint32_t flags)
{
	nstree_open r = {};
	r.size = sizeof(r);
	r.flags = NSTREE_OPEN_BY_FD | flags;
	r.fd = fd;
	return ioctl(ctl, NSTREE_IOC_OPEN, &r);
}

const std::set<int> kDocumentedErrors = {EINVAL, E2BIG,	 EFAULT, ENOENT, EPERM,	    EBADF,  EOVERFLOW, ENOMEM,
					 ESTALE, ENOTTY, EINTR,	 ENOTDIR, EOPNOTSUPP, EACCES, EMFILE,   ESRCH};

} // namespace

World make_world(const std::vector<uint64_t> &foreign_ids, const std::vector<pid_t> &pids, bool see_all)
{
	World w;
	w.see_all = see_all;
	w.pids = pids;
	w.ctl = open(NSTREE_DEVICE, O_RDONLY | O_CLOEXEC);
	w.fds = {-1, -100, 999, w.ctl};
	for (const auto &t : kNsTypes) {
		// /proc/self, not /proc/PID: in a child pid namespace getpid() is not our /proc's.
		std::string path = std::string("/proc/self/ns/") + t.name;
		int ns = keep(w.fds, open(path.c_str(), O_RDONLY | O_CLOEXEC));
		keep(w.nsfs, ns);
		keep(w.fds, open(path.c_str(), O_PATH | O_CLOEXEC));
		nstree_ns_id q = {};
		q.size = sizeof(q);
		q.fd = ns;
		if (ioctl(w.ctl, NSTREE_IOC_NS_ID, &q) == 0)
			w.own.insert(q.ns_id);
		int tree = reopen(w.ctl, ns, 0);
		if (tree >= 0) {
			w.fds.push_back(tree);
			w.nstreefs.push_back(tree);
			w.mount_fds.push_back(tree);
			keep(w.fds, open(("/proc/self/fd/" + std::to_string(tree)).c_str(), O_PATH | O_CLOEXEC));
		}
	}
	int root = keep(w.fds, ioctl(w.ctl, NSTREE_IOC_ROOT, 0));
	keep(w.mount_fds, root);
	keep(w.mount_fds, open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
	w.mount_fds.push_back(-10003); // FD_NSFS_ROOT: the upstream API layer's
	keep(w.fds, open("/dev/null", O_RDWR | O_CLOEXEC));
	keep(w.fds, open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	keep(w.fds, open("/proc/self/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	keep(w.fds, socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	keep(w.fds, eventfd(0, EFD_CLOEXEC));
	keep(w.fds, epoll_create1(EPOLL_CLOEXEC));
	int p[2];
	if (pipe2(p, O_CLOEXEC) == 0) {
		w.fds.push_back(p[0]);
		w.fds.push_back(p[1]);
	}
	w.ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1ULL << 32, 1ULL << 40, ~0ULL, ~0ULL - 1};
	for (uint64_t id : w.own)
		w.ids.push_back(id);
	for (uint64_t id : foreign_ids)
		w.ids.push_back(id);
	return w;
}

void mutate_size(Rng &rng, Request &r, uint32_t ksize)
{
	uint32_t &size = *reinterpret_cast<uint32_t *>(r.buf);
	switch (rng.below(8)) {
	case 0:
		size = 0;
		r.bad("size 0");
		break;
	case 1:
		size = ksize - 1 - uint32_t(rng.below(ksize - 1));
		r.bad("size below ver0");
		break;
	case 2:
		size = ksize + 8; // zero tail: fine
		break;
	case 3:
		size = ksize + 8;
		r.buf[ksize + uint32_t(rng.below(8))] = uint8_t(1 + rng.below(255));
		r.bad("non-zero tail");
		break;
	case 4:
		size = kPage;
		break;
	case 5:
		size = kPage + 1 + uint32_t(rng.below(60));
		r.bad("size above a page");
		break;
	case 6:
		size = uint32_t(rng.next());
		if (size < ksize || size > kPage)
			r.bad("random size");
		break;
	default:
		break;
	}
}

uint64_t pointer(Rng &rng, Memory &m, size_t n, bool *valid, bool writable)
{
	*valid = true;
	switch (rng.below(10)) {
	case 0:
		*valid = false;
		return 0;
	case 1:
		*valid = false;
		return reinterpret_cast<uintptr_t>(m.unmapped());
	case 2:
		*valid = !writable;
		return reinterpret_cast<uintptr_t>(m.read_only());
	case 3:
		*valid = false;
		return reinterpret_cast<uintptr_t>(m.prot_none());
	case 4:
		*valid = false;
		return 0xffff888000000000ULL + (rng.below(1 << 20) << 12);
	case 5:
		*valid = n == 0;
		return reinterpret_cast<uintptr_t>(m.straddling(n ? n : 2));
	case 6:
		if (n <= 4 * kPage)
			return reinterpret_cast<uintptr_t>(m.good_end(n)); // ends right at a RO page
		*valid = false;
		return reinterpret_cast<uintptr_t>(m.good());
	default:
		if (n > 4 * kPage)
			*valid = false;
		return reinterpret_cast<uintptr_t>(m.good());
	}
}

Outcome do_ioctl(int fd, unsigned long cmd, void *arg)
{
	errno = 0;
	long r = ioctl(fd, cmd, arg);
	return {r, r < 0 ? errno : 0};
}

void check_fd(World &w, int fd, const std::string &what, Violations &v)
{
	struct statfs sfs;
	if (fstatfs(fd, &sfs) != 0 || (sfs.f_type != NSTREEFS_MAGIC && sfs.f_type != NSFS_MAGIC)) {
		v.add(what + ": returned an fd that is no namespace file");
	} else if (!w.see_all) {
		nstree_ns_id q = {};
		q.size = sizeof(q);
		q.fd = fd;
		bool root = ioctl(fd, NS_GET_NSTYPE) < 0; // the nstreefs root has no namespace
		if (!root && (ioctl(w.ctl, NSTREE_IOC_NS_ID, &q) != 0 || !w.own.count(q.ns_id)))
			v.add(what + ": opened namespace " + std::to_string(q.ns_id) + ", not one of the caller's own");
	}
	close(fd);
}

void judge(World &w, const Request &r, Outcome o, const std::string &what, bool returns_fd, Violations &v)
{
	if (o.ret >= 0 && r.must_fail)
		v.add(what + " succeeded on a bad request (" + r.why + ")");
	if (o.ret < 0 && !kDocumentedErrors.count(o.err))
		v.add(what + ": undocumented error " + std::to_string(o.err));
	if (o.ret >= 0 && returns_fd)
		check_fd(w, int(o.ret), what, v);
}

} // namespace selftest::fuzz
