// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_NS_ID: the namespace behind an fd (nstreefs or kernel nsfs) and the
 * 64-bit ID the registry gives it.
 */
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/proc_ns.h>
#include <linux/uaccess.h>
#include "nstree.h"

/*
 * The namespace behind @file, with a new counting reference: an nstreefs file, or
 * a kernel nsfs file (whose inode's i_private is the namespace on 6.1 and 6.12).
 * @file pins the namespace while we take the reference.
 */
static struct ns_common *nstree_file_ns_get(struct file *file)
{
	struct ns_common *ns = nstreefs_file_ns(file);
	struct inode *inode = file_inode(file);

	if (!ns && inode->i_sb->s_magic == NSFS_MAGIC)
		ns = inode->i_private;	/* NULL only for nsfs's root inode */
	if (!ns || nstree_type_index(ns->ops->type) < 0)
		return ERR_PTR(-EINVAL);
	return nstree_ns_get(ns);
}

/**
 * nstree_fd_ns_get() - the namespace behind an fd
 * @fd: an nstreefs or kernel nsfs file descriptor
 *
 * Return: the namespace with a new counting reference (drop it with
 * nstree_ns_put()), ERR_PTR(-EBADF) for a bad fd, ERR_PTR(-EINVAL) for another file.
 */
struct ns_common *nstree_fd_ns_get(int fd)
{
	struct ns_common *ns;
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	ns = nstree_file_ns_get(file);
	fput(file);
	return ns;
}

long nstree_ioc_ns_id(void __user *uarg)
{
	struct nstree_ns_id req;
	struct ns_common *ns;
	struct nstree_ns *e;
	int ret;

	ret = nstree_copy_in(&req, sizeof(req), NSTREE_NS_ID_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (req.ns_id || req.ns_type || req.ns_inum || req.reserved)
		return -EINVAL;

	ns = nstree_fd_ns_get(req.fd);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	e = nstree_register(ns);
	if (!IS_ERR(e)) {
		/* Our reference keeps @e live while we read it. */
		req.ns_id = e->id;
		req.ns_type = e->type;
		req.ns_inum = e->inum;
	}
	nstree_ns_put(ns);
	if (IS_ERR(e))
		return PTR_ERR(e);
	return copy_to_user(uarg, &req, req.size) ? -EFAULT : 0;
}
