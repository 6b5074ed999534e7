// SPDX-License-Identifier: GPL-2.0
// nstree orphans in the guest: the seed's tmpfs pinned from outside a dead mount
// namespace (fd, mmap, cwd), umount -l in a live namespace, a loop device, a dead
// namespace held by an nsfs bind mount, nested decaying fragments; that each goes
// away with its holder (and the memory comes back); and no false positives from
// memfd, shm, sockets, pipes, pidfds, nsfs and a live container. What is held
// through another file (SCM_RIGHTS, io_uring, unix names, swap): test_orphans_held.cpp.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <cstring>
#include <vector>
#include <fcntl.h>
#include <grp.h>
#include <linux/loop.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "ns_util.hpp"
#include "orphan_kit.hpp"

using namespace selftest;
using nlohmann::json;

TEST_CASE("nstree orphans: the seed's tmpfs, held by an fd outside its dead namespace", "[cli][orphans][native]")
{
	Planted p("/tmp/orphan-seed");
	nstree::Fd held(open(p.path("small").c_str(), O_RDONLY | O_CLOEXEC));
	REQUIRE(held.valid());
	int fd = held.get();
	REQUIRE(p.finish() == 0);
	auto o = orphan_with_dev(orphans_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(o["kind"] == "superblock");
	CHECK(o["fstype"] == "tmpfs");
	REQUIRE(o["used_bytes"].is_number());
	CHECK(o["used_bytes"].get<long>() >= 64L << 20);
	CHECK(o["used_bytes"].get<long>() < 66L << 20);
	CHECK(o["pinned_memory_bytes"] == o["used_bytes"]);
	CHECK(has_holder(o, {{"what", "fd"}, {"pid", getpid()}, {"fd", fd}, {"access", "r"}}));
	CHECK(!o["remedies"].empty());

	long shmem_held = meminfo_kib("Shmem");
	held.reset();
	CHECK(orphan_gone(p.dev()));
	long shmem_after = meminfo_kib("Shmem");
	INFO("Shmem " << shmem_held << " kB -> " << shmem_after << " kB");
	CHECK(shmem_held - shmem_after >= 60 * 1024);
}

TEST_CASE("nstree orphans: only a mapping of a 4 KiB file holds the tmpfs", "[cli][orphans][native]")
{
	Planted p("/tmp/orphan-map");
	int fd = open(p.path("small").c_str(), O_RDONLY | O_CLOEXEC);
	REQUIRE(fd >= 0);
	void *m = mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, 0);
	REQUIRE(m != MAP_FAILED);
	close(fd);
	REQUIRE(p.finish() == 0);
	auto o = orphan_with_dev(orphans_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(o["used_bytes"].get<long>() >= 64L << 20);
	auto start = reinterpret_cast<uintptr_t>(m);
	CHECK(has_holder(o, {{"what", "map"}, {"pid", getpid()}, {"start", start}, {"end", start + 4096}}));
	munmap(m, 4096);
	CHECK(orphan_gone(p.dev()));
}

TEST_CASE("nstree orphans: only a process's working directory holds the tmpfs", "[cli][orphans][native]")
{
	Planted p("/tmp/orphan-cwd");
	int ready[2];
	REQUIRE(pipe(ready) == 0);
	std::string dir = p.path("");
	Child holder = fork_child([&]() {
		close(ready[0]);
		if (chdir(dir.c_str()) != 0)
			return 1;
		char c = 1;
		if (write(ready[1], &c, 1) != 1)
			return 2;
		pause();
		return 0;
	});
	close(ready[1]);
	char c;
	REQUIRE(read(ready[0], &c, 1) == 1);
	close(ready[0]);
	REQUIRE(p.finish() == 0);
	auto o = orphan_with_dev(orphans_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(has_holder(o, {{"what", "cwd"}, {"pid", holder.pid()}}));
	holder = Child(); // killed and reaped
	CHECK(orphan_gone(p.dev()));
}

TEST_CASE("nstree orphans: umount -l in a namespace that lives on", "[cli][orphans][native]")
{
	Planted p("/tmp/orphan-lazy", {.big_mib = 8, .hold_and_detach = true});
	auto o = orphan_with_dev(orphans_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(o["kind"] == "superblock");
	CHECK(has_holder(o, {{"what", "fd"}, {"pid", p.pid()}}));
	REQUIRE(p.finish() == 0);
	CHECK(orphan_gone(p.dev()));
}

TEST_CASE("nstree orphans: a loop device backed by a file on the tmpfs", "[cli][orphans][native]")
{
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		SKIP("no /dev/loop-control in this guest");
	Planted p("/tmp/orphan-loop", {.big_mib = 8});
	int n = ioctl(ctl, LOOP_CTL_GET_FREE);
	REQUIRE(n >= 0);
	std::string dev = "/dev/loop" + std::to_string(n);
	int loop = open(dev.c_str(), O_RDWR | O_CLOEXEC);
	REQUIRE(loop >= 0);
	{
		auto f = nstree::Fd(open(p.path("small").c_str(), O_RDWR | O_CLOEXEC));
		REQUIRE(f.valid());
		REQUIRE(ioctl(loop, LOOP_SET_FD, f.get()) == 0);
	}
	REQUIRE(p.finish() == 0);
	auto o = orphan_with_dev(orphans_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(has_holder(o, {{"what", "loop"}, {"device", dev}}));
	CHECK(ioctl(loop, LOOP_CLR_FD, 0) == 0);
	close(loop);
	close(ctl);
	CHECK(orphan_gone(p.dev()));
}

TEST_CASE("nstree orphans: a dead mount namespace held by a bind mount of its nsfs file", "[cli][orphans][native]")
{
	const std::string bind = "/tmp/orphan-nsbind";
	int ready[2], go[2];
	REQUIRE(pipe(ready) == 0);
	REQUIRE(pipe(go) == 0);
	// An outer namespace of our own holds the bind mount, so that nothing is
	// mounted in the test's namespace.
	Child outer = fork_child(
		[&]() {
			close(ready[0]);
			close(go[1]);
			if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
				return 10;
			close(open(bind.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
			std::string dev;
			{
				Planted p("/tmp/orphan-nsheld", {.big_mib = 8});
				std::string ns = "/proc/" + std::to_string(p.pid()) + "/ns/mnt";
				if (mount(ns.c_str(), bind.c_str(), nullptr, MS_BIND, nullptr) != 0)
					return 11;
				dev = p.dev();
				if (p.finish() != 0)
					return 12;
			}
			char buf[32] = {};
			dev.copy(buf, sizeof(buf) - 1);
			if (write(ready[1], buf, sizeof(buf)) != sizeof(buf))
				return 13;
			char c;
			while (read(go[0], &c, 1) < 0 && errno == EINTR) {
			}
			return umount2(bind.c_str(), MNT_DETACH) == 0 ? 0 : 14;
		},
		CLONE_NEWNS);
	close(ready[1]);
	close(go[0]);
	char buf[32];
	REQUIRE(read(ready[0], buf, sizeof(buf)) == sizeof(buf));
	close(ready[0]);
	std::string dev(buf);
	auto o = orphan_with_dev(orphans_report(), dev);
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(o["kind"] == "namespace");
	CHECK(o["fstype"] == "tmpfs");
	CHECK(has_holder(o, {{"what", "namespace_mount"}, {"path", bind}}));
	bool told = false;
	for (const auto &r : o["remedies"])
		told = told || r.get<std::string>().find("unmount " + bind) != std::string::npos;
	CHECK(told);
	close(go[1]);
	CHECK(outer.wait() == 0);
	CHECK(orphan_gone(dev));
}

TEST_CASE("nstree orphans: nested decaying fragments fall apart as their holders let go", "[cli][orphans][native]")
{
	Planted p("/tmp/orphan-nested", {.big_mib = 8, .nested = true});
	nstree::Fd inner_fd(open(p.path("sub/f").c_str(), O_RDONLY | O_CLOEXEC));
	nstree::Fd outer_fd(open(p.path("small").c_str(), O_RDONLY | O_CLOEXEC));
	REQUIRE(inner_fd.valid());
	REQUIRE(outer_fd.valid());
	std::string inner = dev_of_fd(inner_fd.get());
	REQUIRE(p.finish() == 0);
	auto r = orphans_report();
	INFO(r.dump(1));
	auto o = orphan_with_dev(r, inner);
	auto outer = orphan_with_dev(r, p.dev());
	REQUIRE(!o.is_null());
	REQUIRE(!outer.is_null());
	CHECK(has_holder(o, {{"what", "fd"}, {"pid", getpid()}, {"fd", inner_fd.get()}}));
	CHECK(has_holder(outer, {{"what", "fd"}, {"pid", getpid()}, {"fd", outer_fd.get()}}));
	// Without an outside reference to the fragment's root, its child is torn away
	// (seed 000): the outer tmpfs dies, the inner lives on with its holder.
	outer_fd.reset();
	CHECK(orphan_gone(p.dev()));
	CHECK(!orphan_with_dev(orphans_report(), inner).is_null());
	inner_fd.reset();
	CHECK(orphan_gone(inner));
}

TEST_CASE("nstree orphans: no false positives from memfd, shm, sockets, pipes, pidfds, nsfs, a live container",
	  "[cli][orphans][native]")
{
	std::vector<int> fds;
	fds.push_back(memfd_create("orphan-test", MFD_CLOEXEC));
	int pipefd[2];
	REQUIRE(pipe(pipefd) == 0);
	fds.push_back(pipefd[0]);
	fds.push_back(pipefd[1]);
	fds.push_back(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	fds.push_back(eventfd(0, EFD_CLOEXEC));
	fds.push_back(int(syscall(SYS_pidfd_open, getpid(), 0)));
	fds.push_back(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
	int shm = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600);
	REQUIRE(shm >= 0);
	void *seg = shmat(shm, nullptr, 0);
	REQUIRE(seg != (void *)-1);
	shmctl(shm, IPC_RMID, nullptr);
	void *anon = mmap(nullptr, 1 << 16, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(anon != MAP_FAILED);
	Planted live("/tmp/orphan-live", {.big_mib = 4});
	fds.push_back(open(live.path("small").c_str(), O_RDONLY | O_CLOEXEC));
	for (int fd : fds)
		REQUIRE(fd >= 0);

	auto r = orphans_report();
	INFO(r.dump(1));
	for (const auto &o : r["orphans"]) {
		CHECK(!has_holder(o, {{"pid", getpid()}}));
		CHECK(!has_holder(o, {{"pid", live.pid()}}));
		CHECK(o["dev"] != live.dev());
		for (int fd : fds)
			CHECK(o["dev"] != dev_of_fd(fd));
	}
	for (int fd : fds)
		close(fd);
	shmdt(seg);
	munmap(anon, 1 << 16);
}

TEST_CASE("nstree orphans: table and Prometheus output of a planted orphan", "[cli][orphans][native]")
{
	Planted p("/tmp/orphan-text", {.big_mib = 8});
	nstree::Fd held(open(p.path("small").c_str(), O_RDONLY | O_CLOEXEC));
	REQUIRE(held.valid());
	// While the namespace lives, show tells what its tmpfs would pin.
	struct stat ns;
	REQUIRE(stat(("/proc/" + std::to_string(p.pid()) + "/ns/mnt").c_str(), &ns) == 0);
	auto show = run_nstree({"show", "mnt:[" + std::to_string(ns.st_ino) + "]"});
	INFO(show.out);
	CHECK(show.out.find("pins:       8.0 MiB in ") != std::string::npos);
	// And ls, in its PINS column: at least the 8 MiB file, in bytes, for mount
	// namespaces only.
	auto ls = run_nstree({"ls", "-J", "-o", "NS,TYPE,PINS"});
	INFO(ls.out << ls.err);
	bool seen = false;
	for (const auto &n : cli_namespaces(ls.out)) {
		if (n["type"] != "mnt") {
			CHECK(n["pins"].is_null());
			continue;
		}
		if (n["ns"] == ns.st_ino) {
			seen = true;
			REQUIRE(n["pins"].is_number());
			CHECK(n["pins"].get<uint64_t>() >= (8ull << 20));
			CHECK(n["pins"].get<uint64_t>() < (32ull << 20));
		}
	}
	CHECK(seen);
	REQUIRE(p.finish() == 0);
	auto table = run_nstree({"orphans"});
	INFO(table.out << table.err);
	CHECK(table.out.find(p.dev()) != std::string::npos);
	CHECK(table.out.find("What to do:") != std::string::npos);
	auto prom = run_nstree({"orphans", "--format", "prometheus"});
	INFO(prom.out);
	CHECK(prom.out.find("nstree_orphan_pinned_memory_bytes{kind=\"superblock\",dev=\"" + p.dev() + "\"") !=
	      std::string::npos);
	held.reset();
	CHECK(orphan_gone(p.dev()));
}

namespace {

long supers_call(const char *fstype, void *array, uint32_t nr, uint32_t flags = 0, uint32_t size = 112)
{
	struct nstree_supers req = {};
	req.size = sizeof(req);
	req.flags = flags;
	req.fstype = reinterpret_cast<uintptr_t>(fstype);
	req.supers = reinterpret_cast<uintptr_t>(array);
	req.nr_supers = nr;
	req.super_size = size;
	long n = ioctl(ctl().fd(), NSTREE_IOC_SUPERS, &req);
	return n < 0 ? -errno : n;
}

} // namespace

TEST_CASE("NSTREE_IOC_SUPERS: every tmpfs superblock, internal ones marked; bad input refused", "[orphans][ctl]")
{
	Planted p("/tmp/orphan-supers", {.big_mib = 1});
	nstree::Fd memfd(memfd_create("supers", MFD_CLOEXEC));
	REQUIRE(memfd.valid());
	std::string shm_dev = dev_of_fd(memfd.get());
	std::vector<nstree_super> a(256);
	long n = supers_call("tmpfs", a.data(), uint32_t(a.size()), NSTREE_SUPERS_STATFS | NSTREE_SUPERS_SWAPFILES);
	REQUIRE(n > 0);
	REQUIRE(size_t(n) <= a.size());
	bool planted = false, shm = false;
	for (long i = 0; i < n; i++) {
		std::string dev = std::to_string(a[i].dev_major) + ":" + std::to_string(a[i].dev_minor);
		if (dev == p.dev()) {
			planted = true;
			CHECK(!(a[i].flags & NSTREE_SUPER_KERNMOUNT));
			CHECK((a[i].flags & NSTREE_SUPER_STATFS));
			CHECK((a[i].blocks - a[i].bfree) * a[i].frsize >= 1u << 20);
			CHECK(a[i].active >= 1);
			CHECK(a[i].magic == 0x01021994);
			CHECK(!(a[i].flags & NSTREE_SUPER_SWAPFILE)); // tmpfs takes no swap file
		}
		if (dev == shm_dev) {
			shm = true;
			CHECK((a[i].flags & NSTREE_SUPER_KERNMOUNT));
		}
	}
	CHECK(planted);
	CHECK(shm);
	// A short array: the count, and only that many written.
	std::vector<nstree_super> one(2);
	std::memset(one.data(), 0xa5, sizeof(nstree_super) * 2);
	CHECK(supers_call("tmpfs", one.data(), 1) == n);
	unsigned char *second = reinterpret_cast<unsigned char *>(&one[1]);
	CHECK(std::all_of(second, second + sizeof(nstree_super), [](unsigned char c) { return c == 0xa5; }));

	CHECK(supers_call("tmpfs", a.data(), 1, 1u << 5) == -EINVAL);
	CHECK(supers_call("tmpfs", a.data(), 1, 0, 111) == -EINVAL);
	CHECK(supers_call("tmpfs", a.data(), NSTREE_SUPERS_MAX + 1) == -EOVERFLOW);
	CHECK(supers_call("", a.data(), 1) == -EINVAL);
	CHECK(supers_call(std::string(64, 'x').c_str(), a.data(), 1) == -EINVAL);
	CHECK(supers_call("nstree-no-such-fs", a.data(), 1) == -ENODEV);
	CHECK(supers_call(reinterpret_cast<const char *>(8), a.data(), 1) == -EFAULT);
	CHECK(supers_call("tmpfs", reinterpret_cast<void *>(8), 1) == -EFAULT);
	struct nstree_supers big = {};
	big.size = sizeof(big) + 8; // unknown trailing bytes must be zero
	std::vector<unsigned char> raw(sizeof(big) + 8, 0);
	std::memcpy(raw.data(), &big, sizeof(big));
	raw[sizeof(big)] = 1;
	CHECK(ioctl(ctl().fd(), NSTREE_IOC_SUPERS, raw.data()) == -1);
	CHECK(errno == E2BIG);
	// Superblocks are the whole system's: nobody gets EPERM.
	int code = exit_code_as_nobody([&]() {
		auto fd = open("/dev/nstree", O_RDONLY | O_CLOEXEC);
		struct nstree_supers req = {};
		req.size = sizeof(req);
		req.fstype = reinterpret_cast<uintptr_t>("tmpfs");
		req.supers = reinterpret_cast<uintptr_t>(a.data());
		req.nr_supers = 1;
		req.super_size = sizeof(nstree_super);
		return ioctl(fd, NSTREE_IOC_SUPERS, &req) < 0 && errno == EPERM ? 0 : 1;
	});
	CHECK(code == 0);
}

TEST_CASE("nstree orphans as nobody: what it holds itself, nothing of root's, exit 2", "[cli][orphans][native]")
{
	REQUIRE_ROOT();
	// Two orphans: one held by a process that became nobody after opening its
	// file, one held by root (this process).
	Planted mine("/tmp/orphan-nobody", {.big_mib = 1});
	Planted roots("/tmp/orphan-root", {.big_mib = 1});
	int ready[2];
	REQUIRE(pipe(ready) == 0);
	std::string file = mine.path("small");
	Child holder = fork_child([&]() {
		close(ready[0]);
		int fd = open(file.c_str(), O_RDONLY);
		char c = 1;
		// Dumpable again after the switch, as a process nobody started is.
		if (fd < 0 || setgroups(0, nullptr) || setgid(65534) || setuid(65534) ||
		    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) || write(ready[1], &c, 1) != 1)
			return 1;
		pause();
		return 0;
	});
	close(ready[1]);
	char c;
	REQUIRE(read(ready[0], &c, 1) == 1);
	close(ready[0]);
	nstree::Fd held(open(roots.path("small").c_str(), O_RDONLY | O_CLOEXEC));
	REQUIRE(held.valid());
	REQUIRE(mine.finish() == 0);
	REQUIRE(roots.finish() == 0);
	std::string mine_dev = mine.dev(), roots_dev = roots.dev();
	pid_t holder_pid = holder.pid();
	for (const char *backend : {"", "proc"}) {
		std::string failure = run_as(Caller::nobody, [&]() -> std::string {
			std::vector<std::string> args = {"orphans", "-J"};
			if (*backend)
				args.insert(args.end(), {"--backend", backend});
			auto run = run_nstree(args);
			if (run.status != 2)
				return "exit " + std::to_string(run.status) + ": " + run.err;
			auto rep = nlohmann::json::parse(run.out, nullptr, false);
			if (rep.is_discarded() || rep.value("partial", false) != true || rep["notices"].empty())
				return "not a partial report: " + run.out;
			auto o = orphan_with_dev(rep, mine_dev);
			if (o.is_null() || !has_holder(o, {{"what", "fd"}, {"pid", holder_pid}}))
				return "its own orphan is not reported with its holder: " + run.out;
			if (!orphan_with_dev(rep, roots_dev).is_null())
				return "root's orphan is shown to nobody: " + run.out;
			return "";
		});
		INFO("backend " << (*backend ? backend : "default"));
		CHECK(failure == "");
	}
	holder = Child();
	held.reset();
	CHECK(orphan_gone(mine_dev));
	CHECK(orphan_gone(roots_dev));
}
