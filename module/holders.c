// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_HOLDERS: which processes hold files on some superblocks, or on mounts
 * that no namespace has any more. nstree orphans asks it for the superblocks that
 * no mount table shows; from user space the same answer costs a statx() of every
 * /proc/PID/fd/N link and a read of every /proc/PID/maps.
 *
 * One pass over every thread (nstree_visit_threads(): each with a task reference,
 * where we may sleep). What each thread holds is looked at under the lock that
 * keeps it: the fd table under its spinlock (iterate_fd()), cwd and root with a
 * path reference, exe with a file reference, mappings under mmap_read_lock() of
 * an mm reference.
 * Records go to a kernel array first: copying to the caller under another
 * process's mmap lock could fault on the caller's own, an order between two mmap
 * locks that nothing else keeps.
 *
 * Whether a mount is detached, and its ID, live in the private struct mount: a
 * module built without the kernel's fs/mount.h refuses NSTREE_HOLDERS_DETACHED.
 *
 * Nothing here changes a lifetime: every reference taken is dropped before the
 * next thread, and a holder that closes its file meanwhile is simply seen or not.
 */
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/overflow.h>
#include <linux/path.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include "nstree.h"
#include "holders.h"
#include "compat/compat.h"

/* Validation apart from action: flags, the element size, limits, reserved. */
static int nstree_holders_check(const void *req)
{
	const struct nstree_holders *a = req;

	if (a->flags & ~(NSTREE_HOLDERS_MAPS | NSTREE_HOLDERS_DETACHED | NSTREE_HOLDERS_UNIX |
			 NSTREE_HOLDERS_IO_URING) || a->reserved)
		return -EINVAL;
	if (a->holder_size != sizeof(struct nstree_holder))
		return -EINVAL;
	if (a->nr_devs > NSTREE_HOLDERS_DEVS_MAX || a->nr_holders > NSTREE_HOLDERS_MAX)
		return -EOVERFLOW;
#ifndef NSTREE_HAVE_MNT_NS_INFO
	if (a->flags & NSTREE_HOLDERS_DETACHED)
		return -EOPNOTSUPP;
#endif
#ifndef NSTREE_HAVE_IO_URING_HOLDERS
	if (a->flags & NSTREE_HOLDERS_IO_URING)
		return -EOPNOTSUPP;
#endif
	return 0;
}

