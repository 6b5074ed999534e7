// SPDX-License-Identifier: GPL-2.0
#include "listns_pages.hpp"

namespace nstree {

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

} // namespace nstree
