// SPDX-License-Identifier: GPL-2.0
// Which backend a run uses, and everything that steers it: the backends' names, the
// --backend flag, NSTREE_BACKEND and NSTREE_NO_BPF. Nothing else reads them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "error.hpp"

namespace nstree {

class Backend;

//   native: listns(2), NS_GET_ID, open_by_handle_at(FD_NSFS_ROOT) (Linux >= 6.19)
//   module: /dev/nstree of the nstree kernel module (6.1, 6.12)
//   proc:   a walk over /proc; sees only what processes, fds and bind mounts show
enum class BackendKind { native, module, proc };
const char *backend_name(BackendKind kind);
std::optional<BackendKind> parse_backend(std::string_view name);

struct BackendSettings {
	std::optional<BackendKind> forced; // a backend the user asked for
	std::string forced_by;             // "--backend" or "NSTREE_BACKEND"
	// Whether the native backend may read its process table from the BPF task
	// iterator (NSTREE_NO_BPF unset) or must walk /proc.
	bool task_iterator = true;
};

// The settings of this run: @flag (--backend) beats NSTREE_BACKEND beats the
// automatic choice; NSTREE_NO_BPF=1 turns the task iterator off. An error names a
// bad NSTREE_BACKEND.
Result<BackendSettings> backend_settings(std::optional<BackendKind> flag);

struct BackendChoice {
	std::unique_ptr<Backend> backend;
	std::string reason; // why this one: what was asked for or probed, and what was found
	BackendChoice();
	BackendChoice(std::unique_ptr<Backend> b, std::string why);
	BackendChoice(BackendChoice &&) noexcept;
	BackendChoice &operator=(BackendChoice &&) noexcept;
	~BackendChoice();
};

// A forced backend, or the error saying why it cannot be used; otherwise native,
// then module, then proc.
Result<BackendChoice> choose_backend(const BackendSettings &settings);

} // namespace nstree
