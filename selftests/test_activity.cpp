// SPDX-License-Identifier: GPL-2.0
// When namespaces become active and inactive, as upstream's active references say:
// at the very moment a holder appears or goes, not one change later. The module
// computes the active set by a cached scan; a change noted before it takes effect
// (a hook at a function's entry) could be consumed by a scan that still saw the
// old state, which then passed for current. These tests make every kind of change
// while another thread lists (and so rescans) as fast as it can.
#include <catch2/catch_test_macros.hpp>
#include <atomic>
#include <cerrno>
#include <linux/sockios.h>
#include <pthread.h>
#include <sched.h>
#include <set>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "harness.hpp"
#include "listns_util.hpp"
#include "ns_handle.hpp"

using namespace selftest;

namespace {

// Lists (and so makes the module rescan after every change) until destroyed.
class Lister {
public:
	Lister()
		: thread_([this]() {
			  while (!stop_)
				  list_ids();
		  })
	{
	}
	~Lister()
	{
		stop_ = true;
		thread_.join();
	}

private:
	std::atomic<bool> stop_{false};
	std::thread thread_;
};

int handle_errno(uint64_t id, uint32_t type, uint32_t inum)
{
	auto fd = ctl().open_handle(nstree::NsHandle{id, type, inum});
	return fd ? 0 : fd.error().code;
}

// The inode number /proc/self/task/TID/ns/NAME names, read without making an nsfs
// inode (a stat() would make one, and that is a change of its own).
uint32_t inum_of_link(const std::string &path)
{
	char buf[64] = {};
	if (readlink(path.c_str(), buf, sizeof(buf) - 1) <= 0)
		return 0;
	const char *open = strchr(buf, '[');
	return open ? uint32_t(strtoul(open + 1, nullptr, 10)) : 0;
}

// The ID the listing gives the namespace with inode number @inum, or 0.
uint64_t listed_id_of_inum(uint32_t inum)
{
	auto ids = list_ids();
	auto infos = ctl().ns_info(ids);
	if (!infos)
		return 0;
	for (const auto &info : *infos)
		if (info.ns_inum == inum)
			return info.ns_id;
	return 0;
}

bool task_gone(pid_t tid)
{
	struct stat st;
	return stat(("/proc/self/task/" + std::to_string(tid)).c_str(), &st) != 0 && errno == ENOENT;
}

} // namespace

TEST_CASE("opening and closing a namespace through nstreefs are activity changes", "[active][nstreefs]")
{
	REQUIRE_ROOT();
	SocketHeldNet net = socket_held_net();
	REQUIRE(net.id > 8);
	REQUIRE_FALSE(listed(net.id));
	auto fd = ctl().open_id(net.id); // root may open any live namespace: now it is held
	REQUIRE(fd);
	CHECK(listed(net.id));
	CHECK(handle_errno(net.id, CLONE_NEWNET, net.inum) == 0);
	{
		Child other = spawn_holder(CLONE_NEWUTS); // some other change: the next listing rescans
		list_ids();
	}
	fd->reset();
	CHECK_FALSE(listed(net.id));
	CHECK(handle_errno(net.id, CLONE_NEWNET, net.inum) == ESTALE);
}

TEST_CASE("a namespace a process just unshared is listed at once, under concurrent listings", "[active][hooks]")
{
	REQUIRE_ROOT();
	Lister lister;
	for (int round = 0; round < 30; round++) {
		Child c = spawn_holder(CLONE_NEWUTS); // ready once its unshare() has returned
		REQUIRE(c.pid() > 0);
		uint32_t inum = inum_of_link(ns_path(c.pid(), "uts"));
		REQUIRE(inum != 0);
		INFO("round " << round);
		CHECK(listed_id_of_inum(inum) != 0);
	}
}

