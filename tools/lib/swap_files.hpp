// SPDX-License-Identifier: GPL-2.0
// Swap files (/proc/swaps entries of type "file"): swapon(2) keeps the file open in
// the kernel, and so its filesystem alive, with no process holding either.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nstree {

struct SwapFile {
	std::string path; // as /proc/swaps names it, its octal escapes undone
};

std::vector<SwapFile> read_swap_files();
// /proc/swaps's text, parsed (for the host tests).
std::vector<SwapFile> parse_swap_files(std::string_view text);

} // namespace nstree
