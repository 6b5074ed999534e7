// SPDX-License-Identifier: GPL-2.0
// NSTREE_IOC_LISTNS: upstream listns(2) semantics (listns_test, ns_active_ref_test's
// listing side, siocgskns_test's listing side): what is listed, in which order, and
// what keeps a namespace listed. Errors, permissions, stress and the cursor's edge
// cases are in test_listns_limits.cpp.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <atomic>
#include <linux/sockios.h>
#include <sys/mman.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>

#include "harness.hpp"
#include "listns_util.hpp"

using namespace selftest;

TEST_CASE("listns: all active namespaces, ascending, initial ones included", "[listns]")
{
	REQUIRE_ROOT();
	auto ids = list_ids();
	REQUIRE(ids.size() >= 8);
	CHECK(std::is_sorted(ids.begin(), ids.end()));
	CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
	for (uint64_t init = 1; init <= 8; init++)
		CHECK(std::count(ids.begin(), ids.end(), init) == 1);
	// Everything listed was active when listed, so root opens it, unless it died
	// since: a namespace of an earlier test's child dies when its last task or file
	// goes, and net namespaces die from a work item, seconds late on a debug kernel.
	// Such an id fails with ENOENT and is gone from the next listing.
	std::vector<uint64_t> unopened;
	for (uint64_t id : ids) {
		INFO("id " << id);
		auto fd = ctl().open_id(id);
		if (!fd.ok()) {
			CHECK(fd.error().code == ENOENT);
			unopened.push_back(id);
		}
	}
	if (!unopened.empty()) {
		auto again = list_ids();
		for (uint64_t id : unopened) {
			INFO("id " << id << " listed, not openable, and still listed");
			CHECK(std::count(again.begin(), again.end(), id) == 0);
		}
	}
}

TEST_CASE("listns: type filters with one, several or no bits", "[listns]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
	REQUIRE(c.pid() > 0);
	uint64_t uts = ns_id_of(c.pid(), "uts"), ipc = ns_id_of(c.pid(), "ipc"), net = ns_id_of(c.pid(), "net");
	auto only_net = id_set(CLONE_NEWNET);
	CHECK(only_net.count(7));
	CHECK(only_net.count(net));
	CHECK_FALSE(only_net.count(uts));
	for (uint64_t id : only_net) {
		auto fd = ctl().open_id(id);
		REQUIRE(fd.ok());
		CHECK(ioctl(fd->get(), NS_GET_NSTYPE) == CLONE_NEWNET);
	}
	auto two = id_set(CLONE_NEWUTS | CLONE_NEWIPC);
	CHECK((two.count(uts) && two.count(ipc) && two.count(1) && two.count(2)));
	CHECK_FALSE(two.count(net));
	CHECK_FALSE(two.count(7));
	CHECK(id_set(0).size() >= two.size() + only_net.size());
}

TEST_CASE("listns: pages of 1, 3 and 1000 give the same listing", "[listns][pagination]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC);
	auto whole = list_ids(0, 0, 1000000);
	for (size_t page : {1, 3, 1000}) {
		INFO("page " << page);
		CHECK(list_ids(0, 0, page) == whole);
	}
	// With a type filter too (listns_pagination_bug).
	auto uts = list_ids(CLONE_NEWUTS, 0, 1000000);
	CHECK(list_ids(CLONE_NEWUTS, 0, 1) == uts);
	// Past the end: ENOENT.
	auto req = make_req(whole.back());
	uint64_t buf[4];
	CHECK(listns_raw(&req, buf, 4) == -ENOENT);
}

TEST_CASE("listns: a namespace is listed while a task uses it, not after", "[listns][active]")
{
	REQUIRE_ROOT();
	uint64_t uts, ipc, net;
	{
		Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
		REQUIRE(c.pid() > 0);
		uts = ns_id_of(c.pid(), "uts");
		ipc = ns_id_of(c.pid(), "ipc");
		net = ns_id_of(c.pid(), "net");
		auto now = id_set();
		CHECK((now.count(uts) && now.count(ipc) && now.count(net)));
	} // killed and reaped
	auto after = id_set();
	CHECK_FALSE(after.count(uts));
	CHECK_FALSE(after.count(ipc));
	CHECK_FALSE(after.count(net));
}

TEST_CASE("listns: an open nsfs or nstreefs fd keeps a namespace listed", "[listns][active]")
{
	REQUIRE_ROOT();
	nstree::Fd nsfs, tree;
	uint64_t uts, ipc;
	{
		Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC);
		uts = ns_id_of(c.pid(), "uts");
		ipc = ns_id_of(c.pid(), "ipc");
		nsfs = open_path(ns_path(c.pid(), "uts"));
		auto t = ctl().open_id(ipc);
		REQUIRE(t.ok());
		tree = std::move(*t);
	}
	auto held = id_set();
	CHECK(held.count(uts));
	CHECK(held.count(ipc));
	nsfs.reset();
	tree.reset();
	auto gone = id_set();
	CHECK_FALSE(gone.count(uts));
	CHECK_FALSE(gone.count(ipc));
}

