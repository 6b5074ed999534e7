// SPDX-License-Identifier: GPL-2.0
/*
 * nstreefs: one inode and one dentry per namespace that something holds open,
 * on a kern_mount'd pseudo filesystem that is never registered (so it is absent
 * from /proc/filesystems and cannot be mounted from user space).
 *
 * Each registry entry stashes a non-counting pointer to its current dentry. Any
 * number of opens of one namespace share that dentry through the lockref fast
 * path; a miss builds a new inode and dentry and publishes it with cmpxchg;
 * ->d_prune() clears the stash only if it still points at the dying dentry. The
 * inode holds the only counting reference nstreefs keeps on a namespace.
 *
 * The mount is made on demand and released once no nstreefs inode needs it, so
 * that the superblock, whose type is owned by this module, pins the module for
 * exactly as long as user space can reach anything in it (Documentation/
 * lifetime.md, Rule F).
 */
#include <linux/dcache.h>
#include <linux/exportfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/lockref.h>
#include <linux/mount.h>
#include <linux/pid_namespace.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "nstree.h"
#include "compat/compat.h"

static const struct file_operations nstreefs_file_ops;
static const struct file_operations nstreefs_root_ops;
static const struct export_operations nstreefs_export_ops;
static struct file_system_type nstreefs_type;

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
static struct vfsmount *nstreefs_pin(void)
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
static void nstreefs_pin_again(void)
{
	WARN_ON_ONCE(atomic_inc_return(&nstreefs_pins) < 2);
}

/*
 * Drop a pin. The last one does not drop the mount here: a caller may be in the
 * middle of evicting one of the instance's inodes. The work does it.
 */
static void nstreefs_unpin(void)
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
static struct vfsmount *nstreefs_dentry_mnt(struct dentry *dentry)
{
	struct vfsmount *mnt = READ_ONCE(nstreefs_mnt);

	if (WARN_ON_ONCE(!mnt || mnt->mnt_sb != dentry->d_sb))
		return NULL;
	return mnt;
}

/**
 * nstreefs_file_entry() - the registry entry behind an nstreefs file
 * @file: any file
 *
 * Return: the entry, or NULL when @file is not an nstreefs file. Valid as long as
 * @file is: its inode holds a reference on the namespace, which keeps the entry.
 */
struct nstree_ns *nstreefs_file_entry(struct file *file)
{
	if (file->f_op != &nstreefs_file_ops)
		return NULL;
	return file_inode(file)->i_private;
}

/**
 * nstreefs_dentry_ns() - the namespace behind an nstreefs dentry
 * @dentry: a dentry the caller holds; its inode pins the namespace
 *
 * Return: the namespace (no reference taken), or NULL for the root.
 */
struct ns_common *nstreefs_dentry_ns(struct dentry *dentry)
{
	struct nstree_ns *e = dentry->d_fsdata;

	return e ? e->ns : NULL;
}

/**
 * nstreefs_file_ns() - the namespace behind an nstreefs file
 * @file: any file
 *
 * Return: the namespace (no reference taken: @file's inode holds one), or NULL.
 */
struct ns_common *nstreefs_file_ns(struct file *file)
{
	struct nstree_ns *e = nstreefs_file_entry(file);

	return e ? e->ns : NULL;
}

/*
 * Fast path: a reference on the stashed dentry, or NULL. Context: RCU, which keeps
 * both @e (kfree_rcu) and the dentry (dentries are RCU-freed) valid while we look.
 * A dentry we get is live, so its inode still pins the namespace.
 */
static struct dentry *nstreefs_stashed_get(struct nstree_ns *e)
{
	struct dentry *d = READ_ONCE(e->stashed);

	if (d && lockref_get_not_dead(&d->d_lockref))
		return d;
	return NULL;
}

/*
 * A new inode and dentry for @ns in the instance of @mnt, which the caller pins.
 * Consumes a reference to @ns (the inode owns it); the inode takes a pin of its own.
 */
static struct dentry *nstreefs_build(struct nstree_ns *e, struct ns_common *ns,
				     struct vfsmount *mnt)
{
	struct inode *inode;
	struct dentry *dentry;

	inode = new_inode(mnt->mnt_sb);
	if (!inode) {
		nstree_ns_put(ns);
		return ERR_PTR(-ENOMEM);
	}
	nstreefs_pin_again();	/* ->evict_inode() drops it */
	inode->i_ino = ns->inum;
	inode->i_mode = S_IFREG | 0444;
	inode->i_flags |= S_IMMUTABLE;
	inode->i_fop = &nstreefs_file_ops;
	/* From here the inode owns the reference; ->evict_inode() drops it. */
	inode->i_private = e;
	nstree_inode_init_ts(inode);

