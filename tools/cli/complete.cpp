// SPDX-License-Identifier: GPL-2.0
#include "complete.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <dirent.h>

#include "columns.hpp"
#include "commands.hpp"
#include "enter_args.hpp"
#include "fd.hpp"
#include "ls_options.hpp"
#include "ns_type.hpp"

namespace nstree::cli {

namespace {

constexpr std::string_view kCommands[] = {"ls",	 "show",  "enter",  "handle", "open",
					  "orphans", "watch", "compat", "doctor", "help"};
constexpr std::string_view kBackends[] = {"native", "module", "proc"};
constexpr std::string_view kTrees[] = {"owner", "parent", "process"};

// Each command's long options, from the parsers' own tables; those ending in '='
// take a value.
std::vector<std::string> options_of(std::string_view command)
{
	std::vector<std::string> o = {"--help", "--version"};
	std::vector<std::string> more;
	if (command == "ls")
		more = ls_long_options();
	else if (command == "enter" || command == "open")
		more = enter_long_options(command == "enter");
	else if (command == "show" || command == "handle") // parse_operand_args()'s
		more = command == "show" ? std::vector<std::string>{"--json", "--backend="}
					 : std::vector<std::string>{"--backend="};
	else if (command == "orphans")
		more = {"--json", "--format=", "--textfile=", "--noheadings", "--backend="};
	else if (command == "watch")
		more = {"--json", "--type=", "--owner=", "--count=", "--timeout=", "--initial", "--noheadings"};
	o.insert(o.end(), more.begin(), more.end());
	return o;
}

// Whether option @opt of @command takes its value in the next word.
bool takes_value(std::string_view command, std::string_view opt)
{
	if ((command == "ls" && (opt == "-t" || opt == "-o" || opt == "-p" || opt == "-Q")) ||
	    (command == "watch" && opt == "-t"))
		return true;
	if (command == "enter" && opt == "-t")
		return true;
	auto long_opts = options_of(command);
	return std::find(long_opts.begin(), long_opts.end(), std::string(opt) + "=") != long_opts.end();
}

std::vector<std::string> pids()
{
	std::vector<std::string> out;
	if (DIR *d = opendir("/proc")) {
		while (dirent *e = readdir(d))
			if (std::isdigit(static_cast<unsigned char>(e->d_name[0])))
				out.emplace_back(e->d_name);
		closedir(d);
	}
	return out;
}

std::vector<std::string> types()
{
	std::vector<std::string> out;
	for (const auto &t : kNsTypes)
		out.emplace_back(t.name);
	return out;
}

// Column names for -o and --sort; after a comma (-o NS,TY) the list so far is kept
// in front of each.
std::vector<std::string> columns(std::string_view cur, bool list)
{
	std::string head;
	if (list) {
		auto comma = cur.rfind(',');
		if (comma != std::string_view::npos)
			head = std::string(cur.substr(0, comma + 1));
		else if (cur.starts_with('+'))
			head = "+";
	}
	std::vector<std::string> out;
	for (const auto &c : all_columns())
		out.push_back(head + std::string(c.name));
	return out;
}

// The values of option @opt of @command; nullopt when it takes none.
std::optional<std::vector<std::string>> values(std::string_view command, std::string_view opt, std::string_view cur)
{
	auto words = [](std::span<const std::string_view> w) { return std::vector<std::string>(w.begin(), w.end()); };
	if (opt == "--backend")
		return words(kBackends);
	if (command == "ls") {
		if (opt == "-t" || opt == "--type")
			return types();
		if (opt == "-o" || opt == "--output")
			return columns(cur, true);
		if (opt == "--sort")
			return columns(cur, false);
		if (opt == "-p" || opt == "--task")
			return pids();
		if (opt == "--tree")
			return words(kTrees);
		if (opt == "-Q" || opt == "--filter")
			return std::vector<std::string>{};
	}
	if (command == "watch" && (opt == "-t" || opt == "--type"))
		return types();
	if (command == "orphans" && opt == "--format")
		return std::vector<std::string>{"table", "json", "prometheus"};
	if (command == "enter") {
		if (opt == "--type")
			return types();
		if (opt == "-t" || opt == "--target")
			return pids();
	}
	return std::nullopt;
}

void keep_matching(std::vector<std::string> &c, std::string_view prefix)
{
	std::erase_if(c, [&](const std::string &s) { return !s.starts_with(prefix); });
	std::sort(c.begin(), c.end());
	c.erase(std::unique(c.begin(), c.end()), c.end());
}

} // namespace

std::vector<std::string> complete(std::span<const std::string_view> words)
{
	if (words.empty())
		return {};
	const std::string_view cur = words.back();
	std::vector<std::string> out;
	if (words.size() == 1) {
		if (cur.starts_with('-'))
			out = {"--help", "--version"};
		else
			out.assign(std::begin(kCommands), std::end(kCommands));
		keep_matching(out, cur);
		return out;
	}
	const std::string_view command = words[0];
	if (command == "help") {
		if (words.size() == 2)
			out.assign(std::begin(kCommands), std::end(kCommands) - 1);
		keep_matching(out, cur);
		return out;
	}
	// After "--", or after enter's (or open's) operand or options, come the words of
	// the user's command: the shell completes those.
	auto before = words.subspan(1, words.size() - 2);
	if (std::find(before.begin(), before.end(), std::string_view("--")) != before.end())
		return {};
	if (command == "enter" || command == "open")
		for (size_t i = 0; i < before.size(); i++) {
			if (before[i].starts_with('-')) {
				if (takes_value(command, before[i]))
					i++; // its value
				continue;
			}
			return {}; // the operand, or the command that follows the options
		}
	// The value of an option: "--type=ne" or "--type ne".
	if (auto eq = cur.find('='); cur.starts_with("--") && eq != std::string_view::npos) {
		std::string_view opt = cur.substr(0, eq), val = cur.substr(eq + 1);
		if (auto v = values(command, opt, val)) {
			for (auto &s : *v)
				out.push_back(std::string(opt) + "=" + s);
			keep_matching(out, cur);
		}
		return out;
	}
	if (!before.empty())
		if (auto v = values(command, before.back(), cur)) {
			keep_matching(*v, cur);
			return *v;
		}
	if (cur.starts_with('-')) {
		for (auto &o : options_of(command))
			out.push_back(o.ends_with('=') ? o.substr(0, o.size() - 1) : o);
		keep_matching(out, cur);
		return out;
	}
	return out; // an operand (ID, type:[inode], a file) or the command to run
}

int cmd_complete(std::span<const std::string_view> words)
{
	for (const auto &c : complete(words))
		std::printf("%s\n", c.c_str());
	return kExitOk;
}

} // namespace nstree::cli
