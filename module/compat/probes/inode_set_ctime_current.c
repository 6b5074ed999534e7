// SPDX-License-Identifier: GPL-2.0
/* 6.6 (backported to Debian's 6.1): ctime accessors instead of inode->i_ctime. */
#include <linux/module.h>
#include <linux/fs.h>
static struct timespec64 (*probe)(struct inode *) __used = inode_set_ctime_current;
MODULE_LICENSE("GPL");
