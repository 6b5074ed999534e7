// SPDX-License-Identifier: GPL-2.0
// `nstree ls --format dot`: the namespace hierarchy for graphviz. Nodes are the
// namespaces listed (and, greyed, the user or parent namespaces they name that the
// listing left out); edges are ownership (a user namespace owns every namespace made
// in it: dashed) and parenthood (pid and user namespaces: solid). -T owner or
// -T parent keeps one relation; by default both are drawn.
#pragma once

#include <string>

#include "ls_options.hpp"
#include "namespace.hpp"

namespace nstree::cli {

std::string render_dot(const Listing &l, Tree relation);

} // namespace nstree::cli
