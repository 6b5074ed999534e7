// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_SUPERS: every superblock of one filesystem type, with what nstree
 * orphans needs to tell a filesystem that no mount namespace reaches from one that
 * some namespace shows: its device number (mount tables name superblocks by it),
 * whether kern_mount() made it (internal: shm_mnt, pipefs, sockfs... are never in a
 * namespace and are not orphans), its active references, statfs and the dirty and
 * writeback bytes of its block device.
 *
 * The walk is iterate_supers_type()'s: it holds a passive reference (s_count) and
 * s_umount shared across each call of the describer, so the superblock cannot be
 * torn down under it, and it skips superblocks that are not born or are dying.
 * Nothing here takes an active reference: the walk changes no lifetime.
 */
#include <linux/backing-dev.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "nstree.h"

struct nstree_supers_walk {
	struct nstree_super *a;	/* kvmalloc()ed, grown by nstree_array_grow() */
	size_t cap;
	size_t used;
	bool statfs;
	bool swapfiles;
	int err;
};

/* Validation apart from action: flags, the element size, limits. */
static int nstree_supers_check(const void *req)
{
	const struct nstree_supers *a = req;

	if (a->flags & ~(NSTREE_SUPERS_STATFS | NSTREE_SUPERS_SWAPFILES))
		return -EINVAL;
	if (a->super_size != sizeof(struct nstree_super))
		return -EINVAL;
	if (a->nr_supers > NSTREE_SUPERS_MAX)
		return -EOVERFLOW;
	return 0;
}

/*
 * The statfs numbers as statfs_by_dentry() asks for them. ustat(2) makes the same
 * call with s_umount held shared, as iterate_supers_type() holds it here, so no
 * filesystem's ->statfs() may take s_umount itself.
 */
static void nstree_super_statfs(struct super_block *sb, struct nstree_super *s)
{
	struct kstatfs st;

	if (!sb->s_op->statfs || !sb->s_root)
		return;
	memset(&st, 0, sizeof(st));
	if (sb->s_op->statfs(sb->s_root, &st))
		return;
	s->blocks = st.f_blocks;
	s->bfree = st.f_bfree;
	s->frsize = st.f_frsize ? st.f_frsize : st.f_bsize;
	s->files = st.f_files;
	s->ffree = st.f_ffree;
	s->flags |= NSTREE_SUPER_STATFS;
}

/*
 * Whether swapon(2) uses a file on @sb: it marks the file's inode S_SWAPFILE until
 * swapoff(2), and keeps the file open, so the inode is on s_inodes meanwhile. The
 * walk is drop_pagecache_sb()'s, with the same locks in the same order: to
 * reschedule, it pins the inode it stands on (one that is new or being freed is
 * skipped, as there), lets the list lock go, and drops the previous pin outside
 * any lock (under s_umount held shared, as drop_caches does). The flag is read
 * without the inode's lock: a snapshot, as statfs is.
 */
static bool nstree_super_swapfile(struct super_block *sb)
{
	struct inode *inode, *pinned = NULL;
	bool found = false;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if (IS_SWAPFILE(inode)) {
			found = true;
			break;
		}
		if (!need_resched())
			continue;
		spin_lock(&inode->i_lock);
		if (inode->i_state & (I_NEW | I_FREEING | I_WILL_FREE)) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		__iget(inode);
		spin_unlock(&inode->i_lock);
		spin_unlock(&sb->s_inode_list_lock);
		iput(pinned);
		pinned = inode;
		cond_resched();
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	iput(pinned);
	return found;
}

/* Called by iterate_supers_type() with s_umount held shared: may sleep. */
static void nstree_super_describe(struct super_block *sb, void *arg)
{
	struct nstree_supers_walk *w = arg;
	struct nstree_super *s;

	if (w->err)
		return;
	w->err = nstree_array_grow((void **)&w->a, &w->cap, w->used, sizeof(*s),
				   NSTREE_SUPERS_MAX);
	if (w->err)
		return;
	s = &w->a[w->used++];
	memset(s, 0, sizeof(*s));
	s->dev_major = MAJOR(sb->s_dev);
	s->dev_minor = MINOR(sb->s_dev);
	s->active = atomic_read(&sb->s_active);
	s->magic = sb->s_magic;
	if (sb->s_flags & SB_KERNMOUNT)
		s->flags |= NSTREE_SUPER_KERNMOUNT;
	if (sb_rdonly(sb))
		s->flags |= NSTREE_SUPER_RDONLY;
	if (sb->s_bdev) {
		struct bdi_writeback *wb = sb->s_bdi ? &sb->s_bdi->wb : NULL;

		s->flags |= NSTREE_SUPER_BDEV;
		if (wb) {
			s->dirty_bytes = (u64)wb_stat(wb, WB_RECLAIMABLE) << PAGE_SHIFT;
			s->writeback_bytes = (u64)wb_stat(wb, WB_WRITEBACK) << PAGE_SHIFT;
		}
	}
	strscpy(s->id, sb->s_id, sizeof(s->id));
	if (w->statfs)
		nstree_super_statfs(sb, s);
	if (w->swapfiles && !(sb->s_flags & SB_KERNMOUNT) && nstree_super_swapfile(sb))
		s->flags |= NSTREE_SUPER_SWAPFILE;
}

/**
 * nstree_ioc_supers() - NSTREE_IOC_SUPERS
 * @uarg: user pointer to a struct nstree_supers
 *
 * get_fs_type() takes a reference to the type's module, dropped here as
 * put_filesystem() would (it is not exported).
 *
 * Return: the number of live superblocks of the type, or a negative errno.
 */
long nstree_ioc_supers(void __user *uarg)
{
	struct nstree_supers_walk w = {};
	struct file_system_type *type;
	char name[NSTREE_FSTYPE_MAX];
	struct nstree_supers req;
	long n;
	int err;

	err = nstree_bulk_request(&req, sizeof(req), NSTREE_SUPERS_SIZE_VER0, uarg,
				  nstree_supers_check);
	if (err)
		return err;
	n = strncpy_from_user(name, u64_to_user_ptr(req.fstype), sizeof(name));
	if (n < 0)
		return n;
	if (n == 0 || n == sizeof(name))
		return -EINVAL;
	type = get_fs_type(name);
	if (!type)
		return -ENODEV;
	w.statfs = req.flags & NSTREE_SUPERS_STATFS;
	w.swapfiles = req.flags & NSTREE_SUPERS_SWAPFILES;
	iterate_supers_type(type, nstree_super_describe, &w);
	module_put(type->owner);
	if (!w.err && w.used &&
	    copy_to_user(u64_to_user_ptr(req.supers), w.a,
			 array_size(min_t(size_t, w.used, req.nr_supers), sizeof(*w.a))))
		w.err = -EFAULT;
	kvfree(w.a);
	return w.err ? w.err : (long)w.used;
}
