// SPDX-License-Identifier: GPL-2.0
// nstree orphans: filesystems held through another file, which no /proc link names
// and only the module can see (NSTREE_HOLDERS_UNIX, _IO_URING, NSTREE_SUPERS_SWAPFILES):
// files in flight over SCM_RIGHTS, the name a unix socket is bound to, an io_uring's
// registered files, and a swap file. Each is named with its holder, and goes away
// when the holder lets go. Without the module (sid) they are invisible: skipped.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <poll.h>
#include <string>
#include <thread>
#include <vector>
#include <fcntl.h>
#include <liburing.h>
#include <linux/loop.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "orphan_kit.hpp"

using namespace selftest;
using nlohmann::json;

namespace {

// The report, or SKIP when it has no kernel view (no module: these holders are
// invisible to /proc, and Documentation/orphans.md says so).
json module_report()
{
	json r = orphans_report();
	if (!r["kernel_view"].get<bool>())
		SKIP("no kernel view (the module): what is held through another file is invisible to /proc");
	return r;
}

// Sends @fds in one SCM_RIGHTS message.
bool send_fds(int sock, const std::vector<int> &fds)
{
	char data = 'F';
	struct iovec iov = {&data, 1};
	std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
	struct msghdr msg = {};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.data();
	msg.msg_controllen = control.size();
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
	std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
	return sendmsg(sock, &msg, 0) == 1;
}

size_t holders_of_kind(const json &o, const std::string &what, pid_t pid)
{
	size_t n = 0;
	for (const auto &h : o["holders"])
		n += h["what"] == what && h["pid"] == pid;
	return n;
}

// Whether some string of the array @texts (remedies, notices) contains @text.
bool says(const json &texts, const std::string &text)
{
	for (const auto &t : texts)
		if (t.get<std::string>().find(text) != std::string::npos)
			return true;
	return false;
}

bool remedy_says(const json &o, const std::string &text)
{
	return says(o["remedies"], text);
}

} // namespace

