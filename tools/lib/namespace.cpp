// SPDX-License-Identifier: GPL-2.0
#include "namespace.hpp"

#include <algorithm>
#include <climits>

#include "ns_type.hpp"

namespace nstree {

static std::string link_name(uint32_t type, uint64_t inode)
{
	return std::string(ns_type_name(type)) + ":[" + std::to_string(inode) + "]";
}

std::string Holder::str() const
{
	switch (kind) {
	case Kind::process:
		return "pid " + std::to_string(pid);
	case Kind::thread:
		return "thread " + std::to_string(pid);
	case Kind::fd:
		return "fd " + std::to_string(fd) + " of pid " + std::to_string(pid);
	case Kind::bind_mount:
		return "bind mount " + path + " in " + link_name(CLONE_NEWNS, mntns_inode);
	case Kind::parent:
		return "parent of " + link_name(other_type, other_inode);
	case Kind::owner:
		if (count > 1)
			return "owner of " + link_name(other_type, other_inode) + " and " + std::to_string(count - 1) +
			       " more";
		return "owner of " + link_name(other_type, other_inode);
	}
	return "?";
}

std::string Namespace::name() const
{
	return link_name(type, inode);
}


const Namespace *Listing::find(uint32_t type, uint64_t inode) const
{
	for (const auto &ns : namespaces)
		if (ns.type == type && ns.inode == inode)
			return &ns;
	return nullptr;
}

std::optional<pid_t> Listing::parent_of(pid_t pid) const
{
	auto it = std::lower_bound(ppid.begin(), ppid.end(), std::pair<pid_t, pid_t>(pid, INT_MIN));
	if (it == ppid.end() || it->first != pid)
		return std::nullopt;
	return it->second;
}

const Namespace *Listing::find_id(uint64_t id) const
{
	for (const auto &ns : namespaces)
		if (ns.id && *ns.id == id)
			return &ns;
	return nullptr;
}

} // namespace nstree
