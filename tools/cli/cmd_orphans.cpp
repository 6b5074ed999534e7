// SPDX-License-Identifier: GPL-2.0
// nstree orphans: filesystems held by something but reachable from no mount
// namespace a process is in, who holds them, and what to do (Documentation/orphans.md).
#include <chrono>
#include <cstdio>
#include <unistd.h>

#include "commands.hpp"
#include "common.hpp"
#include "orphans.hpp"
#include "orphans_render.hpp"

namespace nstree::cli {

namespace {

enum class OrphansFormat { table, json, prometheus };

struct OrphansArgs {
	OrphansFormat format = OrphansFormat::table;
	std::optional<std::string> textfile;
	std::optional<BackendKind> backend;
	bool noheadings = false;
};

constexpr char kUsage[] = "usage: nstree orphans [-J | --format table|json|prometheus] [--textfile DIR] [-n] "
			  "[--backend NAME]";

Result<OrphansArgs> parse(std::span<const std::string_view> args)
{
	OrphansArgs a;
	for (size_t i = 0; i < args.size(); i++) {
		std::string_view arg = args[i];
		auto value = [&](std::string_view name) -> Result<std::string_view> {
			if (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=')
				return arg.substr(name.size() + 1);
			if (i + 1 >= args.size())
				return Error{EINVAL, std::string(name) + " needs a value\n" + kUsage};
			return args[++i];
		};
		auto is = [&](std::string_view name) {
			return arg == name || (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
		};
		if (arg == "-J" || arg == "--json") {
			a.format = OrphansFormat::json;
		} else if (arg == "-n" || arg == "--noheadings") {
			a.noheadings = true;
		} else if (is("--format")) {
			auto v = value("--format");
			if (!v)
				return v.error();
			if (*v == "table")
				a.format = OrphansFormat::table;
			else if (*v == "json")
				a.format = OrphansFormat::json;
			else if (*v == "prometheus")
				a.format = OrphansFormat::prometheus;
			else
				return Error{EINVAL, "unknown format '" + std::string(*v) + "': table, json or prometheus"};
		} else if (is("--textfile")) {
			auto v = value("--textfile");
			if (!v)
				return v.error();
			a.textfile = std::string(*v);
		} else if (is("--backend")) {
			auto v = value("--backend");
			if (!v)
				return v.error();
			auto kind = parse_backend_arg(*v);
			if (!kind)
				return kind.error();
			a.backend = *kind;
		} else {
			return Error{EINVAL, "unknown argument '" + std::string(arg) + "'\n" + kUsage};
		}
	}
	return a;
}

} // namespace

int cmd_orphans(std::span<const std::string_view> args)
{
	auto a = parse(args);
	if (!a) {
		print_error("orphans", a.error());
		return kExitFailure;
	}
	auto backend = pick_backend(a->backend);
	if (!backend) {
		print_error("orphans", backend.error());
		return kExitFailure;
	}
	auto t0 = std::chrono::steady_clock::now();
	auto report = find_orphans(*backend);
	if (!report) {
		print_error("orphans", report.error());
		return kExitFailure;
	}
	double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	std::string prom;
	if (a->format == OrphansFormat::prometheus || a->textfile)
		prom = render_orphans_prometheus(*report, seconds);
	if (a->textfile) {
		auto written = write_textfile(*a->textfile, prom);
		if (!written) {
			print_error("orphans", written.error());
			return kExitFailure;
		}
	}
	switch (a->format) {
	case OrphansFormat::json:
		std::fputs(render_orphans_json(*report).c_str(), stdout);
		break;
	case OrphansFormat::prometheus:
		std::fputs(prom.c_str(), stdout);
		break;
	case OrphansFormat::table:
		if (report->orphans.empty()) {
			std::printf("no orphaned filesystems (%zu mount namespaces, %zu processes looked at)\n",
				    report->mount_namespaces, report->processes);
		} else {
			auto text = render_orphans_table(*report, {.noheadings = a->noheadings});
			if (!text) {
				print_error("orphans", text.error());
				return kExitFailure;
			}
			std::fputs(text->c_str(), stdout);
		}
		break;
	}
	for (const auto &n : report->notices)
		std::fprintf(stderr, "nstree orphans: %s\n", n.c_str());
	return report->partial ? kExitPartial : kExitOk;
}

} // namespace nstree::cli
