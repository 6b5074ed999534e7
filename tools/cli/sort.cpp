// SPDX-License-Identifier: GPL-2.0
#include "sort.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

namespace nstree::cli {

namespace {

// What a row sorts by: absent, a number, or text (a multiline cell's lines joined).
struct SortKey {
	bool present = false;
	bool numeric = false;
	long double number = 0;
	std::string text;

	bool operator<(const SortKey &o) const
	{
		if (present != o.present)
			return present; // missing values last
		if (numeric && o.numeric)
			return number < o.number;
		return text < o.text;
	}
};

SortKey key_of(const Column &c, const Namespace &ns)
{
	SortKey k;
	Cell v = cell(c, ns);
	if (!v || v->empty())
		return k;
	k.present = true;
	for (size_t i = 0; i < v->size(); i++)
		k.text += (i ? "\n" : "") + (*v)[i];
	if (c.json == JsonType::number) {
		long long n = 0;
		auto [p, ec] = std::from_chars(k.text.data(), k.text.data() + k.text.size(), n);
		k.numeric = ec == std::errc() && p == k.text.data() + k.text.size();
		k.number = static_cast<long double>(n);
	}
	return k;
}

} // namespace

void sort_by_column(Listing &l, const Column &c)
{
	// Keys first (one cell() per row), then a stable permutation of the rows.
	std::vector<std::pair<SortKey, size_t>> keys;
	keys.reserve(l.namespaces.size());
	for (size_t i = 0; i < l.namespaces.size(); i++)
		keys.emplace_back(key_of(c, l.namespaces[i]), i);
	std::stable_sort(keys.begin(), keys.end(),
			 [](const auto &a, const auto &b) { return a.first < b.first; });
	std::vector<Namespace> sorted;
	sorted.reserve(l.namespaces.size());
	for (const auto &[key, i] : keys)
		sorted.push_back(std::move(l.namespaces[i]));
	l.namespaces = std::move(sorted);
}

} // namespace nstree::cli
