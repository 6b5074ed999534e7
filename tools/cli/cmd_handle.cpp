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
	std::optional<BackendKind> flag;
	std::optional<std::string_view> what;
	for (size_t i = 0; i < args.size(); i++) {
		if (args[i] == "--backend" && i + 1 < args.size()) {
			flag = parse_backend(args[++i]);
			if (!flag) {
				print_error("handle", Error{EINVAL, "unknown backend '" + std::string(args[i]) + "'"});
				return kExitFailure;
			}
		} else if (!what) {
			what = args[i];
		} else {
			what.reset();
			break;
		}
	}
	if (!what) {
		print_error("handle", Error{EINVAL, "usage: nstree handle [--backend NAME] ID|PATH"});
		return kExitFailure;
	}
	auto target = parse_target(*what);
	if (!target) {
		print_error("handle", target.error());
		return kExitFailure;
	}
	if (!target->id && target->path.empty()) {
		print_error("handle", Error{EINVAL, "handle takes an ID or a path to a namespace file"});
		return kExitFailure;
	}
	auto backend = pick_backend(flag);
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