TEST_CASE("a child forked into new namespaces has them listed once clone() returns", "[active][hooks]")
{
	REQUIRE_ROOT();
	Lister lister;
	for (int round = 0; round < 30; round++) {
		pid_t pid = pid_t(syscall(SYS_clone, CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD, nullptr, nullptr,
					  nullptr, nullptr));
		if (pid == 0) {
			for (;;)
				pause();
		}
		REQUIRE(pid > 0);
		Child c(pid);
		uint32_t uts = inum_of_link(ns_path(pid, "uts"));
		uint32_t ipc = inum_of_link(ns_path(pid, "ipc"));
		REQUIRE((uts && ipc));
		INFO("round " << round);
		CHECK(listed_id_of_inum(uts) != 0);
		CHECK(listed_id_of_inum(ipc) != 0);
	}
}

TEST_CASE("a thread's network namespace is inactive once the thread is gone", "[active][hooks][threads]")
{
	REQUIRE_ROOT();
	Lister lister;
	for (int round = 0; round < 20; round++) {
		// The thread's namespace outlives it through a socket, which does not make
		// it active; then only the thread's exit can change its state.
		struct Shared {
			int sock = -1;
			uint64_t id = 0;
			uint32_t inum = 0;
			pid_t tid = 0;
		} sh;
		long long changes0 = module_stat("changes");
		std::thread t([&]() {
			sh.tid = pid_t(syscall(SYS_gettid));
			if (unshare(CLONE_NEWNET) != 0)
				return;
			sh.sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			auto fd = open_path("/proc/thread-self/ns/net");
			if (auto who = ctl().identify(fd.get())) {
				sh.id = who->id;
				sh.inum = who->inum;
			}
		});
		t.join();
		nstree::Fd sock(sh.sock);
		REQUIRE(sh.id > 8);
		// join() returns once the thread has cleared its tid, before it drops its
		// namespaces (do_exit: exit_mm() before exit_task_namespaces()): wait until
		// it is reaped, which threads are at once.
		for (int i = 0; i < 500 && !task_gone(sh.tid); i++)
			usleep(2000);
		REQUIRE(task_gone(sh.tid));
		INFO("round " << round << ": changes " << changes0 << " -> " << module_stat("changes"));
		CHECK_FALSE(listed(sh.id));
		CHECK(handle_errno(sh.id, CLONE_NEWNET, sh.inum) == ESTALE);
	}
}

TEST_CASE("a user namespace is inactive once its last process is reaped", "[active][hooks]")
{
	REQUIRE_ROOT();
	Lister lister;
	for (int round = 0; round < 20; round++) {
		// The child's open file keeps its credentials, hence its user namespace,
		// alive after it is reaped; stashed credentials do not make it active.
		int sp[2];
		REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0);
		int peer = sp[1];
		int go[2];
		REQUIRE(pipe2(go, O_CLOEXEC) == 0);
		Child c = fork_child(
			[&]() {
				close(go[1]);
				int f = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
				char x;
				return f >= 0 && send_fd(peer, f) && read(go[0], &x, 1) >= 0 ? 0 : 1;
			},
			CLONE_NEWUSER);
		auto file = recv_fd(sp[0]);
		REQUIRE(file.valid());
		uint64_t user = 0;
		uint32_t inum = 0;
		{
			auto fd = open_path(ns_path(c.pid(), "user"));
			auto who = ctl().identify(fd.get());
			REQUIRE(who);
			user = who->id;
			inum = who->inum;
		}
		CHECK(listed(user)); // the child's credentials hold it
		close(go[1]);
		REQUIRE(WEXITSTATUS(c.wait()) == 0); // reaped here
		close(go[0]);
		close(sp[0]);
		close(sp[1]);
		INFO("round " << round);
		CHECK_FALSE(listed(user));
		CHECK(handle_errno(user, CLONE_NEWUSER, inum) == ESTALE);
	}
}

TEST_CASE("a user namespace a process just entered by unshare() is listed at once", "[active][hooks]")
{
	REQUIRE_ROOT();
	Lister lister;
	for (int round = 0; round < 20; round++) {
		Child c = spawn_holder(CLONE_NEWUSER); // commit_creds() with a new user namespace
		REQUIRE(c.pid() > 0);
		uint32_t inum = inum_of_link(ns_path(c.pid(), "user"));
		REQUIRE(inum != 0);
		INFO("round " << round);
		CHECK(listed_id_of_inum(inum) != 0);
	}
}

