// SPDX-License-Identifier: GPL-2.0
// The bridge: from an ID or an nstreefs fd to a kernel nsfs fd that setns() and
// nsenter accept, and back.
#include <catch2/catch_test_macros.hpp>
#include <sys/wait.h>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

TEST_CASE("the bridged nsfs fd is the kernel's own file for the namespace", "[bridge]")
{
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC);
	REQUIRE(c.pid() > 0);
	for (const char *name : {"uts", "net", "ipc"}) {
		INFO("type " << name);
		auto proc = open_path(ns_path(c.pid(), name));
		uint64_t id = id_of(proc.get());
		REQUIRE(id > 8);
		auto nsfs = ctl().open_id(id, nstree::NsFdKind::nsfs);
		REQUIRE(nsfs.ok());
		CHECK(ino_of(nsfs->get()) == ino_of(proc.get()));
		CHECK(id_of(nsfs->get()) == id);
		// nstreefs fd -> nsfs fd, and nsfs fd -> nstreefs fd.
		auto tree = ctl().reopen(proc.get(), nstree::NsFdKind::nstreefs);
		REQUIRE(tree.ok());
		auto back = ctl().reopen(tree->get(), nstree::NsFdKind::nsfs);
		REQUIRE(back.ok());
		CHECK(ino_of(back->get()) == ino_of(proc.get()));
	}
}

TEST_CASE("setns() enters a namespace through the bridged fd, for every type", "[bridge]")
{
	REQUIRE_ROOT();
	for (const auto &t : kNsTypes) {
		if (t.flag == CLONE_NEWUSER)
			continue; // its own test case below
		INFO("type " << t.name);
		Child holder = spawn_holder(t.flag);
		REQUIRE(holder.pid() > 0);
		auto proc = open_path(ns_path(holder.pid(), t.child_name));
		uint64_t id = id_of(proc.get());
		ino_t want = ino_of(proc.get());
		auto nsfs = ctl().open_id(id, nstree::NsFdKind::nsfs);
		REQUIRE(nsfs.ok());
		int fd = nsfs->get();
		Child joiner = fork_child([&]() {
			if (setns(fd, t.flag) < 0)
				return 1;
			// pid and time apply to children; the rest at once.
			return ino_of(ns_path(getpid(), t.child_name)) == want ? 0 : 2;
		});
		int st = joiner.wait();
		CHECK(WIFEXITED(st));
		CHECK(WEXITSTATUS(st) == 0);
	}
}

TEST_CASE("setns() joins a user namespace through the bridged fd", "[bridge]")
{
	REQUIRE_ROOT();
	Child holder = spawn_holder(CLONE_NEWUSER);
	REQUIRE(holder.pid() > 0);
	auto proc = open_path(ns_path(holder.pid(), "user"));
	auto nsfs = ctl().open_id(id_of(proc.get()), nstree::NsFdKind::nsfs);
	REQUIRE(nsfs.ok());
	int fd = nsfs->get();
	ino_t want = ino_of(proc.get());
	Child joiner = fork_child([&]() {
		if (setns(fd, CLONE_NEWUSER) < 0)
			return 1;
		return ino_of("/proc/self/ns/user") == want ? 0 : 2;
	});
	int st = joiner.wait();
	CHECK(WIFEXITED(st));
	CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("nsenter accepts the bridged fd", "[bridge]")
{
	REQUIRE_ROOT();
	if (access("/usr/bin/nsenter", X_OK) != 0)
		SKIP("no nsenter in this guest");
	Child holder = spawn_holder(CLONE_NEWNET | CLONE_NEWUTS);
	REQUIRE(holder.pid() > 0);
	auto proc = open_path(ns_path(holder.pid(), "net"));
	auto nsfs = ctl().open_id(id_of(proc.get()), nstree::NsFdKind::nsfs);
	REQUIRE(nsfs.ok());
	std::string want = "net:[" + std::to_string(ino_of(proc.get())) + "]";

	int out[2];
	REQUIRE(pipe(out) == 0);
	int fd = nsfs->get();
	pid_t pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 1);
		int keep = dup(fd); // without O_CLOEXEC, so nsenter inherits it
		std::string arg = "--net=/proc/self/fd/" + std::to_string(keep);
		execl("/usr/bin/nsenter", "nsenter", arg.c_str(), "--", "readlink", "/proc/self/ns/net", nullptr);
		_exit(127);
	}
	close(out[1]);
	char buf[128] = {};
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);
	close(out[0]);
	int st;
	waitpid(pid, &st, 0);
	REQUIRE(WIFEXITED(st));
	CHECK(WEXITSTATUS(st) == 0);
	std::string got(buf, n > 0 ? size_t(n) : 0);
	while (!got.empty() && got.back() == '\n')
		got.pop_back();
	CHECK(got == want);
}
