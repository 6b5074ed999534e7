// SPDX-License-Identifier: GPL-2.0
// Host unit tests: nstree ls --sort COLUMN.
#include <catch2/catch_test_macros.hpp>
#include <sched.h>
#include <string_view>
#include <vector>

#include "columns.hpp"
#include "ls_options.hpp"
#include "sort.hpp"

using namespace nstree;
using namespace nstree::cli;

namespace {

Namespace ns(uint64_t inode, uint32_t nprocs, std::optional<pid_t> pid, std::string command)
{
	Namespace n;
	n.type = CLONE_NEWUTS;
	n.inode = inode;
	n.nprocs = nprocs;
	n.pid = pid;
	n.command = std::move(command);
	return n;
}

std::vector<uint64_t> inodes(const Listing &l)
{
	std::vector<uint64_t> v;
	for (const auto &n : l.namespaces)
		v.push_back(n.inode);
	return v;
}

Listing sample()
{
	Listing l;
	l.namespaces = {ns(1, 12, 300, "sleep"), ns(2, 3, 20, "bash"), ns(3, 100, std::nullopt, ""),
			ns(4, 3, 1000, "abc")};
	return l;
}

} // namespace

TEST_CASE("ls --sort: numbers as numbers, text as text, missing last, ties stable", "[cli][sort]")
{
	Listing l = sample();
	sort_by_column(l, *find_column("NPROCS"));
	CHECK(inodes(l) == std::vector<uint64_t>{2, 4, 1, 3}); // 3, 3 (as they were), 12, 100
	l = sample();
	sort_by_column(l, *find_column("PID"));
	CHECK(inodes(l) == std::vector<uint64_t>{2, 1, 4, 3}); // 20 < 300 < 1000 (not "1000" < "20"), none
	l = sample();
	sort_by_column(l, *find_column("command"));
	CHECK(inodes(l).front() == 4); // "abc" first
	CHECK(inodes(l)[1] == 2);
}

TEST_CASE("ls --sort: parsed as a column, an unknown one refused", "[cli][sort][options]")
{
	std::vector<std::string_view> a = {"--sort", "nprocs"};
	auto o = parse_ls_options(a);
	REQUIRE(o);
	REQUIRE(o->sort);
	CHECK(o->sort->name == "NPROCS");
	std::vector<std::string_view> b = {"--sort=PID"};
	CHECK(parse_ls_options(b)->sort->name == "PID");
	std::vector<std::string_view> c = {"--sort=BOGUS"};
	auto bad = parse_ls_options(c);
	REQUIRE(!bad);
	CHECK(bad.error().str().find("unknown column") != std::string::npos);
	std::vector<std::string_view> d = {};
	CHECK(parse_ls_options(d)->sort == nullptr);
}
