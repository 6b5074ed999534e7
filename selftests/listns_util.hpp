// SPDX-License-Identifier: GPL-2.0
// Calling NSTREE_IOC_LISTNS from the selftests, raw (for errors) and paginated.
#pragma once

#include <cstring>
#include <set>
#include <vector>

#include "listns_pages.hpp"
#include "ns_util.hpp"

namespace selftest {

inline ns_id_req make_req(uint64_t after = 0, uint32_t types = 0, uint64_t owner = 0)
{
	ns_id_req r;
	std::memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.ns_id = after;
	r.ns_type = types;
	r.user_ns_id = owner;
	return r;
}

// The raw ioctl: the count, or -errno.
inline long listns_raw(const void *req, uint64_t *ids, uint64_t nr, uint32_t flags = 0)
{
	nstree_listns a;
	std::memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.req = reinterpret_cast<uintptr_t>(req);
	a.ns_ids = reinterpret_cast<uintptr_t>(ids);
	a.nr_ns_ids = nr;
	long n = ioctl(ctl().fd(), NSTREE_IOC_LISTNS, &a);
	return n < 0 ? -errno : n;
}

// Every visible active namespace of @types (owned by @owner), in pages of @page:
// through the module where it is loaded.
inline std::vector<uint64_t> list_ids(uint32_t types = 0, uint64_t owner = 0, size_t page = 1000)
{
	nstree::ListRequest r;
	r.types = types;
	r.owner = owner;
	// A kernel with listns(2) and no module (the sid guest): the syscall.
	auto ids = module_device() ? ctl().list_all(r, page) : nstree::list_all_pages(r, page, nstree::listns_syscall_page);
	return ids ? *ids : std::vector<uint64_t>{};
}

inline std::set<uint64_t> id_set(uint32_t types = 0, uint64_t owner = 0)
{
	auto v = list_ids(types, owner);
	return {v.begin(), v.end()};
}

inline bool listed(uint64_t id, uint32_t types = 0)
{
	return id_set(types).count(id) != 0;
}

// The ID of /proc/@pid/ns/@name (through the module where it is loaded), or 0.
inline uint64_t ns_id_of(pid_t pid, const char *name)
{
	auto fd = open_path(ns_path(pid, name));
	return fd.valid() ? id_of(fd.get()) : 0;
}

} // namespace selftest
