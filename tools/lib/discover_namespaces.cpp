// SPDX-License-Identifier: GPL-2.0
// discover()'s second phase: which namespaces the listing has. Native and module:
// what listns() names, opened (or taken from the process table or the bulk facts)
// for the rest of their facts. Proc and -p: what the processes are in.
#include <algorithm>
#include <fcntl.h>
#include <map>

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

} // namespace nstree::discovery
