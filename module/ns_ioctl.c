// SPDX-License-Identifier: GPL-2.0
/*
 * The nsfs ioctls (upstream numbers, magic 0xb7) on nstreefs files. Where a new
 * file is returned (NS_GET_USERNS, NS_GET_PARENT) it is an nstreefs file too.
 *
 * And, for the upstream API layer (upstream_api.c), the ones the kernel lacks on its
 * own nsfs files: NS_GET_ID, and on a kernel that does not number mount namespaces
 * itself (6.1) NS_GET_MNTNS_ID and NS_MNT_GET_INFO/NEXT/PREV in the registry's
 * numbering. Where it does (6.12), those stay the kernel's, which its statmount(2)
 * and listmount(2) take: answering them in another numbering would send a program
 * that passes one on to listmount() to another namespace's mounts. A new file from
 * those is a kernel nsfs file.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/proc_ns.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include "nstree.h"
#include "compat/compat.h"

/*
 * Upstream's ns_get_owner(): the owner of @ns, if it is the caller's user
 * namespace or one of its descendants; else EPERM. Returns a new reference.
 */
static struct ns_common *nstree_get_owner(struct ns_common *ns)
{
	struct user_namespace *my_user_ns = current_user_ns();
	struct user_namespace *owner, *p;

	owner = nstree_ns_owner(ns);
	for (p = owner; p != my_user_ns; p = p->parent) {
		if (!p)
			return ERR_PTR(-EPERM);
	}
	return nstree_ns_get(&owner->ns);
}

static long nstreefs_open_related(struct ns_common *related)
{
	if (IS_ERR(related))
		return PTR_ERR(related);
	return nstreefs_open(related);
}

static long nstreefs_get_owner_uid(struct nstree_ns *e, struct ns_common *ns, uid_t __user *argp)
{
	struct user_namespace *user_ns;
	uid_t uid;

	if (e->type != CLONE_NEWUSER)
		return -EINVAL;
	user_ns = container_of(ns, struct user_namespace, ns);
	uid = from_kuid_munged(current_user_ns(), user_ns->owner);
	return put_user(uid, argp);
}

#ifdef NSTREE_HAVE_MNT_NS_INFO
/*
 * Upstream's copy_ns_info_to_user(): @usize comes from the command (the struct is
 * extensible); only the bytes both sides know are written, and the root mount of
 * the namespace is not counted.
 */
static int nstree_copy_mnt_ns_info(struct nstree_ns *e, struct ns_common *ns,
				   struct mnt_ns_info __user *uinfo, size_t usize)
{
	struct mnt_ns_info kinfo = {};

	kinfo.size = min(usize, sizeof(kinfo));
	kinfo.mnt_ns_id = e->id;
	kinfo.nr_mounts = nstree_mnt_ns_nr_mounts(ns);
	if (kinfo.nr_mounts)
		kinfo.nr_mounts--;
	return copy_to_user(uinfo, &kinfo, kinfo.size) ? -EFAULT : 0;
}

/* Upstream's get_sequential_mnt_ns() skips mount namespaces the caller cannot administer. */
static bool nstree_mnt_ns_visible(struct ns_common *ns)
{
	return ns_capable_noaudit(nstree_ns_owner(ns), CAP_SYS_ADMIN);
}

/* NS_MNT_GET_NEXT/PREV for a kernel nsfs file: @ns consumed, the fd made after the copy. */
static long nstree_nsfs_mnt_ns_adjacent(struct ns_common *ns, struct mnt_ns_info __user *uinfo,
					size_t usize)
{
	struct nstree_ns *ne;
	int err;

	if (uinfo) {
		ne = nstree_register(ns);	/* our reference keeps @ne live */
		err = IS_ERR(ne) ? PTR_ERR(ne) : nstree_copy_mnt_ns_info(ne, ns, uinfo, usize);
		if (err) {
			nstree_ns_put(ns);
			return err;
		}
	}
	return nstree_open_nsfs(ns);
}

/*
 * NS_MNT_GET_NEXT/PREV: an fd for the neighbour (an nstreefs file, or a kernel nsfs
 * file when @nsfs), published only after the copy.
 */
static long nstreefs_mnt_ns_adjacent(struct nstree_ns *e, struct mnt_ns_info __user *uinfo,
				     size_t usize, bool next, bool nsfs)
{
	struct ns_common *ns;
	struct nstree_ns *ne;
	struct file *f;
	int fd, err;

	/* 7.0 (stable 6.12+): only a caller that may see all namespaces may iterate. */
	if (!nstree_may_see_all())
		return -EPERM;
	ns = nstree_adjacent_get(e, next, nstree_mnt_ns_visible);
	if (IS_ERR_OR_NULL(ns))
		return ns ? PTR_ERR(ns) : -ENOENT;
	if (nsfs)
		return nstree_nsfs_mnt_ns_adjacent(ns, uinfo, usize);
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		nstree_ns_put(ns);
		return fd;
	}
	f = nstreefs_open_file(ns);	/* consumes our reference */
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	if (uinfo) {
		ne = nstreefs_file_entry(f);	/* @f pins its namespace and so the entry */
		err = nstree_copy_mnt_ns_info(ne, ne->ns, uinfo, usize);
		if (err) {
			put_unused_fd(fd);
			fput(f);
			return err;
		}
	}
	fd_install(fd, f);
	return fd;
}

