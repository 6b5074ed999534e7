// SPDX-License-Identifier: GPL-2.0
// Host unit tests: on a terminal no line is wider than the terminal (HOLDER and NSFS
// give way as COMMAND does); in a pipe nothing is cut.
#include <catch2/catch_test_macros.hpp>
#include <sched.h>
#include <sstream>
#include <string>
#include <vector>

#include "columns.hpp"
#include "render.hpp"

using namespace nstree;
using namespace nstree::cli;

namespace {

const std::string kLongPath = "/run/netns/a-container-with-a-name-that-goes-on-and-on-for-a-while";

Listing wide_listing()
{
	Listing l;
	l.backend = BackendKind::module;
	Namespace init;
	init.type = CLONE_NEWNET;
	init.inode = 4026531833;
	init.id = 3;
	init.nprocs = 89;
	init.pid = 1;
	init.uid = 0;
	init.command = "/sbin/init splash --a-long-option-list=that,does,not,end,soon";
	l.namespaces.push_back(init);
	Namespace held;
	held.type = CLONE_NEWNET;
	held.inode = 4026532178;
	held.id = 4118;
	held.nsfs.push_back(kLongPath);
	Holder bind(Holder::Kind::bind_mount);
	bind.path = kLongPath;
	bind.mntns_inode = 4026531832;
	held.holders.push_back(bind);
	Holder fd(Holder::Kind::fd);
	fd.pid = 4242;
	fd.fd = 7;
	held.holders.push_back(fd);
	l.namespaces.push_back(held);
	return l;
}

std::vector<const Column *> columns(const char *list)
{
	std::vector<const Column *> cols;
	std::istringstream in(list);
	for (std::string name; std::getline(in, name, ',');)
		cols.push_back(find_column(name));
	return cols;
}

size_t widest_line(const std::string &text)
{
	size_t widest = 0;
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);)
		widest = std::max(widest, line.size());
	return widest;
}

} // namespace

TEST_CASE("render: on a terminal no line is wider than it; in a pipe nothing is cut", "[cli][render][width]")
{
	const Listing l = wide_listing();
	// The narrowest terminal each set fits in at all: the columns that never give
	// way (numbers, TYPE, USER) need 49 and 64 characters there.
	struct {
		const char *list;
		std::vector<int> widths;
	} sets[] = {{"NS,TYPE,NPROCS,PID,HOLDER,COMMAND", {60, 80, 120}},
		    {"ID,NS,TYPE,NPROCS,PID,USER,HOLDER,NETNSID,NSFS,COMMAND", {80, 100, 120}}};
	for (const auto &[list, widths] : sets) {
		auto cols = columns(list);
		for (int width : widths) {
			INFO(list << " on a terminal of " << width);
			RenderOptions term;
			term.term_width = width;
			auto text = render(l, cols, term);
			REQUIRE(text.ok());
			INFO(*text);
			CHECK(widest_line(*text) <= size_t(width));
			CHECK(text->find("bind m") != std::string::npos); // shortened, not dropped
		}
		RenderOptions pipe;
		pipe.term_width = -1;
		auto text = render(l, cols, pipe);
		REQUIRE(text.ok());
		CHECK(text->find("bind mount " + kLongPath + " in mnt:[4026531832]") != std::string::npos);
		CHECK(text->find("--a-long-option-list=that,does,not,end,soon") != std::string::npos);
	}
}
