// SPDX-License-Identifier: GPL-2.0
// list_all_pages() against a model of upstream's listns(2) pagination, quirk and
// all: a page after a cursor starts at the next namespace in the tree and gives
// ENOENT when that one is inactive, though later ones are active (7.0, before
// "nstree: Fix spurious ENOENT in listns pagination"). The listing must neither
// stop early nor repeat an ID.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <cerrno>
#include <functional>
#include <map>

#include "listns_pages.hpp"

using nstree::ListRequest;

namespace {

// IDs of one tree, each active or not; upstream's page rule over them.
struct Tree {
	std::map<uint64_t, bool> ns; // id -> active
	int calls = 0;
	std::function<void(Tree &)> between_pages; // churn after each call

	nstree::Result<std::vector<uint64_t>> page(const ListRequest &req, size_t max)
	{
		calls++;
		std::vector<uint64_t> ids(max);
		long n = 0;
		int err = 0;
		auto it = ns.upper_bound(req.after);
		if (req.after && (it == ns.end() || !it->second)) {
			n = -1;
			err = ENOENT; // the quirk: the next namespace in the tree is inactive
		} else {
			for (; it != ns.end() && size_t(n) < max; ++it)
				if (it->second)
					ids[size_t(n++)] = it->first;
		}
		if (between_pages)
			between_pages(*this);
		return nstree::page_result(n, err, req, std::move(ids), "listns");
	}

	std::vector<uint64_t> active() const
	{
		std::vector<uint64_t> v;
		for (auto [id, on] : ns)
			if (on)
				v.push_back(id);
		return v;
	}
};

std::vector<uint64_t> list(Tree &t, size_t page)
{
	auto r = nstree::list_all_pages(ListRequest{}, page,
					[&t](const ListRequest &req, size_t max) { return t.page(req, max); });
	REQUIRE(r.ok());
	return *r;
}

bool strictly_ascending(const std::vector<uint64_t> &v)
{
	return std::adjacent_find(v.begin(), v.end(), [](uint64_t a, uint64_t b) { return a >= b; }) == v.end();
}

} // namespace

TEST_CASE("list_all_pages: an inactive namespace after a page's end is no end", "[listns_pages]")
{
	Tree t;
	for (uint64_t id = 1; id <= 40; id++)
		t.ns[id] = id % 3 != 0; // every third one inactive
	for (size_t page : {1, 2, 3, 5, 1000}) {
		INFO("pages of " << page);
		auto got = list(t, page);
		CHECK(got == t.active());
	}
}

TEST_CASE("list_all_pages: namespaces going inactive between pages", "[listns_pages]")
{
	Tree t;
	for (uint64_t id = 1; id <= 30; id++)
		t.ns[id] = true;
	uint64_t next_off = 2;
	t.between_pages = [&next_off](Tree &tree) {
		// After each page the namespace right after it goes inactive: the quirk
		// hits every later page.
		if (tree.ns.count(next_off))
			tree.ns[next_off] = false;
		next_off += 2;
	};
	auto got = list(t, 1);
	CHECK(strictly_ascending(got));
	for (uint64_t id : got)
		CHECK(t.ns.count(id));
	// Everything still active at the end was listed, once.
	for (uint64_t id : t.active())
		CHECK(std::count(got.begin(), got.end(), id) == 1);
}

TEST_CASE("list_all_pages: a cursor past the end is the end", "[listns_pages]")
{
	Tree t;
	t.ns = {{1, true}, {2, true}, {3, true}};
	CHECK(list(t, 3) == std::vector<uint64_t>{1, 2, 3}); // a full last page, then ENOENT
	CHECK(list(t, 1) == std::vector<uint64_t>{1, 2, 3});
}