static int nstree_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static bool nstree_holders_in_devs(const struct nstree_holders_walk *w, dev_t dev)
{
	u64 key = (u64)MAJOR(dev) << 32 | MINOR(dev);
	size_t lo = 0, hi = w->nr_devs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->devs[mid] == key)
			return true;
		if (w->devs[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Whether @mnt is in no mount namespace (see nstree_mount_detached()). */
static bool nstree_mnt_detached(struct vfsmount *mnt)
{
#ifdef NSTREE_HAVE_MNT_NS_INFO
	return nstree_mount_detached(mnt);
#else
	return false;	/* refused by nstree_holders_check() */
#endif
}

static u32 nstree_mnt_id(struct vfsmount *mnt)
{
#ifdef NSTREE_HAVE_MNT_NS_INFO
	return nstree_mount_id(mnt);
#else
	return 0;
#endif
}

/*
 * Why a file reached through @path is worth a record, 0 when it is not; several
 * reasons are ORed. An nsfs or nstreefs file is only ever reported as a file of
 * a mount namespace: it holds that namespace and every mount in it, and may be
 * reached through a bind mount as well as nsfs's internal one. Otherwise files
 * reached through an internal mount (kern_mount(): pipes, sockets, memfd, shm)
 * never are. @file is NULL for a cwd or root; for a mapping @path is its file's
 * and attachment is not asked: the file of an overlayfs mapping is a layer's, on
 * a private mount that is in no namespace by design.
 */
u32 nstree_holder_reason(const struct nstree_holders_walk *w, struct file *file,
			 const struct path *path, bool mapping)
{
	struct inode *inode = d_inode(path->dentry);
	struct super_block *sb = inode->i_sb;
	struct ns_common *ns = file ? nstreefs_file_ns(file) : NULL;
	u32 reason = 0;

	/* The file (or path) pins its inode, and the inode the namespace. */
	if (!ns && sb->s_magic == NSFS_MAGIC)
		ns = inode->i_private;	/* NULL only for nsfs's root */
	if (ns || sb->s_magic == NSFS_MAGIC)
		return ns && ns->ops->type == CLONE_NEWNS ? NSTREE_HOLDER_MNTNS : 0;
	if (path->mnt->mnt_flags & MNT_INTERNAL)
		return 0;
	if (nstree_holders_in_devs(w, sb->s_dev))
		reason |= NSTREE_HOLDER_IN_DEVS;
	if (!mapping && (w->flags & NSTREE_HOLDERS_DETACHED) && nstree_mnt_detached(path->mnt))
		reason |= NSTREE_HOLDER_DETACHED;
	return reason;
}

/*
 * Room for more records, where we may sleep. Past the caller's nr_holders records
 * are only counted (nstree_holder_slot()), so there is nothing to grow for.
 */
int nstree_holders_grow(struct nstree_holders_walk *w)
{
	if (w->used >= w->limit)
		return 0;
	return nstree_array_grow((void **)&w->a, &w->cap, w->used, sizeof(*w->a), w->limit);
}

/* Room for @more records past those in use (as far as the caller's nr_holders). */
int nstree_holders_reserve(struct nstree_holders_walk *w, size_t more)
{
	size_t want = min(w->used + more, w->limit), used = w->used;
	int err = 0;

	/* nstree_array_grow() grows a full array: pretend it is, until it is big enough. */
	while (!err && w->cap < want) {
		w->used = w->cap;
		err = nstree_array_grow((void **)&w->a, &w->cap, w->used, sizeof(*w->a), w->limit);
	}
	w->used = used;
	return err;
}

/*
 * A slot for one more record; ERR_PTR(-ENOSPC) past the caller's nr_holders (the
 * record is only counted: not an error), NULL when the array is full and may not
 * grow here (@may_grow is false under a spinlock) or could not grow (w->err).
 */
struct nstree_holder *nstree_holder_slot(struct nstree_holders_walk *w, bool may_grow)
{
	struct nstree_holder *h;

	if (w->used == w->limit) {
		w->found++;
		return ERR_PTR(-ENOSPC);
	}
	if (w->used == w->cap) {
		if (!may_grow || w->err)
			return NULL;
		w->err = nstree_holders_grow(w);
		if (w->err)
			return NULL;
	}
	w->found++;
	h = &w->a[w->used++];
	memset(h, 0, sizeof(*h));
	h->pid = w->pid;
	return h;
}

/* @path: what the holder reached the file through; NULL for a mapping. */
void nstree_holder_fill(struct nstree_holder *h, u32 kind, u32 reason, struct inode *inode,
			const struct path *path)
{
	h->kind = kind;
	h->flags = reason;
	h->dev_major = MAJOR(inode->i_sb->s_dev);
	h->dev_minor = MINOR(inode->i_sb->s_dev);
	h->ino = inode->i_ino;
	h->mnt_id = path ? nstree_mnt_id(path->mnt) : 0;
}

u32 nstree_file_access(const struct file *file)
{
	return (file->f_mode & FMODE_READ ? NSTREE_ACCESS_READ : 0) |
	       (file->f_mode & FMODE_WRITE ? NSTREE_ACCESS_WRITE : 0);
}

/*
 * iterate_fd() callback, under the files' spinlock: nothing here sleeps or
 * allocates. A file to look into (a unix socket, an io_uring) is kept, with a
 * reference, for nstree_holders_files() to look into outside the lock. When there
 * is no room (for a record, or for one more file to look into), stop and say
 * where (fd + 1) so the caller can make room and go on from there.
 */
static int nstree_holder_fd(const void *arg, struct file *file, unsigned int fd)
{
	/* iterate_fd() passes its argument as const; the walk is ours to fill. */
	struct nstree_holders_walk *w = (struct nstree_holders_walk *)arg;
	struct nstree_holder *h;
	u32 reason;

	if (nstree_holders_look_into(w, file)) {
		if (w->nr_pending == ARRAY_SIZE(w->pending))
			return fd + 1;
		/* The fd table's reference keeps @file while its lock is held. */
		w->pending[w->nr_pending].file = get_file(file);
		w->pending[w->nr_pending++].fd = fd;
		return 0;
	}
	reason = nstree_holder_reason(w, file, &file->f_path, false);
	if (!reason)
		return 0;
	h = nstree_holder_slot(w, false);
	if (!h)
		return fd + 1;
	if (IS_ERR(h))
		return 0;
	nstree_holder_fill(h, NSTREE_HOLDER_FD, reason, file_inode(file), &file->f_path);
	h->fd = fd;
	h->access = nstree_file_access(file);
	return 0;
}

/* Look into the files kept by nstree_holder_fd(), and drop them; may sleep. */
static void nstree_holders_pending_drain(struct nstree_holders_walk *w)
{
	unsigned int i;

	for (i = 0; i < w->nr_pending; i++) {
		if (!w->err)
			nstree_holders_indirect(w, w->pending[i].fd, w->pending[i].file);
		fput(w->pending[i].file);
	}
	w->nr_pending = 0;
}

static void nstree_holders_files(struct nstree_holders_walk *w, struct task_struct *t)
{
	unsigned int start = 0;
	int stopped;

	do {
		task_lock(t);	/* keeps t->files; iterate_fd() takes its lock */
		stopped = t->files ? iterate_fd(t->files, start, nstree_holder_fd, w) : 0;
		task_unlock(t);
		nstree_holders_pending_drain(w);
		if (stopped) {
			/* Room outside the lock, then that fd again. */
			start = stopped - 1;
			if (!w->err && w->used == w->cap)
				w->err = nstree_holders_grow(w);
		}
	} while (stopped && !w->err);
}

/* One path-shaped holder (cwd, root): @path is the caller's reference. */
static void nstree_holders_path(struct nstree_holders_walk *w, u32 kind, const struct path *path)
{
	u32 reason = nstree_holder_reason(w, NULL, path, false);
	struct nstree_holder *h;

	if (!reason)
		return;
	h = nstree_holder_slot(w, true);
	if (!IS_ERR_OR_NULL(h))
		nstree_holder_fill(h, kind, reason, d_inode(path->dentry), path);
}

static void nstree_holders_fs(struct nstree_holders_walk *w, struct task_struct *t)
{
	struct path root = {}, pwd = {};

	task_lock(t);	/* keeps t->fs, as proc's get_task_root() does */
	if (t->fs) {
		get_fs_root(t->fs, &root);
		get_fs_pwd(t->fs, &pwd);
	}
	task_unlock(t);
	if (root.dentry) {
		nstree_holders_path(w, NSTREE_HOLDER_ROOT, &root);
		path_put(&root);
	}
	if (pwd.dentry) {
		nstree_holders_path(w, NSTREE_HOLDER_CWD, &pwd);
		path_put(&pwd);
	}
}

/* The executable of @mm, with a file reference (the caller holds a user one on @mm). */
static void nstree_holders_exe(struct nstree_holders_walk *w, struct mm_struct *mm)
{
	struct file *exe = nstree_mm_exe_file_get(mm);
	struct nstree_holder *h;
	u32 reason;

	if (!exe)
		return;
	reason = nstree_holder_reason(w, exe, &exe->f_path, false);
	h = reason ? nstree_holder_slot(w, true) : NULL;
	if (!IS_ERR_OR_NULL(h))
		nstree_holder_fill(h, NSTREE_HOLDER_EXE, reason, file_inode(exe), &exe->f_path);
	fput(exe);
}

static u32 nstree_vma_access(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_READ ? NSTREE_ACCESS_READ : 0) |
	       (vma->vm_flags & VM_WRITE ? NSTREE_ACCESS_WRITE : 0) |
	       (vma->vm_flags & VM_EXEC ? NSTREE_ACCESS_EXEC : 0) |
	       (vma->vm_flags & VM_MAYSHARE ? NSTREE_ACCESS_SHARED : 0);
}

/*
 * The file mappings of @mm, under mmap_read_lock(): vm_file stays while the lock
 * is held. The array may grow here (allocating under an mmap lock is what page
 * faults do), and we may reschedule: a process may have max_map_count mappings.
 */
static void nstree_holders_maps(struct nstree_holders_walk *w, struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	struct nstree_holder *h;
	u32 reason;

	if (mmap_read_lock_killable(mm)) {
		w->err = -EINTR;
		return;
	}
	for_each_vma(vmi, vma) {
		cond_resched();
		if (!vma->vm_file)
			continue;
		reason = nstree_holder_reason(w, vma->vm_file, &vma->vm_file->f_path, true);
		if (!reason)
			continue;
		h = nstree_holder_slot(w, true);
		if (!h)
			break;
		if (IS_ERR(h))
			continue;
		nstree_holder_fill(h, NSTREE_HOLDER_MAP, reason, file_inode(vma->vm_file), NULL);
		h->start = vma->vm_start;
		h->end = vma->vm_end;
		h->access = nstree_vma_access(vma);
	}
	mmap_read_unlock(mm);
}

/*
 * nstree_visit_threads() callback. Threads of a group are visited one after
 * another, so a thread whose files, fs or mm are the previous thread's of the same
 * group adds nothing. The pointers are only compared, never followed (the group
 * leader is not pinned and may be gone); one read without a lock may see a thread
 * that unshares at this moment once more or once less, as a snapshot taken a
 * moment earlier or later would.
 */
static int nstree_holders_thread(struct task_struct *t, void *arg)
{
	struct nstree_holders_walk *w = arg;
	bool same_group;
	const void *p;
	struct mm_struct *mm;

	w->pid = task_tgid_nr_ns(t, w->pidns);
	if (!w->pid)
		return 0;	/* exiting, or not visible to the caller */
	same_group = w->pid == w->last_pid;
	w->last_pid = w->pid;
	p = READ_ONCE(t->files);
	if (!same_group || p != w->last_files)
		nstree_holders_files(w, t);
	w->last_files = p;
	p = READ_ONCE(t->fs);
	if (!w->err && (!same_group || p != w->last_fs))
		nstree_holders_fs(w, t);
	w->last_fs = p;
	mm = w->err ? NULL : get_task_mm(t);	/* a user reference; NULL for kthreads */
	if (mm && (!same_group || mm != w->last_mm)) {
		nstree_holders_exe(w, mm);
		if (!w->err && (w->flags & NSTREE_HOLDERS_MAPS))
			nstree_holders_maps(w, mm);
	}
	w->last_mm = mm;
	if (mm)
		mmput(mm);
	return w->err;
}

static int nstree_holders_devs_in(struct nstree_holders_walk *w, const struct nstree_holders *req)
{
	if (!req->nr_devs)
		return 0;
	w->devs = vmemdup_user(u64_to_user_ptr(req->devs), array_size(req->nr_devs, sizeof(u64)));
	if (IS_ERR(w->devs)) {
		int err = PTR_ERR(w->devs);

		w->devs = NULL;
		return err;
	}
	w->nr_devs = req->nr_devs;
	sort(w->devs, w->nr_devs, sizeof(u64), nstree_u64_cmp, NULL);
	return 0;
}

/**
 * nstree_ioc_holders() - NSTREE_IOC_HOLDERS
 * @uarg: user pointer to a struct nstree_holders
 *
 * Return: how many references were found, or a negative errno.
 */
long nstree_ioc_holders(void __user *uarg)
{
	struct nstree_holders_walk w = {};
	struct nstree_holders req;
	int err;

	err = nstree_bulk_request(&req, sizeof(req), NSTREE_HOLDERS_SIZE_VER0, uarg,
				  nstree_holders_check);
	if (err)
		return err;
	err = nstree_holders_devs_in(&w, &req);
	if (err)
		return err;
	w.limit = req.nr_holders;
	w.flags = req.flags;
	w.pidns = task_active_pid_ns(current);
	err = nstree_visit_threads(nstree_holders_thread, &w);
	if (!err)
		err = w.err;
	if (!err && w.used &&
	    copy_to_user(u64_to_user_ptr(req.holders), w.a, array_size(w.used, sizeof(*w.a))))
		err = -EFAULT;
	kvfree(w.a);
	kvfree(w.devs);
	return err ? err : (long)w.found;
}
