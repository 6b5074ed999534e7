// SPDX-License-Identifier: GPL-2.0
// discover()'s second phase: which namespaces the listing has. Native and module:
// what listns() names, opened (or taken from the process table or the bulk facts)
// for the rest of their facts. Proc and -p: what the processes are in. And, when
// the kernel's list is not the whole (proc backend, a caller who may not see all),
// the owners and parents of what was found, as lsns finds them.
#include <algorithm>
#include <deque>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <map>
#include <sys/ioctl.h>

#include "discover_builder.hpp"
#include "proc_path.hpp"

namespace nstree::discovery {

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
		for (uint64_t id : *listed) {
			if (auto k = known.find(0, id); k && procs.namespaces[*k].type == type) {
				add(procs.namespaces[*k]).active = true;
				continue;
			}
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
			auto fd = Fd::open(proc_ns_path(e.pid, t), O_RDONLY);
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

// Proc, and -p on any backend: what the processes (or @only) are in.
void Builder::list_from_proc(std::optional<pid_t> only)
{
	for (const auto &e : procs.entries) {
		if (only && e.pid != *only)
			continue;
		for (size_t t = 0; t < kNsTypes.size(); t++)
			if (e.ns[t] && wanted(kNsTypes[t].flag))
				add_path(proc_ns_path(e.pid, t), kNsTypes[t].flag, e.ns[t]);
	}
}

// An fd of @ns: by ID, else through its process's /proc/PID/ns link, its bind mount
// in the caller's mount namespace, or the fd that holds it.
Fd Builder::open_namespace(const Namespace &ns) const
{
	if (ns.id)
		if (auto fd = backend.open_id(*ns.id))
			return std::move(*fd);
	std::vector<std::string> paths;
	if (ns.pid)
		if (auto t = ns_type_index(ns.type))
			paths.push_back(proc_ns_path(*ns.pid, *t));
	paths.insert(paths.end(), ns.nsfs.begin(), ns.nsfs.end());
	for (const Holder &h : ns.holders)
		if (h.kind == Holder::Kind::fd)
			paths.push_back(proc_path(h.pid, "fd/" + std::to_string(h.fd)));
	for (const auto &path : paths) {
		auto fd = Fd::open(path, O_RDONLY);
		if (!fd)
			continue;
		auto f = read_ns_facts(fd->get(), {.type = true, .relations = false});
		if (f && f->type == ns.type && f->inode == ns.inode)
			return std::move(*fd);
	}
	return Fd();
}

// The owner (NS_GET_USERNS) and parent (NS_GET_PARENT) of every namespace found, and
// theirs, until each is in the listing or out of the caller's view (EPERM): a user
// namespace no process is in, held only by a child or by what it owns, is listed
// (lsns finds it the same way). Each is opened through the one that names it.
void Builder::add_relatives()
{
	auto missing = [&](const Namespace &ns) {
		bool owner = ns.owner_inode && wanted(CLONE_NEWUSER) && !find(CLONE_NEWUSER, *ns.owner_inode);
		bool parent = ns.parent_inode && !find(ns.type, *ns.parent_inode);
		return owner || parent;
	};
	std::deque<size_t> work;
	for (size_t i = 0; i < out.namespaces.size(); i++)
		if (missing(out.namespaces[i]))
			work.push_back(i);
	while (!work.empty()) {
		size_t i = work.front();
		work.pop_front();
		if (!missing(out.namespaces[i]))
			continue;
		Fd fd = open_namespace(out.namespaces[i]);
		if (!fd)
			continue;
		for (unsigned long request : {NS_GET_USERNS, NS_GET_PARENT}) {
			Fd rel(ioctl(fd.get(), request));
			if (!rel)
				continue; // EPERM: outside the caller's view; EINVAL: no parent
			auto f = facts_with_id(rel.get());
			if (!f || !wanted(f->type) || find(f->type, f->inode))
				continue;
			add(*f); // may move out.namespaces: indices stay valid, references do not
			work.push_back(out.namespaces.size() - 1);
		}
	}
}

} // namespace nstree::discovery
