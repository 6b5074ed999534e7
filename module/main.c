// SPDX-License-Identifier: GPL-2.0
/*
 * nstree: listns-style enumeration, 64-bit namespace IDs and namespace file
 * handles for kernels that lack them. This file only wires the parts together:
 * the registry first (its death hook must be armed before any entry exists),
 * then nstreefs, and the control device last, so user space never sees a
 * half-ready module. Exit runs in reverse.
 */
#include <linux/module.h>
#include "nstree.h"

static int __init nstree_init(void)
{
	int err;

	err = nstree_watch_init();
	if (err)
		return err;
	err = nstree_registry_init();
	if (err)
		goto out_watch;
	err = nstree_active_init();
	if (err)
		goto out_registry;
	err = nstree_fs_init();
	if (err)
		goto out_active;
	nstree_stats_init();
	err = nstree_ctl_init();
	if (err)
		goto out_fs;
	return 0;
out_fs:
	nstree_stats_exit();
	nstree_fs_exit();
out_active:
	nstree_active_exit();
out_registry:
	nstree_registry_exit();
out_watch:
	nstree_watch_exit();
	return err;
}

static void __exit nstree_exit(void)
{
	nstree_ctl_exit();
	nstree_stats_exit();
	nstree_fs_exit();
	nstree_watch_exit();	/* no watcher is left (each pins us): stop the diff work */
	nstree_active_exit();
	nstree_registry_exit();
	nstree_watch_exit();	/* and anything a hook in flight queued meanwhile */
}

module_init(nstree_init);
module_exit(nstree_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Namespace IDs, listing and file handles for long-term kernels");
MODULE_VERSION(NSTREE_MODULE_VERSION);