// Upstream's ns_deep_hierarchy_propagation, with the child waiting until the parent
// holds what it needs (upstream's child exits at once and the test skips when it
// loses that race): activity propagates up the owner chain, and only up.
TEST_CASE("activity propagates up a chain of user namespaces to the last holder", "[active][owner][handles]")
{
	REQUIRE_ROOT();
	int sp[2];
	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0);
	int peer = sp[1];
	Child c = fork_child(
		[&]() {
			// UA (made by fork_child) -> UB -> a network namespace owned by UB.
			if (unshare(CLONE_NEWUSER) != 0 || !write_id_maps(getpid(), 0, 0, 0, 0))
				return 1;
			if (unshare(CLONE_NEWNET) != 0)
				return 2;
			for (const char *name : {"user", "net"}) {
				int fd = open((std::string("/proc/self/ns/") + name).c_str(), O_RDONLY | O_CLOEXEC);
				if (fd < 0 || !send_fd(peer, fd))
					return 3;
			}
			char x;
			return read(peer, &x, 1) == 1 ? 0 : 4; // until the parent has what it needs
		},
		CLONE_NEWUSER);
	REQUIRE(c.pid() > 0);
	auto ub_nsfs = recv_fd(sp[0]);
	auto net_nsfs = recv_fd(sp[0]);
	REQUIRE((ub_nsfs.valid() && net_nsfs.valid()));
	auto ub_who = ctl().identify(ub_nsfs.get());
	auto net_who = ctl().identify(net_nsfs.get());
	REQUIRE((ub_who && net_who));
	auto ua_fd = ctl().reopen(ub_nsfs.get(), nstree::NsFdKind::nstreefs);
	REQUIRE(ua_fd);
	nstree::Fd ua_nsfs(ioctl(ua_fd->get(), NS_GET_USERNS)); // UB's owner: UA
	REQUIRE(ua_nsfs.valid());
	auto ua_who = ctl().identify(ua_nsfs.get());
	REQUIRE(ua_who);
	nstree::NsHandle ua{ua_who->id, CLONE_NEWUSER, ua_who->inum};
	nstree::NsHandle ub{ub_who->id, CLONE_NEWUSER, ub_who->inum};
	nstree::NsHandle net{net_who->id, CLONE_NEWNET, net_who->inum};

	// Keep only an nstreefs fd of the network namespace, then let the child go.
	auto net_fd = ctl().open_handle(net, nstree::NsFdKind::nstreefs);
	REQUIRE(net_fd);
	ua_fd->reset();
	ua_nsfs.reset();
	ub_nsfs.reset();
	net_nsfs.reset();
	char go = 1;
	REQUIRE(write(sp[0], &go, 1) == 1);
	REQUIRE(WEXITSTATUS(c.wait()) == 0); // reaped: its credentials no longer hold UB
	close(sp[0]);
	close(sp[1]);

	// The network namespace's fd keeps UB active, and UB keeps UA.
	CHECK(handle_errno(ub.id, ub.type, ub.inum) == 0);
	CHECK(handle_errno(ua.id, ua.type, ua.inum) == 0);
	auto ub_fd = ctl().open_handle(ub, nstree::NsFdKind::nstreefs);
	REQUIRE(ub_fd);
	net_fd->reset();
	CHECK(handle_errno(net.id, net.type, net.inum) != 0); // dead or inactive
	CHECK(handle_errno(ub.id, ub.type, ub.inum) == 0);    // its own fd now
	CHECK(handle_errno(ua.id, ua.type, ua.inum) == 0);    // through UB
	auto ua_fd2 = ctl().open_handle(ua, nstree::NsFdKind::nstreefs);
	REQUIRE(ua_fd2);
	ub_fd->reset();
	CHECK(handle_errno(ua.id, ua.type, ua.inum) == 0); // its own fd
	ua_fd2->reset();
	CHECK(handle_errno(ua.id, ua.type, ua.inum) == ESTALE);
}
