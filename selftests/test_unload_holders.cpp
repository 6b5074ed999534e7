// SPDX-License-Identifier: GPL-2.0
// rmmod against every kind of holder of an nstreefs object that is not an open file
// of the module's own file_operations: O_PATH files, open_tree(), open_by_handle_at()
// with O_PATH, inotify marks, queued fanotify events, an fspick() context, a cwd.
// While one exists, rmmod must fail cleanly; once it is gone, rmmod must succeed,
// and nothing may fault afterwards (module 0.3.0 let rmmod succeed, and the holder's
// exit then ran the freed module's dentry operations). Runs before test_unload.cpp,
// whose tests also unload and reload the module (--order decl).
#include <catch2/catch_test_macros.hpp>
#include <fcntl.h>
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <optional>
#include <string>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <cstring>
#include <unistd.h>
#include <vector>

#include "harness.hpp"
#include "ns_handle.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

std::string fd_path(int fd)
{
	return "/proc/self/fd/" + std::to_string(fd);
}

int ctl_open()
{
	return open(NSTREE_DEVICE, O_RDONLY | O_CLOEXEC);
}

// An nstreefs fd for one of our own namespaces (NSTREE_OPEN_BY_FD needs no privilege).
int own_nstreefs(int ctl, const char *type = "uts")
{
	int ns = open((std::string("/proc/self/ns/") + type).c_str(), O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return -1;
	nstree_open r = {};
	r.size = sizeof(r);
	r.flags = NSTREE_OPEN_BY_FD;
	r.fd = ns;
	int fd = ioctl(ctl, NSTREE_IOC_OPEN, &r);
	close(ns);
	return fd;
}

int nstreefs_root(int ctl)
{
	return ioctl(ctl, NSTREE_IOC_ROOT, 0);
}

// Builds a holder; returns the fds to keep (none for a cwd), or nothing on failure.
using MakeHolder = std::function<std::optional<std::vector<int>>()>;

// A child that builds a holder, closes every other fd (/dev/nstree and every
// nstreefs file included), says so, and waits to be killed. Empty on failure, with
// the errno of the step that failed in *@err.
Child hold_in_child(const MakeHolder &make, bool as_nobody, int *err)
{
	int p[2];
	*err = 0;
	if (pipe2(p, O_CLOEXEC) < 0)
		return Child();
	Child c = fork_child([&]() {
		close(p[0]);
		if (as_nobody && (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)))
			return 90;
		errno = 0;
		auto keep = make();
		if (!keep)
			return errno ? errno : 91;
		for (int fd = 3; fd < 1024; fd++) {
			bool kept = fd == p[1];
			for (int k : *keep)
				kept = kept || k == fd;
			if (!kept)
				close(fd);
		}
		char ok = 1;
		if (write(p[1], &ok, 1) != 1)
			return 92;
		for (;;)
			pause();
	});
	close(p[1]);
	char ok = 0;
	if (read(p[0], &ok, 1) != 1 || ok != 1) {
		int st = c.wait();
		*err = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	}
	close(p[0]);
	return c;
}

struct Holder {
	const char *what;
	bool as_nobody;
	MakeHolder make;
	int refused = 0; // the errno with which the VFS may refuse to make this holder
	bool pins = true; // false: it holds nothing once made, and rmmod must work at once
};

