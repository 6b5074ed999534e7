// SPDX-License-Identifier: GPL-2.0
// discover()'s holder phase: for each namespace no process is in, what holds it:
// bind mounts in any mount namespace, open fds, threads, and child or owned
// namespaces. Each scan runs only while something is left to explain, except on
// the proc backend, where fds and bind mounts may reveal namespaces not seen yet.
#include <algorithm>
#include <map>

#include "discover_builder.hpp"
#include "proc_path.hpp"
#include "proc_walk.hpp"

namespace nstree::discovery {

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
								      : proc_path(pid, "root") + m.target;
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
				ns = add_path(proc_path(h.pid, "fd/" + std::to_string(h.fd)), h.ns.type, h.ns.inode);
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

} // namespace nstree::discovery