	dentry = d_alloc_anon(mnt->mnt_sb);
	if (!dentry) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	dentry->d_fsdata = e;
	d_instantiate(dentry, inode);
	atomic_long_inc(&nstree_stats.dentries);
	atomic_long_inc(&nstree_stats.dentries_allocated);
	return dentry;
}

/*
 * Publish @new in @e's stash, or take the dentry someone else published first.
 * Consumes the reference to @new; returns a reference to the dentry in use.
 */
static struct dentry *nstreefs_stash(struct nstree_ns *e, struct dentry *new)
{
	struct dentry *old, *ret;

	rcu_read_lock();	/* keeps any dentry we read from the stash allocated */
	for (;;) {
		old = cmpxchg(&e->stashed, NULL, new);
		if (!old) {
			ret = new;
			break;
		}
		if (lockref_get_not_dead(&old->d_lockref)) {
			ret = old;
			break;
		}
		/* @old is dying and its ->d_prune() has not run yet: replace it. */
		if (try_cmpxchg(&e->stashed, &old, new)) {
			ret = new;
			break;
		}
	}
	rcu_read_unlock();
	if (ret != new)
		dput(new);	/* lost the race: kills @new, whose inode drops its ref */
	else
		nstree_note_change();	/* a new holder: the namespace is active now */
	return ret;
}

/**
 * nstreefs_dentry() - the one nstreefs dentry of a namespace
 * @e: the namespace's registry entry
 * @ns: consumes a reference to @ns, the namespace of @e
 *
 * Return: a dentry reference (dput() it), or an ERR_PTR.
 */
struct dentry *nstreefs_dentry(struct nstree_ns *e, struct ns_common *ns)
{
	struct vfsmount *mnt;
	struct dentry *d;

	rcu_read_lock();
	d = nstreefs_stashed_get(e);
	rcu_read_unlock();
	if (d) {
		atomic_long_inc(&nstree_stats.fast_hits);
		nstree_ns_put(ns);
		return d;
	}
	atomic_long_inc(&nstree_stats.fast_misses);
	mnt = nstreefs_pin();
	if (IS_ERR(mnt)) {
		nstree_ns_put(ns);
		return ERR_CAST(mnt);
	}
	d = nstreefs_build(e, ns, mnt);
	if (!IS_ERR(d))
		d = nstreefs_stash(e, d);
	nstreefs_unpin();	/* the dentry's inode holds its own */
	return d;
}

/*
 * Open @dentry read-only. Consumes the dentry reference. The caller holds a pin on
 * its instance: its inode's, or (for the root) one of its own.
 */
static struct file *nstreefs_dentry_file(struct dentry *dentry)
{
	struct vfsmount *mnt = nstreefs_dentry_mnt(dentry);
	struct path path = { .mnt = mnt, .dentry = dentry };
	struct file *f;

	if (!mnt) {
		dput(dentry);
		return ERR_PTR(-ESTALE);
	}
	mntget(mnt);
	f = dentry_open(&path, O_RDONLY, current_cred());

	path_put(&path);	/* dentry_open() took its own references */
	return f;
}

/**
 * nstreefs_open_dentry() - open an nstreefs dentry as a new O_CLOEXEC, read-only fd
 * @dentry: consumes a reference to @dentry, a namespace dentry (its inode pins its
 *	instance) or the root of an instance the caller pins
 *
 * Return: the fd, or a negative errno.
 */
int nstreefs_open_dentry(struct dentry *dentry)
{
	struct file *f;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		dput(dentry);
		return fd;
	}
	f = nstreefs_dentry_file(dentry);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	fd_install(fd, f);
	return fd;
}

/* Register @ns and get its one dentry. Consumes a reference to @ns. */
static struct dentry *nstreefs_ns_dentry(struct ns_common *ns)
{
	struct nstree_ns *e = nstree_register(ns);

	if (IS_ERR(e)) {
		nstree_ns_put(ns);
		return ERR_CAST(e);
	}
	return nstreefs_dentry(e, ns);
}

/**
 * nstreefs_open_file() - open a namespace as an nstreefs file, without an fd
 * @ns: consumes a reference to @ns
 *
 * For callers that must finish other work before publishing an fd.
 *
 * Return: the file, or an ERR_PTR.
 */