std::vector<Holder> holders()
{
	return {
		{"an O_PATH reopen of an nstreefs file, by an unprivileged user", true,
		 []() -> std::optional<std::vector<int>> {
			 int t = own_nstreefs(ctl_open());
			 int o = t < 0 ? -1 : open(fd_path(t).c_str(), O_PATH | O_CLOEXEC);
			 if (o < 0)
				 return std::nullopt;
			 return std::vector<int>{o};
		 }},
		{"an O_PATH reopen of the nstreefs root", false,
		 []() -> std::optional<std::vector<int>> {
			 int r = nstreefs_root(ctl_open());
			 int o = r < 0 ? -1 : open(fd_path(r).c_str(), O_PATH | O_CLOEXEC);
			 if (o < 0)
				 return std::nullopt;
			 return std::vector<int>{o};
		 }},
		{"open_tree() of an nstreefs file, by an unprivileged user", true,
		 []() -> std::optional<std::vector<int>> {
			 int t = own_nstreefs(ctl_open());
			 int o = t < 0 ? -1 : open_tree(t, "", AT_EMPTY_PATH | OPEN_TREE_CLOEXEC);
			 if (o < 0)
				 return std::nullopt;
			 return std::vector<int>{o};
		 }},
		{"open_by_handle_at(O_PATH) of an nstreefs handle", false,
		 []() -> std::optional<std::vector<int>> {
			 int ctl = ctl_open();
			 int t = own_nstreefs(ctl, "net");
			 int r = nstreefs_root(ctl);
			 union {
				 struct file_handle fh;
				 char buf[sizeof(struct file_handle) + 128];
			 } h = {};
			 h.fh.handle_bytes = 128;
			 int mnt_id;
			 if (t < 0 || r < 0 || name_to_handle_at(t, "", &h.fh, &mnt_id, AT_EMPTY_PATH) < 0)
				 return std::nullopt;
			 int o = open_by_handle_at(r, &h.fh, O_PATH | O_CLOEXEC);
			 if (o < 0)
				 return std::nullopt;
			 return std::vector<int>{o};
		 }},
		{"an inotify mark on an nstreefs file, by an unprivileged user", true,
		 []() -> std::optional<std::vector<int>> {
			 int t = own_nstreefs(ctl_open());
			 int i = inotify_init1(IN_CLOEXEC);
			 if (t < 0 || i < 0 || inotify_add_watch(i, fd_path(t).c_str(), IN_ALL_EVENTS) < 0)
				 return std::nullopt;
			 return std::vector<int>{i};
		 }},
		// A mark holds an inode, not the superblock: once the root fd is closed
		// nothing pins the instance, its unmount drops the mark (IN_UNMOUNT), and
		// nothing of nstreefs is left.
		{"an inotify mark on the nstreefs root, after its instance went away", false,
		 []() -> std::optional<std::vector<int>> {
			 int r = nstreefs_root(ctl_open());
			 int i = inotify_init1(IN_CLOEXEC);
			 if (r < 0 || i < 0 || inotify_add_watch(i, fd_path(r).c_str(), IN_ALL_EVENTS) < 0)
				 return std::nullopt;
			 close(r);
			 union {
				 struct inotify_event ev;
				 char buf[4096];
			 } u;
			 struct pollfd p = {i, POLLIN, 0};
			 for (;;) {
				 if (poll(&p, 1, 10000) != 1 || read(i, u.buf, sizeof(u.buf)) <= 0)
					 return std::nullopt;
				 if (u.ev.mask & IN_UNMOUNT)
					 return std::vector<int>{i};
			 }
		 },
		 0, false},
		{"a queued fanotify event (it holds a path) and mark on an nstreefs file", false,
		 []() -> std::optional<std::vector<int>> {
			 int t = own_nstreefs(ctl_open());
			 int g = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
			 if (t < 0 || g < 0 ||
			     fanotify_mark(g, FAN_MARK_ADD, FAN_CLOSE_NOWRITE, AT_FDCWD, fd_path(t).c_str()) < 0)
				 return std::nullopt;
			 int again = open(fd_path(t).c_str(), O_RDONLY | O_CLOEXEC);
			 if (again < 0)
				 return std::nullopt;
			 close(again); // queues FAN_CLOSE_NOWRITE with the file's path
			 return std::vector<int>{g};
		 }},
		{"an fspick() context on the nstreefs root", false,
		 []() -> std::optional<std::vector<int>> {
			 int r = nstreefs_root(ctl_open());
			 int f = r < 0 ? -1 : fspick(r, "", FSPICK_EMPTY_PATH | FSPICK_CLOEXEC);
			 if (f < 0)
				 return std::nullopt;
			 return std::vector<int>{f};
		 },
		 EINVAL},
		{"a cwd in the nstreefs root", false,
		 []() -> std::optional<std::vector<int>> {
			 int r = nstreefs_root(ctl_open());
			 if (r < 0 || fchdir(r) < 0)
				 return std::nullopt;
			 return std::vector<int>{};
		 },
		 ENOTDIR}, // the root has no ->lookup(): not a directory one can enter
	};
}

} // namespace

TEST_CASE("rmmod is refused while anything holds an nstreefs object, and works once it is gone",
	  "[module][unload][holders]")
{
	REQUIRE_ROOT();
	if (module_path().empty())
		SKIP("NSTREE_KO is not set: no module file to reload");
	for (const Holder &h : holders()) {
		DYNAMIC_SECTION(h.what)
		{
			REQUIRE(module_loaded());
			ctl_reset();
			int err;
			Child c = hold_in_child(h.make, h.as_nobody, &err);
			if (c.pid() <= 0 && h.refused && err == h.refused) {
				SUCCEED("the VFS refuses to make it: " << strerror(err));
				continue;
			}
			INFO("the holder could not be made: " << strerror(err));
			REQUIRE(c.pid() > 0);
			INFO("module refcount " << module_refcount() << "; holders: " << module_holders());
			if (!h.pins) {
				REQUIRE(module_unload_settled() == 0);
				c = Child();
				REQUIRE(module_load() == 0);
				continue;
			}
			CHECK(module_refcount() > 0);
			CHECK(module_unload() == -EWOULDBLOCK);
			CHECK(module_loaded());
			c = Child(); // kills it: the holder goes away with the process
			REQUIRE(module_unload_settled() == 0);
			CHECK_FALSE(module_loaded());
			REQUIRE(module_load() == 0);
		}
	}
}

