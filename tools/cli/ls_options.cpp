// SPDX-License-Identifier: GPL-2.0
#include "ls_options.hpp"

#include <charconv>
#include <cstdio>
#include <string>

#include "ns_type.hpp"

namespace nstree::cli {

std::vector<const Column *> default_columns(uint32_t types)
{
	std::vector<const Column *> cols;
	for (auto name : {"ID", "NS", "TYPE", "NPROCS", "PID", "USER", "HOLDER"})
		cols.push_back(find_column(name));
	if (types == CLONE_NEWNET) {
		cols.push_back(find_column("NETNSID"));
		cols.push_back(find_column("NSFS"));
	}
	cols.push_back(find_column("COMMAND"));
	return cols;
}

void print_ls_usage(FILE *out)
{
	std::fprintf(out, "usage: nstree ls [options]\n\n"
			  "List every namespace, its processes and what holds it.\n\n"
			  "  -J, --json               JSON (schema 1, see nstree(8))\n"
			  "  -l, --list               a list (the default)\n"
			  "  -n, --noheadings         no header line\n"
			  "  -o, --output LIST        columns to print (+LIST adds to the default)\n"
			  "      --output-all         every column\n"
			  "  -p, --task PID           only the namespaces of process PID\n"
			  "  -P, --persistent         only namespaces no process is in\n"
			  "  -Q, --filter EXPR        only rows EXPR accepts, as lsns -Q: NPROCS > 1 && USER != \"root\"\n"
			  "  -r, --raw                raw output\n"
			  "  -t, --type TYPE          mnt, net, ipc, user, pid, uts, cgroup, time (repeatable)\n"
			  "  -u, --notruncate         do not truncate text in columns\n"
			  "  -W, --nowrap             one line per namespace (NSFS, HOLDER joined by commas)\n"
			  "  -T, --tree[=RELATION]    a tree by owner (default), parent or process\n"
			  "  -H, --list-columns       the available columns\n"
			  "      --sort COLUMN        order by COLUMN (default: by type, then inode)\n"
			  "      --backend NAME       native, module or proc (default: the best available)\n"
			  "      --format FORMAT      table, raw, json, or dot: the owner and parent trees\n"
			  "                           for graphviz (-T owner or -T parent for one of them)\n"
			  "  -h, --help               this text\n"
			  "  -V, --version            the version\n\n"
			  "Exit status: 0 success, 1 failure, 2 partial output (namespaces hidden by privilege).\n");
}

namespace {

// The long options with a short twin, as lsns spells them; --output-all, --sort,
// --backend and --format are handled on their own.
constexpr struct {
	std::string_view name;
	char c;
	bool takes_value;
	bool optional_value;
} kLongOptions[] = {
	{"json", 'J', false, false},     {"list", 'l', false, false},     {"noheadings", 'n', false, false},
	{"output", 'o', true, false},    {"task", 'p', true, false},      {"raw", 'r', false, false},
	{"type", 't', true, false},      {"notruncate", 'u', false, false}, {"nowrap", 'W', false, false},
	{"tree", 'T', true, true},       {"list-columns", 'H', false, false}, {"help", 'h', false, false},
	{"filter", 'Q', true, false},    {"persistent", 'P', false, false},
};

struct Parser {
	std::span<const std::string_view> args;
	size_t i = 0;
	LsOptions o;
	std::string output_spec;
	bool output_all = false, list = false;

	// The value of an option: "--opt=V", "--opt V", "-oV" or "-o V".
	Result<std::string_view> value(std::string_view arg, std::string_view opt, size_t inline_at)
	{
		if (inline_at < arg.size())
			return arg.substr(inline_at);
		if (i + 1 >= args.size())
			return Error{EINVAL, "option " + std::string(opt) + " needs a value"};
		return args[++i];
	}

	Error bad(std::string_view arg, const std::string &why)
	{
		return Error{EINVAL, "'" + std::string(arg) + "': " + why + " (nstree ls --help)"};
	}

	std::optional<Error> apply(char c, std::string_view arg, std::string_view val);
	Result<LsOptions> run();
};

std::optional<Error> Parser::apply(char c, std::string_view arg, std::string_view val)
{
	switch (c) {
	case 't': {
		auto t = ns_type_index(val);
		if (!t)
			return bad(val, "unknown namespace type");
		o.types |= kNsTypes[*t].flag;
		return std::nullopt;
	}
	case 'p': {
		pid_t pid = 0;
		auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), pid);
		if (ec != std::errc() || p != val.data() + val.size() || pid <= 0)
			return bad(val, "not a process ID");
		o.task = pid;
		return std::nullopt;
	}
	case 'o':
		output_spec = std::string(val);
		return std::nullopt;
	case 'Q': {
		auto f = Filter::parse(val);
		if (!f)
			return bad(val, f.error().message);
		o.filter = std::move(*f);
		return std::nullopt;
	}
	case 'T':
		if (val.empty() || val == "owner")
			o.tree = Tree::owner;
		else if (val == "parent")
			o.tree = Tree::parent;
		else if (val == "process")
			o.tree = Tree::process;
		else
			return bad(val, "unknown tree relation (owner, parent, process)");
		return std::nullopt;
	}
	switch (c) {
	case 'J':
		if (o.format == Format::raw)
			return bad(arg, "-J and -r are mutually exclusive");
		o.format = Format::json;
		break;
	case 'r':
		if (o.format == Format::json)
			return bad(arg, "-J and -r are mutually exclusive");
		o.format = Format::raw;
		break;
	case 'l':
		list = true;
		break;
	case 'n':
		o.noheadings = true;
		break;
	case 'u':
		o.notruncate = true;
		break;
	case 'W':
		o.nowrap = true;
		break;
	case 'H':
		o.list_columns = true;
		break;
	case 'P':
		o.persistent = true;
		break;
	case 'h':
		o.help = true;
		break;
	default:
		return bad(arg, "unknown option");
	}
	return std::nullopt;
}

