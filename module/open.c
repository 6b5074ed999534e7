// SPDX-License-Identifier: GPL-2.0
/*
 * The open family of /dev/nstree: NSTREE_IOC_OPEN (by ID or by fd, as an nstreefs
 * file or, through the bridge, as a kernel nsfs file) and NSTREE_IOC_OPEN_HANDLE.
 * Each request is validated whole before anything is looked up.
 */
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/exportfs.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/uaccess.h>
#include "nstree.h"

static struct ns_common *nstree_same_ns(struct ns_common *ns)
{
	return nstree_ns_get(ns);
}

/**
 * nstree_open_nsfs() - the bridge: a kernel nsfs fd for @ns
 * @ns: the namespace; consumes a reference to @ns
 *
 * Return: a new O_CLOEXEC fd or a negative errno.
 */
int nstree_open_nsfs(struct ns_common *ns)
{
	int fd = open_related_ns(ns, nstree_same_ns);

	nstree_ns_put(ns);
	return fd;
}

static int nstree_check_type(struct ns_common *ns, u32 type)
{
	return type && ns->ops->type != type ? -ENOENT : 0;
}

static long nstree_open_by_fd(const struct nstree_open *req)
{
	struct ns_common *ns = nstree_fd_ns_get(req->fd);
	int err;

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	err = nstree_check_type(ns, req->ns_type);
	if (err) {
		nstree_ns_put(ns);
		return err;
	}
	if (req->flags & NSTREE_OPEN_NSFS)
		return nstree_open_nsfs(ns);
	return nstreefs_open(ns);
}

static long nstree_open_by_id(const struct nstree_open *req)
{
	struct ns_common *ns;

	if (!(req->flags & NSTREE_OPEN_NSFS))
		return nstreefs_open_id(req->ns_id, req->ns_type);
	ns = nstree_get_openable(req->ns_id, req->ns_type, NULL);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return nstree_open_nsfs(ns);
}

long nstree_ioc_open(void __user *uarg)
{
	struct nstree_open req;
	int ret;

	ret = nstree_copy_in(&req, sizeof(req), NSTREE_OPEN_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (req.flags & ~(NSTREE_OPEN_NSFS | NSTREE_OPEN_BY_FD) || req.reserved)
		return -EINVAL;
	if (req.ns_type && nstree_type_index(req.ns_type) < 0)
		return -EINVAL;
	if (req.flags & NSTREE_OPEN_BY_FD) {
		if (req.ns_id)
			return -EINVAL;
		return nstree_open_by_fd(&req);
	}
	if (req.fd)
		return -EINVAL;
	return nstree_open_by_id(&req);
}

/*
 * The open flags nsfs refuses, with the errors open_by_handle_at() gives for them,
 * in the VFS's order: O_TMPFILE without write access fails in build_open_flags(),
 * with it the lookup wants a directory.
 */
static int nstree_handle_open_flags(u32 open_flags)
{
	if (open_flags & __O_TMPFILE)
		return (open_flags & O_ACCMODE) == O_RDONLY ? -EINVAL : -ENOTDIR;
	if (open_flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((open_flags & O_ACCMODE) != O_RDONLY || (open_flags & O_TRUNC))
		return -EPERM;	/* the inode is immutable */
	if (open_flags & O_DIRECT)
		return -EINVAL;
	return 0;
}

/**
 * nstree_open_handle() - open_by_handle_at() of an nsfs handle
 * @ufh: user pointer to the struct file_handle
 * @open_flags: the open flags
 * @nsfs: return a kernel nsfs file (else an nstreefs file)
 *
 * Upstream's checks and errors, in fs/fhandle.c's order: the handle's header, its
 * bytes, then the decoding, whose every failure is ESTALE, then the open flags.
 *
 * Return: a new O_CLOEXEC fd or a negative errno.
 */
long nstree_open_handle(struct file_handle __user *ufh, u32 open_flags, bool nsfs)
{
	u32 words[MAX_HANDLE_SZ / sizeof(u32)] = {};
	struct file_handle fh;
	struct ns_common *ns;
	struct dentry *d;
	int ret;

	if (copy_from_user(&fh, ufh, sizeof(fh)))
		return -EFAULT;
	if (!fh.handle_bytes || fh.handle_bytes > MAX_HANDLE_SZ || fh.handle_type < 0)
		return -EINVAL;
	if (copy_from_user(words, ufh->f_handle, fh.handle_bytes))
		return -EFAULT;

	d = nstreefs_decode_handle(words, fh.handle_bytes / sizeof(u32), fh.handle_type);
	if (IS_ERR_OR_NULL(d))
		return PTR_ERR(d) == -ENOMEM ? -ENOMEM : -ESTALE;	/* as the VFS maps them */
	ret = nstree_handle_open_flags(open_flags);
	if (ret) {
		dput(d);
		return ret;
	}
	if (!nsfs)
		return nstreefs_open_dentry(d);
	/* The bridge: the dentry's inode pins the namespace while we take a reference. */
	ns = nstree_ns_get(nstreefs_dentry_ns(d));
	dput(d);
	return nstree_open_nsfs(ns);
}

long nstree_ioc_open_handle(void __user *uarg)
{
	struct nstree_open_handle req;
	int ret;

	ret = nstree_copy_in(&req, sizeof(req), NSTREE_OPEN_HANDLE_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (req.flags & ~NSTREE_OPEN_NSFS || req.reserved)
		return -EINVAL;
	return nstree_open_handle(u64_to_user_ptr(req.handle), req.open_flags,
				  req.flags & NSTREE_OPEN_NSFS);
}
