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

// What show, handle, enter and open read besides the command after "--": one operand
// (a namespace or a handle), --backend NAME or --backend=NAME, and where the command
// takes them -J/--json and -t/--type TYPE.
struct OperandArgs {
	std::string_view operand;
	std::optional<BackendKind> backend;
	bool json = false;
	uint32_t type = 0; // CLONE_NEW*, 0 when not given
};
struct OperandOptions {
	bool json = false; // accept -J/--json
	bool type = false; // accept -t/--type TYPE
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

// setns() into @ns_fd and exec @argv (a shell when empty). pid and time namespaces
// take effect in children only, so those fork first and pass on the child's status.
// Returns only on failure, with the exit code to use; errors name @cmd.
int run_in_namespace(std::string_view cmd, int ns_fd, uint32_t nstype, std::span<const std::string_view> argv);

// Splits "ARGS -- CMD...": the part before "--" and the command after it.
std::pair<std::vector<std::string_view>, std::vector<std::string_view>>
split_command(std::span<const std::string_view> args);

void print_error(std::string_view cmd, const Error &e);

} // namespace nstree::cli
