// SPDX-License-Identifier: GPL-2.0
// Upstream's nsfs ioctls on nstreefs fds, checked against the kernel's nsfs where
// the kernel has them (NS_GET_USERNS, NS_GET_PARENT, NS_GET_NSTYPE, NS_GET_OWNER_UID).
#include <catch2/catch_test_macros.hpp>
#include <linux/auto_fs.h>
#include <sys/wait.h>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

static nstree::Fd tree_of(pid_t pid, const char *name)
{
	auto proc = open_path(ns_path(pid, name));
	auto r = ctl().reopen(proc.get(), nstree::NsFdKind::nstreefs);
	return r ? std::move(*r) : nstree::Fd();
}

TEST_CASE("NS_GET_NSTYPE and NS_GET_ID on every type", "[nsioctl]")
{
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		auto proc = open_path(ns_path(getpid(), t.name));
		auto tree = tree_of(getpid(), t.name);
		REQUIRE(tree.valid());
		CHECK(ioctl(tree.get(), NS_GET_NSTYPE) == ioctl(proc.get(), NS_GET_NSTYPE));
		uint64_t id = 0;
		REQUIRE(ioctl(tree.get(), NS_GET_ID, &id) == 0);
		CHECK(id == t.init_id);
		CHECK(ioctl_errno(tree.get(), NS_GET_ID, nullptr) == EFAULT);
	}
}

TEST_CASE("NS_GET_MNTNS_ID answers for mount namespaces only", "[nsioctl]")
{
	auto mnt = tree_of(getpid(), "mnt");
	uint64_t id = 0;
	REQUIRE(ioctl(mnt.get(), NS_GET_MNTNS_ID, &id) == 0);
	CHECK(id == 8);
	auto net = tree_of(getpid(), "net");
	CHECK(ioctl_errno(net.get(), NS_GET_MNTNS_ID, &id) == EINVAL);
}

TEST_CASE("NS_GET_USERNS returns the owner as an nstreefs fd, like nsfs", "[nsioctl]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUSER | CLONE_NEWUTS);
	REQUIRE(c.pid() > 0);
	auto proc = open_path(ns_path(c.pid(), "uts"));
	auto tree = tree_of(c.pid(), "uts");
	REQUIRE(tree.valid());
	nstree::Fd kernel_owner(ioctl(proc.get(), NS_GET_USERNS));
	nstree::Fd our_owner(ioctl(tree.get(), NS_GET_USERNS));
	REQUIRE(kernel_owner.valid());
	REQUIRE(our_owner.valid());
	CHECK(ino_of(our_owner.get()) == ino_of(kernel_owner.get()));
	CHECK(ino_of(our_owner.get()) == ino_of(ns_path(c.pid(), "user")));
	CHECK(is_nstreefs(our_owner.get()));
	uint64_t id = 0;
	REQUIRE(ioctl(our_owner.get(), NS_GET_ID, &id) == 0);
	CHECK(id == id_of(open_path(ns_path(c.pid(), "user")).get()));
}

