// SPDX-License-Identifier: GPL-2.0
#include "swap_files.hpp"

#include <algorithm>
#include <string_view>

#include "fd.hpp"

namespace nstree {

namespace {

// seq_file_path() writes space, tab, newline and backslash as \ooo.
std::string unescape(std::string_view s)
{
	std::string out;
	for (size_t i = 0; i < s.size(); i++) {
		if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
		    s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			out += char((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			out += s[i];
		}
	}
	return out;
}

} // namespace

std::vector<SwapFile> parse_swap_files(std::string_view text)
{
	// Filename Type Size Used Priority, the first line a heading; fields are
	// separated by spaces and tabs, which the name itself has escaped.
	std::vector<SwapFile> out;
	bool heading = true;
	while (!text.empty()) {
		size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
		if (heading) {
			heading = false;
			continue;
		}
		size_t name_end = line.find_first_of(" \t");
		if (name_end == std::string_view::npos)
			continue;
		std::string_view rest = line.substr(name_end);
		rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
		if (rest.substr(0, rest.find_first_of(" \t")) != "file")
			continue;
		out.push_back({unescape(line.substr(0, name_end))});
	}
	return out;
}

std::vector<SwapFile> read_swap_files()
{
	return parse_swap_files(read_whole_file("/proc/swaps"));
}

} // namespace nstree
