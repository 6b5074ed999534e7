// SPDX-License-Identifier: GPL-2.0
/*
 * nstree: listns-style enumeration, 64-bit namespace IDs and namespace file
 * handles for kernels that lack them. This file only wires the parts together.
 */
#include <linux/module.h>
#include "nstree.h"

static int __init nstree_init(void)
{
	return nstree_ctl_init();
}

static void __exit nstree_exit(void)
{
	nstree_ctl_exit();
}

module_init(nstree_init);
module_exit(nstree_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Namespace IDs, listing and file handles for long-term kernels");
MODULE_VERSION(NSTREE_MODULE_VERSION);
