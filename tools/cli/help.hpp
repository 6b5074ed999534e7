// SPDX-License-Identifier: GPL-2.0
// What `nstree help CMD`, `nstree CMD --help` and `--version` print.
#pragma once

#include <cstdio>
#include <string_view>

namespace nstree::cli {

// The help of @command on @out; false for an unknown command.
bool print_command_help(std::string_view command, FILE *out);

// "nstree VERSION".
void print_version(FILE *out);

} // namespace nstree::cli
