// SPDX-License-Identifier: GPL-2.0
// Unload safety. Listed last in CMakeLists.txt: these tests unload and reload the
// module, and Catch2 runs them in declaration order (--order decl).
#include <catch2/catch_test_macros.hpp>
#include <sys/mount.h>
#include <sys/stat.h>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

static void require_reloadable()
{
	REQUIRE_ROOT();
	if (module_path().empty())
		SKIP("NSTREE_KO is not set: no module file to reload");
	REQUIRE(module_loaded());
	ctl_reset();
}

TEST_CASE("rmmod is refused while /dev/nstree is open, then unload and reload work", "[module][unload]")
{
	require_reloadable();
	{
		nstree::Fd fd(open(NSTREE_DEVICE, O_RDONLY | O_CLOEXEC));
		REQUIRE(fd.valid());
		CHECK(module_unload() == -EWOULDBLOCK);
		CHECK(module_loaded());
	}
	INFO("module refcount " << module_refcount() << "; holders: " << module_holders());
	REQUIRE(module_unload_settled() == 0);
	CHECK_FALSE(module_loaded());
	struct stat st;
	CHECK(stat(NSTREE_DEVICE, &st) < 0);
	REQUIRE(module_load() == 0);
	CHECK(module_loaded());
	CHECK(stat(NSTREE_DEVICE, &st) == 0);
}

TEST_CASE("rmmod is refused while an nstreefs fd is open, even with /dev/nstree closed", "[module][unload]")
{
	require_reloadable();
	auto proc = open_path("/proc/self/ns/uts");
	nstree::Fd tree;
	{
		auto r = ctl().reopen(proc.get(), nstree::NsFdKind::nstreefs);
		REQUIRE(r.ok());
		tree = std::move(*r);
		ctl_reset();
	}
	CHECK(module_unload() == -EWOULDBLOCK);
	CHECK(module_loaded());
	uint64_t id = 0;
	CHECK(ioctl(tree.get(), NS_GET_ID, &id) == 0); // still fully working
	CHECK(id == 2);
	tree.reset();
	INFO("module refcount " << module_refcount() << "; holders: " << module_holders());
	REQUIRE(module_unload_settled() == 0);
	REQUIRE(module_load() == 0);
}

TEST_CASE("a bind mount of a bridged nsfs file neither blocks rmmod nor dangles", "[module][unload]")
{
	require_reloadable();
	Child holder = spawn_holder(CLONE_NEWNET);
	REQUIRE(holder.pid() > 0);
	auto proc = open_path(ns_path(holder.pid(), "net"));
	ino_t want = ino_of(proc.get());
	const char *target = "/tmp/nstree-bound-net";
	int t = open(target, O_CREAT | O_RDONLY | O_CLOEXEC, 0600);
	REQUIRE(t >= 0);
	close(t);
	{
		auto tree = ctl().reopen(proc.get(), nstree::NsFdKind::nstreefs);
		REQUIRE(tree.ok());
		auto nsfs = ctl().reopen(tree->get(), nstree::NsFdKind::nsfs);
		REQUIRE(nsfs.ok());
		std::string src = "/proc/self/fd/" + std::to_string(nsfs->get());
		REQUIRE(mount(src.c_str(), target, nullptr, MS_BIND, nullptr) == 0);
		ctl_reset();
	}
	proc.reset();
	holder = Child(); // the bind mount is now all that keeps the namespace
	INFO("module refcount " << module_refcount() << "; holders: " << module_holders());
	CHECK(module_unload_settled() == 0);
	auto bound = open_path(target);
	REQUIRE(bound.valid());
	CHECK(ino_of(bound.get()) == want);
	CHECK(is_nsfs(bound.get()));
	REQUIRE(module_load() == 0);
	// A fresh registry: the namespace gets a new ID, the initial ones their fixed IDs.
	CHECK(id_of(bound.get()) > 8);
	CHECK(id_of(open_path("/proc/self/ns/net").get()) == 7);
	bound.reset();
	CHECK(umount(target) == 0);
	unlink(target);
}

TEST_CASE("a namespace held only by an fd opened before the module loaded is listed", "[module][unload][listns]")
{
	require_reloadable();
	nstree::Fd held;
	{
		Child c = spawn_holder(CLONE_NEWUTS);
		REQUIRE(c.pid() > 0);
		held = open_path(ns_path(c.pid(), "uts"));
		REQUIRE(held.valid());
	} // the fd is all that keeps it now
	ino_t want = ino_of(held.get());
	INFO("module refcount " << module_refcount() << "; holders: " << module_holders());
	REQUIRE(module_unload_settled() == 0);
	REQUIRE(module_load() == 0);
	// Compare by inode: asking for its ID would register it and prove nothing.
	nstree::ListRequest all;
	auto ids = ctl().list_all(all);
	REQUIRE(ids.ok());
	bool found = false;
	for (uint64_t id : *ids) {
		auto fd = ctl().open_id(id);
		if (fd && ino_of(fd->get()) == want)
			found = true;
	}
	CHECK(found);
}
