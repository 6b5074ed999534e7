// SPDX-License-Identifier: GPL-2.0
#include <catch2/catch_test_macros.hpp>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "fd.hpp"

using nstree::Fd;

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

TEST_CASE("Fd closes what it owns, once", "[fd]")
{
	int raw;
	{
		auto fd = Fd::open("/dev/null", O_RDONLY);
		REQUIRE(fd.ok());
		raw = fd->get();
		REQUIRE(is_open(raw));
		CHECK((fcntl(raw, F_GETFD) & FD_CLOEXEC) != 0);
	}
	CHECK_FALSE(is_open(raw));
}

TEST_CASE("Fd moves ownership", "[fd]")
{
	auto a = Fd::open("/dev/null", O_RDONLY);
	REQUIRE(a.ok());
	Fd b = std::move(*a);
	CHECK_FALSE(a->valid());
	int raw = b.get();
	Fd c;
	c = std::move(b);
	CHECK(c.get() == raw);
	CHECK(is_open(raw));
	c.reset();
	CHECK_FALSE(is_open(raw));
}

TEST_CASE("Fd::open reports the path on failure", "[fd]")
{
	auto fd = Fd::open("/nonexistent/nstree", O_RDONLY);
	REQUIRE_FALSE(fd.ok());
	CHECK(fd.error().code == ENOENT);
	CHECK(fd.error().message.find("/nonexistent/nstree") != std::string::npos);
}
