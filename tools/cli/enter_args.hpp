// SPDX-License-Identifier: GPL-2.0
// The arguments of `nstree enter`, as nsenter users type them: one namespace named
// by ID, type:[inode] or path, or a process (-t/--target PID) with all of its
// namespaces (-a) or those of nsenter's type flags (-m -u -i -n -p -U -C -T), each
// of which may name a file instead, as nsenter's do (-n/run/netns/a, --net=FILE).
#pragma once

#include <optional>
#include <utility>
#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "backend_kind.hpp"
#include "error.hpp"

namespace nstree::cli {

struct EnterArgs {
	std::string_view what;               // the namespace operand; empty with a target
	uint32_t type = 0;                   // --type TYPE: the operand must be of TYPE
	std::optional<pid_t> target;         // -t/--target PID
	uint32_t types = 0;                  // with a target: CLONE_NEW* to join; 0: all (-a)
	std::vector<std::pair<uint32_t, std::string_view>> files; // -nFILE, --net=FILE: type, path
	bool preserve_credentials = false;   // keep uid and gid on joining a user namespace
	std::optional<BackendKind> backend;
	std::vector<std::string_view> command; // empty: $SHELL
};

// @with_namespaces: enter's options; else open's (HANDLE, --backend, the command).
// With "--" the command is what follows it; without, every word after the operand
// (or, with a target, after the options), as nsenter takes it.
Result<EnterArgs> parse_enter_args(std::span<const std::string_view> args, bool with_namespaces, const char *usage);
// The long options parse_enter_args() takes, "--name=" for those that need a value
// (completion); the type flags are also offered bare, without their optional FILE.
std::vector<std::string> enter_long_options(bool with_namespaces);

} // namespace nstree::cli
