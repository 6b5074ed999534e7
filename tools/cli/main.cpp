// SPDX-License-Identifier: GPL-2.0
// nstree: which namespaces exist, who holds them, and what they pin.
#include <algorithm>
#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <malloc.h>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "complete.hpp"
#include "help.hpp"

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
	{"orphans", nstree::cli::cmd_orphans, "filesystems still held that no mount namespace reaches"},
	{"watch", nstree::cli::cmd_watch, "namespace births, activations and deaths as they happen"},
	{"compat", nstree::cli::cmd_compat, "run a program with upstream's namespace API on 6.1 and 6.12"},
	{"doctor", nstree::cli::cmd_doctor, "kernel, backend, module and privileges in use"},
};

void usage(FILE *out)
{
	std::fprintf(out, "usage: nstree COMMAND [ARGS]\n\ncommands:\n");
	for (const auto &c : kCommands)
		std::fprintf(out, "  %-7.*s %.*s\n", int(c.name.size()), c.name.data(), int(c.summary.size()),
			     c.summary.data());
	std::fprintf(out, "\n'nstree help COMMAND' or 'nstree COMMAND --help' for its options;\n"
			  "'nstree --version' for the version.\n");
}

// Whether @args (a command's arguments) ask for @a or @b where an option may stand:
// anywhere before "--"; for enter and open only before the operand, after which
// come the words of the command to run.
bool asks_for(std::string_view command, std::span<const std::string_view> args, std::string_view a,
	      std::string_view b)
{
	const bool runs_command = command == "enter" || command == "open" || command == "compat";
	for (auto arg : args) {
		if (arg == "--")
			return false;
		if (arg == a || arg == b)
			return true;
		if (runs_command && !arg.starts_with('-'))
			return false;
	}
	return false;
}

// As util-linux's close_stdout(): output that did not reach its file is a failure
// the caller must hear of (a full disk, a closed pipe), not a silent exit 0.
int flush_stdout(int status)
{
	errno = 0;
	if (std::fflush(stdout) == 0 && !std::ferror(stdout))
		return status;
	int err = errno ? errno : EIO;
	if (err == EPIPE)
		return status; // the reader left: as a shell pipeline expects (head -1)
	std::fprintf(stderr, "nstree: write error: %s\n", std::strerror(err));
	return nstree::cli::kExitFailure;
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
	// Text as the user typed it: in a UTF-8 locale libsmartcols prints multibyte
	// command lines and paths as they are, and draws trees with the locale's lines.
	std::setlocale(LC_ALL, "");
	std::vector<std::string_view> args(argv + 1, argv + argc);
	if (args.empty()) {
		usage(stderr);
		return nstree::cli::kExitFailure;
	}
	if (args[0] == "-V" || args[0] == "--version") {
		nstree::cli::print_version(stdout);
		return flush_stdout(nstree::cli::kExitOk);
	}
	if (args[0] == "-h" || args[0] == "--help" || (args[0] == "help" && args.size() == 1)) {
		usage(stdout);
		return flush_stdout(nstree::cli::kExitOk);
	}
	if (args[0] == "help") {
		if (nstree::cli::print_command_help(args[1], stdout))
			return flush_stdout(nstree::cli::kExitOk);
		std::fprintf(stderr, "nstree: no command '%.*s' (try 'nstree --help')\n", int(args[1].size()),
			     args[1].data());
		return nstree::cli::kExitFailure;
	}
	if (args[0] == "__complete") // for the shells' completion scripts, not in the usage
		return flush_stdout(nstree::cli::cmd_complete(std::span<const std::string_view>(args).subspan(1)));
	for (const auto &c : kCommands) {
		if (c.name != args[0])
			continue;
		auto rest = std::span<const std::string_view>(args).subspan(1);
		if (asks_for(c.name, rest, "-h", "--help")) {
			nstree::cli::print_command_help(c.name, stdout);
			return flush_stdout(nstree::cli::kExitOk);
		}
		if (asks_for(c.name, rest, "-V", "--version")) {
			nstree::cli::print_version(stdout);
			return flush_stdout(nstree::cli::kExitOk);
		}
		return flush_stdout(c.run(rest));
	}
	std::fprintf(stderr, "nstree: unknown command '%.*s' (try 'nstree --help')\n", int(args[0].size()),
		     args[0].data());
	return nstree::cli::kExitFailure;
}
