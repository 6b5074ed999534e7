// SPDX-License-Identifier: GPL-2.0
// nstree: which namespaces exist, who holds them, and what they pin.
#include <cstdio>
#include <malloc.h>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace {

struct Command {
	std::string_view name;
	int (*run)(std::span<const std::string_view>);
	std::string_view summary;
};

constexpr Command kCommands[] = {
	{"ls", nstree::cli::cmd_ls, "list namespaces, their processes and what holds them"},
	{"show", nstree::cli::cmd_show, "everything about one namespace: owners, parent, holders"},
	{"enter", nstree::cli::cmd_enter, "run a command in a namespace named by ID"},
	{"handle", nstree::cli::cmd_handle, "print a namespace's file handle"},
	{"open", nstree::cli::cmd_open, "run a command in the namespace of a handle"},
	{"doctor", nstree::cli::cmd_doctor, "kernel, backend, module and privileges in use"},
};

void usage(FILE *out)
{
	std::fprintf(out, "usage: nstree COMMAND [ARGS]\n\ncommands:\n");
	for (const auto &c : kCommands)
		std::fprintf(out, "  %-7.*s %.*s\n", int(c.name.size()), c.name.data(), int(c.summary.size()),
			     c.summary.data());
}

// nstree lives for one command: memory freed by one phase of a listing is better
// kept for the next than given back, and fresh pages are the cost to avoid (each a
// fault, and at thousands of processes they are a large share of a listing).
// So: one arena for all threads (each thread's own arena would be fresh pages),
// large blocks from the heap instead of an mmap each, and the heap grown 16 MiB at
// a time and never trimmed, which also lets transparent huge pages back it
// (Documentation/cli.md, "Performance", has the measurement).
void tune_allocator()
{
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 512 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_TOP_PAD, 16 << 20);
}

} // namespace

int main(int argc, char **argv)
{
	tune_allocator();
	std::vector<std::string_view> args(argv + 1, argv + argc);
	if (args.empty()) {
		usage(stderr);
		return nstree::cli::kExitFailure;
	}
	if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		usage(stdout);
		return nstree::cli::kExitOk;
	}
	for (const auto &c : kCommands)
		if (c.name == args[0])
			return c.run(std::span(args).subspan(1));
	std::fprintf(stderr, "nstree: unknown command '%.*s' (try 'nstree --help')\n", int(args[0].size()),
		     args[0].data());
	return nstree::cli::kExitFailure;
}
