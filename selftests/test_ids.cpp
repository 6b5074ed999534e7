// SPDX-License-Identifier: GPL-2.0
// 64-bit namespace IDs: fixed for the initial namespaces, unique, never reused.
#include <catch2/catch_test_macros.hpp>
#include <csignal>
#include <set>
#include <sys/wait.h>
#include <vector>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

TEST_CASE("the initial namespaces have upstream's IDs 1-8 by type", "[ids]")
{
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		auto fd = open_path(ns_path(1, t.name));
		REQUIRE(fd.valid());
		auto r = ctl().identify(fd.get());
		REQUIRE(r.ok());
		CHECK(r->id == t.init_id);
		CHECK(r->type == uint32_t(t.flag));
		CHECK(r->inum == ino_of(fd.get()));
	}
}

TEST_CASE("an ID is stable across calls, fds and fd kinds", "[ids]")
{
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		auto a = open_path(ns_path(getpid(), t.name));
		auto b = open_path(ns_path(getpid(), t.name));
		REQUIRE((a.valid() && b.valid()));
		uint64_t id = id_of(a.get());
		REQUIRE(id != 0);
		CHECK(id_of(a.get()) == id);
		CHECK(id_of(b.get()) == id);
		auto tree = ctl().reopen(a.get(), nstree::NsFdKind::nstreefs);
		REQUIRE(tree.ok());
		CHECK(id_of(tree->get()) == id);
		uint64_t via_ioctl = 0;
		REQUIRE(ioctl(tree->get(), NS_GET_ID, &via_ioctl) == 0);
		CHECK(via_ioctl == id);
	}
}

TEST_CASE("child namespaces of every type get new IDs above 8", "[ids]")
{
	std::set<uint64_t> seen;
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		Child c = spawn_holder(t.flag);
		REQUIRE(c.pid() > 0);
		auto fd = open_path(ns_path(c.pid(), t.child_name));
		REQUIRE(fd.valid());
		auto r = ctl().identify(fd.get());
		REQUIRE(r.ok());
		CHECK(r->id > 8);
		CHECK(r->type == uint32_t(t.flag));
		CHECK(r->inum == ino_of(fd.get()));
		CHECK(r->inum != ino_of(ns_path(1, t.name)));
		CHECK(seen.insert(r->id).second); // unique across types
	}
}

TEST_CASE("an ID is never handed to a second namespace, though inode numbers are", "[ids]")
{
	std::set<uint64_t> ids;
	std::set<std::pair<int, ino_t>> inodes;
	bool inum_reused = false;
	const int flags = CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_NEWNET;
	for (int i = 0; i < 200; i++) {
		Child c = spawn_holder(flags);
		REQUIRE(c.pid() > 0);
		for (const char *name : {"uts", "ipc", "cgroup", "net"}) {
			auto fd = open_path(ns_path(c.pid(), name));
			REQUIRE(fd.valid());
			auto r = ctl().identify(fd.get());
			REQUIRE(r.ok());
			INFO("iteration " << i << " type " << name << " id " << r->id);
			CHECK(ids.insert(r->id).second);
			if (!inodes.insert({r->type, r->inum}).second)
				inum_reused = true;
		}
		// The fds are closed and the child is killed here: its namespaces die.
	}
	CHECK(ids.size() == 800);
	// The point of 64-bit IDs: the kernel hands the same inode number out again at once.
	CHECK(inum_reused);
}
