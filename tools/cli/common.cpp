// SPDX-License-Identifier: GPL-2.0
#include "common.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.hpp"
#include "fd.hpp"
#include "ns_type.hpp"

namespace nstree::cli {

Result<BackendChoice> pick_backend(std::optional<BackendKind> flag)
{
	auto settings = backend_settings(flag);
	if (!settings)
		return settings.error();
	return choose_backend(*settings);
}

Result<BackendKind> parse_backend_arg(std::string_view value)
{
	if (auto kind = parse_backend(value))
		return *kind;
	return Error{EINVAL, "unknown backend '" + std::string(value) + "' (native, module, proc)"};
}

Result<OperandArgs> parse_operand_args(std::span<const std::string_view> args, OperandOptions accepted,
				       std::string_view usage)
{
	OperandArgs out;
	bool have = false;
	for (size_t i = 0; i < args.size(); i++) {
		std::string_view a = args[i];
		std::optional<std::string_view> backend;
		if (a == "--backend" && i + 1 < args.size())
			backend = args[++i];
		else if (a.starts_with("--backend="))
			backend = a.substr(std::string_view("--backend=").size());
		if (backend) {
			auto kind = parse_backend_arg(*backend);
			if (!kind)
				return kind.error();
			out.backend = *kind;
		} else if (accepted.json && (a == "-J" || a == "--json")) {
			out.json = true;
		} else if (!have && !a.empty() && !a.starts_with("-")) {
			out.operand = a;
			have = true;
		} else {
			return Error{EINVAL, std::string(usage)};
		}
	}
	if (!have)
		return Error{EINVAL, std::string(usage)};
	return out;
}

Result<Target> parse_target(std::string_view arg)
{
	Target t;
	uint64_t id = 0;
	auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
	if (ec == std::errc() && p == arg.data() + arg.size()) {
		if (id == 0)
			return Error{EINVAL, "namespace ID 0 does not exist (IDs start at 1)"};
		t.id = id;
		return t;
	}
	if (auto link = parse_ns_link(arg)) {
		t.type = link->type;
		t.inode = link->inode;
		return t;
	}
	auto fd = Fd::open(std::string(arg), O_RDONLY);
	if (!fd)
		return Error{fd.error().code, "'" + std::string(arg) + "' is neither an ID, type:[inode] nor a "
							       "namespace file: " + fd.error().str()};
	int type = ioctl(fd->get(), NS_GET_NSTYPE);
	struct stat st;
	if (type < 0 || fstat(fd->get(), &st) < 0)
		return Error{EINVAL, "'" + std::string(arg) + "' is not a namespace file"};
	t.type = uint32_t(type);
	t.inode = st.st_ino;
	t.path = std::string(arg);
	return t;
}

void print_error(std::string_view cmd, const Error &e)
{
	std::fprintf(stderr, "nstree %.*s: %s\n", int(cmd.size()), cmd.data(), e.str().c_str());
}

} // namespace nstree::cli
