// SPDX-License-Identifier: GPL-2.0
// The nstree subcommands. Each returns the process exit code: 0 success, 1 failure,
// 2 partial output (some namespaces hidden by privilege). enter and open return the
// command's own status once it ran.
#pragma once

#include <span>
#include <string_view>

namespace nstree {
struct Listing;
}

namespace nstree::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitPartial = 2;

int cmd_ls(std::span<const std::string_view> args);
int cmd_show(std::span<const std::string_view> args);
int cmd_enter(std::span<const std::string_view> args);
int cmd_handle(std::span<const std::string_view> args);
int cmd_open(std::span<const std::string_view> args);
int cmd_doctor(std::span<const std::string_view> args);
int cmd_orphans(std::span<const std::string_view> args);
int cmd_watch(std::span<const std::string_view> args);
int cmd_compat(std::span<const std::string_view> args);

// Prints a listing's notices on stderr, one line each; kExitPartial when it is partial.
int finish_listing(const Listing &l, bool quiet_notices);

} // namespace nstree::cli
