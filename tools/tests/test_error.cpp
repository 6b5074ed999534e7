// SPDX-License-Identifier: GPL-2.0
#include <catch2/catch_test_macros.hpp>
#include <cerrno>

#include "error.hpp"

using nstree::Error;
using nstree::Result;

TEST_CASE("Result holds a value or an error", "[error]")
{
	Result<int> good(42);
	REQUIRE(good.ok());
	CHECK(*good == 42);

	Result<int> bad(Error::from_errno(ENOENT, "cannot open /x"));
	REQUIRE_FALSE(bad.ok());
	CHECK(bad.error().code == ENOENT);
	CHECK(bad.error().message == "cannot open /x: No such file or directory");
}