struct file *nstreefs_open_file(struct ns_common *ns)
{
	struct dentry *d = nstreefs_ns_dentry(ns);

	return IS_ERR(d) ? ERR_CAST(d) : nstreefs_dentry_file(d);
}

/**
 * nstreefs_open() - open a namespace as an nstreefs file
 * @ns: consumes a reference to @ns
 *
 * Return: a new fd, or a negative errno.
 */
int nstreefs_open(struct ns_common *ns)
{
	struct dentry *d = nstreefs_ns_dentry(ns);

	return IS_ERR(d) ? PTR_ERR(d) : nstreefs_open_dentry(d);
}

/**
 * nstreefs_open_id() - open the namespace with an ID, through the stash when it can
 * @id: the namespace ID
 * @may_open: decides, with a reference held, whether the caller may open it
 *
 * Return: a new fd; -ENOENT for an unknown or dead ID; what @may_open returns.
 */
int nstreefs_open_id(u64 id, int (*may_open)(struct ns_common *ns))
{
	struct nstree_ns *e;
	struct ns_common *ns = NULL;
	struct dentry *d;
	int err;

	rcu_read_lock();
	e = nstree_find_rcu(id);
	d = e ? nstreefs_stashed_get(e) : NULL;
	if (!d && e)
		ns = nstree_ns_tryget(e);
	rcu_read_unlock();

	if (d) {
		/* The live dentry's inode pins e->ns: no reference of our own needed. */
		atomic_long_inc(&nstree_stats.fast_hits);
		err = may_open(e->ns);
		if (err) {
			dput(d);
			return err;
		}
		return nstreefs_open_dentry(d);
	}
	if (!ns)
		return -ENOENT;
	err = may_open(ns);
	if (err) {
		nstree_ns_put(ns);
		return err;
	}
	/* Our reference keeps @e live, so it may be used outside RCU. */
	d = nstreefs_dentry(e, ns);
	if (IS_ERR(d))
		return PTR_ERR(d);
	return nstreefs_open_dentry(d);
}

/* "net:[4026531840]" like nsfs, written at the end of @buffer (dynamic_dname() is not exported). */
static char *nstreefs_dname(struct dentry *dentry, char *buffer, int buflen)
{
	struct nstree_ns *e = dentry->d_fsdata;
	char name[64];
	int len;

	if (e)
		len = snprintf(name, sizeof(name), "%s:[%lu]", nstree_type_name(e->type),
			       d_inode(dentry)->i_ino);
	else
		len = snprintf(name, sizeof(name), "nstreefs:[root]");
	len++;	/* the NUL */
	if (len > sizeof(name) || len > buflen)
		return ERR_PTR(-ENAMETOOLONG);
	return memcpy(buffer + buflen - len, name, len);
}

/* Forget a dying dentry, unless a newer one has already taken its place. */
static void nstreefs_prune(struct dentry *dentry)
{
	struct nstree_ns *e = dentry->d_fsdata;

	if (!e)
		return;
	cmpxchg(&e->stashed, dentry, NULL);
	atomic_long_dec(&nstree_stats.dentries);
	nstree_note_change();	/* a holder less: the namespace may be inactive now */
}

static void nstreefs_evict(struct inode *inode)
{
	struct nstree_ns *e = inode->i_private;
	/* Still valid: our own reference keeps the namespace, hence @e, alive. */
	struct ns_common *ns = e ? e->ns : NULL;

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (!ns)
		return;		/* the root: it holds no pin */
	nstree_ns_put(ns);	/* @e may be retired from here on */
	nstreefs_unpin();
}

#define NSTREE_FH_U32	(sizeof(struct nsfs_file_handle) / sizeof(u32))

/* Upstream's nsfs_encode_fh(): no privilege, no activity check; 16 bytes. */
static int nstreefs_encode_fh(struct inode *inode, u32 *fh, int *max_len, struct inode *parent)
{
	struct nstree_ns *e = inode->i_private;
	struct nsfs_file_handle *h = (struct nsfs_file_handle *)fh;

	if (parent || !e)
		return FILEID_INVALID;
	if (*max_len < NSTREE_FH_U32) {
		*max_len = NSTREE_FH_U32;	/* user space sees EOVERFLOW and the size */
		return FILEID_INVALID;
	}
	*max_len = NSTREE_FH_U32;
	/* The inode pins the namespace, so @e is live while we read it. */
	h->ns_id = e->id;
	h->ns_type = e->type;
	h->ns_inum = inode->i_ino;
	return NSTREE_FILEID_NSFS;
}

