// SPDX-License-Identifier: GPL-2.0
// How a listing is put together:
//  1. one /proc walk gives each process's namespace inodes (statx batched);
//  2. the namespaces themselves: listns() (native, module) or, on the proc backend,
//     those the walk, open fds, bind mounts and owner/parent links reveal;
//  3. each namespace is opened once for its inode, owner and parent (unless the
//     process table already said, as the BPF task iterator does);
//  4. for namespaces no process is in: threads, fds, bind mounts in every mount
//     namespace, and parent/owner links, each scan only when something is left to explain.
#include "discover.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <set>
#include <thread>
#include <unistd.h>
#include <unordered_map>

#include "holder_scan.hpp"
#include "key_index.hpp"
#include "phase_timer.hpp"
#include "netnsid.hpp"
#include "ns_facts.hpp"
#include "ns_type.hpp"
#include "privilege.hpp"
#include "proc_walk.hpp"

namespace nstree {

namespace {

using Key = std::pair<uint32_t, uint64_t>; // type, inode

// The caller's mount namespace, and its nsfs bind mounts when read ahead.
struct OwnMounts {
	uint64_t mntns = 0;
	std::optional<Result<std::vector<MountHolder>>> mounts;
};

OwnMounts read_own_mounts(bool table)
{
	OwnMounts own;
	own.mntns = own_ns_inode("mnt").value_or(0);
	if (table)
		own.mounts = scan_namespace_mounts(getpid(), own.mntns);
	return own;
}

// What the backend lists of one wanted type and, where the backend has them in bulk
// (the module: its process table names no more than inodes), the facts of every ID
// listed, read along with the list.
struct TypeList {
	uint32_t type;
	Result<std::vector<uint64_t>> ids;
	std::optional<std::vector<NsFacts>> facts;
};
using TypeLists = std::vector<TypeList>; // kNsTypes order

TypeLists list_types(const Backend &backend, uint32_t types)
{
	TypeLists lists;
	for (const auto &t : kNsTypes) {
		if (types && !(types & t.flag))
			continue;
		TypeList l{t.flag, backend.list(t.flag), std::nullopt};
		if (l.ids)
			l.facts = backend.facts_of(*l.ids); // empty at once without bulk facts
		lists.push_back(std::move(l));
	}
	return lists;
}

struct Builder {
	const Backend &backend;
	const DiscoverOptions &opt;
	Listing out;
	KeyIndex by_key; // (type, inode) into out.namespaces
	ProcessTable procs;
	std::set<pid_t> refused; // processes whose fd directory was refused
	std::vector<bool> command_final; // by namespace index: COMMAND came with the table
	OwnMounts own;            // the caller's mount namespace and, if read ahead, its table
	Privilege priv;           // the caller's, read ahead
	bool discovering = false; // holder scans may add namespaces (proc backend, no -p)

	bool wanted(uint32_t type) const { return !opt.types || (opt.types & type); }

	Namespace *find(uint32_t type, uint64_t inode)
	{
		auto pos = by_key.find(type, inode);
		return pos ? &out.namespaces[*pos] : nullptr;
	}

	Namespace &add(const NsFacts &f)
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

	// Adds the namespace behind @path (a /proc/PID/ns link, an fd, a mount point).
	Namespace *add_path(const std::string &path, uint32_t type, uint64_t inode)
	{
		if (Namespace *ns = find(type, inode))
			return ns;
		auto fd = Fd::open(path, O_RDONLY);
		if (!fd)
			return nullptr;
		auto f = read_ns_facts(fd->get(), {.type = true, .relations = true, .id = true});
		if (!f || f->type != type || f->inode != inode)
			return nullptr; // the process moved on since the walk
		if (!f->id)
			f->id = backend.id_of(fd->get());
		return &add(*f);
	}

