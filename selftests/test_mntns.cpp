// SPDX-License-Identifier: GPL-2.0
// NS_MNT_GET_INFO, NS_MNT_GET_NEXT and NS_MNT_GET_PREV on nstreefs files (the
// semantics of upstream's filesystems/nsfs/iterate_mntns.c), in our ID order.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sys/wait.h>
#include <vector>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

static void require_mnt_ns_info()
{
	auto v = ctl().version();
	REQUIRE(v.ok());
	// The test kernels are always built with the private fs/mount.h; a module
	// without the feature must not pass these tests by accident.
	REQUIRE((v->features & NSTREE_FEATURE_MNT_NS_INFO) != 0);
}

static nstree::Fd mnt_tree(pid_t pid)
{
	auto proc = open_path(ns_path(pid, "mnt"));
	auto r = ctl().reopen(proc.get(), nstree::NsFdKind::nstreefs);
	return r ? std::move(*r) : nstree::Fd();
}

static int count_lines(const std::string &path)
{
	std::ifstream f(path);
	std::string line;
	int n = 0;
	while (std::getline(f, line))
		n++;
	return n;
}

TEST_CASE("NS_MNT_GET_INFO reports the ID and the mounts past the root", "[mntns]")
{
	require_mnt_ns_info();
	auto tree = mnt_tree(getpid());
	REQUIRE(tree.valid());
	struct mnt_ns_info info = {};
	REQUIRE(ioctl(tree.get(), NS_MNT_GET_INFO, &info) == 0);
	CHECK(info.size == MNT_NS_INFO_SIZE_VER0);
	CHECK(info.mnt_ns_id == 8);
	CHECK(int(info.nr_mounts) == count_lines("/proc/self/mountinfo") - 1);

	// Where the kernel's nsfs has the ioctl (6.12), it counts the same.
	auto proc = open_path("/proc/self/ns/mnt");
	struct mnt_ns_info kernel = {};
	if (ioctl(proc.get(), NS_MNT_GET_INFO, &kernel) == 0)
		CHECK(kernel.nr_mounts == info.nr_mounts);

	// Extensible: a larger struct gets the known bytes and size 16; the rest is untouched.
	unsigned char big[32];
	std::memset(big, 0xaa, sizeof(big));
	REQUIRE(ioctl(tree.get(), _IOR(NSIO, 10, unsigned char[32]), big) == 0);
	CHECK(reinterpret_cast<struct mnt_ns_info *>(big)->size == MNT_NS_INFO_SIZE_VER0);
	CHECK(big[20] == 0xaa);
}

TEST_CASE("NS_MNT_GET_INFO and friends reject bad input", "[mntns][errors]")
{
	require_mnt_ns_info();
	auto tree = mnt_tree(getpid());
	struct mnt_ns_info info = {};
	CHECK(ioctl_errno(tree.get(), NS_MNT_GET_INFO, nullptr) == EINVAL);
	CHECK(ioctl_errno(tree.get(), NS_MNT_GET_INFO, reinterpret_cast<void *>(8)) == EFAULT);
	CHECK(ioctl_errno(tree.get(), _IOR(NSIO, 10, uint64_t), &info) == ENOTTY); // below size 16
	auto netproc = open_path("/proc/self/ns/net");
	auto netr = ctl().reopen(netproc.get(), nstree::NsFdKind::nstreefs);
	REQUIRE(netr.ok());
	auto &net = *netr;
	CHECK(ioctl_errno(net.get(), NS_MNT_GET_INFO, &info) == EINVAL);
	CHECK(ioctl_errno(net.get(), NS_MNT_GET_NEXT, &info) == EINVAL);
	int before = open_fd_count();
	CHECK(ioctl_errno(tree.get(), NS_MNT_GET_NEXT, reinterpret_cast<void *>(8)) == EFAULT);
	CHECK(open_fd_count() == before); // no fd published when the copy fails
}

TEST_CASE("NS_MNT_GET_NEXT and NS_MNT_GET_PREV walk the mount namespaces in ID order", "[mntns]")
{
	REQUIRE_ROOT();
	require_mnt_ns_info();
	std::vector<Child> holders;
	std::set<uint64_t> created;
	for (int i = 0; i < 3; i++) {
		holders.push_back(spawn_holder(CLONE_NEWNS));
		REQUIRE(holders.back().pid() > 0);
		created.insert(id_of(open_path(ns_path(holders.back().pid(), "mnt")).get()));
	}

	std::vector<uint64_t> forward = {8};
	nstree::Fd cur = mnt_tree(1);
	for (;;) {
		struct mnt_ns_info info = {};
		int fd = ioctl(cur.get(), NS_MNT_GET_NEXT, &info);
		if (fd < 0) {
			CHECK(errno == ENOENT);
			break;
		}
		cur = nstree::Fd(fd);
		CHECK(is_nstreefs(fd));
		uint64_t id = 0;
		REQUIRE(ioctl(fd, NS_GET_ID, &id) == 0);
		CHECK(info.mnt_ns_id == id);
		CHECK(id > forward.back());
		forward.push_back(id);
		REQUIRE(forward.size() < 10000);
	}
	for (uint64_t id : created)
		CHECK(std::find(forward.begin(), forward.end(), id) != forward.end());

	std::vector<uint64_t> backward;
	for (;;) {
		uint64_t id = 0;
		REQUIRE(ioctl(cur.get(), NS_GET_ID, &id) == 0);
		backward.insert(backward.begin(), id);
		int fd = ioctl(cur.get(), NS_MNT_GET_PREV, nullptr); // no info wanted: allowed
		if (fd < 0) {
			CHECK(errno == ENOENT);
			break;
		}
		cur = nstree::Fd(fd);
	}
	CHECK(backward == forward);
}

TEST_CASE("NS_MNT_GET_NEXT needs the right to see all namespaces", "[mntns][permissions]")
{
	REQUIRE_ROOT();
	require_mnt_ns_info();
	auto tree = mnt_tree(getpid());
	int fd = tree.get();
	Child c = fork_child([&]() {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			return 100;
		struct mnt_ns_info info = {};
		int next = ioctl(fd, NS_MNT_GET_NEXT, &info) < 0 ? errno : 0;
		int get = ioctl(fd, NS_MNT_GET_INFO, &info); // no privilege needed
		return (next == EPERM ? 0 : 1) | (get == 0 ? 0 : 2);
	});
	int st = c.wait();
	REQUIRE(WIFEXITED(st));
	CHECK(WEXITSTATUS(st) == 0);
}