/*
 * Upstream's owning-namespace rule for decoding: a caller that is not in the
 * namespace must be able to see all namespaces; a pid namespace the caller is in
 * but whose init has not appeared yet is refused. *@inside says whether the caller
 * uses the namespace, which makes it active: the caller's nsproxy, credentials or
 * pid hold it.
 */
static int nstreefs_may_decode(struct nstree_ns *e, struct ns_common *ns, bool *inside)
{
	*inside = nstree_current_in_ns(ns);
	if (*inside && e->type == CLONE_NEWPID &&
	    !READ_ONCE(container_of(ns, struct pid_namespace, ns)->child_reaper))
		return -EPERM;
	if (!*inside && !nstree_may_see_all())
		return -EPERM;
	return 0;
}

/* Is the namespace behind @e active? Context: the caller holds a reference on it. */
static int nstreefs_check_active(struct nstree_ns *e)
{
	u64 gen;
	int err;

	err = nstree_active_lock(&gen);
	if (err)
		return err;
	if (!nstree_is_active(e, gen))
		err = -ESTALE;
	nstree_active_unlock();
	return err;
}

/* The checks of a handle that need no lookup: upstream's, in its order. */
static bool nstreefs_fh_valid(const u32 *fid, int fh_len, int fh_type)
{
	const struct nsfs_file_handle *h = (const struct nsfs_file_handle *)fid;

	if (fh_len < NSTREE_FH_U32)
		return false;
	if (fh_len > NSTREE_FH_U32 &&
	    memchr_inv(fid + NSTREE_FH_U32, 0, (fh_len - NSTREE_FH_U32) * sizeof(u32)))
		return false;
	if (fh_type != NSTREE_FILEID_NSFS || !h->ns_id)
		return false;
	if (!h->ns_type != !h->ns_inum)	/* both or neither */
		return false;
	return !h->ns_type || nstree_type_index(h->ns_type) >= 0;
}

/*
 * Decode a handle into a dentry of the instance @sb, which the caller pins.
 * Permission comes before activity: a caller who may not have the namespace never
 * makes the module scan, and one that uses it needs no scan (it is active).
 */
static struct dentry *nstreefs_decode_in(struct super_block *sb, u32 *fid, int fh_len,
					 int fh_type)
{
	struct nsfs_file_handle *h = (struct nsfs_file_handle *)fid;
	struct ns_common *ns = NULL;
	struct nstree_ns *e;
	bool inside;
	int err;

	if (!nstreefs_fh_valid(fid, fh_len, fh_type))
		return NULL;
	rcu_read_lock();
	e = nstree_find_rcu(h->ns_id);
	if (e)
		ns = nstree_ns_tryget(e);
	rcu_read_unlock();
	if (!ns)
		return NULL;
	/* From here our reference keeps @e live. */
	err = -ESTALE;
	if (h->ns_inum && h->ns_inum != e->inum)
		goto out_put;
	if (h->ns_type && h->ns_type != e->type)
		goto out_put;
	err = nstreefs_may_decode(e, ns, &inside);
	if (!err && !inside)
		err = nstreefs_check_active(e);
	if (err)
		goto out_put;
	/* The caller's pin keeps @sb current: the dentry lands in it. */
	return nstreefs_dentry(e, ns);	/* consumes our reference */
out_put:
	nstree_ns_put(ns);
	return ERR_PTR(err);
}

/**
 * nstreefs_decode_handle() - upstream's nsfs fh_to_dentry() rules, over the registry
 * @fid: the handle's words
 * @fh_len: its length in u32 words
 * @fh_type: its type
 *
 * Decodes into the current instance (NSTREE_IOC_OPEN_HANDLE has no mount_fd).
 * Upstream checks trailing bytes at the wrong offset (it adds a u32 count to a
 * void pointer as bytes); we check the bytes after the 16-byte handle, which is
 * what it means: a handle with junk after it never opens anything.
 *
 * Return: a dentry reference (its inode pins its instance); NULL or an ERR_PTR,
 * which the VFS turns into ESTALE (all but ENOMEM), as upstream.
 */
struct dentry *nstreefs_decode_handle(u32 *fid, int fh_len, int fh_type)
{
	struct vfsmount *mnt = nstreefs_pin();
	struct dentry *d;

	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	d = nstreefs_decode_in(mnt->mnt_sb, fid, fh_len, fh_type);
	nstreefs_unpin();
	return d;
}

