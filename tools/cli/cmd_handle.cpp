// SPDX-License-Identifier: GPL-2.0
// nstree handle <ID|path>: prints the namespace's nsfs file handle ("f1:" + hex).
#include <cstdio>
#include <fcntl.h>

#include "commands.hpp"
#include "common.hpp"
#include "fd.hpp"

namespace nstree::cli {

int cmd_handle(std::span<const std::string_view> args)
{
	auto a = parse_operand_args(args, {}, "usage: nstree handle [--backend NAME] ID|PATH");
	if (!a) {
		print_error("handle", a.error());
		return kExitFailure;
	}
	auto target = parse_target(a->operand);
	if (!target) {
		print_error("handle", target.error());
		return kExitFailure;
	}
	if (!target->id && target->path.empty()) {
		print_error("handle", Error{EINVAL, "handle takes an ID or a path to a namespace file"});
		return kExitFailure;
	}
	auto backend = pick_backend(a->backend);
	if (!backend) {
		print_error("handle", backend.error());
		return kExitFailure;
	}
	auto fd = target->id ? backend->backend->open_id(*target->id) : Fd::open(target->path, O_RDONLY);
	if (!fd) {
		print_error("handle", fd.error());
		return kExitFailure;
	}
	auto h = backend->backend->handle_of(fd->get());
	if (!h) {
		print_error("handle", h.error());
		return kExitFailure;
	}
	std::printf("%s\n", h->str().c_str());
	return kExitOk;
}

} // namespace nstree::cli
