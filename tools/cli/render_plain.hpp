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
#include <span>
#include <string>
#include <vector>

#include "columns.hpp"

namespace nstree::cli {

// A table's cells, row by row: rows * columns texts, "" where a cell has no data,
// kept back to back in one string (one allocation, not one per cell). A large table
// comes in parts, rows split between them, each built and laid out on its own CPU.
struct PlainTable {
	std::vector<const Column *> columns;
	std::string text;        // every cell's text, in order
	std::vector<size_t> end; // where each cell ends in text
	bool noheadings = false;

	size_t cells() const { return end.size(); }
	std::string_view cell(size_t i) const
	{
		size_t begin = i ? end[i - 1] : 0;
		return std::string_view(text).substr(begin, end[i] - begin);
	}
};

// True when libsmartcols would print @s as it is, one column per byte: printable
// ASCII without a backslash (which it writes as \x5c before an 'x').
bool is_plain_text(std::string_view s);

// libsmartcols's output for the rows of @parts, in order, laid out for a file or
// pipe; nullopt when a header or cell is not plain text or there are no rows
// (libsmartcols then decides). Every part has the same columns and noheadings.
std::optional<std::string> render_plain(std::span<const PlainTable> parts);

} // namespace nstree::cli
