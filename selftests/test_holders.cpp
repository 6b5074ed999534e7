// SPDX-License-Identifier: GPL-2.0
// NSTREE_IOC_HOLDERS: the module's one pass over every thread for what nstree
// orphans asks (fds, mappings, cwd, root and exe on given superblocks, on mounts in
// no namespace, and nsfs files of mount namespaces); what it must never report
// (pipes, memfd, a mapping of a live mount's file without being asked); and its
// refusal of bad input.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fd.hpp"
#include "harness.hpp"
#include "ns_util.hpp"
#include "orphan_kit.hpp"

using namespace selftest;

namespace {

struct HoldersCall {
	std::vector<uint64_t> devs = {};
	uint32_t flags = 0;
	uint32_t size = sizeof(nstree_holder);
	uint32_t reserved = 0;
	void *array = nullptr;
	uint32_t nr = 0;
	const void *devs_ptr = nullptr; // overrides devs when set
};

long holders_call(const HoldersCall &c)
{
	struct nstree_holders req = {};
	req.size = sizeof(req);
	req.flags = c.flags;
	req.devs = reinterpret_cast<uintptr_t>(c.devs_ptr ? c.devs_ptr : c.devs.data());
	req.nr_devs = uint32_t(c.devs.size());
	req.holder_size = c.size;
	req.holders = reinterpret_cast<uintptr_t>(c.array);
	req.nr_holders = c.nr;
	req.reserved = c.reserved;
	long n = ioctl(ctl().fd(), NSTREE_IOC_HOLDERS, &req);
	return n < 0 ? -errno : n;
}

uint64_t key_of(dev_t dev)
{
	return uint64_t(major(dev)) << 32 | minor(dev);
}

dev_t dev_of(int fd)
{
	struct stat st;
	REQUIRE(fstat(fd, &st) == 0);
	return st.st_dev;
}

std::vector<nstree_holder> holders_of(std::vector<uint64_t> devs, uint32_t flags)
{
	std::vector<nstree_holder> a(4096);
	HoldersCall c{.devs = std::move(devs), .flags = flags, .array = a.data(), .nr = uint32_t(a.size())};
	long n = holders_call(c);
	REQUIRE(n >= 0);
	REQUIRE(size_t(n) <= a.size());
	a.resize(size_t(n));
	return a;
}

const nstree_holder *find(const std::vector<nstree_holder> &a, pid_t pid, uint32_t kind, int fd = -1)
{
	for (const auto &h : a)
		if (h.pid == uint32_t(pid) && h.kind == kind && (fd < 0 || h.fd == uint32_t(fd)))
			return &h;
	return nullptr;
}

// A child that chdir()s to @dir and sleeps; ready once there.
Child child_in(const std::string &dir)
{
	int ready[2];
	REQUIRE(pipe(ready) == 0);
	Child c = fork_child([&]() {
		close(ready[0]);
		char x = 1;
		return chdir(dir.c_str()) == 0 && write(ready[1], &x, 1) == 1 ? (pause(), 0) : 1;
	});
	close(ready[1]);
	char x;
	REQUIRE(read(ready[0], &x, 1) == 1);
	close(ready[0]);
	return c;
}

// A child that opens @file, starts two threads and ends its main thread: a zombie
// leader whose threads share the fd table. Ready once the leader has exited.
Child zombie_leader_holding(const std::string &file)
{
	int ready[2];
	REQUIRE(pipe(ready) == 0);
	Child c = fork_child([&]() {
		close(ready[0]);
		if (open(file.c_str(), O_RDONLY) < 0)
			return 1;
		for (int i = 0; i < 2; i++) {
			pthread_t t;
			if (pthread_create(&t, nullptr, [](void *) -> void * { for (;;) pause(); }, nullptr))
				return 2;
		}
		char x = 1;
		if (write(ready[1], &x, 1) != 1)
			return 3;
		syscall(SYS_exit, 0); // this thread only, without pthread_exit()'s unwinding
		return 4;
	});
	close(ready[1]);
	char x;
	REQUIRE(read(ready[0], &x, 1) == 1);
	close(ready[0]);
	// The leader is a zombie once /proc shows it so.
	for (int i = 0; i < 500; i++) {
		std::string st = nstree::read_small_file("/proc/" + std::to_string(c.pid()) + "/stat");
		auto paren = st.rfind(')');
		if (paren != std::string::npos && paren + 2 < st.size() && st[paren + 2] == 'Z')
			break;
		usleep(10000);
	}
	return c;
}

} // namespace

