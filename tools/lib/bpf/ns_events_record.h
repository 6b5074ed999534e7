/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One record of bpf/ns_events.bpf.c's ring buffer: what nstree watch reads on a
 * kernel with listns(2) (6.19 and later), where no module is loaded.
 */
#ifndef NSTREE_NS_EVENTS_RECORD_H
#define NSTREE_NS_EVENTS_RECORD_H

#include <linux/types.h>

/*
 * The ring buffer's size in bytes where the reader asks for no other (a power of
 * two, a multiple of the page size): about 29,000 records.
 */
#define NSTREE_NS_EVENTS_RING_BYTES	(2U << 20)

#define NSTREE_NS_RECORD_ADDED		1	/* __ns_tree_add_raw(): born */
#define NSTREE_NS_RECORD_REMOVED	2	/* __ns_tree_remove(): freed */
/*
 * Its active count changed and may have crossed zero: user space asks listns(2)
 * whether it is active now. Sent once until user space deletes the ID from the
 * pending map (ns_events.bpf.c says why that misses no change).
 */
#define NSTREE_NS_RECORD_RECHECK	3

struct nstree_ns_record {
	__u32 kind;		/* NSTREE_NS_RECORD_* */
	__u32 ns_type;		/* CLONE_NEW* */
	__u64 ns_id;
	__u64 owner_id;		/* its owning user namespace (0: none) */
	__u64 parent_id;	/* pid and user namespaces: the parent (0: none) */
	__u64 time_ns;		/* CLOCK_MONOTONIC */
	__u32 ns_inum;
	__s32 pid;		/* _ADDED: the maker in the reader's pid namespace, 0 if none */
	char comm[16];		/* _ADDED: the maker's command */
};

#endif
