// SPDX-License-Identifier: GPL-2.0
#include "enter_args.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <sched.h>
#include <string>

#include "ns_type.hpp"

namespace nstree::cli {

namespace {

// nsenter's type flags: the letter, the long name and the namespace.
struct TypeFlag {
	char letter;
	std::string_view name;
	uint32_t type;
};
constexpr TypeFlag kTypeFlags[] = {
	{'m', "--mount", CLONE_NEWNS},   {'u', "--uts", CLONE_NEWUTS},   {'i', "--ipc", CLONE_NEWIPC},
	{'n', "--net", CLONE_NEWNET},    {'p', "--pid", CLONE_NEWPID},   {'U', "--user", CLONE_NEWUSER},
	{'C', "--cgroup", CLONE_NEWCGROUP}, {'T', "--time", CLONE_NEWTIME},
};

Result<pid_t> parse_pid(std::string_view s)
{
	pid_t pid = 0;
	auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
	if (ec != std::errc() || p != s.data() + s.size() || pid <= 0)
		return Error{EINVAL, "--target takes a process ID, not '" + std::string(s) + "'"};
	return pid;
}

// The value of "--name=VALUE" or "--name VALUE" at @i (advanced past a separate value).
std::optional<std::string_view> long_value(std::span<const std::string_view> args, size_t &i, std::string_view name)
{
	std::string_view a = args[i];
	if (a == name)
		return i + 1 < args.size() ? std::optional(args[++i]) : std::nullopt;
	if (a.size() > name.size() && a.starts_with(name) && a[name.size()] == '=')
		return a.substr(name.size() + 1);
	return std::nullopt;
}

bool is_long(std::string_view a, std::string_view name)
{
	return a == name || (a.starts_with(name) && a.size() > name.size() && a[name.size()] == '=');
}

class Parser {
public:
	Parser(std::span<const std::string_view> head, bool with_ns, const char *usage)
		: head_(head), with_ns_(with_ns), usage_(usage)
	{
	}

	// One option at @i; false when @i is no option of ours.
	Result<bool> option(size_t &i)
	{
		std::string_view a = head_[i];
		if (is_long(a, "--backend")) {
			auto v = long_value(head_, i, "--backend");
			if (!v)
				return Error{EINVAL, usage_};
			out.backend = parse_backend(*v);
			if (!out.backend)
				return Error{EINVAL, "unknown backend '" + std::string(*v) + "' (native, module, proc)"};
			return true;
		}
		if (a.size() < 2 || a[0] != '-')
			return false;
		if (!with_ns_)
			return Error{EINVAL, usage_};
		if (is_long(a, "--type")) {
			auto v = long_value(head_, i, "--type");
			auto t = v ? ns_type_index(*v) : std::nullopt;
			if (!t)
				return Error{EINVAL, v ? "unknown namespace type '" + std::string(*v) + "'" : usage_};
			out.type = kNsTypes[*t].flag;
			return true;
		}
		if (is_long(a, "--target")) {
			auto v = long_value(head_, i, "--target");
			return v ? set_target(*v) : Error{EINVAL, usage_};
		}
		if (a == "--all") {
			all_ = true;
			return true;
		}
		if (a == "--preserve-credentials") {
			out.preserve_credentials = true;
			return true;
		}
		for (const auto &f : kTypeFlags) {
			if (a == f.name) {
				out.types |= f.type;
				return true;
			}
			if (is_long(a, f.name)) {
				out.files.emplace_back(f.type, a.substr(f.name.size() + 1));
				return true;
			}
		}
		if (a[1] == '-')
			return Error{EINVAL, "unknown option '" + std::string(a) + "'\n" + usage_};
		// Short flags, combined as getopt takes them: -aU, -t PID, -t5, -at 5. A type
		// flag's value is the rest of the word, as nsenter's optional argument: -nFILE.
		for (size_t j = 1; j < a.size(); j++) {
			if (a[j] == 't') {
				std::string_view v = a.substr(j + 1);
				if (v.empty()) {
					if (i + 1 >= head_.size())
						return Error{EINVAL, usage_};
					v = head_[++i];
				}
				return set_target(v);
			}
			if (a[j] == 'a') {
				all_ = true;
				continue;
			}
			auto f = std::find_if(std::begin(kTypeFlags), std::end(kTypeFlags),
					      [&](const TypeFlag &t) { return t.letter == a[j]; });
			if (f == std::end(kTypeFlags))
				return Error{EINVAL, "unknown option '-" + std::string(1, a[j]) + "'\n" + usage_};
			if (j + 1 < a.size()) {
				out.files.emplace_back(f->type, a.substr(j + 1));
				return true;
			}
			out.types |= f->type;
		}
		return true;
	}

	Result<bool> set_target(std::string_view v)
	{
		auto pid = parse_pid(v);
		if (!pid)
			return pid.error();
		out.target = *pid;
		return true;
	}

	// What the options say together.
	Result<EnterArgs> finish()
	{
		if ((out.target || !out.files.empty()) && !out.what.empty())
			return Error{EINVAL, "name one namespace, or --target PID and type flags, not both\n" +
						     std::string(usage_)};
		if (!out.target && out.what.empty() && out.files.empty())
			return Error{EINVAL, usage_};
		if (!out.target && (out.types || all_))
			return Error{EINVAL, "-a, -m, -u, -i, -n, -p, -U, -C and -T choose namespaces of --target PID"};
		if (out.target && out.type)
			return Error{EINVAL, "--type checks a namespace named by ID, type:[inode] or path; "
					     "with --target, choose with -m, -u, -i, -n, -p, -U, -C, -T or -a"};
		if (all_)
			out.types = 0;
		return out;
	}

	EnterArgs out;

private:
	std::span<const std::string_view> head_;
	bool with_ns_;
	const char *usage_;
	bool all_ = false;
};

} // namespace

Result<EnterArgs> parse_enter_args(std::span<const std::string_view> args, bool with_namespaces, const char *usage)
{
	auto dashes = std::find(args.begin(), args.end(), std::string_view("--"));
	const bool have_dashes = dashes != args.end();
	std::span<const std::string_view> head = args.subspan(0, size_t(dashes - args.begin()));
	Parser p(head, with_namespaces, usage);
	if (have_dashes) {
		auto rest = args.subspan(head.size() + 1);
		p.out.command.assign(rest.begin(), rest.end());
	}
	for (size_t i = 0; i < head.size(); i++) {
		auto taken = p.option(i);
		if (!taken)
			return taken.error();
		if (*taken)
			continue;
		// A word: the operand, or (without "--") where the command starts.
		if (!p.out.target && p.out.files.empty() && p.out.what.empty() && !head[i].empty()) {
			p.out.what = head[i];
			if (have_dashes)
				continue;
			p.out.command.assign(head.begin() + ptrdiff_t(i) + 1, head.end());
			break;
		}
		if (have_dashes || head[i].empty())
			return Error{EINVAL, usage};
		p.out.command.assign(head.begin() + ptrdiff_t(i), head.end());
		break;
	}
	return p.finish();
}

std::vector<std::string> enter_long_options(bool with_namespaces)
{
	std::vector<std::string> out = {"--backend="};
	if (!with_namespaces)
		return out;
	out.insert(out.end(), {"--type=", "--target=", "--all", "--preserve-credentials"});
	for (const auto &f : kTypeFlags)
		out.emplace_back(f.name);
	return out;
}

} // namespace nstree::cli
