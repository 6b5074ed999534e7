// SPDX-License-Identifier: GPL-2.0
// The control device's NSTREE_IOC_NS_ID and NSTREE_IOC_OPEN: bad input gets the
// documented error and changes nothing; opening by ID follows upstream's rule.
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <sys/mman.h>
#include <sys/wait.h>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

struct Snapshot {
	int ctl_open = ctl().fd(); // opened before counting, not during the test
	int fds = open_fd_count();
	long long tracked = module_stat("tracked");
	long long ids = module_stat("ids_allocated");
	long long dentries = module_stat("dentries");
};

void check_unchanged(const Snapshot &before)
{
	Snapshot now;
	CHECK(now.fds == before.fds);
	CHECK(now.tracked <= before.tracked); // unrelated namespaces may die meanwhile
	CHECK(now.ids == before.ids);
	CHECK(now.dentries == before.dentries);
}

nstree_ns_id make_ns_id_req(int fd)
{
	nstree_ns_id r;
	std::memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.fd = fd;
	return r;
}

nstree_open open_req(uint64_t id)
{
	nstree_open r;
	std::memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.ns_id = id;
	return r;
}

int ctlfd()
{
	return ctl().fd();
}

} // namespace

TEST_CASE("NSTREE_IOC_NS_ID rejects bad input and changes nothing", "[ctl][errors]")
{
	auto net = open_path("/proc/self/ns/net");
	auto null = open_path("/dev/null");
	REQUIRE((net.valid() && null.valid()));
	Snapshot before;
	nstree_ns_id r;

	r = make_ns_id_req(-1);
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, &r) == EBADF);
	r = make_ns_id_req(9999);
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, &r) == EBADF);
	r = make_ns_id_req(null.get());
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, &r) == EINVAL);
	r = make_ns_id_req(ctlfd());
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, &r) == EINVAL);
	r = make_ns_id_req(net.get());
	r.reserved = 1;
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, &r) == EINVAL);
	r = make_ns_id_req(net.get());
	r.ns_id = 7; // an output field
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, &r) == EINVAL);
	r = make_ns_id_req(net.get());
	r.size = NSTREE_NS_ID_SIZE_VER0 - 8;
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, &r) == EINVAL);
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, nullptr) == EFAULT);
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, reinterpret_cast<void *>(8)) == EFAULT);

	// A read-only struct: the lookup happens, the copy-out faults.
	void *page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(page != MAP_FAILED);
	*static_cast<nstree_ns_id *>(page) = make_ns_id_req(net.get());
	REQUIRE(mprotect(page, 4096, PROT_READ) == 0);
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_NS_ID, page) == EFAULT);
	munmap(page, 4096);
	check_unchanged(before);
}

TEST_CASE("NSTREE_IOC_OPEN rejects bad input and changes nothing", "[ctl][errors]")
{
	auto net = open_path("/proc/self/ns/net");
	Snapshot before;
	nstree_open r;

	r = open_req(7);
	r.flags = 1U << 7;
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == EINVAL);
	r = open_req(7);
	r.reserved = 1;
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == EINVAL);
	for (uint32_t bad : {1U, uint32_t(CLONE_NEWNET | CLONE_NEWUTS), 0x80000000U}) {
		r = open_req(7);
		r.ns_type = bad;
		CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == EINVAL);
	}
	r = open_req(7);
	r.fd = net.get(); // fd without NSTREE_OPEN_BY_FD
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == EINVAL);
	r = open_req(7);
	r.flags = NSTREE_OPEN_BY_FD; // an ID with NSTREE_OPEN_BY_FD
	r.fd = net.get();
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == EINVAL);
	r = open_req(0);
	r.flags = NSTREE_OPEN_BY_FD;
	r.fd = -1;
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == EBADF);
	for (uint64_t unknown : {0ULL, 1ULL << 40, ~0ULL}) {
		r = open_req(unknown);
		CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == ENOENT);
		r.flags = NSTREE_OPEN_NSFS;
		CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == ENOENT);
	}
	r = open_req(7);
	r.ns_type = CLONE_NEWUTS; // ID 7 is a net namespace
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == ENOENT);
	r.flags = NSTREE_OPEN_NSFS;
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, &r) == ENOENT);
	CHECK(ioctl_errno(ctlfd(), NSTREE_IOC_OPEN, nullptr) == EFAULT);
	check_unchanged(before);

	r = open_req(7);
	r.ns_type = CLONE_NEWNET;
	nstree::Fd ok(ioctl(ctlfd(), NSTREE_IOC_OPEN, &r));
	CHECK(ok.valid());
}