Result<LsOptions> Parser::run()
{
	for (i = 0; i < args.size(); i++) {
		std::string_view arg = args[i];
		if (arg.size() > 2 && arg.substr(0, 2) == "--") {
			auto eq = arg.find('=');
			auto name = arg.substr(2, eq == std::string_view::npos ? std::string_view::npos : eq - 2);
			if (name == "output-all") {
				output_all = true;
				continue;
			}
			if (name == "sort") {
				auto v = value(arg, "--sort", eq == std::string_view::npos ? arg.size() : eq + 1);
				if (!v)
					return v.error();
				o.sort = find_column(*v);
				if (!o.sort)
					return bad(*v, "unknown column (nstree ls -H lists them)");
				continue;
			}
			if (name == "format") {
				auto v = value(arg, "--format", eq == std::string_view::npos ? arg.size() : eq + 1);
				if (!v)
					return v.error();
				if (*v == "table")
					o.format = Format::table;
				else if (*v == "raw")
					o.format = Format::raw;
				else if (*v == "json")
					o.format = Format::json;
				else if (*v == "dot")
					o.format = Format::dot;
				else
					return bad(*v, "unknown format (table, raw, json, dot)");
				continue;
			}
			if (name == "backend") {
				auto v = value(arg, "--backend", eq == std::string_view::npos ? arg.size() : eq + 1);
				if (!v)
					return v.error();
				o.backend = parse_backend(*v);
				if (!o.backend)
					return bad(*v, "unknown backend (native, module, proc)");
				continue;
			}
			bool found = false;
			for (const auto &l : kLongOptions) {
				if (l.name != name)
					continue;
				found = true;
				std::string_view val;
				if (l.takes_value && !l.optional_value) {
					auto v = value(arg, arg.substr(0, 2 + name.size()),
						       eq == std::string_view::npos ? arg.size() : eq + 1);
					if (!v)
						return v.error();
					val = *v;
				} else if (eq != std::string_view::npos) {
					if (!l.optional_value)
						return bad(arg, "takes no value");
					val = arg.substr(eq + 1);
				}
				if (auto e = apply(l.c, arg, val))
					return *e;
			}
			if (!found)
				return bad(arg, "unknown option");
			continue;
		}
		if (arg.size() < 2 || arg[0] != '-')
			return bad(arg, "unexpected argument");
		// A cluster of short options; one that takes a value ends it.
		for (size_t k = 1; k < arg.size(); k++) {
			char c = arg[k];
			std::string_view val;
			if (c == 't' || c == 'p' || c == 'o' || c == 'Q') {
				auto v = value(arg, std::string("-") + c, k + 1);
				if (!v)
					return v.error();
				val = *v;
				k = arg.size();
			} else if (c == 'T') {
				// An optional relation attached, as lsns: -Tparent or -T=parent.
				val = arg.substr(k + 1);
				if (!val.empty() && val.front() == '=')
					val.remove_prefix(1);
				k = arg.size();
			}
			if (auto e = apply(c, arg, val))
				return *e;
		}
	}
	if (list && o.tree != Tree::none)
		return Error{EINVAL, "-l and -T are mutually exclusive (nstree ls --help)"};
	if (o.persistent && o.task)
		return Error{EINVAL, "-P and -p are mutually exclusive (nstree ls --help)"};
	if (output_all) {
		for (const auto &c : all_columns())
			o.columns.push_back(&c);
	} else if (!output_spec.empty()) {
		auto cols = parse_columns(output_spec, default_columns(o.types));
		if (!cols)
			return cols.error();
		o.columns = std::move(*cols);
	} else {
		o.columns = default_columns(o.types);
	}
	return std::move(o);
}

} // namespace

Result<LsOptions> parse_ls_options(std::span<const std::string_view> args)
{
	Parser p;
	p.args = args;
	return p.run();
}

std::vector<std::string> ls_long_options()
{
	std::vector<std::string> out = {"--output-all", "--sort=", "--backend=", "--format="};
	for (const auto &l : kLongOptions)
		out.push_back("--" + std::string(l.name) + (l.takes_value && !l.optional_value ? "=" : ""));
	return out;
}

} // namespace nstree::cli
