// SPDX-License-Identifier: GPL-2.0
#include "render_dot.hpp"

#include <map>
#include <set>

#include "ns_type.hpp"

namespace nstree::cli {

namespace {

// A DOT string's contents: quotes and backslashes escaped, newlines as \n.
std::string dot_escape(const std::string &s)
{
	std::string out;
	for (char c : s) {
		if (c == '"' || c == '\\')
			out += '\\';
		if (c == '\n')
			out += "\\n";
		else if (static_cast<unsigned char>(c) >= 0x20)
			out += c;
	}
	return out;
}

std::string node_id(uint32_t type, uint64_t inode)
{
	return "\"" + std::string(ns_type_name(type)) + ":" + std::to_string(inode) + "\"";
}

// One fill colour per type, light enough for black text.
const char *fill_of(uint32_t type)
{
	switch (type) {
	case CLONE_NEWUSER:
		return "#f4d58d";
	case CLONE_NEWPID:
		return "#bde0fe";
	case CLONE_NEWNET:
		return "#caffbf";
	case CLONE_NEWNS:
		return "#ffd6a5";
	case CLONE_NEWUTS:
		return "#e4c1f9";
	case CLONE_NEWIPC:
		return "#fdffb6";
	case CLONE_NEWCGROUP:
		return "#d0f4de";
	default:
		return "#eeeeee";
	}
}

std::string label_of(const Namespace &ns)
{
	std::string s = ns.name();
	if (ns.id)
		s += "\nID " + std::to_string(*ns.id);
	if (ns.nprocs)
		s += "\n" + std::to_string(ns.nprocs) + (ns.nprocs == 1 ? " process: " : " processes: ") +
		     ns.command.substr(0, 32);
	else if (!ns.holders.empty())
		s += "\nheld by " + ns.holders.front().str().substr(0, 40);
	return s;
}

} // namespace

std::string render_dot(const Listing &l, Tree relation)
{
	bool owners = relation != Tree::parent, parents = relation != Tree::owner;
	std::string out = "digraph nstree {\n"
			  "\trankdir=LR;\n"
			  "\tnode [shape=box, style=\"rounded,filled\", fontname=\"monospace\", fontsize=10];\n"
			  "\tedge [fontname=\"monospace\", fontsize=9];\n";
	std::set<std::pair<uint32_t, uint64_t>> listed, named;
	for (const auto &ns : l.namespaces) {
		listed.emplace(ns.type, ns.inode);
		out += "\t" + node_id(ns.type, ns.inode) + " [label=\"" + dot_escape(label_of(ns)) + "\", fillcolor=\"" +
		       fill_of(ns.type) + "\"];\n";
	}
	std::string edges;
	for (const auto &ns : l.namespaces) {
		if (owners && ns.owner_inode && !(ns.type == CLONE_NEWUSER && ns.parent_inode == ns.owner_inode && parents)) {
			named.emplace(CLONE_NEWUSER, *ns.owner_inode);
			edges += "\t" + node_id(CLONE_NEWUSER, *ns.owner_inode) + " -> " + node_id(ns.type, ns.inode) +
				 " [style=dashed, color=\"#8a6d00\", label=\"owns\"];\n";
		}
		if (parents && ns.parent_inode && (ns.type == CLONE_NEWPID || ns.type == CLONE_NEWUSER)) {
			named.emplace(ns.type, *ns.parent_inode);
			edges += "\t" + node_id(ns.type, *ns.parent_inode) + " -> " + node_id(ns.type, ns.inode) +
				 " [label=\"parent of\"];\n";
		}
	}
	// What the edges name that the listing left out (-t, -p, privilege): greyed.
	for (const auto &[type, inode] : named)
		if (!listed.count({type, inode}))
			out += "\t" + node_id(type, inode) + " [label=\"" + std::string(ns_type_name(type)) + ":[" +
			       std::to_string(inode) + "]\\n(not listed)\", fillcolor=\"#ffffff\", fontcolor=\"#888888\"];\n";
	return out + edges + "}\n";
}

} // namespace nstree::cli
