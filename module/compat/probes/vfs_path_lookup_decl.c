// SPDX-License-Identifier: GPL-2.0
/* 6.4: vfs_path_lookup() is declared in <linux/namei.h> (before: fs/internal.h only). */
#include <linux/module.h>
#include <linux/namei.h>
static int (*probe)(struct dentry *, struct vfsmount *, const char *, unsigned int,
		    struct path *) __used = vfs_path_lookup;
MODULE_LICENSE("GPL");
