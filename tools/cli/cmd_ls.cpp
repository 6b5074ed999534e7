// SPDX-License-Identifier: GPL-2.0
// nstree ls: every namespace, lsns-style, through libsmartcols.
#include <cstdio>
#include <sched.h>

#include "phase_timer.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "discover.hpp"
#include "ls_options.hpp"
#include "mount_pins.hpp"
#include "orphans.hpp"
#include "render.hpp"
#include "sort.hpp"

namespace nstree::cli {

static void list_columns()
{
	for (const auto &c : all_columns())
		std::printf("%10.*s  %.*s\n", int(c.name.size()), c.name.data(), int(c.help.size()), c.help.data());
}

// PINS: what each mount namespace's in-memory filesystems hold, read through its
// lowest pid (a namespace no process is in has none to read through). Over
// kPinWarnBytes, a notice says so.
static void read_pins(Listing &l)
{
	for (auto &ns : l.namespaces) {
		if (ns.type != CLONE_NEWNS || !ns.pid || !ns.nprocs)
			continue;
		auto pins = in_memory_pins(*ns.pid);
		if (!pins)
			continue;
		ns.pinned_bytes = pins->bytes;
		if (pins->bytes > kPinWarnBytes)
			l.notices.push_back(ns.name() + " pins " + human_bytes(pins->bytes) + " in " +
					    std::to_string(pins->filesystems) +
					    " in-memory filesystems: should it die while something outside holds a file "
					    "there, that memory stays pinned (nstree orphans shows it)");
	}
}

// Prints the listing's notices on stderr, one line each; partial output exits 2.
int finish_listing(const Listing &l, bool quiet_notices)
{
	if (!quiet_notices)
		for (const auto &n : l.notices)
			std::fprintf(stderr, "nstree: %s\n", n.c_str());
	return l.partial ? kExitPartial : kExitOk;
}

int cmd_ls(std::span<const std::string_view> args)
{
	auto opt = parse_ls_options(args);
	if (!opt) {
		print_error("ls", opt.error());
		return kExitFailure;
	}
	if (opt->help) {
		print_ls_usage(stdout);
		return kExitOk;
	}
	if (opt->list_columns) {
		list_columns();
		return kExitOk;
	}
	PhaseTimer timer;
	auto backend = pick_backend(opt->backend);
	timer.mark("backend");
	if (!backend) {
		print_error("ls", backend.error());
		return kExitFailure;
	}
	DiscoverOptions d;
	d.types = opt->types;
	d.task = opt->task;
	// Like lsns, read what only some columns show only for them.
	d.mounts = false;
	bool pins = false;
	std::vector<const Column *> read = opt->columns;
	if (opt->filter)
		read.insert(read.end(), opt->filter->columns().begin(), opt->filter->columns().end());
	for (const Column *c : read) {
		d.netnsid |= c->id == ColumnId::netnsid;
		d.mounts |= c->id == ColumnId::nsfs || c->id == ColumnId::holder;
		pins |= c->id == ColumnId::pins;
	}
	auto listing = discover(*backend, d);
	timer.mark("discover");
	if (!listing) {
		print_error("ls", listing.error());
		return kExitFailure;
	}
	if (pins)
		read_pins(*listing);
	if (opt->filter || opt->persistent)
		std::erase_if(listing->namespaces, [&](const Namespace &ns) {
			return (opt->persistent && (ns.nprocs || ns.nthreads)) || (opt->filter && !opt->filter->matches(ns));
		});
	if (opt->sort)
		sort_by_column(*listing, *opt->sort);
	RenderOptions r{opt->format, opt->tree, opt->noheadings, opt->notruncate, opt->nowrap};
	auto text = render(*listing, opt->columns, r);
	timer.mark("render");
	if (!text) {
		print_error("ls", text.error());
		return kExitFailure;
	}
	std::fputs(text->c_str(), stdout);
	timer.mark("write");
	if (!text->empty() && text->back() != '\n')
		std::fputc('\n', stdout);
	return finish_listing(*listing, false);
}

} // namespace nstree::cli