/*
 * The extensible mount-namespace commands: upstream accepts any _IOC_SIZE from the
 * first version's up, with the right direction, type and number.
 */
static long nstreefs_mnt_ioctl(struct nstree_ns *e, struct ns_common *ns, unsigned int cmd,
			       void __user *argp, bool nsfs)
{
	struct mnt_ns_info __user *uinfo = argp;
	size_t usize = _IOC_SIZE(cmd);

	if (e->type != CLONE_NEWNS)
		return -EINVAL;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(NS_MNT_GET_INFO):
		if (!uinfo)
			return -EINVAL;
		return nstree_copy_mnt_ns_info(e, ns, uinfo, usize);
	case _IOC_NR(NS_MNT_GET_NEXT):
		return nstreefs_mnt_ns_adjacent(e, uinfo, usize, true, nsfs);
	case _IOC_NR(NS_MNT_GET_PREV):
		return nstreefs_mnt_ns_adjacent(e, uinfo, usize, false, nsfs);
	}
	return -ENOTTY;
}

static bool nstreefs_is_mnt_ioctl(unsigned int cmd)
{
	unsigned int nr = _IOC_NR(cmd);

	return _IOC_DIR(cmd) == _IOC_READ && _IOC_TYPE(cmd) == NSIO &&
	       _IOC_SIZE(cmd) >= MNT_NS_INFO_SIZE_VER0 &&
	       (nr == _IOC_NR(NS_MNT_GET_INFO) || nr == _IOC_NR(NS_MNT_GET_NEXT) ||
		nr == _IOC_NR(NS_MNT_GET_PREV));
}
#else
static bool nstreefs_is_mnt_ioctl(unsigned int cmd)
{
	return false;	/* built without the kernel's private fs/mount.h */
}

static long nstreefs_mnt_ioctl(struct nstree_ns *e, struct ns_common *ns, unsigned int cmd,
			       void __user *argp, bool nsfs)
{
	return -ENOTTY;
}
#endif

/**
 * nstreefs_ioctl() - ->unlocked_ioctl of nstreefs files
 * @file: an nstreefs file; it pins its namespace, so @ns below needs no reference
 * @cmd: an upstream NS_* command
 * @arg: its argument
 *
 * Return: as upstream's ns_ioctl(): an fd, a type, 0, or a negative errno; ENOTTY
 * for commands nsfs does not define.
 */
long nstreefs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct nstree_ns *e = nstreefs_file_entry(file);
	struct ns_common *ns = e->ns;
	void __user *argp = (void __user *)arg;

	if (nstreefs_is_mnt_ioctl(cmd))
		return nstreefs_mnt_ioctl(e, ns, cmd, argp, false);
	switch (cmd) {
	case NS_GET_USERNS:
		return nstreefs_open_related(nstree_get_owner(ns));
	case NS_GET_PARENT:
		/* Only pid and user namespaces have parents; the type applies the EPERM rules. */
		if (!ns->ops->get_parent)
			return -EINVAL;
		return nstreefs_open_related(ns->ops->get_parent(ns));
	case NS_GET_NSTYPE:
		return e->type;
	case NS_GET_OWNER_UID:
		return nstreefs_get_owner_uid(e, ns, argp);
	case NS_GET_MNTNS_ID:
		if (e->type != CLONE_NEWNS)
			return -EINVAL;
		fallthrough;
	case NS_GET_ID:
		return put_user(e->id, (u64 __user *)argp);
	}
	return -ENOTTY;
}

/**
 * nstree_nsfs_ioctl_is_new() - is @cmd one the upstream API layer answers on nsfs?
 * @cmd: an ioctl command given to a kernel nsfs file
 *
 * Any context: looks at the number only.
 */
bool nstree_nsfs_ioctl_is_new(unsigned int cmd)
{
#ifdef HAVE_KERNEL_MNT_NS_ID
	return cmd == NS_GET_ID;
#else
	return cmd == NS_GET_ID || cmd == NS_GET_MNTNS_ID || nstreefs_is_mnt_ioctl(cmd);
#endif
}

/**
 * nstree_nsfs_ioctl() - the commands of nstree_nsfs_ioctl_is_new() on a kernel nsfs file
 * @file: a kernel nsfs file (the nsfs ->unlocked_ioctl was called for it); it pins
 *	its namespace, so @ns below needs no reference
 * @cmd: NS_GET_ID, NS_GET_MNTNS_ID or NS_MNT_GET_INFO/NEXT/PREV
 * @arg: its argument
 *
 * Return: as upstream's ns_ioctl(): 0, an fd, or a negative errno.
 */
long nstree_nsfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ns_common *ns = file_inode(file)->i_private;
	void __user *argp = (void __user *)arg;
	struct nstree_ns *e;

	if (!ns || nstree_type_index(ns->ops->type) < 0)
		return -ENOTTY;		/* nsfs's root inode has no namespace */
	e = nstree_register(ns);	/* @file keeps @ns, and so @e, live */
	if (IS_ERR(e))
		return PTR_ERR(e);
	if (nstreefs_is_mnt_ioctl(cmd))
		return nstreefs_mnt_ioctl(e, ns, cmd, argp, true);
	if (cmd == NS_GET_MNTNS_ID && e->type != CLONE_NEWNS)
		return -EINVAL;
	return put_user(e->id, (u64 __user *)argp);
}
