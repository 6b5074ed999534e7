// SPDX-License-Identifier: GPL-2.0
// nstree enter <ID> [--type TYPE] -- CMD: setns into a namespace named by ID and exec.
// nstree open <handle> -- CMD: the same for a handle that `nstree handle` printed.
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "ns_type.hpp"

namespace nstree::cli {

namespace {

constexpr char kEnterUsage[] = "usage: nstree enter [--type TYPE] [--backend NAME] ID [-- CMD [ARG...]]";
constexpr char kOpenUsage[] = "usage: nstree open [--backend NAME] HANDLE [-- CMD [ARG...]]";

struct EnterArgs {
	std::string_view what;
	uint32_t type = 0;
	std::optional<BackendKind> backend;
	std::vector<std::string_view> command;
};

Result<EnterArgs> parse(std::span<const std::string_view> args, const char *usage, bool with_type)
{
	auto [opts, command] = split_command(args);
	auto a = parse_operand_args(opts, {.type = with_type}, usage);
	if (!a)
		return a.error();
	return EnterArgs{a->operand, a->type, a->backend, command};
}

} // namespace

int cmd_enter(std::span<const std::string_view> args)
{
	auto e = parse(args, kEnterUsage, true);
	if (!e) {
		print_error("enter", e.error());
		return kExitFailure;
	}
	auto target = parse_target(e->what);
	if (!target || !target->id) {
		print_error("enter", target ? Error{EINVAL, "enter takes a namespace ID (nstree ls -o ID,NS,TYPE)"}
					    : target.error());
		return kExitFailure;
	}
	auto backend = pick_backend(e->backend);
	if (!backend) {
		print_error("enter", backend.error());
		return kExitFailure;
	}
	auto fd = backend->backend->open_id(*target->id);
	if (!fd) {
		print_error("enter", fd.error());
		return kExitFailure;
	}
	return run_in_namespace("enter", fd->get(), e->type, e->command);
}

int cmd_open(std::span<const std::string_view> args)
{
	auto e = parse(args, kOpenUsage, false);
	if (!e) {
		print_error("open", e.error());
		return kExitFailure;
	}
	auto handle = NsHandle::parse(e->what);
	if (!handle) {
		print_error("open", handle.error());
		return kExitFailure;
	}
	auto backend = pick_backend(e->backend);
	if (!backend) {
		print_error("open", backend.error());
		return kExitFailure;
	}
	auto fd = backend->backend->open_handle(*handle);
	if (!fd) {
		print_error("open", fd.error());
		return kExitFailure;
	}
	return run_in_namespace("open", fd->get(), 0, e->command);
}

} // namespace nstree::cli
