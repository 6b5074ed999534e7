// SPDX-License-Identifier: GPL-2.0
// NativeWatch: nstree watch's events on a kernel with listns(2) (6.19 and later)
// and no module, from BPF on the kernel's namespace tree (bpf/ns_events.bpf.c)
// and listns(2) itself (Documentation/watch.md, "Without the module").
#pragma once

#include <memory>

#include "watch_stream.hpp"

namespace nstree {

// Loads the BPF programs and takes the listing the stream starts from (its
// `present` events with @opts.initial). Without @opts.activity the programs on the
// active count (which every fork passes) are not attached, and the stream says only
// births and deaths. @opts.nonblock does not apply: next() takes a timeout. Needs
// CAP_BPF and CAP_PERFMON (the load), and a caller listns(2) shows every namespace
// to (the activity checks); the error says which is missing.
Result<std::unique_ptr<WatchSource>> open_native_watch(const WatchOptions &opts);

} // namespace nstree
