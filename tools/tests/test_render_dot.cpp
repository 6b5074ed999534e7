// SPDX-License-Identifier: GPL-2.0
// Host unit tests: nstree ls --format dot draws the owner and parent trees, greys
// what the listing left out, and escapes what graphviz would misread.
#include <catch2/catch_test_macros.hpp>
#include <sched.h>
#include <string>

#include "render_dot.hpp"

using namespace nstree;
using namespace nstree::cli;

namespace {

Namespace ns(uint32_t type, uint64_t inode, std::optional<uint64_t> owner, std::optional<uint64_t> parent = {})
{
	Namespace n;
	n.type = type;
	n.inode = inode;
	n.owner_inode = owner;
	n.parent_inode = parent;
	n.id = inode - 4026531000;
	n.nprocs = 1;
	n.command = "sh -c \"x\\y\"";
	return n;
}

bool has(const std::string &text, const std::string &part)
{
	return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("ls --format dot: owner and parent edges, left-out namespaces greyed", "[dot]")
{
	Listing l;
	l.namespaces.push_back(ns(CLONE_NEWUSER, 4026531837, std::nullopt)); // the initial one: no owner
	l.namespaces.push_back(ns(CLONE_NEWUSER, 4026532001, 4026531837, 4026531837));
	l.namespaces.push_back(ns(CLONE_NEWNET, 4026532002, 4026532001));
	l.namespaces.push_back(ns(CLONE_NEWPID, 4026532003, 4026532001, 4026531836)); // parent not listed

	std::string both = render_dot(l, Tree::none);
	INFO(both);
	CHECK(both.starts_with("digraph nstree {"));
	CHECK(both.ends_with("}\n"));
	CHECK(has(both, "\"user:4026532001\" -> \"net:4026532002\" [style=dashed"));
	CHECK(has(both, "\"user:4026532001\" -> \"pid:4026532003\" [style=dashed"));
	// A user namespace's owner is its parent: one edge, the parent's.
	CHECK(has(both, "\"user:4026531837\" -> \"user:4026532001\" [label=\"parent of\"]"));
	CHECK(!has(both, "\"user:4026531837\" -> \"user:4026532001\" [style=dashed"));
	CHECK(has(both, "\"pid:4026531836\" -> \"pid:4026532003\" [label=\"parent of\"]"));
	CHECK(has(both, "\"pid:4026531836\" [label=\"pid:[4026531836]\\n(not listed)\""));
	// Quotes and backslashes in a command cannot end a label early.
	CHECK(has(both, "sh -c \\\"x\\\\y\\\""));

	std::string owners = render_dot(l, Tree::owner);
	CHECK(has(owners, "\"user:4026531837\" -> \"user:4026532001\" [style=dashed"));
	CHECK(!has(owners, "parent of"));
	std::string parents = render_dot(l, Tree::parent);
	CHECK(!has(parents, "style=dashed"));
	CHECK(has(parents, "\"pid:4026531836\" -> \"pid:4026532003\""));
}
