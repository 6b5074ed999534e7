// SPDX-License-Identifier: GPL-2.0
// -Q/--filter EXPR: which rows `nstree ls` prints, in the expression language of
// lsns's -Q (scols-filter(5)): columns by name, numbers, "strings" and 'strings',
// == != < <= > >= (eq ne lt le gt ge), =~ and !~ (POSIX extended regular
// expressions), && || ! (and or not) and parentheses. Our own evaluator: Debian
// bookworm's libsmartcols (2.38) has no filter API, and one language everywhere is
// what a script wants.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "columns.hpp"
#include "error.hpp"
#include "namespace.hpp"

namespace nstree::cli {

class Filter {
public:
	// Errors say where in @expr and what was expected.
	static Result<Filter> parse(std::string_view expr);
	bool matches(const Namespace &ns) const;
	// The columns the expression reads (the listing must fill them).
	const std::vector<const Column *> &columns() const { return columns_; }

	struct Node;

private:
	std::shared_ptr<const std::vector<Node>> nodes_; // operands before what uses them
	size_t root_ = 0;
	std::vector<const Column *> columns_;
};

} // namespace nstree::cli
