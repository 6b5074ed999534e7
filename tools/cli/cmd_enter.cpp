// SPDX-License-Identifier: GPL-2.0
// nstree enter [--type TYPE] ID|type:[inode]|PATH [--] [CMD...]: setns into a
// namespace and exec; nstree enter -t PID [-a | -m -u -i -n -p -U -C -T]: into a
// process's, as nsenter. nstree open HANDLE [--] [CMD...]: the same for a handle
// that `nstree handle` printed.
#include <algorithm>
#include <iterator>
#include <cstdio>
#include <optional>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.hpp"
#include "common.hpp"
#include "discover.hpp"
#include "enter_args.hpp"
#include "join.hpp"
#include "ns_type.hpp"
#include "proc_path.hpp"

namespace nstree::cli {

namespace {

constexpr char kEnterUsage[] = "usage: nstree enter [--type TYPE] [--backend NAME] ID|type:[inode]|PATH [--] [CMD [ARG...]]\n"
			       "       nstree enter -t PID [-a | -m -u -i -n -p -U -C -T] [--preserve-credentials] [--] "
			       "[CMD [ARG...]]";
constexpr char kOpenUsage[] = "usage: nstree open [--backend NAME] HANDLE [--] [CMD [ARG...]]";

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

// The namespaces of process @pid of @types (CLONE_NEW*) to join. With @all (nsenter
// -a) those the caller is in already are left out, and types this kernel lacks.
// The caller's own user namespace is never joined again (setns() refuses: EINVAL).
Result<std::vector<Joining>> target_namespaces(pid_t pid, uint32_t types, bool all)
{
	std::vector<Joining> out;
	for (size_t t = 0; t < kNsTypes.size(); t++) {
		const uint32_t type = kNsTypes[t].flag;
		if (!(types & type))
			continue;
		std::string path = proc_ns_path(pid, t);
		auto fd = Fd::open(path, O_RDONLY);
		if (!fd) {
			if (all && fd.error().code == ENOENT && access(proc_path(pid, "ns").c_str(), F_OK) == 0)
				continue; // a type this kernel does not have
			return Error{fd.error().code, "cannot open " + path + ": " + fd.error().str()};
		}
		struct stat st;
		if (fstat(fd->get(), &st) != 0)
			return Error::from_errno(errno, "fstat " + path);
		auto own = own_ns_inode(kNsTypes[t].name);
		if (own && *own == st.st_ino && (all || type == CLONE_NEWUSER))
			continue;
		out.push_back(Joining{std::move(*fd), type});
	}
	return out;
}

// The namespaces of -nFILE and the like, each checked to be of its flag's type.
Result<std::vector<Joining>> file_namespaces(const EnterArgs &e)
{
	std::vector<Joining> out;
	for (const auto &[type, path] : e.files) {
		auto fd = Fd::open(std::string(path), O_RDONLY);
		if (!fd)
			return fd.error();
		auto j = joining_of(std::move(*fd));
		if (!j)
			return Error{EINVAL, "'" + std::string(path) + "' is not a namespace file"};
		if (j->type != type)
			return Error{EINVAL, "'" + std::string(path) + "' is a " + std::string(ns_type_name(j->type)) +
						     " namespace, not " + std::string(ns_type_name(type))};
		out.push_back(std::move(*j));
	}
	return out;
}

// What -t PID, the type flags and their files name, together.
Result<std::vector<Joining>> process_namespaces(const EnterArgs &e)
{
	auto ns = file_namespaces(e);
	if (!ns || !e.target)
		return ns;
	// -a: every type a file was not given for.
	uint32_t types = e.types;
	if (!types)
		for (const auto &t : kNsTypes)
			if (std::none_of(e.files.begin(), e.files.end(), [&](const auto &f) { return f.first == t.flag; }))
				types |= t.flag;
	auto more = target_namespaces(*e.target, types, e.types == 0);
	if (!more)
		return more.error();
	std::move(more->begin(), more->end(), std::back_inserter(*ns));
	return ns;
}

int enter_named(const EnterArgs &e)
{
	auto target = parse_target(e.what);
	if (!target) {
		print_error("enter", target.error());
		return kExitFailure;
	}
	auto backend = pick_backend(e.backend);
	if (!backend) {
		print_error("enter", backend.error());
		return kExitFailure;
	}
	auto fd = open_target(*backend->backend, *backend, *target);
	if (!fd) {
		print_error("enter", fd.error());
		return kExitFailure;
	}
	auto j = joining_of(std::move(*fd));
	if (!j) {
		print_error("enter", j.error());
		return kExitFailure;
	}
	if (e.type && j->type != e.type) {
		print_error("enter", Error{EINVAL, "that is a " + std::string(ns_type_name(j->type)) + " namespace, not " +
							   std::string(ns_type_name(e.type))});
		return kExitFailure;
	}
	std::vector<Joining> one;
	one.push_back(std::move(*j));
	return join_and_run("enter", std::move(one), e.preserve_credentials, e.command);
}

int enter_process(const EnterArgs &e)
{
	auto ns = process_namespaces(e);
	if (!ns) {
		print_error("enter", ns.error());
		return kExitFailure;
	}
	return join_and_run("enter", std::move(*ns), e.preserve_credentials, e.command);
}

} // namespace

int cmd_enter(std::span<const std::string_view> args)
{
	auto e = parse_enter_args(args, true, kEnterUsage);
	if (!e) {
		print_error("enter", e.error());
		return kExitFailure;
	}
	return e->what.empty() ? enter_process(*e) : enter_named(*e);
}

int cmd_open(std::span<const std::string_view> args)
{
	auto e = parse_enter_args(args, false, kOpenUsage);
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
	auto j = joining_of(std::move(*fd));
	if (!j) {
		print_error("open", j.error());
		return kExitFailure;
	}
	std::vector<Joining> one;
	one.push_back(std::move(*j));
	return join_and_run("open", std::move(one), false, e->command);
}

} // namespace nstree::cli
