// SPDX-License-Identifier: GPL-2.0
/*
 * nstreefs: one inode and one dentry per namespace that something holds open,
 * on a kern_mount'd pseudo filesystem that is never registered (so it is absent
 * from /proc/filesystems and cannot be mounted from user space). Its instances
 * come and go with what pins them (nstreefs_instance.c); file handles are
 * nstreefs_handle.c's, the nsfs ioctls ns_ioctl.c's.
 *
 * The stash. Each registry entry keeps a non-counting pointer to its current
 * dentry. Any number of opens of one namespace share that dentry through the
 * lockref fast path; a miss builds a new inode and dentry and publishes it with
 * cmpxchg; ->d_prune() clears the stash only if it still points at the dying
 * dentry. The inode holds the only counting reference nstreefs keeps on a
 * namespace. This is what fs/libfs.c's path_from_stashed(), stashed_dentry_get()
 * and stashed_dentry_prune() do for nsfs and pidfs; we cannot call them: 6.12
 * does not export them to modules and 6.1 does not have them.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/lockref.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include "nstree.h"
#include "nstreefs_instance.h"
#include "compat/compat.h"

static const struct file_operations nstreefs_file_ops;

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
 * @type: the CLONE_NEW* type it must have, or 0 for any
 *
 * Return: a new fd; -ENOENT for an unknown or dead ID, another type, or a
 * namespace nstree_may_open() refuses.
 */
int nstreefs_open_id(u64 id, u32 type)
{
	struct ns_common *ns;
	struct nstree_ns *e;
	struct dentry *d = NULL;
	int err;

	rcu_read_lock();
	e = nstree_find_rcu(id);
	if (e && (!type || e->type == type))
		d = nstreefs_stashed_get(e);
	rcu_read_unlock();

	if (d) {
		/* The live dentry's inode pins e->ns: no reference of our own needed. */
		atomic_long_inc(&nstree_stats.fast_hits);
		err = nstree_may_open(e->ns);
		if (err) {
			dput(d);
			return err;
		}
		return nstreefs_open_dentry(d);
	}
	ns = nstree_get_openable(id, type, &e);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
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
const struct file_operations nstreefs_root_ops = {
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
struct file_system_type nstreefs_type = {
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
 * nstree_fs_exit() - wait until the last instance is gone for good
 *
 * The module's refcount is 0, so no superblock exists: each would pin the module.
 */
void nstree_fs_exit(void)
{
	nstreefs_instance_exit();
}