	void list_from_backend(TypeLists &lists);
	void list_from_proc();
	void add_process_facts();
	void explain();
	void add_relation_holders();
	void fill_netnsid();
	void sort_namespaces();
	void finish();
};

// Native and module: listns() names every active namespace; opening each gives the
// rest. What cannot be opened (upstream lets a caller list namespaces it may not open)
// is matched by ID against the namespaces of the caller's own processes.
void Builder::list_from_backend(TypeLists &lists)
{
	std::map<uint64_t, uint32_t> unopened; // id -> type
	// What the process table already says of its namespaces (bpf) spares opening
	// them: (0, ID) into procs.namespaces.
	KeyIndex known;
	known.reserve(procs.namespaces.size());
	size_t listed_total = 0;
	for (const auto &l : lists)
		listed_total += l.ids ? l.ids->size() : 0;
	by_key.reserve(std::max(listed_total, procs.namespaces.size()));
	out.namespaces.reserve(std::max(listed_total, procs.namespaces.size()));
	for (size_t i = 0; i < procs.namespaces.size(); i++)
		if (procs.namespaces[i].id)
			known.insert(0, *procs.namespaces[i].id, i);
	for (auto &[type, listed, prefetched] : lists) {
		if (!listed) {
			out.notices.push_back(listed.error().str());
			out.partial = true;
			continue;
		}
		if (prefetched) {
			for (const NsFacts &f : *prefetched)
				if (f.type) // else it died since listns
					add(f).active = true;
			continue;
		}
		std::vector<uint64_t> rest;
		for (uint64_t id : *listed) {
			auto k = known.find(0, id);
			if (k && procs.namespaces[*k].type == type)
				add(procs.namespaces[*k]).active = true;
			else
				rest.push_back(id);
		}
		if (auto facts = backend.facts_of(rest)) {
			for (const NsFacts &f : *facts)
				if (f.type) // else it died since listns
					add(f).active = true;
			continue;
		}
		for (uint64_t id : rest) {
			auto fd = backend.open_id(id);
			if (!fd) {
				unopened[id] = type;
				continue;
			}
			auto f = read_ns_facts(fd->get(), {.type = false, .relations = true}, type);
			if (!f)
				continue;
			f->id = id;
			Namespace &ns = add(*f);
			ns.active = true;
		}
	}
	if (unopened.empty())
		return;
	for (const auto &e : procs.entries) {
		for (size_t t = 0; t < kNsTypes.size() && !unopened.empty(); t++) {
			if (!e.ns[t] || find(kNsTypes[t].flag, e.ns[t]))
				continue;
			auto fd = Fd::open("/proc/" + std::to_string(e.pid) + "/ns/" + std::string(kNsTypes[t].name),
					   O_RDONLY);
			if (!fd)
				continue;
			auto id = backend.id_of(fd->get());
			if (!id || !unopened.count(*id))
				continue;
			auto f = read_ns_facts(fd->get(), {.type = false, .relations = true}, kNsTypes[t].flag);
			if (!f)
				continue;
			f->id = id;
			add(*f).active = true;
			unopened.erase(*id);
		}
	}
	for (auto [id, type] : unopened) {
		Namespace ns;
		ns.id = id;
		ns.type = type;
		ns.active = true;
		out.namespaces.push_back(ns); // inode unknown: listed, but not ours to open
	}
}

// Proc: what the processes are in, then what fds and bind mounts hold.
void Builder::list_from_proc()
{
	for (const auto &e : procs.entries)
		for (size_t t = 0; t < kNsTypes.size(); t++)
			if (e.ns[t] && wanted(kNsTypes[t].flag))
				add_path("/proc/" + std::to_string(e.pid) + "/ns/" + std::string(kNsTypes[t].name),
					 kNsTypes[t].flag, e.ns[t]);
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

bool unexplained(const Namespace &ns)
{
	return ns.inode && !ns.nprocs && !ns.nthreads && ns.holders.empty();
}

// Threads, fds and bind mounts, each scanned only while something is unexplained.
// The proc backend always scans fds and bind mounts: they may reveal new namespaces.
void Builder::explain()
{
	auto left = [&]() {
		return std::any_of(out.namespaces.begin(), out.namespaces.end(), unexplained);
	};
	// The usual case with a listing backend: every namespace has a process, and
	// no column asks for bind mounts. Nothing to scan.
	if (!opt.mounts && !discovering && !left())
		return;

	// Bind mounts in the caller's mount namespace fill NSFS and HOLDER: read when those
	// are asked for (opt.mounts) or a namespace is still unexplained; other mount
	// namespaces (through one process each) only in the latter case.
	const uint64_t own_mntns = own.mntns;
	bool mounts_failed = false;
	auto take_mounts = [&](pid_t pid, uint64_t mntns, Result<std::vector<MountHolder>> mounts) {
		if (!mounts) {
			if (!mounts_failed)
				out.notices.push_back("bind mounts not read: " + mounts.error().str());
			out.partial = true; // namespaces held only by bind mounts may be missing
			mounts_failed = true;
			return;
		}
		for (const auto &m : *mounts) {
			if (!wanted(m.ns.type))
				continue;
			Namespace *ns = find(m.ns.type, m.ns.inode);
			if (!ns && discovering) {
				// Opened through that process's root, which is in its mount namespace.
				std::string path = mntns == own_mntns ? m.target
								      : "/proc/" + std::to_string(pid) + "/root" + m.target;
				ns = add_path(path, m.ns.type, m.ns.inode);
			}
			if (!ns)
				continue;
			if (mntns == own_mntns)
				ns->nsfs.push_back(m.target);
			Holder h(Holder::Kind::bind_mount);
			h.path = m.target;
			h.mntns_inode = mntns;
			ns->holders.push_back(h);
		}
	};
	if (opt.mounts || discovering || left())
		take_mounts(getpid(), own_mntns,
			    own.mounts ? std::move(*own.mounts) : scan_namespace_mounts(getpid(), own_mntns));
	if (!discovering && !left())
		return;

	std::map<uint64_t, pid_t> mntns_pid; // one process in each other mount namespace
	size_t mnt_idx = *ns_type_index(uint32_t(CLONE_NEWNS));
	for (const auto &e : procs.entries)
		if (e.ns[mnt_idx] && e.ns[mnt_idx] != own_mntns)
			mntns_pid.try_emplace(e.ns[mnt_idx], e.pid);
	for (auto [mntns, pid] : mntns_pid)
		take_mounts(pid, mntns, scan_namespace_mounts(pid, mntns));
	std::vector<pid_t> pids;
	for (const auto &e : procs.entries)
		pids.push_back(e.pid);

	if (discovering || left()) {
		for (const auto &h : scan_namespace_fds(pids, refused)) {
			if (!wanted(h.ns.type))
				continue;
			Namespace *ns = find(h.ns.type, h.ns.inode);
			if (!ns && discovering)
				ns = add_path("/proc/" + std::to_string(h.pid) + "/fd/" + std::to_string(h.fd), h.ns.type,
					      h.ns.inode);
			if (!ns)
				continue;
			Holder hold(Holder::Kind::fd);
			hold.pid = h.pid;
			hold.fd = h.fd;
			ns->holders.push_back(hold);
		}
	}

	// Threads: the listing backends know these exist; the proc backend never looks
	// (as lsns), which the notice says.
	if (backend.lists_all() && left()) {
		auto threads = scan_threads(pids);
		for (const auto &e : threads.entries) {
			for (size_t t = 0; t < kNsTypes.size(); t++) {
				Namespace *ns = e.ns[t] ? find(kNsTypes[t].flag, e.ns[t]) : nullptr;
				if (!ns || ns->nprocs)
					continue;
				ns->nthreads++;
				if (!ns->pid || e.pid < *ns->pid) {
					ns->pid = e.pid;
					ns->uid = e.uid;
					ns->command = e.comm;
				}
				Holder h(Holder::Kind::thread);
				h.pid = e.pid;
				if (ns->holders.size() < 16)
					ns->holders.push_back(h);
			}
		}
	}
	add_relation_holders();
}

// A namespace held by nothing else is held by its children (pid, user: NS_GET_PARENT)
// or by the namespaces it owns (user: NS_GET_USERNS).
void Builder::add_relation_holders()
{
	if (std::none_of(out.namespaces.begin(), out.namespaces.end(), unexplained))
		return;
	std::map<uint64_t, std::vector<const Namespace *>> children, owned;
	for (const auto &ns : out.namespaces) {
		if (ns.parent_inode)
			children[*ns.parent_inode].push_back(&ns);
		if (ns.owner_inode)
			owned[*ns.owner_inode].push_back(&ns);
	}
	std::vector<std::pair<size_t, Holder>> add;
	for (size_t i = 0; i < out.namespaces.size(); i++) {
		const Namespace &ns = out.namespaces[i];
		if (!unexplained(ns))
			continue;
		for (const Namespace *c : children[ns.inode])
			if (c->type == ns.type) {
				Holder h(Holder::Kind::parent);
				h.other_type = c->type;
				h.other_inode = c->inode;
				add.push_back({i, h});
			}
		if (ns.type == CLONE_NEWUSER && !owned[ns.inode].empty()) {
			Holder h(Holder::Kind::owner);
			h.other_type = owned[ns.inode].front()->type;
			h.other_inode = owned[ns.inode].front()->inode;
			h.count = owned[ns.inode].size();
			add.push_back({i, h});
		}
	}
	for (auto &[i, h] : add)
		out.namespaces[i].holders.push_back(h);
}

void Builder::fill_netnsid()
{
	NetnsidQuery q;
	for (auto &ns : out.namespaces) {
		if (ns.type != CLONE_NEWNET)
			continue;
		Fd fd;
		if (ns.id) {
			if (auto r = backend.open_id(*ns.id))
				fd = std::move(*r);
		}
		if (!fd && ns.pid)
			fd.reset(open(("/proc/" + std::to_string(*ns.pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
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
		out.notices.push_back("partial output: some namespaces are hidden: seeing all needs " + priv.missing());
	} else if (!refused.empty() || !procs.refused.empty()) {
		refused.insert(procs.refused.begin(), procs.refused.end());
		out.partial = true;
		out.notices.push_back("partial output: /proc refused the entries of " + std::to_string(refused.size()) +
				      " process(es) you may not ptrace");
	}
	if (!backend.lists_all())
		out.notices.push_back("proc backend: namespaces held only by threads, sockets or the kernel are not seen");
}

} // namespace

Result<Listing> discover(const BackendChoice &choice, const DiscoverOptions &opt)
{
	PhaseTimer timer;
	const Backend &backend = *choice.backend;
	// The lists and the caller's mount table do not depend on the process table:
	// they are read meanwhile (the table is most of the time in the kernel, mostly
	// on one CPU while the BPF program loads). A namespace made after the lists and
	// before the table is left out, as one made after the table would be.
	TypeLists lists;
	OwnMounts own;
	Privilege priv;
	ProcessTable procs;
	{
		std::jthread ahead([&] {
			if (backend.lists_all() && !opt.task)
				lists = list_types(backend, opt.types);
			own = read_own_mounts(opt.holders && (opt.mounts || !backend.lists_all()));
			priv = read_privilege();
		});
		procs = backend.processes();
	}
	Builder b{backend, opt, {}, {}, std::move(procs), {}, {}, std::move(own), priv, false};
	b.out.backend = choice.backend->kind();
	b.out.backend_reason = choice.reason;
	if (opt.task) {
		// -p PID: only that process, as lsns: its namespaces, found through the walk.
		std::erase_if(b.procs.entries, [&](const ProcEntry &e) { return e.pid != *opt.task; });
		if (b.procs.entries.empty())
			return Error{ESRCH, "no process " + std::to_string(*opt.task) + " (or its /proc entry is hidden)"};
		b.list_from_proc();
		b.procs = choice.backend->processes(); // NPROCS counts every process again
		b.add_process_facts();
		if (opt.holders)
			b.explain(); // holders of its namespaces only: nothing new is added
		if (opt.netnsid)
			b.fill_netnsid();
		b.finish();
		return std::move(b.out);
	}
	timer.mark("processes");
	b.discovering = !choice.backend->lists_all();
	if (choice.backend->lists_all())
		b.list_from_backend(lists);
	else
		b.list_from_proc();
	timer.mark("namespaces");
	b.add_process_facts();
	timer.mark("process facts");
	if (opt.holders)
		b.explain();
	timer.mark("holders");
	if (opt.netnsid)
		b.fill_netnsid();
	b.finish();
	timer.mark("finish");
	return std::move(b.out);
}

} // namespace nstree
