/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference nstree cares about, keyed on the HAVE_* results
 * of compat/conftest.sh (never on LINUX_VERSION_CODE). The rest of the module
 * calls only the names defined here.
 */
#ifndef NSTREE_COMPAT_H
#define NSTREE_COMPAT_H

#include <linux/fs.h>
#include <linux/ns_common.h>
#include <linux/nsproxy.h>

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
	struct timespec64 now = current_time(inode);

	inode->i_atime = now;
	inode->i_mtime = now;
	inode->i_ctime = now;
#endif
}

/* 6.18: generic_delete_inode() was renamed inode_just_drop(). */
#ifdef HAVE_INODE_JUST_DROP
#define nstree_drop_inode inode_just_drop
#else
#define nstree_drop_inode generic_delete_inode
#endif

/*
 * Is the namespace held by an nsfs inode (an open /proc/PID/ns fd, a bind mount, an
 * fd from NS_GET_USERNS...)? nsfs stashes its one live dentry in ns->stashed and
 * clears it from ->d_prune(), and nsfs dentries die as soon as they are unused.
 * @ns: the caller holds a reference on it.
 */
static inline bool nstree_nsfs_held(struct ns_common *ns)
{
#ifdef HAVE_NS_COMMON_STASHED_DENTRY
	return !!READ_ONCE(ns->stashed);
#else
	return atomic_long_read(&ns->stashed) != 0;
#endif
}

/*
 * vfs_path_lookup() is exported on every kernel we build for, but 6.1 declares it in
 * the private fs/internal.h only: declare it the way fs/namei.c defines it.
 */
#ifndef HAVE_VFS_PATH_LOOKUP_DECL
struct path;
struct vfsmount;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt, const char *name,
		    unsigned int flags, struct path *path);
#endif

/* Is an nsproxy shared by more than one task? A snapshot, for a cheap filter. */
static inline bool nstree_nsproxy_shared(struct nsproxy *nsp)
{
#ifdef HAVE_NSPROXY_COUNT_REFCOUNT
	return refcount_read(&nsp->count) > 1;
#else
	return atomic_read(&nsp->count) > 1;
#endif
}

/*
 * The mount count of a mount namespace lives in the private struct mnt_namespace
 * (fs/mount.h, available when the build has the kernel's source: NSTREE_KPRIV).
 * 6.8 renamed it from "mounts" to "nr_mounts".
 */
#if defined(HAVE_MNT_NS_NR_MOUNTS) || defined(HAVE_MNT_NS_MOUNTS_COUNT)
#define NSTREE_HAVE_MNT_NS_INFO 1
#include <linux/ns_common.h>
#include "fs/mount.h"

/* @ns: a mount namespace the caller holds a reference on. A snapshot, as upstream's. */
static inline unsigned int nstree_mnt_ns_nr_mounts(struct ns_common *ns)
{
	struct mnt_namespace *mnt_ns = container_of(ns, struct mnt_namespace, ns);

#ifdef HAVE_MNT_NS_NR_MOUNTS
	return READ_ONCE(mnt_ns->nr_mounts);
#else
	return READ_ONCE(mnt_ns->mounts);
#endif
}
#endif

#endif /* NSTREE_COMPAT_H */
