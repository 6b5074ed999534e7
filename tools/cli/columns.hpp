// SPDX-License-Identifier: GPL-2.0
// The columns of `nstree ls`: lsns's, where they mean the same, plus ID, HOLDER, ACTIVE, PINS.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "namespace.hpp"

namespace nstree::cli {

enum class JsonType { string, number, boolean, strings };

// Which column: cell() switches on it once per cell.
enum class ColumnId { ns, type, path, nprocs, pid, ppid, command, uid, user, netnsid, nsfs, pns, ons, id, holder, active, pins };

struct Column {
	ColumnId id;
	std::string_view name;  // upper case, as in -o; lower case in JSON
	std::string_view help;
	JsonType json;
	double width_hint;      // libsmartcols whint: < 1 a fraction of the terminal
	bool right = false;     // numbers align right
	bool multiline = false; // one line per value (NSFS, HOLDER); -W joins with commas
	bool truncate = false;  // long text cut to the terminal (COMMAND), unless -u
};

std::span<const Column> all_columns();
const Column *find_column(std::string_view name); // case-insensitive

// Parses -o: "NS,TYPE" replaces @defaults, "+PATH" appends to them.
Result<std::vector<const Column *>> parse_columns(std::string_view spec,
						  const std::vector<const Column *> &defaults);

// A cell: one string per line (several for multiline columns); nullopt when missing.
using Cell = std::optional<std::vector<std::string>>;
Cell cell(const Column &c, const Namespace &ns);
// cell() appended to @out, its values joined by @sep, without building it for the
// common columns; false (nothing appended) when the cell has no data.
bool append_cell(const Column &c, const Namespace &ns, std::string_view sep, std::string &out);

} // namespace nstree::cli