TEST_CASE("listns: a bind mount in another mount namespace keeps a namespace listed", "[listns][active]")
{
	REQUIRE_ROOT();
	Child owner = spawn_holder(CLONE_NEWUTS);
	REQUIRE(owner.pid() > 0);
	uint64_t uts = ns_id_of(owner.pid(), "uts");
	std::string src = ns_path(owner.pid(), "uts");
	int ready[2];
	REQUIRE(pipe(ready) == 0);
	Child binder = fork_child([&]() {
		close(ready[0]);
		if (unshare(CLONE_NEWNS) || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr))
			return 1;
		if (mount("tmpfs", "/mnt", "tmpfs", 0, nullptr))
			return 2;
		int f = open("/mnt/uts", O_CREAT | O_RDONLY, 0600);
		close(f);
		if (mount(src.c_str(), "/mnt/uts", nullptr, MS_BIND, nullptr))
			return 3;
		char ok = 1;
		if (write(ready[1], &ok, 1) != 1)
			return 4;
		for (;;)
			pause();
	});
	close(ready[1]);
	char ok = 0;
	REQUIRE(read(ready[0], &ok, 1) == 1);
	close(ready[0]);
	owner = Child(); // only the bind mount, in the binder's mount namespace, holds it now
	CHECK(listed(uts));
	binder = Child(); // its mount namespace dies, and with it the bind mount
	CHECK_FALSE(listed(uts));
}

TEST_CASE("listns: a thread's own namespace is listed", "[listns][active]")
{
	REQUIRE_ROOT();
	std::atomic<uint64_t> id{0};
	std::atomic<bool> done{false};
	std::thread t([&]() {
		if (unshare(CLONE_NEWUTS) == 0)
			id = id_of(open_path("/proc/thread-self/ns/uts").get());
		while (!done)
			usleep(1000);
	});
	for (int i = 0; i < 1000 && !id; i++)
		usleep(1000);
	REQUIRE(id > 8);
	CHECK(listed(id));
	done = true;
	t.join();
	// join() returns at the futex wake in exit_mm(), before exit_task_namespaces():
	// the exiting thread still uses its namespace for a moment, upstream too.
	bool gone = false;
	for (int i = 0; i < 300 && !gone; i++) {
		gone = !listed(id);
		if (!gone)
			usleep(10000);
	}
	CHECK(gone);
}

TEST_CASE("listns: a network namespace held only by a socket is hidden until SIOCGSKNS", "[listns][active]")
{
	REQUIRE_ROOT();
	uint64_t net = 0;
	{
		SocketHeldNet held = socket_held_net();
		REQUIRE(held.sock.valid());
		// The socket keeps the namespace alive, but nothing makes it active.
		nstree::Fd nsfs(ioctl(held.sock.get(), SIOCGSKNS));
		REQUIRE(nsfs.valid());
		net = id_of(nsfs.get());
		CHECK(listed(net)); // the fd SIOCGSKNS returned makes it active
		nsfs.reset();
		CHECK_FALSE(listed(net));
		nstree::Fd again(ioctl(held.sock.get(), SIOCGSKNS)); // resurrection
		CHECK(listed(net));
	}
	CHECK_FALSE(listed(net));
}

TEST_CASE("listns: a user namespace owning an active one is listed, up the chain", "[listns][active][owner]")
{
	REQUIRE_ROOT();
	// One process goes two user namespaces deep; the outer one is no task's any more.
	Child c = fork_child([]() {
		if (unshare(CLONE_NEWUSER) || !write_id_maps(getpid(), 0, 0, 0, 0))
			return 1;
		if (unshare(CLONE_NEWUSER) || !write_id_maps(getpid(), 0, 0, 0, 0))
			return 2;
		if (unshare(CLONE_NEWUTS))
			return 3;
		for (;;)
			pause();
	});
	uint64_t inner = 0;
	for (int i = 0; i < 1000; i++) {
		auto fd = open_path(ns_path(c.pid(), "uts"));
		if (fd.valid() && ino_of(fd.get()) != ino_of("/proc/1/ns/uts"))
			break;
		usleep(2000);
	}
	auto user = open_path(ns_path(c.pid(), "user"));
	inner = id_of(user.get());
	auto tree = ctl().reopen(user.get(), nstree::NsFdKind::nstreefs);
	REQUIRE(tree.ok());
	nstree::Fd outer_fd(ioctl(tree->get(), NS_GET_PARENT));
	REQUIRE(outer_fd.valid());
	uint64_t outer = id_of(outer_fd.get());
	outer_fd.reset();
	tree->reset();
	user.reset();
	REQUIRE((inner > 8 && outer > 8 && inner != outer));
	auto users = id_set(CLONE_NEWUSER);
	CHECK(users.count(inner));
	CHECK(users.count(outer)); // hidden parent: active through its child

	// Owner listing: the outer user namespace owns only the inner one.
	auto owned = id_set(0, outer);
	CHECK(owned == std::set<uint64_t>{inner});
	auto owned_by_inner = id_set(0, inner);
	CHECK(owned_by_inner.size() == 1); // the uts namespace
	CHECK_FALSE(owned_by_inner.count(inner));
}

TEST_CASE("listns: LISTNS_CURRENT_USER lists what the caller's user namespace owns", "[listns][owner]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS);
	uint64_t uts = ns_id_of(c.pid(), "uts");
	auto owned = id_set(0, LISTNS_CURRENT_USER);
	CHECK(owned.count(uts));
	CHECK(owned.count(1)); // initial ipc namespace: owned by the initial user namespace
	CHECK_FALSE(owned.count(3)); // not the user namespace itself
}
