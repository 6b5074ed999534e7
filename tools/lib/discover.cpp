// SPDX-License-Identifier: GPL-2.0
// How a listing is put together:
//  1. the process table (Backend::processes()), while a second thread reads the
//     backend's lists, the caller's mount table and privilege;
//  2. the namespaces themselves (discover_namespaces.cpp): listns() (native,
//     module) or, on the proc backend and with -p, those the processes are in;
//  3. NPROCS, PID, PPID, UID and COMMAND of each from the table;
//  4. for namespaces no process is in, what holds them (discover_holders.cpp), and
//     where the list is not the whole, their owners and parents;
//  5. NETNSID, COMMAND from the command lines, order and notices.
#include "discover.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

#include "discover_builder.hpp"
#include "netnsid.hpp"
#include "ns_type.hpp"
#include "phase_timer.hpp"
#include "proc_path.hpp"

namespace nstree {

namespace discovery {

using Key = std::pair<uint32_t, uint64_t>; // type, inode

OwnMounts read_own_mounts(bool table)
{
	OwnMounts own;
	own.mntns = own_ns_inode("mnt").value_or(0);
	if (table)
		own.mounts = scan_namespace_mounts(getpid(), own.mntns);
	return own;
}

Namespace &Builder::add(const NsFacts &f)
{
	if (Namespace *ns = find(f.type, f.inode))
		return *ns;
	Namespace ns;
	ns.type = f.type;
	ns.inode = f.inode;
	ns.id = f.id;
	ns.owner_inode = f.owner_inode;
	ns.parent_inode = f.parent_inode;
	ns.owner_uid = f.owner_uid;
	by_key.insert(f.type, f.inode, out.namespaces.size());
	out.namespaces.push_back(std::move(ns));
	return out.namespaces.back();
}

Result<NsFacts> Builder::facts_with_id(int fd) const
{
	auto f = read_ns_facts(fd, {.type = true, .relations = true, .id = true});
	if (f && !f->id)
		f->id = backend.id_of(fd); // nsfs fds before 6.18: the module knows it
	return f;
}

Namespace *Builder::add_path(const std::string &path, uint32_t type, uint64_t inode)
{
	if (Namespace *ns = find(type, inode))
		return ns;
	auto fd = Fd::open(path, O_RDONLY);
	if (!fd)
		return nullptr;
	auto f = facts_with_id(fd->get());
	if (!f || f->type != type || f->inode != inode)
		return nullptr; // the process moved on since the walk
	return &add(*f);
}

// NPROCS, PID, PPID, UID, COMMAND from the walk.
void Builder::add_process_facts()
{
	// Neighbours in pid order mostly share namespaces: the previous process's
	// namespace of each type spares most lookups.
	std::array<std::pair<uint64_t, Namespace *>, kNsTypes.size()> last{};
	command_final.assign(out.namespaces.size(), false);
	for (const auto &e : procs.entries) {
		for (size_t t = 0; t < kNsTypes.size(); t++) {
			if (!e.ns[t])
				continue;
			if (last[t].first != e.ns[t])
				last[t] = {e.ns[t], find(kNsTypes[t].flag, e.ns[t])};
			Namespace *ns = last[t].second;
			if (!ns)
				continue;
			ns->nprocs++;
			if (!ns->pid || e.pid < *ns->pid) {
				ns->pid = e.pid;
				ns->ppid = e.ppid;
				ns->uid = e.uid;
				// COMMAND when the table brought it (bpf), else comm until finish().
				ns->command = e.command.value_or(e.comm);
				command_final[size_t(ns - out.namespaces.data())] = e.command.has_value();
			}
		}
	}
}

void Builder::fill_netnsid()
{
	NetnsidQuery q;
	for (auto &ns : out.namespaces) {
		if (ns.type != CLONE_NEWNET)
			continue;
		// A namespace with no process too (held by a bind mount, as `ip netns add`).
		Fd fd = open_namespace(ns);
		if (fd)
			ns.netnsid = q.query(fd.get());
	}
}

// By type (kNsTypes order), then inode. A Namespace is large: sort keys, then put
// each namespace in its place by swaps along the permutation's cycles (in place: no
// second array to fault in).
void Builder::sort_namespaces()
{
	auto &v = out.namespaces;
	std::vector<std::pair<Key, size_t>> order(v.size());
	for (size_t i = 0; i < v.size(); i++)
		order[i] = {{uint32_t(ns_type_index(v[i].type).value_or(99)), v[i].inode}, i};
	std::sort(order.begin(), order.end());
	// Position i takes v[order[i].second]; a done slot is marked by pointing to itself.
	for (size_t i = 0; i < v.size(); i++) {
		size_t cur = i;
		while (order[cur].second != i) {
			size_t from = order[cur].second;
			std::swap(v[cur], v[from]);
			order[cur].second = cur;
			cur = from;
		}
		order[cur].second = cur;
	}
}

void Builder::finish()
{
	out.ppid.reserve(procs.entries.size());
	for (const auto &e : procs.entries)
		out.ppid.emplace_back(e.pid, e.ppid); // entries are in pid order
	// Owner uid stands in for UID where no process is in the namespace (lsns does the same).
	for (auto &ns : out.namespaces)
		if (!ns.uid && ns.owner_uid)
			ns.uid = ns.owner_uid;
	// One read of /proc/PID/cmdline per process, however many namespaces it shows,
	// unless the process table brought the command lines along (bpf): then
	// add_process_facts() has set COMMAND already.
	command_final.resize(out.namespaces.size());
	std::unordered_map<pid_t, std::string> command;
	std::vector<std::pair<pid_t, std::string>> wanted;
	for (size_t i = 0; i < out.namespaces.size(); i++) {
		const Namespace &ns = out.namespaces[i];
		if (ns.pid && !command_final[i] && command.try_emplace(*ns.pid).second)
			wanted.emplace_back(*ns.pid, ns.command); // ns.command is comm here
	}
	auto read = backend.commands(wanted);
	for (size_t i = 0; i < wanted.size(); i++)
		command[wanted[i].first] = std::move(read[i]);
	if (!command.empty())
		for (size_t i = 0; i < out.namespaces.size(); i++)
			if (out.namespaces[i].pid && !command_final[i])
				out.namespaces[i].command = command[*out.namespaces[i].pid];
	sort_namespaces();
	if (!priv.may_see_all()) {
		out.partial = true;
		out.notices.push_back("partial output: the kernel lists only the namespaces you are in: seeing all needs " +
				      priv.missing());
	}
	refused.insert(procs.refused.begin(), procs.refused.end());
	if (!refused.empty()) {
		out.partial = true;
		std::vector<std::string> named; // the first five, for a notice of one line
		for (pid_t pid : refused) {
			if (named.size() == 5)
				break;
			auto e = std::lower_bound(procs.entries.begin(), procs.entries.end(), pid,
						  [](const ProcEntry &a, pid_t b) { return a.pid < b; });
			named.push_back(std::to_string(pid) +
					(e != procs.entries.end() && e->pid == pid ? " (" + e->comm + ")" : ""));
		}
		out.notices.push_back(refusal_notice(priv, refused.size(), named));
	}
	if (!backend.lists_all())
		out.notices.push_back("proc backend: namespaces held only by threads, sockets or the kernel are not seen");
}

} // namespace discovery

Result<Listing> discover(const BackendChoice &choice, const DiscoverOptions &opt)
{
	using namespace discovery;
	PhaseTimer timer;
	const Backend &backend = *choice.backend;
	Builder b(backend, opt);
	b.out.backend = backend.kind();
	b.out.backend_reason = choice.reason;
	// -p PID: only that process's namespaces, as lsns; the rest of the sequence is
	// the same (NPROCS still counts every process in them), and holder scans add
	// nothing new.
	const bool listing = backend.lists_all() && !opt.task;
	// The lists and the caller's mount table do not depend on the process table:
	// they are read meanwhile (the table is most of the time in the kernel, mostly
	// on one CPU while the BPF program loads). A namespace made after the lists and
	// before the table is left out, as one made after the table would be.
	TypeLists lists;
	{
		std::jthread ahead([&] {
			if (listing)
				lists = list_types(backend, opt.types);
			b.own = read_own_mounts(opt.holders && (opt.mounts || !backend.lists_all()));
			b.priv = read_privilege();
		});
		b.procs = backend.processes();
	}
	timer.mark("processes");
	if (opt.task && std::none_of(b.procs.entries.begin(), b.procs.entries.end(),
				     [&](const ProcEntry &e) { return e.pid == *opt.task; }))
		return Error{ESRCH, "no process " + std::to_string(*opt.task) + " (or its /proc entry is hidden)"};
	// What the kernel lists is the whole only for a caller who may see all: anyone
	// else is listed only the namespaces it is in (upstream's model), and gets what
	// its /proc shows too, as lsns would show it, and what holders and relatives name.
	b.discovering = !opt.task && (!backend.lists_all() || !b.priv.may_see_all());
	if (listing)
		b.list_from_backend(lists);
	if (!listing || b.discovering)
		b.list_from_proc(opt.task);
	timer.mark("namespaces");
	b.add_process_facts();
	timer.mark("process facts");
	if (opt.holders)
		b.explain();
	if (b.discovering)
		b.add_relatives();
	if (opt.holders)
		b.add_relation_holders();
	timer.mark("holders");
	if (opt.netnsid)
		b.fill_netnsid();
	b.finish();
	timer.mark("finish");
	return std::move(b.out);
}

} // namespace nstree
