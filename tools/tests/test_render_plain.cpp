// SPDX-License-Identifier: GPL-2.0
// Host unit tests: the plain-list fast path prints what libsmartcols prints, byte for
// byte, and hands everything else to libsmartcols.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <random>
#include <sched.h>
#include <string>
#include <vector>

#include "columns.hpp"
#include "render.hpp"
#include "render_plain.hpp"

using namespace nstree;
using namespace nstree::cli;

namespace {

// Laid out for a pipe, whatever the test's stdout is.
constexpr int kNotTerminal = -1;

// A listing of @rows namespaces with random facts: missing values, empty and long
// commands, several holders, numbers of every width.
Listing random_listing(std::mt19937 &rng, size_t rows, const std::string &alphabet)
{
	auto pick = [&](int n) { return int(rng() % unsigned(n)); };
	auto text = [&](int max) {
		std::string s;
		for (int i = pick(max + 1); i > 0; i--)
			s += alphabet[size_t(pick(int(alphabet.size())))];
		return s;
	};
	const uint32_t types[] = {CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWUTS};
	Listing l;
	l.backend = BackendKind::module;
	for (size_t i = 0; i < rows; i++) {
		Namespace ns;
		ns.type = types[pick(5)];
		ns.inode = 4026531835 + rng() % 100000;
		if (pick(4))
			ns.id = uint64_t(rng()) << pick(30);
		if (pick(3)) {
			ns.nprocs = uint32_t(1 + pick(20000));
			ns.pid = 1 + pick(4000000);
			ns.ppid = pick(4000000);
			ns.uid = uid_t(pick(3) ? 0 : pick(70000));
			ns.command = text(pick(2) ? 12 : 90);
		}
		if (pick(2))
			ns.owner_inode = 4026531837;
		if (ns.type == CLONE_NEWNET && pick(2))
			ns.netnsid = pick(5) - 1;
		for (int h = pick(3); h > 0; h--) {
			Holder fd(Holder::Kind::fd);
			fd.pid = 1 + pick(99999);
			fd.fd = pick(1000);
			ns.holders.push_back(fd);
		}
		if (pick(5) == 0)
			ns.nsfs.push_back("/run/netns/" + text(8));
		ns.active = pick(2);
		l.namespaces.push_back(ns);
	}
	return l;
}

std::vector<const Column *> random_columns(std::mt19937 &rng)
{
	std::vector<const Column *> cols;
	for (const auto &c : all_columns())
		if (rng() % 2)
			cols.push_back(&c);
	std::shuffle(cols.begin(), cols.end(), rng);
	if (cols.empty())
		cols.push_back(find_column("NS"));
	return cols;
}

} // namespace

TEST_CASE("plain list: byte for byte what libsmartcols prints", "[cli][render]")
{
	std::mt19937 rng(20261121);
	const std::string plain = "abcxyz019/-_.:= ";
	size_t compared = 0;
	for (int round = 0; round < 300; round++) {
		auto l = random_listing(rng, 1 + rng() % 40, plain);
		auto cols = round == 0 ? std::vector<const Column *>{} : random_columns(rng);
		if (cols.empty())
			for (const auto &c : all_columns())
				cols.push_back(&c);
		RenderOptions o;
		o.noheadings = rng() % 2;
		o.notruncate = rng() % 2;
		o.nowrap = rng() % 2;
		o.term_width = kNotTerminal;
		auto fast = render_plain_list(l, cols, o);
		auto lib = render_libsmartcols(l, cols, o);
		REQUIRE(lib);
		if (!fast) {
			// Only a multi-line cell (two holders without -W) may send it to libsmartcols.
			REQUIRE_FALSE(o.nowrap);
			REQUIRE(lib->find('\n') != std::string::npos);
			continue;
		}
		INFO("round " << round);
		REQUIRE(*fast == *lib);
		compared++;
	}
	// The comparison ran on most tables, not on a handful.
	CHECK(compared > 150);
}

TEST_CASE("plain list: all else goes to libsmartcols", "[cli][render]")
{
	std::mt19937 rng(7);
	auto l = random_listing(rng, 10, "abc ");
	std::vector<const Column *> cols{find_column("NS"), find_column("TYPE"), find_column("COMMAND")};
	RenderOptions o;
	o.term_width = kNotTerminal;
	REQUIRE(render_plain_list(l, cols, o));

	SECTION("formats and trees")
	{
		for (Format f : {Format::json, Format::raw}) {
			RenderOptions x = o;
			x.format = f;
			CHECK_FALSE(render_plain_list(l, cols, x));
		}
		RenderOptions tree = o;
		tree.tree = Tree::owner;
		CHECK_FALSE(render_plain_list(l, cols, tree));
	}
	SECTION("a terminal")
	{
		RenderOptions term = o;
		term.term_width = 80;
		CHECK_FALSE(render_plain_list(l, cols, term));
	}
	SECTION("text libsmartcols would encode or measure")
	{
		for (const char *odd : {"caf\xc3\xa9", "a\\xb", "tab\there", "bell\a"}) {
			Listing x = l;
			x.namespaces[3].nprocs = 1;
			x.namespaces[3].pid = 1;
			x.namespaces[3].command = odd;
			INFO(odd);
			CHECK_FALSE(render_plain_list(x, cols, o));
			CHECK_FALSE(is_plain_text(odd));
		}
	}
	SECTION("no rows")
	{
		Listing empty;
		CHECK_FALSE(render_plain_list(empty, cols, o));
	}
}

TEST_CASE("plain list: a large table, built and laid out in parts, as libsmartcols prints it", "[cli][render]")
{
	std::mt19937 rng(5000);
	auto l = random_listing(rng, 5000, "abcxyz019/-_.:= ");
	const std::vector<std::vector<const Column *>> layouts{
		{find_column("NS"), find_column("TYPE"), find_column("NPROCS"), find_column("PID"), find_column("USER"),
		 find_column("COMMAND")},
		{find_column("COMMAND")}, // rows without data are empty lines
	};
	for (const auto &cols : layouts) {
		RenderOptions o;
		o.term_width = kNotTerminal;
		auto fast = render_plain_list(l, cols, o);
		auto lib = render_libsmartcols(l, cols, o);
		REQUIRE(fast);
		REQUIRE(lib);
		CHECK(*fast == *lib);
	}
}
