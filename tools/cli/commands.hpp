// SPDX-License-Identifier: GPL-2.0
// The nstree subcommands. Each returns the process exit code: 0 success, 1 failure,
// 2 partial output (some namespaces hidden by privilege).
#pragma once

#include <span>
#include <string_view>

namespace nstree::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitPartial = 2;

int cmd_doctor(std::span<const std::string_view> args);

} // namespace nstree::cli
