// SPDX-License-Identifier: GPL-2.0
/*
 * The control device, /dev/nstree: validation of each request apart from the
 * action it asks for, one handler per ioctl.
 */
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/exportfs.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/uaccess.h>
#include "nstree.h"
#include "compat/compat.h"

/**
 * nstree_copy_in() - copy a size-versioned struct from user space
 * @dst: kernel copy, @ksize bytes
 * @ksize: size of the struct this module knows
 * @ver0: smallest size user space may pass
 * @uarg: user pointer; its first __u32 is the size user space knows
 *
 * Return: 0, -EFAULT on a bad pointer, -EINVAL when the size is below @ver0,
 * -E2BIG when it is above a page or the bytes past @ksize are not zero.
 */
int nstree_copy_in(void *dst, size_t ksize, size_t ver0, const void __user *uarg)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < ver0)
		return -EINVAL;
	ret = copy_struct_from_user(dst, ksize, uarg, usize);
	if (ret)
		return ret;
	/* What the caller knows is what we copy back: remember it in the struct. */
	*(u32 *)dst = min_t(u32, usize, ksize);
	return 0;
}

static long nstree_ioc_version(void __user *uarg)
{
	struct nstree_version v;
	int ret;

	ret = nstree_copy_in(&v, sizeof(v), NSTREE_VERSION_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (v.abi || v.features || memchr_inv(v.module_version, 0, sizeof(v.module_version)))
		return -EINVAL;

	v.abi = NSTREE_ABI_VERSION;
	v.features = NSTREE_FEATURE_IDS | NSTREE_FEATURE_LISTNS | NSTREE_FEATURE_HANDLES |
		     NSTREE_FEATURE_PROCS | NSTREE_FEATURE_NS_INFO | NSTREE_FEATURE_CMDLINES;
#ifdef NSTREE_HAVE_MNT_NS_INFO
	v.features |= NSTREE_FEATURE_MNT_NS_INFO;
#endif
	strscpy(v.module_version, NSTREE_MODULE_VERSION, sizeof(v.module_version));
	return copy_to_user(uarg, &v, v.size) ? -EFAULT : 0;
}

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

/* Look up @fd and return its namespace with a reference, or an ERR_PTR. */
static struct ns_common *nstree_fd_ns_get(int fd)
{
	struct ns_common *ns;
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	ns = nstree_file_ns_get(file);
	fput(file);
	return ns;
}

static long nstree_ioc_ns_id(void __user *uarg)
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

/*
 * Upstream's rule for opening a namespace by handle: a caller that does not use
 * the namespace must be able to see all namespaces. To such a caller a namespace
 * it may not open is one that does not exist: the same ENOENT as an unknown ID or
 * a type mismatch, so that nobody learns which IDs exist, and of which type, by
 * trying them (IDs are sequential and /dev/nstree is open to all).
 */
static int nstree_may_open(struct ns_common *ns)
{
	if (nstree_current_in_ns(ns) || nstree_may_see_all())
		return 0;
	return -ENOENT;
}

static struct ns_common *nstree_same_ns(struct ns_common *ns)
{
	return nstree_ns_get(ns);
}

/* The bridge: a kernel nsfs fd for @ns. Consumes a reference to @ns. */
static int nstree_open_nsfs(struct ns_common *ns)
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
	struct ns_common *ns = NULL;
	struct nstree_ns *e;
	int err;

	if (!(req->flags & NSTREE_OPEN_NSFS) && !req->ns_type)
		return nstreefs_open_id(req->ns_id, nstree_may_open);

	rcu_read_lock();
	e = nstree_find_rcu(req->ns_id);
	if (e)
		ns = nstree_ns_tryget(e);
	rcu_read_unlock();
	if (!ns)
		return -ENOENT;
	err = nstree_check_type(ns, req->ns_type);
	if (!err)
		err = nstree_may_open(ns);
	if (err) {
		nstree_ns_put(ns);
		return err;
	}
	if (req->flags & NSTREE_OPEN_NSFS)
		return nstree_open_nsfs(ns);
	return nstreefs_open(ns);
}

static long nstree_ioc_open(void __user *uarg)
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

static long nstree_ioc_open_handle(void __user *uarg)
{
	struct nstree_open_handle req;
	struct file_handle __user *ufh;
	struct file_handle fh;
	u32 words[MAX_HANDLE_SZ / sizeof(u32)] = {};
	struct ns_common *ns;
	struct dentry *d;
	int ret;

	ret = nstree_copy_in(&req, sizeof(req), NSTREE_OPEN_HANDLE_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (req.flags & ~NSTREE_OPEN_NSFS || req.reserved)
		return -EINVAL;
	ufh = u64_to_user_ptr(req.handle);
	if (copy_from_user(&fh, ufh, sizeof(fh)))
		return -EFAULT;
	/* fs/fhandle.c's checks, in its order. */
	if (!fh.handle_bytes || fh.handle_bytes > MAX_HANDLE_SZ || fh.handle_type < 0)
		return -EINVAL;
	if (copy_from_user(words, ufh->f_handle, fh.handle_bytes))
		return -EFAULT;

	d = nstreefs_decode_handle(words, fh.handle_bytes / sizeof(u32), fh.handle_type);
	if (IS_ERR_OR_NULL(d))
		return PTR_ERR(d) == -ENOMEM ? -ENOMEM : -ESTALE;	/* as the VFS maps them */
	ret = nstree_handle_open_flags(req.open_flags);
	if (ret) {
		dput(d);
		return ret;
	}
	if (!(req.flags & NSTREE_OPEN_NSFS))
		return nstreefs_open_dentry(d);
	/* The bridge: the dentry's inode pins the namespace while we take a reference. */
	ns = nstree_ns_get(nstreefs_dentry_ns(d));
	dput(d);
	return nstree_open_nsfs(ns);
}

static long nstree_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NSTREE_IOC_VERSION:
		return nstree_ioc_version(uarg);
	case NSTREE_IOC_NS_ID:
		return nstree_ioc_ns_id(uarg);
	case NSTREE_IOC_OPEN:
		return nstree_ioc_open(uarg);
	case NSTREE_IOC_LISTNS:
		return nstree_ioc_listns(uarg);
	case NSTREE_IOC_OPEN_HANDLE:
		return nstree_ioc_open_handle(uarg);
	case NSTREE_IOC_ROOT:
		return arg ? -EINVAL : nstreefs_open_root();
	case NSTREE_IOC_PROCS:
		return nstree_ioc_procs(uarg);
	case NSTREE_IOC_NS_INFO:
		return nstree_ioc_ns_info(uarg);
	case NSTREE_IOC_CMDLINES:
		return nstree_ioc_cmdlines(uarg);
	}
	return -ENOTTY;
}

static const struct file_operations nstree_ctl_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= nstree_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice nstree_ctl_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "nstree",
	.fops	= &nstree_ctl_fops,
	.mode	= 0666,
};

int nstree_ctl_init(void)
{
	return misc_register(&nstree_ctl_dev);
}

void nstree_ctl_exit(void)
{
	misc_deregister(&nstree_ctl_dev);
}
