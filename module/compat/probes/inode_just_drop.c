// SPDX-License-Identifier: GPL-2.0
/* 6.18: generic_delete_inode() became inode_just_drop(). */
#include <linux/module.h>
#include <linux/fs.h>
static int (*probe)(struct inode *) __used = inode_just_drop;
MODULE_LICENSE("GPL");
