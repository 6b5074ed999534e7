// SPDX-License-Identifier: GPL-2.0
// The BPF task iterator kept between runs: pinned in bpffs under a name made from a
// digest of the program, so that the next run opens it with two bpf() calls where
// loading has the kernel relocate and verify the program again (40-80 ms under
// TCG). NSTREE_BPF_PIN=0 neither uses nor makes a pin.
#pragma once

#include <string>

#include "error.hpp"

struct nstree_task_ns_iter;

namespace nstree {

// How attach_task_iter() made the iterator ready, for `nstree doctor`.
struct IterSource {
	bool shared = false; // opened from a pin, whose readers map other runs use too
	std::string how;     // "pinned at ...", "loaded; not pinned: ..."
};

// Fills @it with the pinned iterator when there is one this build made, else
// loads it and pins it for the next run (quietly not, where it cannot). A pin
// directory of this build's that is not whole is pinned anew; one that someone
// else could have filled is left alone.
Result<IterSource> attach_task_iter(nstree_task_ns_iter &it);

// Closes the shared iterator in @it, whose readers map was full (its readers'
// registrations are withdrawn only by the readers themselves: a run killed while
// reading leaves one behind), and loads a private one that replaces the pin.
// Runs that opened the old pin keep it through their fds.
Result<IterSource> repin_task_iter(nstree_task_ns_iter &it);

} // namespace nstree
