// SPDX-License-Identifier: GPL-2.0
// Renders a listing through libsmartcols (lsns's library): a table, a tree, raw
// output or JSON (a plain list for a pipe has a faster path with the same bytes). JSON gets nstree's envelope around libsmartcols's table:
//   {"schema": 1, "backend": "...", "partial": false, "notices": [...], "namespaces": [...]}
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columns.hpp"
#include "ls_options.hpp"
#include "namespace.hpp"

struct libscols_table; // <libsmartcols.h>

namespace nstree::cli {

constexpr int kJsonSchemaVersion = 1;

struct RenderOptions {
	Format format = Format::table;
	Tree tree = Tree::none;
	bool noheadings = false;
	bool notruncate = false;
	bool nowrap = false;
	int term_width = 0; // > 0: a terminal this wide; 0: ask isatty(stdout); < 0: not a terminal
};

// The listing as @o asks; a plain list for a file or pipe is written by
// render_plain_list(), everything else by libsmartcols.
Result<std::string> render(const Listing &l, const std::vector<const Column *> &cols, const RenderOptions &o);
// Through libsmartcols always.
Result<std::string> render_libsmartcols(const Listing &l, const std::vector<const Column *> &cols,
					const RenderOptions &o);
// libsmartcols's output for a plain list, byte for byte, without libsmartcols (see
// render_plain.hpp); nullopt for a tree, JSON, raw output, a terminal or text that
// is not plain.
std::optional<std::string> render_plain_list(const Listing &l, const std::vector<const Column *> &cols,
					     const RenderOptions &o);
// For Tree::owner, parent, process: the index of each namespace's parent row, or -1.
std::vector<long> tree_parents(const Listing &l, Tree tree);
// Tells libsmartcols the terminal's width as RenderOptions::term_width says it.
void set_term_width(::libscols_table *tb, int term_width);
// A JSON string literal.
std::string json_quote(std::string_view s);

} // namespace nstree::cli
