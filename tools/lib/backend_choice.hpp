// SPDX-License-Identifier: GPL-2.0
// Which backend a run uses, and everything that steers it: the --backend flag,
// NSTREE_BACKEND and NSTREE_NO_BPF. Nothing else reads them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backend.hpp"
#include "backend_kind.hpp"
#include "error.hpp"

namespace nstree {

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
};

// A forced backend, or the error saying why it cannot be used; otherwise native,
// then module, then proc.
Result<BackendChoice> choose_backend(const BackendSettings &settings);

} // namespace nstree
