// SPDX-License-Identifier: GPL-2.0
// A complete listns() listing from pages, shared by the native syscall and the module.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "error.hpp"
#include "nstree.h"

namespace nstree {

// A listns request, upstream's struct ns_id_req in friendlier form.
struct ListRequest {
	uint32_t types = 0; // CLONE_NEW* bits, 0 for all
	uint64_t owner = 0; // user namespace ID whose namespaces to list, 0 for all
	uint64_t after = 0; // pagination: the last ID already seen
};

// One page: at most @max IDs after @req.after, ascending; empty past the end
// (upstream's ENOENT for a start past the last namespace).
using ListPage = std::function<Result<std::vector<uint64_t>>(const ListRequest &req, size_t max)>;

// Upstream's struct ns_id_req for @req, size set, reserved fields zero.
struct ns_id_req make_ns_id_req(const ListRequest &req);
// One page's outcome from a listns call (the syscall or the ioctl) that returned @n
// into @ids: the IDs; empty past the end (ENOENT after a cursor); else the error.
Result<std::vector<uint64_t>> page_result(long n, int err, const ListRequest &req, std::vector<uint64_t> ids,
					  const char *what);

// listns(2) itself (syscall 470): -1 and errno ENOSYS where the kernel has none.
long sys_listns(const struct ns_id_req *req, uint64_t *ids, size_t nr, unsigned flags);
// One page of listns(2), a ListPage.
Result<std::vector<uint64_t>> listns_syscall_page(const ListRequest &r, size_t max);

// Every visible active namespace, in pages of @page.
Result<std::vector<uint64_t>> list_all_pages(ListRequest req, size_t page, const ListPage &page_fn);

} // namespace nstree