TEST_CASE("NS_GET_USERNS refuses an owner outside the caller's user namespace", "[nsioctl]")
{
	REQUIRE_ROOT();
	auto tree = tree_of(getpid(), "uts"); // owned by the initial user namespace
	REQUIRE(tree.valid());
	int fd = tree.get();
	auto proc = open_path("/proc/1/ns/uts"); // opened here: the child could not
	REQUIRE(proc.valid());
	// A child in a new user namespace may not climb to the initial one: EPERM, as nsfs.
	Child c = fork_child(
		[&]() {
			int kernel = ioctl(proc.get(), NS_GET_USERNS) < 0 ? errno : 0;
			int ours = ioctl(fd, NS_GET_USERNS) < 0 ? errno : 0;
			return (kernel == EPERM ? 0 : 1) | (ours == EPERM ? 0 : 2);
		},
		CLONE_NEWUSER);
	int st = c.wait();
	REQUIRE(WIFEXITED(st));
	CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("NS_GET_PARENT follows pid and user namespaces with upstream's rules", "[nsioctl]")
{
	REQUIRE_ROOT();
	SECTION("types without a parent: EINVAL")
	{
		for (const char *name : {"uts", "ipc", "net", "mnt", "cgroup", "time"}) {
			INFO(name);
			auto tree = tree_of(getpid(), name);
			CHECK(ioctl_errno(tree.get(), NS_GET_PARENT, 0UL) == EINVAL);
		}
	}
	SECTION("the initial pid and user namespaces have none: EPERM")
	{
		for (const char *name : {"pid", "user"}) {
			INFO(name);
			auto proc = open_path(ns_path(getpid(), name));
			auto tree = tree_of(getpid(), name);
			CHECK(ioctl_errno(proc.get(), NS_GET_PARENT, 0UL) == EPERM);
			CHECK(ioctl_errno(tree.get(), NS_GET_PARENT, 0UL) == EPERM);
		}
	}
	SECTION("a child pid namespace and a child user namespace lead back to the initial ones")
	{
		Child c = spawn_holder(CLONE_NEWUSER | CLONE_NEWPID);
		REQUIRE(c.pid() > 0);
		for (auto [name, parent_id] : {std::pair{"pid_for_children", 4ULL}, {"user", 3ULL}}) {
			INFO(name);
			auto tree = tree_of(c.pid(), name);
			REQUIRE(tree.valid());
			nstree::Fd parent(ioctl(tree.get(), NS_GET_PARENT));
			REQUIRE(parent.valid());
			CHECK(is_nstreefs(parent.get()));
			uint64_t id = 0;
			REQUIRE(ioctl(parent.get(), NS_GET_ID, &id) == 0);
			CHECK(id == parent_id);
		}
	}
}

TEST_CASE("NS_GET_OWNER_UID reports a user namespace's owner, like nsfs", "[nsioctl]")
{
	REQUIRE_ROOT();
	Child c = fork_child(
		[]() {
			if (setresuid(65534, 65534, 65534) < 0)
				return 1;
			if (unshare(CLONE_NEWUSER) < 0)
				return 2;
			pause();
			return 0;
		});
	REQUIRE(c.pid() > 0);
	// Wait for the child to be in its user namespace.
	ino_t init_user = ino_of("/proc/1/ns/user");
	for (int i = 0; i < 500 && ino_of(ns_path(c.pid(), "user")) == init_user; i++)
		usleep(2000);
	auto proc = open_path(ns_path(c.pid(), "user"));
	REQUIRE(ino_of(proc.get()) != init_user);
	auto tree = tree_of(c.pid(), "user");
	uid_t kernel = 0, ours = 0;
	REQUIRE(ioctl(proc.get(), NS_GET_OWNER_UID, &kernel) == 0);
	REQUIRE(ioctl(tree.get(), NS_GET_OWNER_UID, &ours) == 0);
	CHECK(ours == 65534);
	CHECK(ours == kernel);
	CHECK(ioctl_errno(tree.get(), NS_GET_OWNER_UID, nullptr) == EFAULT);
	auto uts = tree_of(getpid(), "uts");
	CHECK(ioctl_errno(uts.get(), NS_GET_OWNER_UID, &ours) == EINVAL);
}

TEST_CASE("commands nsfs does not define: ENOTTY", "[nsioctl]")
{
	auto tree = tree_of(getpid(), "net");
	REQUIRE(tree.valid());
	int arg = 0;
	CHECK(ioctl_errno(tree.get(), AUTOFS_IOC_CATATONIC, 0UL) == ENOTTY);
	CHECK(ioctl_errno(tree.get(), _IO(NSIO, 0x30), 0UL) == ENOTTY);
	CHECK(ioctl_errno(tree.get(), _IOR(NSIO, 13, uint32_t), &arg) == ENOTTY); // NS_GET_ID, wrong size
	CHECK(ioctl_errno(tree.get(), NSTREE_IOC_VERSION, &arg) == ENOTTY);
}