TEST_CASE("nstreefs objects cannot be cloned into a mount or bind-mounted", "[module][nstreefs][holders]")
{
	REQUIRE_ROOT();
	nstree::Fd ctl(ctl_open());
	REQUIRE(ctl.valid());
	nstree::Fd file(own_nstreefs(ctl.get()));
	nstree::Fd root(nstreefs_root(ctl.get()));
	REQUIRE((file.valid() && root.valid()));
	for (int fd : {file.get(), root.get()}) {
		errno = 0;
		CHECK(open_tree(fd, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC) < 0);
		CHECK(errno == EINVAL);
	}
	const char *target = "/tmp/nstree-bind-target";
	int t = open(target, O_CREAT | O_RDONLY | O_CLOEXEC, 0600);
	REQUIRE(t >= 0);
	close(t);
	errno = 0;
	CHECK(mount(fd_path(file.get()).c_str(), target, nullptr, MS_BIND, nullptr) < 0);
	CHECK(errno == EINVAL);
	unlink(target);
}

// rmmod in a loop against opens, listings, handle decodes and O_PATH holders that
// come and go: each rmmod either fails cleanly (EBUSY) or unloads a module nothing
// holds, and a reload follows; no call sees anything but a result or a clean error.
TEST_CASE("rmmod in a loop racing opens, listings, handle decodes and O_PATH holders", "[module][unload][races]")
{
	REQUIRE_ROOT();
	if (module_path().empty())
		SKIP("NSTREE_KO is not set: no module file to reload");
	REQUIRE(module_loaded());
	ctl_reset();
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(campaign_count(10, 180));
	std::atomic<bool> stop{false}, quiet{false};
	std::atomic<long> calls{0}, bad{0};
	std::vector<std::thread> workers;
	for (int t = 0; t < 4; t++) {
		workers.emplace_back([&, t]() {
			for (unsigned i = t; !stop; i++) {
				// In a quiet spell the workers stop starting calls (those under way
				// go on), so that rmmod can win against the last ones.
				if (quiet) {
					usleep(1000);
					continue;
				}
				int ctl = ctl_open(); // fails while the module is out: fine
				if (ctl < 0) {
					if (errno != ENOENT && errno != ENODEV && errno != ENXIO)
						bad++;
					continue;
				}
				calls++;
				int fd = -1;
				switch (i % 4) {
				case 0: {
					nstree_open r = {};
					r.size = sizeof(r);
					r.ns_id = 1 + i % 8;
					fd = ioctl(ctl, NSTREE_IOC_OPEN, &r);
					if (fd < 0)
						bad++;
					break;
				}
				case 1: {
					std::vector<uint64_t> ids(64);
					ns_id_req req = {};
					req.size = sizeof(req);
					nstree_listns a = {};
					a.size = sizeof(a);
					a.req = reinterpret_cast<uintptr_t>(&req);
					a.ns_ids = reinterpret_cast<uintptr_t>(ids.data());
					a.nr_ns_ids = ids.size();
					if (ioctl(ctl, NSTREE_IOC_LISTNS, &a) < 8)
						bad++;
					break;
				}
				case 2: {
					nstree::NsHandle h{1 + i % 8, 0, 0};
					auto raw = h.raw();
					nstree_open_handle oh = {};
					oh.size = sizeof(oh);
					oh.handle = reinterpret_cast<uintptr_t>(&raw);
					fd = ioctl(ctl, NSTREE_IOC_OPEN_HANDLE, &oh);
					if (fd < 0)
						bad++;
					break;
				}
				default: {
					int tree = own_nstreefs(ctl, "net");
					fd = tree < 0 ? -1 : open(fd_path(tree).c_str(), O_PATH | O_CLOEXEC);
					if (tree >= 0)
						close(tree);
					if (fd < 0)
						bad++;
					break;
				}
				}
				close(ctl);
				if (fd >= 0) {
					usleep(i % 3 ? 0 : 200); // an O_PATH holder, or a file, alone for a while
					close(fd);
				}
			}
		});
	}
	long unloads = 0, refusals = 0, failures = 0;
	for (long attempt = 0; std::chrono::steady_clock::now() < deadline; attempt++) {
		quiet = attempt % 40 >= 30;
		int r = module_unload();
		if (r == 0) {
			unloads++;
			if (module_load() != 0)
				failures++;
		} else if (r == -EWOULDBLOCK) {
			refusals++;
		} else {
			failures++;
		}
		usleep(quiet ? 5000 : 500);
	}
	stop = true;
	quiet = false;
	for (auto &w : workers)
		w.join();
	if (!module_loaded())
		REQUIRE(module_load() == 0);
	INFO(unloads << " unloads, " << refusals << " refusals, " << calls << " calls");
	CHECK(failures == 0);
	CHECK(bad == 0);
	CHECK(unloads > 0);
	CHECK(refusals > 0);
}
