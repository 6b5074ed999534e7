/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference nstree cares about, keyed on the HAVE_* results
 * of compat/conftest.sh (never on LINUX_VERSION_CODE). The rest of the module
 * calls only the names defined here.
 */
#ifndef NSTREE_COMPAT_H
#define NSTREE_COMPAT_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/ns_common.h>
#include <linux/nsproxy.h>
#include <linux/rcupdate.h>

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

/*
 * A counting reference to @mm's executable (drop it with fput()), or NULL; what
 * get_mm_exe_file() does, which is not exported. The caller holds a user
 * reference on @mm. exe_file is RCU-freed on 6.1 (file_free() is call_rcu()) and
 * SLAB_TYPESAFE_BY_RCU from 6.7, where get_file_rcu() rechecks the pointer after
 * taking the reference. 6.7 changed get_file_rcu() from a macro on the file to a
 * function of the __rcu pointer's address.
 */
static inline struct file *nstree_mm_exe_file_get(struct mm_struct *mm)
{
	struct file *f;

	rcu_read_lock();
#ifdef HAVE_GET_FILE_RCU_PP
	f = get_file_rcu(&mm->exe_file);
#else
	f = rcu_dereference(mm->exe_file);
	if (f && !get_file_rcu(f))
		f = NULL;
#endif
	rcu_read_unlock();
	return f;
}

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

/*
 * @mnt: a mount the caller pins. Whether it is in no mount namespace: umount_tree()
 * clears mnt_ns of every mount it cuts loose (umount -l, a namespace torn down).
 * Only the pointer is read, never the namespace: a mount does not keep its
 * namespace alive. A mount of an anonymous namespace (open_tree(), fsmount()) has
 * one, so it counts as attached.
 */
static inline bool nstree_mount_detached(struct vfsmount *mnt)
{
	return !READ_ONCE(real_mount(mnt)->mnt_ns);
}

/* @mnt: a mount the caller pins. Its ID, as statx()'s STATX_MNT_ID shows it. */
static inline u32 nstree_mount_id(struct vfsmount *mnt)
{
	return real_mount(mnt)->mnt_id;
}

/* @m: a mount namespace something pins, or NULL. Any context: one address. */
static inline struct ns_common *nstree_mnt_ns_common(struct mnt_namespace *m)
{
	return m ? &m->ns : NULL;
}
#else
/*
 * Without fs/mount.h the layout of struct mnt_namespace is unknown: the birth
 * hooks leave mount namespaces to the next activity scan.
 */
static inline struct ns_common *nstree_mnt_ns_common(struct mnt_namespace *m)
{
	return NULL;
}
#endif

#endif /* NSTREE_COMPAT_H */
