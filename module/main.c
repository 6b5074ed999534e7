// SPDX-License-Identifier: GPL-2.0
/*
 * nstree: listns-style enumeration, 64-bit namespace IDs and namespace file
 * handles for kernels that lack them. This file only wires the parts together:
 * the registry first (its death hook must be armed before any entry exists),
 * then nstreefs, the control device, and upstream's entry points for unmodified
 * programs last, so user space never sees a half-ready module. Exit runs in reverse.
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
	/* Last: from here on any program's listns(2) and nsfs calls reach the module. */
	err = nstree_upstream_api_init();
	if (err)
		goto out_ctl;
	return 0;
out_ctl:
	nstree_ctl_exit();
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
	nstree_upstream_api_exit();
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
