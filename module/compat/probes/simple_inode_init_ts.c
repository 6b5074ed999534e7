// SPDX-License-Identifier: GPL-2.0
/* 6.7: simple_inode_init_ts() sets atime, mtime and ctime at once. */
#include <linux/module.h>
#include <linux/fs.h>
static struct timespec64 (*probe)(struct inode *) __used = simple_inode_init_ts;
MODULE_LICENSE("GPL");