TEST_CASE("opening by ID: own namespaces always, others only with may_see_all", "[ctl][permissions]")
{
	REQUIRE_ROOT();
	Child other = spawn_holder(CLONE_NEWNET | CLONE_NEWUTS);
	REQUIRE(other.pid() > 0);
	uint64_t other_net = id_of(open_path(ns_path(other.pid(), "net")).get());
	uint64_t own_net = id_of(open_path("/proc/self/ns/net").get());
	REQUIRE((other_net > 8 && own_net == 7));
	int ctl_fd = ctlfd();

	// Root in the initial namespaces sees everything.
	CHECK(ctl().open_id(other_net).ok());

	auto try_open = [ctl_fd](uint64_t id, uint32_t flags) {
		nstree_open r = open_req(id);
		r.flags = flags;
		int fd = ioctl(ctl_fd, NSTREE_IOC_OPEN, &r);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	};
	SECTION("an unprivileged user")
	{
		CHECK(exit_code_as_nobody([&]() {
			      return (try_open(own_net, 0) == 0 ? 0 : 1) | (try_open(other_net, 0) == ENOENT ? 0 : 2) |
				     (try_open(other_net, NSTREE_OPEN_NSFS) == ENOENT ? 0 : 4) |
				     (try_open(own_net, NSTREE_OPEN_NSFS) == 0 ? 0 : 8);
		      }) == 0);
	}
	SECTION("root in a child pid namespace")
	{
		CHECK(exit_code_in_new_pid_namespace([&]() {
			      return (try_open(own_net, 0) == 0 ? 0 : 1) | (try_open(other_net, 0) == ENOENT ? 0 : 2);
		      }) == 0);
	}
}

// To a caller that may not see every namespace, one it may not open does not exist:
// the same error as an ID nobody has and as a type that does not match, whichever
// way it asks, so that trying IDs tells it nothing (module 0.3.0 said EPERM for
// another user's namespace and ENOENT for a free ID).
TEST_CASE("opening by ID tells a caller that may not see all nothing of others' IDs", "[ctl][permissions][privilege]")
{
	REQUIRE_ROOT();
	Child other = spawn_holder(CLONE_NEWNET | CLONE_NEWUTS);
	REQUIRE(other.pid() > 0);
	uint64_t other_net = id_of(open_path(ns_path(other.pid(), "net")).get());
	uint64_t other_uts = id_of(open_path(ns_path(other.pid(), "uts")).get());
	uint64_t free_id = 1ULL << 40;
	REQUIRE((other_net > 8 && other_uts > 8));
	int ctl_fd = ctlfd();
	auto probe = [ctl_fd](uint64_t id, uint32_t type, uint32_t flags) {
		nstree_open r = open_req(id);
		r.ns_type = type;
		r.flags = flags;
		int fd = ioctl(ctl_fd, NSTREE_IOC_OPEN, &r);
		if (fd >= 0)
			close(fd);
		return fd >= 0 ? 0 : errno;
	};
	auto all_enoent = [&]() {
		int bad = 0;
		for (uint32_t flags : {0U, uint32_t(NSTREE_OPEN_NSFS)}) {
			for (uint32_t type : {0U, uint32_t(CLONE_NEWNET), uint32_t(CLONE_NEWUTS)}) {
				bad |= probe(other_net, type, flags) != ENOENT;
				bad |= probe(other_uts, type, flags) != ENOENT;
				bad |= probe(free_id, type, flags) != ENOENT;
			}
			// The caller's own namespace with the wrong type: the same answer.
			bad |= probe(7, CLONE_NEWUTS, flags) != ENOENT;
		}
		return bad;
	};
	// The stash's fast path too: another holder keeps an nstreefs dentry of them.
	auto held = ctl().open_id(other_net);
	REQUIRE(held);
	CHECK(exit_code_as_nobody(all_enoent) == 0);
	CHECK(exit_code_in_new_pid_namespace(all_enoent) == 0);
	CHECK(fork_child(all_enoent, CLONE_NEWUSER).wait() == 0); // root of its own user namespace
}