TEST_CASE("nstree orphans: files in flight over SCM_RIGHTS name the socket that holds them", "[cli][orphans]")
{
	Planted p("/tmp/orphan-inflight", {.big_mib = 8});
	int sv[2];
	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	{
		nstree::Fd small(open(p.path("small").c_str(), O_RDONLY | O_CLOEXEC));
		nstree::Fd big(open(p.path("big").c_str(), O_RDWR | O_CLOEXEC));
		REQUIRE(small.valid());
		REQUIRE(big.valid());
		REQUIRE(send_fds(sv[0], {small.get(), big.get()}));
	}
	close(sv[0]); // the files are queued on sv[1]: only it holds them now
	REQUIRE(p.finish() == 0);
	auto o = orphan_with_dev(module_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(o["unexplained"] == false);
	// Two files, one socket: one holder each, told apart by inode.
	CHECK(holders_of_kind(o, "inflight", getpid()) == 2);
	CHECK(has_holder(o, {{"what", "inflight"}, {"pid", getpid()}, {"fd", sv[1]}, {"access", "rw"}}));
	CHECK(has_holder(o, {{"what", "inflight"}, {"pid", getpid()}, {"fd", sv[1]}, {"access", "r"}}));
	CHECK(remedy_says(o, "receive and close the file queued on its unix socket (fd " + std::to_string(sv[1])));
	close(sv[1]);
	CHECK(orphan_gone(p.dev()));
}

TEST_CASE("nstree orphans: hundreds of files in flight on many sockets, each socket named once per file",
	  "[cli][orphans]")
{
	// More records than the module's first array and more sockets than it looks
	// into at a time: the walk grows under the queue's lock and resumes its fd walk.
	Planted p("/tmp/orphan-inflight-many", {.big_mib = 1});
	nstree::Fd small(open(p.path("small").c_str(), O_RDONLY | O_CLOEXEC));
	REQUIRE(small.valid());
	std::vector<int> receivers;
	for (int i = 0; i < 40; i++) {
		int sv[2];
		// Stream, not datagram: a datagram sender blocks past net.unix.max_dgram_qlen
		// (10) queued messages.
		REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
		for (int k = 0; k < 25; k++)
			REQUIRE(send_fds(sv[0], {small.get()}));
		close(sv[0]);
		receivers.push_back(sv[1]);
	}
	small.reset();
	REQUIRE(p.finish() == 0);
	auto r = module_report();
	auto o = orphan_with_dev(r, p.dev());
	INFO(r["notices"].dump() << "\n" << o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(holders_of_kind(o, "inflight", getpid()) == receivers.size());
	for (int fd : receivers)
		CHECK(has_holder(o, {{"what", "inflight"}, {"pid", getpid()}, {"fd", fd}}));
	for (int fd : receivers)
		close(fd);
	CHECK(orphan_gone(p.dev()));
}

TEST_CASE("nstree orphans: a unix socket bound to a name on the tmpfs, and an O_PATH fd of that name",
	  "[cli][orphans]")
{
	Planted p("/tmp/orphan-unix", {.big_mib = 8});
	nstree::Fd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	REQUIRE(sock.valid());
	struct sockaddr_un a = {};
	a.sun_family = AF_UNIX;
	std::string name = p.path("sock");
	REQUIRE(name.size() < sizeof(a.sun_path));
	name.copy(a.sun_path, name.size());
	REQUIRE(bind(sock.get(), reinterpret_cast<struct sockaddr *>(&a), sizeof(a)) == 0);
	// An O_PATH fd of the name is a socket inode that is no socket file: a plain fd.
	nstree::Fd opath(open(name.c_str(), O_PATH | O_CLOEXEC));
	REQUIRE(opath.valid());
	REQUIRE(p.finish() == 0);
	auto o = orphan_with_dev(module_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(has_holder(o, {{"what", "unix_bound"}, {"pid", getpid()}, {"fd", sock.get()}, {"path", name}}));
	CHECK(has_holder(o, {{"what", "fd"}, {"pid", getpid()}, {"fd", opath.get()}}));
	CHECK(remedy_says(o, "close its unix socket fd " + std::to_string(sock.get())));
	opath.reset();
	CHECK(!orphan_with_dev(orphans_report(), p.dev()).is_null());
	sock.reset();
	CHECK(orphan_gone(p.dev()));
}

TEST_CASE("nstree orphans: a file registered with an io_uring, its fd closed", "[cli][orphans]")
{
	Planted p("/tmp/orphan-uring", {.big_mib = 8});
	struct io_uring ring;
	int err = io_uring_queue_init(4, &ring, 0);
	if (err < 0)
		SKIP("no io_uring here: " << strerror(-err));
	{
		nstree::Fd f(open(p.path("small").c_str(), O_RDWR | O_CLOEXEC));
		REQUIRE(f.valid());
		int fds[3] = {-1, f.get(), -1}; // index 1: sparse slots around it stay empty
		REQUIRE(io_uring_register_files(&ring, fds, 3) == 0);
	}
	REQUIRE(p.finish() == 0);
	auto o = orphan_with_dev(module_report(), p.dev());
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(o["unexplained"] == false);
	CHECK(has_holder(o, {{"what", "io_uring"}, {"pid", getpid()}, {"fd", ring.ring_fd}, {"index", 1},
			     {"path", "small"}, {"access", "rw"}}));
	CHECK(holders_of_kind(o, "io_uring", getpid()) == 1);
	CHECK(remedy_says(o, "unregister file 1 of its io_uring (fd " + std::to_string(ring.ring_fd)));
	io_uring_queue_exit(&ring);
	CHECK(orphan_gone(p.dev()));
}

namespace {

// A minix filesystem on a loop device backed by a file on /tmp.
struct LoopMinix {
	int ctl = -1, loop = -1;
	std::string image = "/tmp/orphan-swap.img", dev;
	dev_t rdev = 0;

	bool make()
	{
		ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
		if (ctl < 0)
			return false;
		nstree::Fd img(open(image.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
		if (!img.valid() || ftruncate(img.get(), 8 << 20) != 0)
			return false;
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0)
			return false;
		dev = "/dev/loop" + std::to_string(n);
		loop = open(dev.c_str(), O_RDWR | O_CLOEXEC);
		struct stat st;
		if (loop < 0 || ioctl(loop, LOOP_SET_FD, img.get()) != 0 || fstat(loop, &st) != 0)
			return false;
		rdev = st.st_rdev;
		return run_program({"/usr/sbin/mkfs.minix", dev}).status == 0;
	}
	~LoopMinix()
	{
		if (loop >= 0) {
			ioctl(loop, LOOP_CLR_FD, 0);
			close(loop);
		}
		if (ctl >= 0)
			close(ctl);
		unlink(image.c_str());
	}
};

bool has_filesystem(const std::string &name)
{
	auto r = run_program({"/bin/busybox", "grep", "-qw", name, "/proc/filesystems"});
	return r.status == 0;
}

} // namespace

TEST_CASE("nstree orphans: a swap file on a block device's filesystem whose namespace died", "[cli][orphans]")
{
	REQUIRE_ROOT();
	if (access("/dev/loop-control", F_OK) != 0 || !has_filesystem("minix") ||
	    access("/usr/sbin/mkfs.minix", X_OK) != 0)
		SKIP("needs loop devices, the minix filesystem and mkfs.minix in the guest");
	LoopMinix fs;
	REQUIRE(fs.make());
	const std::string dir = "/tmp/orphan-swap-mnt";
	mkdir(dir.c_str(), 0755);
	// A namespace mounts the filesystem, swaps on a file there, and dies.
	int code = exit_code_of(
		[&]() {
			if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
			    mount(fs.dev.c_str(), dir.c_str(), "minix", 0, nullptr) != 0)
				return 10;
			std::string file = dir + "/swapfile";
			int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
			static char zeros[1 << 16];
			for (int i = 0; fd >= 0 && i < 16; i++)
				if (write(fd, zeros, sizeof(zeros)) != sizeof(zeros))
					return 11;
			if (fd < 0 || fsync(fd) != 0 || close(fd) != 0)
				return 12;
			if (run_program({"/bin/busybox", "mkswap", file}).status != 0)
				return 13;
			return swapon(file.c_str(), 0) == 0 ? 0 : 14;
		},
		CLONE_NEWNS);
	REQUIRE(code == 0);
	std::string dev = dev_string(fs.rdev);
	auto o = orphan_with_dev(module_report(), dev);
	INFO(o.dump(1));
	REQUIRE(!o.is_null());
	CHECK(o["kind"] == "superblock");
	CHECK(o["fstype"] == "minix");
	CHECK(o["block_device"] == true);
	CHECK(o["unexplained"] == false);
	CHECK(o["at_risk"] == true);
	CHECK(has_holder(o, {{"what", "swap"}, {"path", "/swapfile"}}));
	CHECK(remedy_says(o, "swapoff needs a path to the file: mount " + fs.dev + " again"));
	// The remedy: a second mount of the device reuses the superblock, so the swap
	// file has a path again.
	const std::string again = "/tmp/orphan-swap-again";
	mkdir(again.c_str(), 0755);
	REQUIRE(mount(fs.dev.c_str(), again.c_str(), "minix", 0, nullptr) == 0);
	CHECK(swapoff((again + "/swapfile").c_str()) == 0);
	CHECK(umount(again.c_str()) == 0);
	CHECK(orphan_gone(dev));
}

namespace {

// A page whose first touch (from the kernel too) waits until release(): a copy to
// or from it holds whatever lock the copier holds for as long as the test wants.
class StallingPage {
public:
	bool make()
	{
		uffd_ = nstree::Fd(int(syscall(SYS_userfaultfd, O_CLOEXEC)));
		if (!uffd_.valid())
			return false;
		struct uffdio_api api = {};
		api.api = UFFD_API;
		if (ioctl(uffd_.get(), UFFDIO_API, &api) != 0)
			return false;
		page_ = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page_ == MAP_FAILED)
			return false;
		struct uffdio_register reg = {};
		reg.range = {reinterpret_cast<uintptr_t>(page_), 4096};
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
		return ioctl(uffd_.get(), UFFDIO_REGISTER, &reg) == 0;
	}
	void *get() const { return page_; }
	// Waits until something faults on the page (up to 10 s).
	bool stalled() const
	{
		struct pollfd p = {uffd_.get(), POLLIN, 0};
		return poll(&p, 1, 10000) == 1;
	}
	// Fills the page with 0xff bytes (ints of -1), waking the copier.
	bool release()
	{
		std::vector<unsigned char> src(4096, 0xff);
		struct uffdio_copy c = {};
		c.dst = reinterpret_cast<uintptr_t>(page_);
		c.src = reinterpret_cast<uintptr_t>(src.data());
		c.len = 4096;
		return ioctl(uffd_.get(), UFFDIO_COPY, &c) == 0;
	}
	~StallingPage()
	{
		if (page_ && page_ != MAP_FAILED)
			munmap(page_, 4096);
	}

private:
	nstree::Fd uffd_;
	void *page_ = nullptr;
};

} // namespace

TEST_CASE("nstree orphans: a socket or ring whose owner holds its lock is reported busy, not waited for",
	  "[cli][orphans]")
{
	REQUIRE_ROOT();
	StallingPage sock_page, ring_page;
	if (!sock_page.make() || !ring_page.make())
		SKIP("no userfaultfd in this kernel");
	// A reader copying into the page holds its socket's iolock.
	int sv[2];
	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	REQUIRE(write(sv[0], "x", 1) == 1);
	std::thread reader([&]() { (void)recv(sv[1], sock_page.get(), 1, 0); });
	// A registration reading its fds from the page holds the ring's uring_lock.
	struct io_uring ring;
	REQUIRE(io_uring_queue_init(4, &ring, 0) == 0);
	std::thread registrar([&]() { (void)io_uring_register_files(&ring, static_cast<int *>(ring_page.get()), 1); });
	bool stalled = sock_page.stalled() && ring_page.stalled();
	json r;
	if (stalled) {
		auto run = run_nstree({"orphans", "-J"});
		INFO(run.err);
		CHECK(run.status == 2); // partial: something was not looked into
		r = json::parse(run.out);
	}
	// Let both go before any REQUIRE can leave the threads behind.
	CHECK(sock_page.release());
	CHECK(ring_page.release());
	reader.join();
	registrar.join();
	REQUIRE(stalled);
	INFO(r.dump(1));
	if (!r["kernel_view"].get<bool>())
		SKIP("no kernel view (the module)");
	CHECK(r["partial"] == true);
	CHECK(says(r["notices"], "pid " + std::to_string(getpid()) + " fd " + std::to_string(sv[1]) + " (a unix socket) was busy"));
	CHECK(says(r["notices"], "pid " + std::to_string(getpid()) + " fd " + std::to_string(ring.ring_fd) + " (an io_uring) was busy"));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}
