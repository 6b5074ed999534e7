// SPDX-License-Identifier: GPL-2.0
// discover(): the full listing: namespaces from the backend, process facts from a
// /proc walk, and what holds each namespace that no process is in.
#pragma once

#include "backend_choice.hpp"
#include "discover_options.hpp"
#include "namespace.hpp"

namespace nstree {

Result<Listing> discover(const BackendChoice &backend, const DiscoverOptions &opt);

} // namespace nstree