TEST_CASE("NSTREE_IOC_HOLDERS: fds, mappings and cwds on the asked superblocks, each once",
	  "[orphans][ctl][holders]")
{
	Planted p("/tmp/holders-dev", {.big_mib = 1});
	nstree::Fd f(open(p.path("small").c_str(), O_RDWR | O_CLOEXEC));
	REQUIRE(f.valid());
	dev_t dev = dev_of(f.get());
	struct stat st;
	REQUIRE(fstat(f.get(), &st) == 0);
	void *map = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, f.get(), 0);
	REQUIRE(map != MAP_FAILED);
	Child in_dir = child_in(p.path(""));
	nstree::Fd memfd(memfd_create("holders", MFD_CLOEXEC));
	int pipefd[2];
	REQUIRE(pipe2(pipefd, O_CLOEXEC) == 0);

	// Asked with the tmpfs and (to prove they are never reported) the memfd's and
	// the pipe's internal superblocks.
	auto a = holders_of({key_of(dev), key_of(dev_of(memfd.get())), key_of(dev_of(pipefd[0]))},
			    NSTREE_HOLDERS_MAPS);
	const nstree_holder *fd = find(a, getpid(), NSTREE_HOLDER_FD, f.get());
	REQUIRE(fd);
	CHECK(fd->flags == NSTREE_HOLDER_IN_DEVS);
	CHECK(makedev(fd->dev_major, fd->dev_minor) == dev);
	CHECK(fd->ino == st.st_ino);
	CHECK(fd->access == (NSTREE_ACCESS_READ | NSTREE_ACCESS_WRITE));
	const nstree_holder *m = find(a, getpid(), NSTREE_HOLDER_MAP);
	REQUIRE(m);
	CHECK(m->start == reinterpret_cast<uintptr_t>(map));
	CHECK(m->end == m->start + 4096);
	CHECK(m->access == (NSTREE_ACCESS_READ | NSTREE_ACCESS_WRITE | NSTREE_ACCESS_SHARED));
	CHECK(m->ino == st.st_ino);
	const nstree_holder *cwd = find(a, in_dir.pid(), NSTREE_HOLDER_CWD);
	REQUIRE(cwd);
	CHECK(makedev(cwd->dev_major, cwd->dev_minor) == dev);
	CHECK(!find(a, getpid(), NSTREE_HOLDER_FD, memfd.get()));
	CHECK(!find(a, getpid(), NSTREE_HOLDER_FD, pipefd[0]));
	CHECK(!find(a, getpid(), NSTREE_HOLDER_FD, pipefd[1]));
	// Every record is of the tmpfs: ours, the cwd child's or the planter's.
	for (const auto &h : a)
		if (!(h.flags & NSTREE_HOLDER_MNTNS)) {
			CHECK(makedev(h.dev_major, h.dev_minor) == dev);
			CHECK((h.pid == uint32_t(getpid()) || h.pid == uint32_t(in_dir.pid()) ||
			       h.pid == uint32_t(p.pid())));
		}
	// Each reference once, though this process may run several threads.
	CHECK(std::count_if(a.begin(), a.end(), [&](const nstree_holder &h) {
		      return h.pid == uint32_t(getpid()) && h.kind == NSTREE_HOLDER_FD && h.fd == uint32_t(f.get());
	      }) == 1);

	// An executable on the tmpfs, and a zombie leader whose two threads share one
	// fd table: the exe once, the fd once.
	REQUIRE(exit_code_of([&]() {
		int in = open("/bin/busybox", O_RDONLY), out = open(p.path("bb").c_str(), O_CREAT | O_WRONLY, 0755);
		char buf[65536];
		ssize_t n;
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, size_t(n)) != n)
				return 1;
		return close(out) == 0 && n == 0 ? 0 : 1;
	}) == 0);
	std::string bb = p.path("bb");
	Child exe = fork_child([&]() {
		execl(bb.c_str(), "sleep", "1000", static_cast<char *>(nullptr));
		return 127;
	});
	Child zombie = zombie_leader_holding(p.path("small"));
	bool exe_seen = false;
	for (int i = 0; i < 200 && !exe_seen; i++) {
		exe_seen = find(holders_of({key_of(dev)}, 0), exe.pid(), NSTREE_HOLDER_EXE) != nullptr;
		if (!exe_seen)
			usleep(10000);
	}
	CHECK(exe_seen);
	auto z = holders_of({key_of(dev)}, NSTREE_HOLDERS_MAPS);
	std::vector<uint32_t> zfds; // its own, and the one it inherited from us
	for (const auto &h : z)
		if (h.pid == uint32_t(zombie.pid()) && h.kind == NSTREE_HOLDER_FD)
			zfds.push_back(h.fd);
	CHECK(zfds.size() == 2);
	std::sort(zfds.begin(), zfds.end());
	CHECK(std::adjacent_find(zfds.begin(), zfds.end()) == zfds.end());

	// Mappings only when asked; the fd still.
	auto b = holders_of({key_of(dev)}, 0);
	CHECK(!find(b, getpid(), NSTREE_HOLDER_MAP));
	CHECK(find(b, getpid(), NSTREE_HOLDER_FD, f.get()));
	// Nothing asked, nothing detached: only nsfs files of mount namespaces.
	for (const auto &h : holders_of({}, NSTREE_HOLDERS_MAPS))
		CHECK(h.flags == NSTREE_HOLDER_MNTNS);
	munmap(map, 4096);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_CASE("NSTREE_IOC_HOLDERS: mounts in no namespace, and nsfs files of mount namespaces",
	  "[orphans][ctl][holders]")
{
	// umount -l of a tmpfs while this process keeps a file on it open: the mount is
	// detached, and its superblock is not asked for.
	std::string dir = "/tmp/holders-lazy";
	mkdir(dir.c_str(), 0755);
	nstree::Fd lazy;
	{
		REQUIRE(mount("holders", dir.c_str(), "tmpfs", 0, "size=1m") == 0);
		lazy = nstree::Fd(open((dir + "/f").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
		REQUIRE(lazy.valid());
		REQUIRE(umount2(dir.c_str(), MNT_DETACH) == 0);
	}
	// An open_tree() clone: a mount of an anonymous namespace, which lives as long
	// as its fd and pins nothing its source does not: attached.
	nstree::Fd clone(int(syscall(SYS_open_tree, AT_FDCWD, "/tmp", 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC)));
	nstree::Fd live(open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	nstree::Fd mntns(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
	nstree::Fd netns(open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
	REQUIRE(mntns.valid());
	REQUIRE(netns.valid());

	auto a = holders_of({}, NSTREE_HOLDERS_DETACHED);
	const nstree_holder *h = find(a, getpid(), NSTREE_HOLDER_FD, lazy.get());
	REQUIRE(h);
	CHECK(h->flags == NSTREE_HOLDER_DETACHED);
	struct statx sx;
	REQUIRE(statx(lazy.get(), "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0);
	CHECK(h->mnt_id == sx.stx_mnt_id);
	if (clone.valid())
		CHECK(!find(a, getpid(), NSTREE_HOLDER_FD, clone.get()));
	CHECK(!find(a, getpid(), NSTREE_HOLDER_FD, live.get()));
	CHECK(!find(a, getpid(), NSTREE_HOLDER_CWD));
	const nstree_holder *ns = find(a, getpid(), NSTREE_HOLDER_FD, mntns.get());
	REQUIRE(ns);
	CHECK(ns->flags == NSTREE_HOLDER_MNTNS);
	struct stat st;
	REQUIRE(fstat(mntns.get(), &st) == 0);
	CHECK(ns->ino == st.st_ino);
	CHECK(!find(a, getpid(), NSTREE_HOLDER_FD, netns.get()));
	// Not asked for detached mounts: the lazily unmounted file is not reported.
	CHECK(!find(holders_of({}, 0), getpid(), NSTREE_HOLDER_FD, lazy.get()));

	// A caller in a child mount namespace sees its own fds on the mounts it made
	// there as attached.
	int code = exit_code_of([&]() {
		if (unshare(CLONE_NEWNS) || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
		    mount("holders", dir.c_str(), "tmpfs", 0, "size=1m"))
			return 10;
		int fd = open((dir + "/g").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
		std::vector<nstree_holder> x(4096);
		HoldersCall c{.flags = NSTREE_HOLDERS_DETACHED, .array = x.data(), .nr = uint32_t(x.size())};
		long n = holders_call(c);
		if (n < 0)
			return 11;
		for (long i = 0; i < n; i++)
			if (x[i].pid == uint32_t(getpid()) && x[i].kind == NSTREE_HOLDER_FD && x[i].fd == uint32_t(fd))
				return 12;
		return 0;
	});
	CHECK(code == 0);
}

TEST_CASE("NSTREE_IOC_HOLDERS: a short array gets the count; bad input is refused", "[orphans][ctl][holders]")
{
	nstree::Fd mntns(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
	nstree::Fd mntns2(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
	std::vector<nstree_holder> a(2);
	std::memset(a.data(), 0xa5, sizeof(nstree_holder) * a.size());
	long n = holders_call({.array = a.data(), .nr = 1});
	CHECK(n >= 2);
	unsigned char *second = reinterpret_cast<unsigned char *>(&a[1]);
	CHECK(std::all_of(second, second + sizeof(nstree_holder), [](unsigned char c) { return c == 0xa5; }));
	CHECK(a[0].kind == NSTREE_HOLDER_FD);
	CHECK(holders_call({.array = nullptr, .nr = 0}) >= 2); // counting only

	std::vector<nstree_holder> big(256);
	HoldersCall ok{.array = big.data(), .nr = uint32_t(big.size())};
	auto with = [&](auto change) {
		HoldersCall c = ok;
		change(c);
		return holders_call(c);
	};
	CHECK(with([](HoldersCall &c) { c.flags = 1u << 4; }) == -EINVAL);
	CHECK(with([](HoldersCall &c) { c.flags = ~0u; }) == -EINVAL);
	// Looking into unix sockets and io_urings is accepted where the module says so.
	CHECK(with([](HoldersCall &c) { c.flags = NSTREE_HOLDERS_UNIX; }) >= 2);
	if (ctl().version()->features & NSTREE_FEATURE_HOLDERS_IO_URING)
		CHECK(with([](HoldersCall &c) { c.flags = NSTREE_HOLDERS_IO_URING; }) >= 2);
	else
		CHECK(with([](HoldersCall &c) { c.flags = NSTREE_HOLDERS_IO_URING; }) == -EOPNOTSUPP);
	CHECK(with([](HoldersCall &c) { c.reserved = 1; }) == -EINVAL);
	CHECK(with([](HoldersCall &c) { c.size = sizeof(nstree_holder) - 8; }) == -EINVAL);
	CHECK(with([](HoldersCall &c) { c.size = sizeof(nstree_holder) + 8; }) == -EINVAL);
	CHECK(with([](HoldersCall &c) { c.nr = NSTREE_HOLDERS_MAX + 1; }) == -EOVERFLOW);
	CHECK(with([](HoldersCall &c) { c.devs.assign(NSTREE_HOLDERS_DEVS_MAX + 1, 0); }) == -EOVERFLOW);
	CHECK(with([](HoldersCall &c) {
		      c.devs.assign(4, 0);
		      c.devs_ptr = reinterpret_cast<const void *>(8);
	      }) == -EFAULT);
	CHECK(with([](HoldersCall &c) { c.array = reinterpret_cast<void *>(8); }) == -EFAULT);
	std::vector<unsigned char> raw(sizeof(nstree_holders) + 8, 0);
	reinterpret_cast<nstree_holders *>(raw.data())->size = uint32_t(raw.size());
	raw[sizeof(nstree_holders)] = 1; // unknown trailing bytes must be zero
	CHECK(ioctl(ctl().fd(), NSTREE_IOC_HOLDERS, raw.data()) == -1);
	CHECK(errno == E2BIG);
	struct nstree_holders tiny = {};
	tiny.size = NSTREE_HOLDERS_SIZE_VER0 - 8;
	CHECK(ioctl(ctl().fd(), NSTREE_IOC_HOLDERS, &tiny) == -1);
	CHECK(errno == EINVAL);
	// What every process holds is not for a user who may not see every process,
	// nor for root in a child pid namespace.
	auto refused = [&]() {
		int fd = open("/dev/nstree", O_RDONLY | O_CLOEXEC);
		struct nstree_holders req = {};
		req.size = sizeof(req);
		req.holder_size = sizeof(nstree_holder);
		req.holders = reinterpret_cast<uintptr_t>(big.data());
		req.nr_holders = 1;
		return ioctl(fd, NSTREE_IOC_HOLDERS, &req) < 0 && errno == EPERM ? 0 : 1;
	};
	CHECK(exit_code_as_nobody(refused) == 0);
	CHECK(exit_code_in_new_pid_namespace(refused) == 0);
}
