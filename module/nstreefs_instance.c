// SPDX-License-Identifier: GPL-2.0
/*
 * nstreefs instances: the kern_mount is made on demand and dropped once nothing
 * pins it, so that the superblock, whose type is owned by this module, pins the
 * module for exactly as long as user space can reach anything in it
 * (Documentation/lifetime.md, Rule F).
 */
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include "nstree.h"
#include "nstreefs_instance.h"

/*
 * The current nstreefs instance. It exists while it is pinned: each nstreefs inode
 * of a namespace holds a pin from its creation to its eviction, each open regular
 * file of the root holds one, and a call that is about to make one of those holds
 * one for its duration. While @nstreefs_pins is above 0, @nstreefs_mnt is set and
 * does not change, so a pin holder may read it without the mutex. Only
 * nstreefs_pin() takes the count from 0 (under the mutex); the release work drops
 * the mount once it finds the count at 0 (under the mutex).
 *
 * The module's reference on the mount is the only one it keeps. Everything else
 * that holds the mount or its superblock (a file, O_PATH included; a cwd; an
 * fs_context from fspick(); a mount made from it) is user space's, and the
 * superblock pins the module through nstreefs_type.owner until the last of them
 * is gone. An instance whose pins dropped to 0 while such a holder remained stays
 * alive for that holder alone, holding only its root: every namespace inode it had
 * was evicted first (each held a pin). The next pin makes a new instance.
 */
static DEFINE_MUTEX(nstreefs_mnt_mutex);
static struct vfsmount *nstreefs_mnt;
static atomic_t nstreefs_pins = ATOMIC_INIT(0);

static void nstreefs_release_work_fn(struct work_struct *work);
static DECLARE_WORK(nstreefs_release_work, nstreefs_release_work_fn);

/* A new instance, not yet visible to anyone: handles and the root's file operations. */
static struct vfsmount *nstreefs_mount(void)
{
	struct vfsmount *mnt = kern_mount(&nstreefs_type);

	if (IS_ERR(mnt))
		return mnt;
	mnt->mnt_sb->s_export_op = &nstreefs_export_ops;
	d_inode(mnt->mnt_root)->i_fop = &nstreefs_root_ops;
	atomic_long_inc(&nstree_stats.fs_mounts);
	return mnt;
}

/**
 * nstreefs_pin() - pin the current nstreefs instance, making one if there is none
 *
 * Return: its mount, valid until nstreefs_unpin() (no mount reference is taken
 * for the caller: mntget() it to keep it), or an ERR_PTR.
 */
struct vfsmount *nstreefs_pin(void)
{
	struct vfsmount *mnt;

	/* Fully ordered on success: we see the mount published before the count rose. */
	if (atomic_inc_not_zero(&nstreefs_pins))
		return READ_ONCE(nstreefs_mnt);
	mutex_lock(&nstreefs_mnt_mutex);
	mnt = nstreefs_mnt;
	if (!mnt) {
		/* The release work may have dropped the last instance: make the next one. */
		mnt = nstreefs_mount();
		if (IS_ERR(mnt)) {
			mutex_unlock(&nstreefs_mnt_mutex);
			return mnt;
		}
		WRITE_ONCE(nstreefs_mnt, mnt);
	}
	smp_mb__before_atomic();	/* the mount before the count, for the lockless path */
	atomic_inc(&nstreefs_pins);
	mutex_unlock(&nstreefs_mnt_mutex);
	return mnt;
}

/* Another pin on the current instance, for a caller that holds one already. */
void nstreefs_pin_again(void)
{
	WARN_ON_ONCE(atomic_inc_return(&nstreefs_pins) < 2);
}

/*
 * Drop a pin. The last one does not drop the mount here: a caller may be in the
 * middle of evicting one of the instance's inodes. The work does it.
 */
void nstreefs_unpin(void)
{
	if (atomic_dec_and_test(&nstreefs_pins))
		schedule_work(&nstreefs_release_work);
}

/*
 * Drop the module's mount of an instance nothing pins. kern_unmount() may drop the
 * last reference to the superblock, which drops the superblock's reference on the
 * module: from then on rmmod may run, and nstree_fs_exit() waits for this function
 * to return before the module's text goes away.
 */
static void nstreefs_release_work_fn(struct work_struct *work)
{
	struct vfsmount *mnt = NULL;

	mutex_lock(&nstreefs_mnt_mutex);
	if (!atomic_read(&nstreefs_pins)) {
		mnt = nstreefs_mnt;
		WRITE_ONCE(nstreefs_mnt, NULL);
	}
	mutex_unlock(&nstreefs_mnt_mutex);
	if (mnt)
		kern_unmount(mnt);
}

/*
 * The mount of the instance @dentry lives in, for a caller that holds @dentry and
 * a pin on that instance: the pin of @dentry's own inode, for a namespace dentry
 * (a live dentry keeps its inode, so its instance is current), or one of its own.
 */
struct vfsmount *nstreefs_dentry_mnt(struct dentry *dentry)
{
	struct vfsmount *mnt = READ_ONCE(nstreefs_mnt);

	if (WARN_ON_ONCE(!mnt || mnt->mnt_sb != dentry->d_sb))
		return NULL;
	return mnt;
}

/**
 * nstreefs_instance_exit() - wait for the release work, which may still be returning
 *
 * Called once no superblock exists. The release work may have dropped the last
 * one a moment ago and not yet returned.
 */
void nstreefs_instance_exit(void)
{
	flush_work(&nstreefs_release_work);
	WARN_ON_ONCE(READ_ONCE(nstreefs_mnt));
}
