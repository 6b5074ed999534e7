// SPDX-License-Identifier: GPL-2.0
// Command-line options of `nstree ls`, lsns's where they mean the same.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "backend.hpp"
#include "columns.hpp"
#include "filter.hpp"
#include "error.hpp"

namespace nstree::cli {

enum class Format { table, raw, json, dot };
enum class Tree { none, owner, parent, process };

struct LsOptions {
	std::vector<const Column *> columns;
	uint32_t types = 0;            // -t, repeatable; 0 for all
	std::optional<pid_t> task;     // -p
	Format format = Format::table; // -r, -J, --format
	Tree tree = Tree::none;        // -T[=owner|parent|process]; -l or nothing: a list
	bool noheadings = false;       // -n
	bool notruncate = false;       // -u
	bool nowrap = false;           // -W
	bool list_columns = false;     // -H
	bool help = false;             // -h
	const Column *sort = nullptr;  // --sort COLUMN; else type order, then inode
	std::optional<Filter> filter;  // -Q/--filter EXPR
	bool persistent = false;       // -P: only namespaces no process is in
	std::optional<BackendKind> backend; // --backend
};

// Parses the arguments after "ls". Errors name the offending argument.
Result<LsOptions> parse_ls_options(std::span<const std::string_view> args);
// The default columns for @types (lsns adds NETNSID and NSFS for -t net).
std::vector<const Column *> default_columns(uint32_t types);
void print_ls_usage(FILE *out);
// Every long option of ls, "--name=" for those that take a value (completion).
std::vector<std::string> ls_long_options();

} // namespace nstree::cli
