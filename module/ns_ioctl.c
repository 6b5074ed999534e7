// SPDX-License-Identifier: GPL-2.0
/*
 * The nsfs ioctls (upstream numbers, magic 0xb7) on nstreefs files. Where a new
 * file is returned (NS_GET_USERNS, NS_GET_PARENT) it is an nstreefs file too.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/proc_ns.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include "nstree.h"

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
