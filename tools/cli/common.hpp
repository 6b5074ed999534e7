// SPDX-License-Identifier: GPL-2.0
// What several subcommands share: choosing the backend, naming a namespace on the
// command line, running a command inside a namespace.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backend_choice.hpp"
#include "namespace.hpp"

namespace nstree::cli {

// The backend of this run: backend_settings(@flag), then choose_backend().
Result<BackendChoice> pick_backend(std::optional<BackendKind> flag);

// The backend a --backend value names, or the error naming the choices.
Result<BackendKind> parse_backend_arg(std::string_view value);

// What show, handle, enter and open read besides the command after "--": one operand
// (a namespace or a handle), --backend NAME or --backend=NAME, and where the command
// takes them -J/--json and -t/--type TYPE.
struct OperandArgs {
	std::string_view operand;
	std::optional<BackendKind> backend;
	bool json = false;
};
struct OperandOptions {
	bool json = false; // accept -J/--json
};
// @usage is the message for a missing or extra operand or an unknown option.
Result<OperandArgs> parse_operand_args(std::span<const std::string_view> args, OperandOptions accepted,
				       std::string_view usage);

// A namespace as the user names it: an ID, "type:[inode]" or a path to a namespace file.
struct Target {
	std::optional<uint64_t> id;
	uint32_t type = 0;
	uint64_t inode = 0;
	std::string path;
};
Result<Target> parse_target(std::string_view arg);

void print_error(std::string_view cmd, const Error &e);

} // namespace nstree::cli
