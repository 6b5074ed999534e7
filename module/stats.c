// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/debug/nstree/stats: what the registry and nstreefs hold right now. */
#include <linux/debugfs.h>
#include <linux/pid_namespace.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "nstree.h"

struct nstree_stats nstree_stats;
static struct dentry *nstree_debugfs_dir;

static int nstree_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "tracked: %ld\n", atomic_long_read(&nstree_stats.tracked));
	seq_printf(m, "dead_pending: %ld\n", atomic_long_read(&nstree_stats.dead_pending));
	seq_printf(m, "ids_allocated: %ld\n", atomic_long_read(&nstree_stats.ids_allocated));
	seq_printf(m, "deaths: %ld\n", atomic_long_read(&nstree_stats.deaths));
	seq_printf(m, "dentries: %ld\n", atomic_long_read(&nstree_stats.dentries));
	seq_printf(m, "dentries_allocated: %ld\n",
		   atomic_long_read(&nstree_stats.dentries_allocated));
	seq_printf(m, "fast_hits: %ld\n", atomic_long_read(&nstree_stats.fast_hits));
	seq_printf(m, "fast_misses: %ld\n", atomic_long_read(&nstree_stats.fast_misses));
	seq_printf(m, "scans: %ld\n", atomic_long_read(&nstree_stats.scans));
	seq_printf(m, "changes: %ld\n", atomic_long_read(&nstree_changes));
	seq_printf(m, "ring_overflows: %ld\n", atomic_long_read(&nstree_stats.ring_overflows));
	seq_printf(m, "fs_mounts: %ld\n", atomic_long_read(&nstree_stats.fs_mounts));
	/* Never moved by the kernel itself (get_pid_ns() skips it): a leak shows here. */
	seq_printf(m, "init_pid_ns_count: %u\n", refcount_read(&init_pid_ns.ns.count));
	seq_printf(m, "hooks: %s\n", nstree_death_hook_kind());
	seq_printf(m, "death_hook_missed: %lu\n", nstree_death_hook_missed());
	seq_printf(m, "activity_hooks_missed: %lu\n", nstree_active_hooks_missed());
	/*
	 * What one tracked namespace costs: its entry as kmalloc() rounds it, its slot
	 * in the ID xarray (a node's share while IDs are dense: they are given out in
	 * order), and its share of the inode hash's buckets.
	 */
	seq_printf(m, "entry_bytes: %zu\n", kmalloc_size_roundup(sizeof(struct nstree_ns)));
	seq_printf(m, "id_slot_bytes: %zu\n", sizeof(struct xa_node) / XA_CHUNK_SIZE);
	seq_printf(m, "hash_bytes: %zu\n", nstree_registry_hash_bytes());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nstree_stats);

/**
 * nstree_stats_init() - create the debugfs statistics file (best effort)
 */
void nstree_stats_init(void)
{
	nstree_debugfs_dir = debugfs_create_dir("nstree", NULL);
	debugfs_create_file("stats", 0444, nstree_debugfs_dir, NULL, &nstree_stats_fops);
}

/**
 * nstree_stats_exit() - remove the statistics file; waits for its readers
 */
void nstree_stats_exit(void)
{
	debugfs_remove(nstree_debugfs_dir);
}
