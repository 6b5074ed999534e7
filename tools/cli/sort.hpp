// SPDX-License-Identifier: GPL-2.0
// nstree ls --sort COLUMN: the listing in the order of one column's values.
#pragma once

#include "columns.hpp"
#include "namespace.hpp"

namespace nstree::cli {

// Orders @l's namespaces by @c: numbers as numbers, text as bytes, a missing
// value last; ties keep the order they had (by type, then inode).
void sort_by_column(Listing &l, const Column &c);

} // namespace nstree::cli
