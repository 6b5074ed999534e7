// SPDX-License-Identifier: GPL-2.0
// nstree show <ID|type:[inode]|path>: everything known about one namespace, its
// owner chain and its holders.
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "discover.hpp"
#include "mount_pins.hpp"
#include "orphans.hpp"
#include "ns_type.hpp"
#include "render.hpp"

namespace nstree::cli {

namespace {

std::string label(const Namespace &ns)
{
	return ns.name() + (ns.id ? " (ID " + std::to_string(*ns.id) + ")" : "");
}

const Namespace *locate(const Listing &l, const Target &t)
{
	return t.id ? l.find_id(*t.id) : l.find(t.type, t.inode);
}

void print_text(const Listing &l, const Namespace &ns)
{
	auto row = [](const char *k, const std::string &v) { std::printf("%-11s %s\n", k, v.c_str()); };
	row("namespace:", ns.name());
	row("id:", ns.id ? std::to_string(*ns.id) : "-");
	row("type:", std::string(ns_type_name(ns.type)));
	row("inode:", ns.inode ? std::to_string(ns.inode) : "-");
	row("active:", ns.active ? (*ns.active ? "yes" : "no") : "unknown");
	// The owner chain, up to the outermost user namespace we can see.
	std::string chain;
	std::optional<uint64_t> owner = ns.owner_inode;
	for (int depth = 0; owner && depth < 64; depth++) {
		const Namespace *o = l.find(CLONE_NEWUSER, *owner);
		std::string name = o ? label(*o) : "user:[" + std::to_string(*owner) + "]";
		chain += (chain.empty() ? "" : " <- ") + name;
		if (!o || o->owner_inode == owner)
			break;
		owner = o->owner_inode;
	}
	row("owners:", chain.empty() ? "-" : chain);
	if (ns.parent_inode) {
		const Namespace *p = l.find(ns.type, *ns.parent_inode);
		row("parent:", p ? label(*p) : std::string(ns_type_name(ns.type)) + ":[" + std::to_string(*ns.parent_inode) + "]");
	}
	row("processes:", std::to_string(ns.nprocs));
	if (ns.nthreads)
		row("threads:", std::to_string(ns.nthreads));
	if (ns.pid)
		row("lowest pid:", std::to_string(*ns.pid) + (ns.ppid ? " (ppid " + std::to_string(*ns.ppid) + ")" : "") +
					   (ns.uid ? " uid " + std::to_string(*ns.uid) : "") + " " + ns.command);
	// What this namespace's tmpfs, ramfs and hugetlbfs hold: what stays pinned if
	// the namespace dies while something outside holds one of their files.
	if (ns.type == CLONE_NEWNS && ns.pid) {
		if (auto pins = in_memory_pins(*ns.pid))
			row("pins:", human_bytes(pins->bytes) + " in " + std::to_string(pins->filesystems) +
					     " in-memory filesystems" +
					     (pins->bytes > kPinWarnBytes ? " (over 1 GiB: if the namespace dies while "
									    "something holds a file there, nstree orphans "
									    "shows it)"
									  : ""));
	}
	if (ns.netnsid)
		row("netnsid:", *ns.netnsid < 0 ? "unassigned" : std::to_string(*ns.netnsid));
	for (size_t i = 0; i < ns.nsfs.size(); i++)
		row(i ? "" : "nsfs:", ns.nsfs[i]);
	if (ns.holders.empty())
		row("held by:", ns.nprocs ? "its processes" : (ns.nthreads ? "its threads" : "nothing nstree can see"));
	for (size_t i = 0; i < ns.holders.size(); i++)
		row(i ? "" : "held by:", ns.holders[i].str());
}

} // namespace

int cmd_show(std::span<const std::string_view> args)
{
	auto a = parse_operand_args(args, {.json = true}, "usage: nstree show [-J] [--backend NAME] ID|type:[inode]|PATH");
	if (!a) {
		print_error("show", a.error());
		return kExitFailure;
	}
	const bool json = a->json;
	auto target = parse_target(a->operand);
	if (!target) {
		print_error("show", target.error());
		return kExitFailure;
	}
	auto backend = pick_backend(a->backend);
	if (!backend) {
		print_error("show", backend.error());
		return kExitFailure;
	}
	DiscoverOptions d;
	d.netnsid = true;
	auto listing = discover(*backend, d);
	if (!listing) {
		print_error("show", listing.error());
		return kExitFailure;
	}
	const Namespace *ns = locate(*listing, *target);
	if (!ns) {
		print_error("show", Error{ENOENT, "namespace " + std::string(a->operand) + " not found" +
							  (listing->partial ? " (some namespaces are hidden from you)" : "")});
		return kExitFailure;
	}
	if (json) {
		Listing one = *listing;
		one.namespaces = {*ns};
		std::vector<const Column *> cols;
		for (const auto &c : all_columns())
			cols.push_back(&c);
		auto text = render(one, cols, RenderOptions{Format::json});
		if (!text) {
			print_error("show", text.error());
			return kExitFailure;
		}
		std::fputs(text->c_str(), stdout);
	} else {
		print_text(*listing, *ns);
	}
	// Found: the question is answered. What the caller may not see elsewhere (the
	// listing's "partial output" notices) is no failure of this answer.
	return kExitOk;
}

} // namespace nstree::cli
