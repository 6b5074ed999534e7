// SPDX-License-Identifier: GPL-2.0
#include <catch2/catch_test_macros.hpp>

#include "swap_files.hpp"

using nstree::parse_swap_files;

TEST_CASE("/proc/swaps: files only, names unescaped", "[swap]")
{
	const char *text = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			   "/dev/sda2                               partition\t999420\t\t0\t\t-2\n"
			   "/swapfile                               file\t\t1020\t\t0\t\t-3\n"
			   "/var/my\\040swap\\134x                   file\t\t1020\t\t0\t\t-4\n"
			   "/filesystem                             partition\t10\t\t0\t\t-5\n";
	auto f = parse_swap_files(text);
	REQUIRE(f.size() == 2);
	CHECK(f[0].path == "/swapfile");
	CHECK(f[1].path == "/var/my swap\\x");
	CHECK(parse_swap_files("Filename\tType\tSize\tUsed\tPriority\n").empty());
	CHECK(parse_swap_files("").empty());
	// A "file" only in the name is not a file entry; a line with no type is skipped.
	CHECK(parse_swap_files("head\n/file partition 1 0 -2\n/x\n").empty());
}
