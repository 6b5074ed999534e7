/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference nstree cares about, keyed on the HAVE_* results
 * of compat/conftest.sh (never on LINUX_VERSION_CODE). The rest of the module
 * calls only the names defined here.
 */
#ifndef NSTREE_COMPAT_H
#define NSTREE_COMPAT_H

#include <linux/fs.h>

/* 6.7: simple_inode_init_ts(); before, set the three stamps from the ctime accessor. */
static inline void nstree_inode_init_ts(struct inode *inode)
{
#ifdef HAVE_SIMPLE_INODE_INIT_TS
	simple_inode_init_ts(inode);
#elif defined(HAVE_INODE_SET_CTIME_CURRENT)
	struct timespec64 now = inode_set_ctime_current(inode);

	inode->i_atime = now;
	inode->i_mtime = now;
#else
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
#endif
}

/* 6.18: generic_delete_inode() was renamed inode_just_drop(). */
#ifdef HAVE_INODE_JUST_DROP
#define nstree_drop_inode inode_just_drop
#else
#define nstree_drop_inode generic_delete_inode
#endif

#endif /* NSTREE_COMPAT_H */