/*
 * open_by_handle_at() with a mount_fd on nstreefs. Its instance is current unless
 * the caller reached it only through something that pins no instance (an O_PATH
 * file of an old instance's root, a cwd there): a handle decodes to ESTALE there.
 */
static struct dentry *nstreefs_fh_to_dentry(struct super_block *sb, struct fid *fid, int fh_len,
					    int fh_type)
{
	struct vfsmount *mnt = nstreefs_pin();
	struct dentry *d = NULL;

	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	if (mnt->mnt_sb == sb)
		d = nstreefs_decode_in(sb, fid->raw, fh_len, fh_type);
	nstreefs_unpin();
	return d;
}

static const struct export_operations nstreefs_export_ops = {
	.encode_fh	= nstreefs_encode_fh,
	.fh_to_dentry	= nstreefs_fh_to_dentry,
};

/*
 * A regular open of the root pins its instance, so that handles decode against it
 * for as long as the file is open; private_data says whether it did. A root of an
 * instance that is no longer current (reopened from an O_PATH file) pins nothing.
 */
static int nstreefs_root_open(struct inode *inode, struct file *file)
{
	struct vfsmount *mnt = nstreefs_pin();

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	if (mnt->mnt_sb != inode->i_sb) {
		nstreefs_unpin();
		return 0;
	}
	file->private_data = mnt;
	return 0;
}

static int nstreefs_root_release(struct inode *inode, struct file *file)
{
	if (file->private_data)
		nstreefs_unpin();
	return 0;
}

/* The root directory: lists nothing; an open root fd pins the module like any file. */
static const struct file_operations nstreefs_root_ops = {
	.owner		= THIS_MODULE,
	.open		= nstreefs_root_open,
	.release	= nstreefs_root_release,
	.llseek		= noop_llseek,
};

/**
 * nstreefs_open_root() - an O_RDONLY, O_CLOEXEC fd of the current instance's root
 *
 * A mount_fd for open_by_handle_at() that needs no namespace of its own; it pins
 * the instance while open (nstreefs_root_open()).
 *
 * Return: a new fd or a negative errno.
 */
int nstreefs_open_root(void)
{
	struct vfsmount *mnt = nstreefs_pin();
	int fd;

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	fd = nstreefs_open_dentry(dget(mnt->mnt_root));
	nstreefs_unpin();
	return fd;
}

static const struct file_operations nstreefs_file_ops = {
	.owner		= THIS_MODULE,	/* an open nstreefs file pins the module */
	.llseek		= noop_llseek,
	.unlocked_ioctl	= nstreefs_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static const struct dentry_operations nstreefs_dentry_ops = {
	.d_delete	= always_delete_dentry,	/* not cached once unused */
	.d_dname	= nstreefs_dname,
	.d_prune	= nstreefs_prune,
};

static const struct super_operations nstreefs_super_ops = {
	.statfs		= simple_statfs,
	.drop_inode	= nstree_drop_inode,
	.evict_inode	= nstreefs_evict,
};

static int nstreefs_init_fs_context(struct fs_context *fc)
{
	struct pseudo_fs_context *ctx = init_pseudo(fc, NSTREEFS_MAGIC);

	if (!ctx)
		return -ENOMEM;
	ctx->ops = &nstreefs_super_ops;
	ctx->dops = &nstreefs_dentry_ops;
	fc->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;
	return 0;
}

/*
 * .owner: every superblock pins the module for its whole life, and each lives only
 * as long as something needs it: the module's own mount while any nstreefs inode
 * exists, and whatever user space holds (files, O_PATH ones included, a cwd, an
 * fspick() context, a mount). So rmmod fails with EBUSY while any of them exists,
 * and the last of them ends the superblock in core code (deactivate_locked_super()
 * drops the module after ->kill_sb() returns), never inside the module.
 */
static struct file_system_type nstreefs_type = {
	.owner		= THIS_MODULE,
	.name		= "nstreefs",
	.init_fs_context = nstreefs_init_fs_context,
	.kill_sb	= kill_anon_super,
};

/**
 * nstree_fs_init() - nothing to mount yet: the first nstreefs file makes the instance
 *
 * Return: 0.
 */
int nstree_fs_init(void)
{
	return 0;
}

/**
 * nstree_fs_exit() - wait for the release work, which may still be returning
 *
 * The module's refcount is 0, so no superblock exists: each would pin the module.
 * The release work may have dropped the last one a moment ago and not yet returned.
 */
void nstree_fs_exit(void)
{
	flush_work(&nstreefs_release_work);
	WARN_ON_ONCE(READ_ONCE(nstreefs_mnt));
}
