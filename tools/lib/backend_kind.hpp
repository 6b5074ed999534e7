// SPDX-License-Identifier: GPL-2.0
// The three backends by name. Which one a run uses is backend_choice.hpp's job.
//   native: listns(2), NS_GET_ID, open_by_handle_at(FD_NSFS_ROOT) (Linux >= 6.19)
//   module: /dev/nstree of the nstree kernel module (6.1, 6.12)
//   proc:   a walk over /proc; sees only what processes, fds and bind mounts show
#pragma once

#include <optional>
#include <string_view>

namespace nstree {

enum class BackendKind { native, module, proc };
const char *backend_name(BackendKind kind);
std::optional<BackendKind> parse_backend(std::string_view name);

} // namespace nstree
