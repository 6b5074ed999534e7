// SPDX-License-Identifier: GPL-2.0
// nstree: which namespaces exist, who holds them, and what they pin.
#include <cstdio>
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

} // namespace

int main(int argc, char **argv)
{
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
