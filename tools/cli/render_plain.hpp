// SPDX-License-Identifier: GPL-2.0
// The one table libsmartcols spends most of nstree ls's time on, written directly:
// a plain list (no tree, no JSON, no raw) going to a file or pipe, every cell
// printable ASCII on one line. libsmartcols measures each character through
// mbrtowc() and wcwidth() twice, about 50,000 instructions a row; for such a table
// width is length, so the layout needs none of that. The output is libsmartcols
// 2.38's byte for byte (a host test compares the two on generated tables); anything
// else goes to libsmartcols.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columns.hpp"

namespace nstree::cli {

// A table's cells, row by row: rows * columns texts, "" where a cell has no data.
struct PlainTable {
	std::vector<const Column *> columns;
	std::vector<std::string> cells;
	bool noheadings = false;
};

// True when libsmartcols would print @s as it is, one column per byte: printable
// ASCII without a backslash (which it writes as \x5c before an 'x').
bool is_plain_text(std::string_view s);

// libsmartcols's output for @t laid out for a file or pipe; nullopt when a header
// or cell is not plain text or there are no rows (libsmartcols then decides).
std::optional<std::string> render_plain(const PlainTable &t);

} // namespace nstree::cli
