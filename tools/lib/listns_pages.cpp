// SPDX-License-Identifier: GPL-2.0
#include "listns_pages.hpp"

#include <cerrno>
#include <cstring>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_listns
#define __NR_listns 470 // all architectures (the unified syscall table)
#endif

namespace nstree {

struct ns_id_req make_ns_id_req(const ListRequest &r)
{
	struct ns_id_req req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.ns_id = r.after;
	req.ns_type = r.types;
	req.user_ns_id = r.owner;
	return req;
}

Result<std::vector<uint64_t>> page_result(long n, int err, const ListRequest &req, std::vector<uint64_t> ids,
					  const char *what)
{
	if (n < 0) {
		if (err == ENOENT && req.after)
			return std::vector<uint64_t>{}; // past the end of the listing
		return Error::from_errno(err, what);
	}
	ids.resize(size_t(n));
	return ids;
}

Result<std::vector<uint64_t>> list_all_pages(ListRequest req, size_t page, const ListPage &page_fn)
{
	std::vector<uint64_t> all;
	for (;;) {
		auto ids = page_fn(req, page);
		if (ids && ids->empty() && req.after) {
			// An empty later page has two meanings upstream: past the end, or
			// the next namespace in the tree is inactive (listns's start rule).
			// One unpaginated pass settles it: keep what lies after our position.
			ListRequest whole = req;
			whole.after = 0;
			auto rest = page_fn(whole, 1000000);
			if (!rest)
				return rest.error();
			for (uint64_t id : *rest)
				if (id > req.after)
					all.push_back(id);
			return all;
		}
		if (!ids)
			return ids.error();
		all.insert(all.end(), ids->begin(), ids->end());
		if (ids->size() < page)
			return all;
		req.after = ids->back();
	}
}

long sys_listns(const struct ns_id_req *req, uint64_t *ids, size_t nr, unsigned flags)
{
	return syscall(__NR_listns, req, ids, nr, flags);
}

Result<std::vector<uint64_t>> listns_syscall_page(const ListRequest &r, size_t max)
{
	struct ns_id_req req = make_ns_id_req(r);
	std::vector<uint64_t> ids(max);
	long n = sys_listns(&req, ids.data(), max, 0);
	return page_result(n, errno, r, std::move(ids), "listns(2)");
}

} // namespace nstree
