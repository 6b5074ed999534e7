// SPDX-License-Identifier: GPL-2.0
// Shell completion: what may stand where the cursor is, for the bash and zsh
// scripts in tools/completions (`nstree __complete WORD...`), so both shells offer
// the same words and the columns, types and options come from the code that
// parses them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nstree::cli {

// @words: what follows "nstree" on the command line, the last being the word under
// the cursor (maybe empty). The candidates that complete it; none where a file or a
// command of the user's is wanted (the shell completes those itself).
std::vector<std::string> complete(std::span<const std::string_view> words);

int cmd_complete(std::span<const std::string_view> words);

} // namespace nstree::cli
