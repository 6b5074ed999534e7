// SPDX-License-Identifier: GPL-2.0
// discover()'s working state, shared by its phases and by no one else:
//   discover.cpp             the phase sequence, process facts, COMMAND, order, notices
//   discover_namespaces.cpp  which namespaces: the backend's lists or the /proc walk
//   discover_holders.cpp     what holds the namespaces no process is in
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backend.hpp"
#include "discover_options.hpp"
#include "holder_scan.hpp"
#include "key_index.hpp"
#include "namespace.hpp"
#include "ns_facts.hpp"
#include "privilege.hpp"
#include "process_table.hpp"

namespace nstree::discovery {

// The caller's mount namespace, and its nsfs bind mounts when read ahead.
struct OwnMounts {
	uint64_t mntns = 0;
	std::optional<Result<std::vector<MountHolder>>> mounts;
};

// @table: read the caller's mount table too.
OwnMounts read_own_mounts(bool table);

// What the backend lists of one wanted type and, where the backend has them in bulk
// (the module), the facts of every ID listed, read along with the list.
struct TypeList {
	uint32_t type;
	Result<std::vector<uint64_t>> ids;
	std::optional<std::vector<NsFacts>> facts;
};
using TypeLists = std::vector<TypeList>; // kNsTypes order

// Backend::list() of each type in @types (0: all), with Backend::facts_of() of each
// list: the one place facts are asked for in bulk.
TypeLists list_types(const Backend &backend, uint32_t types);

// A namespace with an inode that nothing seen so far holds.
bool unexplained(const Namespace &ns);

struct Builder {
	const Backend &backend;
	const DiscoverOptions &opt;
	Listing out;
	KeyIndex by_key; // (type, inode) into out.namespaces
	ProcessTable procs;
	std::set<pid_t> refused;         // processes whose fd directory was refused
	std::vector<bool> command_final; // by namespace index: COMMAND came with the table
	OwnMounts own;                   // the caller's mount namespace and, if read ahead, its table
	Privilege priv;                  // the caller's, read ahead
	bool discovering = false;        // holder scans may add namespaces (proc backend, no -p)

	Builder(const Backend &b, const DiscoverOptions &o) : backend(b), opt(o) {}

	bool wanted(uint32_t type) const { return !opt.types || (opt.types & type); }
	Namespace *find(uint32_t type, uint64_t inode)
	{
		auto pos = by_key.find(type, inode);
		return pos ? &out.namespaces[*pos] : nullptr;
	}
	Namespace &add(const NsFacts &f);
	// Every fact of namespace fd @fd, the ID included (from the backend where the
	// kernel's NS_GET_ID has none).
	Result<NsFacts> facts_with_id(int fd) const;
	// Adds the namespace behind @path (a /proc/PID/ns link, an fd, a mount point),
	// or nullptr when it is no longer the namespace (@type, @inode).
	Namespace *add_path(const std::string &path, uint32_t type, uint64_t inode);

	// discover_namespaces.cpp
	void list_from_backend(TypeLists &lists);
	void list_from_proc(std::optional<pid_t> only);
	void add_relatives();
	Fd open_namespace(const Namespace &ns) const;
	// discover_holders.cpp
	void explain();
	void add_relation_holders();
	// discover.cpp
	void add_process_facts();
	void fill_netnsid();
	void sort_namespaces();
	void finish();
};

} // namespace nstree::discovery
