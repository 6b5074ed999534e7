// SPDX-License-Identifier: GPL-2.0
// nstree enter [--type TYPE] ID|type:[inode]|PATH [--] [CMD...]: setns into a
// namespace and exec. nstree open HANDLE [--] [CMD...]: the same for a handle that
// `nstree handle` printed.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <fcntl.h>
#include <sys/stat.h>

#include "commands.hpp"
#include "common.hpp"
#include "discover.hpp"
#include "ns_type.hpp"
#include "proc_path.hpp"

namespace nstree::cli {

namespace {

constexpr char kEnterUsage[] = "usage: nstree enter [--type TYPE] [--backend NAME] ID|type:[inode]|PATH [--] [CMD [ARG...]]";
constexpr char kOpenUsage[] = "usage: nstree open [--backend NAME] HANDLE [--] [CMD [ARG...]]";

struct EnterArgs {
	std::string_view what;
	uint32_t type = 0;
	std::optional<BackendKind> backend;
	std::vector<std::string_view> command;
};

// Where the operand is in @args (no "--" among them): after the options
// (--backend NAME, --type NAME, -t NAME, and their =forms), before the command.
// args.size() when there is none.
size_t operand_index(std::span<const std::string_view> args)
{
	size_t i = 0;
	while (i < args.size()) {
		std::string_view a = args[i];
		if (a == "--backend" || a == "--type" || a == "-t")
			i += 2;
		else if (a.size() > 1 && a[0] == '-')
			i++; // --backend=NAME, or one parse_operand_args() will reject
		else
			return i;
	}
	return args.size();
}

// The options and the operand, then the command. With "--", options may also
// follow the operand and the command is what follows "--"; without, the command
// is every word after the operand, as nsenter takes it.
Result<EnterArgs> parse(std::span<const std::string_view> args, const char *usage, bool with_type)
{
	auto dashes = std::find(args.begin(), args.end(), std::string_view("--"));
	std::span<const std::string_view> head, command;
	if (dashes != args.end()) {
		head = args.subspan(0, size_t(dashes - args.begin()));
		command = args.subspan(head.size() + 1);
	} else {
		head = args.subspan(0, std::min(operand_index(args) + 1, args.size()));
		command = args.subspan(head.size());
	}
	auto a = parse_operand_args(head, {.type = with_type}, usage);
	if (!a)
		return a.error();
	return EnterArgs{a->operand, a->type, a->backend, {command.begin(), command.end()}};
}

// The namespace @ns through the /proc link of its lowest process, checked to be it.
Result<Fd> open_through_process(const Namespace &ns)
{
	if (!ns.pid)
		return Error{ENOENT, "no process is in " + ns.name() + " to open it through"};
	std::string path = proc_path(*ns.pid, "ns/" + std::string(ns_type_name(ns.type)));
	auto fd = Fd::open(path, O_RDONLY);
	struct stat st;
	if (!fd || fstat(fd->get(), &st) != 0 || st.st_ino != ns.inode)
		return Error{ESRCH, "process " + std::to_string(*ns.pid) + " left " + ns.name() + " as nstree looked"};
	return fd;
}

// An fd of the namespace @t names. A path is opened as given. An ID opens through
// the backend (the kernel's permission rules: a caller who may not see every
// namespace opens only its own), and where that is refused, through a process in
// the namespace, as nsenter -t would. type:[inode] is looked up in a listing.
Result<Fd> open_target(const Backend &backend, const BackendChoice &choice, const Target &t)
{
	if (!t.path.empty())
		return Fd::open(t.path, O_RDONLY);
	std::optional<Error> refused; // why the ID did not open
	if (t.id) {
		auto fd = backend.open_id(*t.id);
		if (fd)
			return fd;
		refused = fd.error();
	}
	DiscoverOptions opt;
	opt.types = t.type;
	opt.holders = false;
	opt.mounts = false;
	auto listing = discover(choice, opt);
	if (!listing)
		return refused ? *refused : listing.error();
	const Namespace *ns = t.id ? listing->find_id(*t.id) : listing->find(t.type, t.inode);
	if (!ns) {
		if (refused)
			return *refused;
		return Error{ENOENT, "no namespace " + std::string(ns_type_name(t.type)) + ":[" + std::to_string(t.inode) +
					     "]" + (listing->partial ? " (some namespaces are hidden from you)" : "")};
	}
	if (ns->id && !t.id)
		if (auto fd = backend.open_id(*ns->id))
			return fd;
	auto fd = open_through_process(*ns);
	if (!fd && refused)
		return *refused;
	return fd;
}

} // namespace

int cmd_enter(std::span<const std::string_view> args)
{
	auto e = parse(args, kEnterUsage, true);
	if (!e) {
		print_error("enter", e.error());
		return kExitFailure;
	}
	auto target = parse_target(e->what);
	if (!target) {
		print_error("enter", target.error());
		return kExitFailure;
	}
	auto backend = pick_backend(e->backend);
	if (!backend) {
		print_error("enter", backend.error());
		return kExitFailure;
	}
	auto fd = open_target(*backend->backend, *backend, *target);
	if (!fd) {
		print_error("enter", fd.error());
		return kExitFailure;
	}
	return run_in_namespace("enter", fd->get(), e->type, e->command);
}

int cmd_open(std::span<const std::string_view> args)
{
	auto e = parse(args, kOpenUsage, false);
	if (!e) {
		print_error("open", e.error());
		return kExitFailure;
	}
	auto handle = NsHandle::parse(e->what);
	if (!handle) {
		print_error("open", handle.error());
		return kExitFailure;
	}
	auto backend = pick_backend(e->backend);
	if (!backend) {
		print_error("open", backend.error());
		return kExitFailure;
	}
	auto fd = backend->backend->open_handle(*handle);
	if (!fd) {
		print_error("open", fd.error());
		return kExitFailure;
	}
	return run_in_namespace("open", fd->get(), 0, e->command);
}

} // namespace nstree::cli
