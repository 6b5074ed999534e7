// SPDX-License-Identifier: GPL-2.0
// The module as a whole: its control device, its ABI handshake, load and unload.
#include <catch2/catch_test_macros.hpp>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "harness.hpp"
#include "nstree.h"

using namespace selftest;

// Not skipped when the module is missing: a guest without it must fail here.
TEST_CASE("the module is loaded and /dev/nstree is its misc device", "[module]")
{
	REQUIRE(module_loaded());
	struct stat st;
	REQUIRE(stat(NSTREE_DEVICE, &st) == 0);
	CHECK(S_ISCHR(st.st_mode));
	CHECK(major(st.st_rdev) == 10); // MISC_MAJOR
}

static int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

TEST_CASE("NSTREE_IOC_VERSION reports the ABI and validates its struct", "[module][abi]")
{
	nstree::Fd fd(open(NSTREE_DEVICE, O_RDONLY | O_CLOEXEC));
	REQUIRE(fd.valid());
	struct nstree_version v;

	SECTION("a well-formed request")
	{
		std::memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
		REQUIRE(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, &v) == 0);
		CHECK(v.abi == NSTREE_ABI_VERSION);
		CHECK(std::strlen(v.module_version) > 0);
	}
	SECTION("a size below the first version: EINVAL")
	{
		std::memset(&v, 0, sizeof(v));
		v.size = NSTREE_VERSION_SIZE_VER0 - 1;
		CHECK(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, &v) == EINVAL);
	}
	SECTION("a larger struct with a zero tail is accepted, a non-zero tail is E2BIG")
	{
		unsigned char big[128] = {};
		struct nstree_version *b = reinterpret_cast<struct nstree_version *>(big);
		b->size = sizeof(big);
		CHECK(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, big) == 0);
		CHECK(b->abi == NSTREE_ABI_VERSION);
		std::memset(big, 0, sizeof(big));
		b->size = sizeof(big);
		big[100] = 1;
		CHECK(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, big) == E2BIG);
		CHECK(b->abi == 0); // nothing was written back
	}
	SECTION("a size over a page: E2BIG")
	{
		std::memset(&v, 0, sizeof(v));
		v.size = 4097;
		CHECK(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, &v) == E2BIG);
	}
	SECTION("non-zero output fields on input: EINVAL")
	{
		std::memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
		v.abi = 7;
		CHECK(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, &v) == EINVAL);
	}
	SECTION("bad pointers: EFAULT, and nothing half-written")
	{
		CHECK(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, nullptr) == EFAULT);
		void *page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		REQUIRE(page != MAP_FAILED);
		static_cast<struct nstree_version *>(page)->size = sizeof(v);
		REQUIRE(mprotect(page, 4096, PROT_READ) == 0);
		CHECK(ioctl_errno(fd.get(), NSTREE_IOC_VERSION, page) == EFAULT); // readable, not writable
		CHECK(static_cast<struct nstree_version *>(page)->abi == 0);
		munmap(page, 4096);
	}
	SECTION("an unknown command: ENOTTY")
	{
		CHECK(ioctl_errno(fd.get(), _IO(NSTREE_IOC_MAGIC, 0x5f), nullptr) == ENOTTY);
		CHECK(ioctl_errno(fd.get(), _IOWR(NSTREE_IOC_MAGIC, 0x40, int), nullptr) == ENOTTY);
	}
}
