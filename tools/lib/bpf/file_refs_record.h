/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What file_refs.bpf.c shares with libnstree: its records are the nstree
 * module's struct nstree_holder (module/uapi/nstree.h), so that the native
 * backend's references and the module's are read by one piece of code, and the
 * limit on the mounts and devices the caller can say it reaches.
 */
#ifndef NSTREE_FILE_REFS_RECORD_H
#define NSTREE_FILE_REFS_RECORD_H

#include "nstree.h"

#define NSTREE_FILE_REFS_MAX_REACHABLE (1U << 18)
#define NSTREE_FILE_REFS_MAX_SHARDS 8	/* readers that may share the maps walk */

/* A reader thread's share of the maps walk: the processes whose pid is index modulo count. */
struct nstree_file_refs_shard {
	__u32 index;
	__u32 count;
};

#endif
