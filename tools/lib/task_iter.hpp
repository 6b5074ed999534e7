// SPDX-License-Identifier: GPL-2.0
// The process table in one read(): a BPF task iterator (bpf/task_ns.bpf.c) that
// reports each process's namespaces with their IDs, owners and parents. Used by
// the native backend in place of the /proc walk when the caller may load BPF
// (CAP_BPF and CAP_PERFMON, in the initial pid and user namespaces, whose pids
// and uids the iterator reports); built only when clang, bpftool and libbpf's
// headers were found.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "proc_walk.hpp"

namespace nstree {

// Whether this build carries the iterator at all.
bool task_iter_built();

// One reader's output: records back to back, each followed by its command line
// (bpf/task_ns_record.h), in pid order. EPROTO for a partial or malformed record
// or one out of order.
Result<ProcessTable> parse_task_chunk(std::string_view bytes);

// The parsed chunks of several readers as one table: entries in pid order, each
// namespace once. The first error of any part, if there is one.
Result<ProcessTable> merge_task_chunks(std::vector<Result<ProcessTable>> parts);

// parse_task_chunk() of each chunk (one thread each), merged.
Result<ProcessTable> parse_task_records(std::span<const std::string_view> chunks);

// Every process with its namespaces, ProcessTable::namespaces filled; an error says
// why the iterator cannot be used here (the caller then walks /proc). Without
// @commands, each command is its comm: no command line is read.
Result<ProcessTable> scan_processes_bpf(bool commands = true);

} // namespace nstree
