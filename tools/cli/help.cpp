// SPDX-License-Identifier: GPL-2.0
#include "help.hpp"

#include "ls_options.hpp"

#ifndef NSTREE_VERSION
#error "NSTREE_VERSION comes from the build (tools/CMakeLists.txt)"
#endif

namespace nstree::cli {

namespace {

constexpr char kBackendOption[] = "      --backend NAME       native, module or proc (default: the best available)\n";
constexpr char kCommonOptions[] = "  -h, --help               this text\n"
				  "  -V, --version            the version\n";

struct Help {
	std::string_view command;
	const char *usage;   // the usage line and what the command does
	const char *options; // its own, before --backend and the common ones
	bool backend;        // takes --backend
	const char *exit;    // exit statuses besides 0 and 1
};

constexpr Help kHelp[] = {
	{"show",
	 "usage: nstree show [-J] [--backend NAME] ID|type:[inode]|PATH\n\n"
	 "Everything about one namespace: type, ID, inode, owner, parent, its processes\n"
	 "and what holds it. The namespace is named by ID, by type:[inode] as lsns and\n"
	 "/proc/PID/ns show it, or by a namespace file (/proc/PID/ns/net, a bind mount).\n\n",
	 "  -J, --json               JSON\n", true, " (not found, also when hidden from you)"},
	{"enter",
	 "usage: nstree enter [--type TYPE] [--backend NAME] ID|type:[inode]|PATH [--] [CMD [ARG...]]\n"
	 "       nstree enter -t PID [-a | -m -u -i -n -p -U -C -T] [--preserve-credentials] [--] [CMD [ARG...]]\n\n"
	 "Run CMD (default: $SHELL) in one namespace: named by ID (nstree ls -o ID,NS,TYPE),\n"
	 "by type:[inode] as lsns and /proc/PID/ns show it, or by a namespace file. An ID\n"
	 "opens with the kernel's permission rules and, where those refuse it, through a\n"
	 "process in the namespace. Or, as nsenter, in the namespaces of process PID: all\n"
	 "of those it is not in already (-a, and without type flags), or the ones the type\n"
	 "flags name; a flag's FILE (-nFILE, --net=FILE) names that one by file instead.\n"
	 "The words after the namespace (or the options) are the command.\n\n",
	 "      --type TYPE          refuse the namespace unless it is of TYPE (checked first)\n"
	 "  -t, --target PID         the namespaces of process PID\n"
	 "  -a, --all                all of them (the default with --target)\n"
	 "  -m, --mount[=FILE]       -u, --uts[=FILE]   -i, --ipc[=FILE]   -n, --net[=FILE]\n"
	 "  -p, --pid[=FILE]         -U, --user[=FILE]  -C, --cgroup[=FILE] -T, --time[=FILE]\n"
	 "      --preserve-credentials  keep uid and gid when joining a user namespace\n"
	 "                           (otherwise they become 0 there, as with nsenter)\n", true,
	 "; otherwise CMD's (126, 127 when it cannot run)"},
	{"handle",
	 "usage: nstree handle [--backend NAME] ID|type:[inode]|PATH\n\n"
	 "Print a namespace's file handle (f1: and 32 hex digits), which 'nstree open'\n"
	 "and open_by_handle_at(2) take while the namespace is active.\n\n",
	 "", true, ""},
	{"open",
	 "usage: nstree open [--backend NAME] HANDLE [--] [CMD [ARG...]]\n\n"
	 "Run CMD (default: $SHELL) in the namespace of a file handle from 'nstree handle'.\n\n",
	 "", true, "; otherwise CMD's (126, 127 when it cannot run)"},
	{"orphans",
	 "usage: nstree orphans [-J | --format table|json|prometheus] [--textfile DIR] [-n] [--backend NAME]\n\n"
	 "Filesystems that something still holds but no mount namespace with a process in\n"
	 "it reaches: the namespace they were mounted in died, they were lazily unmounted,\n"
	 "or only a namespace no process is in (held by an nsfs bind mount or fd) has them.\n"
	 "Each with its type, device, size, the memory it pins, its holders (fds, mappings,\n"
	 "cwd, root, exe, loop devices, namespace files) and what to do. With the module\n"
	 "every superblock the kernel has is checked, so one no process holds (an fd in\n"
	 "flight over a unix socket, an io_uring file) is reported too. Reads only.\n\n",
	 "  -J, --json               JSON (Documentation/nstree-orphans.schema.json)\n"
	 "      --format FORMAT      table (default), json or prometheus (text exposition)\n"
	 "      --textfile DIR       also write DIR/nstree_orphans.prom for node_exporter's\n"
	 "                           textfile collector (a temporary file, then a rename)\n"
	 "  -n, --noheadings         no header line in the table\n", true,
	 " (partial: part of the system was hidden from the caller)"},
	{"watch",
	 "usage: nstree watch [-J] [-t TYPE]... [--owner ID] [--count N] [--timeout S] [--initial] [-n]\n\n"
	 "Print namespace events as they happen, one per line: created (with the process\n"
	 "that made it), active and inactive (whether listns shows it), died; 'lost N'\n"
	 "when the reader fell behind and N events were dropped. Needs the nstree module.\n"
	 "A caller that may not see all namespaces gets events of its own ones only.\n\n",
	 "  -J, --json               JSON lines (Documentation/nstree-watch.schema.json)\n"
	 "  -t, --type TYPE          only this type (mnt, net, pid, uts, ipc, user, cgroup,\n"
	 "                           time); repeat it or give a comma list for several\n"
	 "      --owner ID           only namespaces owned by the user namespace ID\n"
	 "      --count N            stop after N events\n"
	 "      --timeout S          stop after S seconds\n"
	 "      --initial            first a 'present' event for every namespace that exists,\n"
	 "                           so the stream alone describes the system\n"
	 "  -n, --noheadings         no header line\n", false,
	 " (partial: only the caller's own namespaces were watched)"},
	{"compat",
	 "usage: nstree compat [--] COMMAND [ARG...]\n\n"
	 "Run an unmodified program with upstream's namespace API (Linux 6.19) on a kernel\n"
	 "without it: with the nstree module loaded, it gets listns(2) (system call 470),\n"
	 "and, as every program does then, NS_GET_ID and the other new nsfs ioctls on\n"
	 "/proc/PID/ns files and nsfs file handles (name_to_handle_at, open_by_handle_at\n"
	 "with FD_NSFS_ROOT). The command and what it starts run under a seccomp filter\n"
	 "that traps listns(2) for the module; other system calls are untouched. nstree\n"
	 "stays behind until the last of them exits (rmmod is refused meanwhile). On a\n"
	 "kernel with listns(2) it just runs the command. Documentation/compat.md.\n\n",
	 "", false, ""},
	{"doctor",
	 "usage: nstree doctor\n\n"
	 "Print the kernel, whether it has listns(2), the nstree module's state, the backend\n"
	 "nstree would use and why, where its process table comes from, and the caller's\n"
	 "privileges: what to look at when a listing is partial or slow.\n\n",
	 "", false, ""},
};

} // namespace

bool print_command_help(std::string_view command, FILE *out)
{
	if (command == "ls") {
		print_ls_usage(out);
		return true;
	}
	for (const auto &h : kHelp) {
		if (h.command != command)
			continue;
		std::fprintf(out, "%s%s%s%s\nExit status: 0 success, 1 failure%s.\n", h.usage, h.options,
			     h.backend ? kBackendOption : "", kCommonOptions, h.exit);
		return true;
	}
	return false;
}

void print_version(FILE *out)
{
	std::fprintf(out, "nstree %s\n", NSTREE_VERSION);
}

} // namespace nstree::cli
