// SPDX-License-Identifier: GPL-2.0
// Running the nstree CLI (next to the selftest binary) and reading its JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace selftest {

struct CliRun {
	int status = -1; // exit code; 128+signal if killed
	std::string out, err;
};

// Runs nstree with @args; @env entries ("NAME=value") are added to the environment.
CliRun run_nstree(const std::vector<std::string> &args, const std::vector<std::string> &env = {});
// Runs any program, as run_nstree.
CliRun run_program(const std::vector<std::string> &argv);

// The "namespaces" of `nstree ls -J` output, flattened (tree children included).
std::vector<nlohmann::json> cli_namespaces(const std::string &json_text);
// The "ns" inode of every namespace in `nstree ls -J` output.
std::set<unsigned long long> cli_inodes(const std::string &json_text);
// lsns's inode numbers (lsns -n -r -o NS); empty when lsns is missing or fails.
std::set<unsigned long long> lsns_inode_set();

} // namespace selftest
