// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_NS_INFO: for each ID, what NS_GET_NSTYPE, NS_GET_USERNS,
 * NS_GET_PARENT and NS_GET_OWNER_UID on an open namespace would say, without
 * opening it: a listing of 10,000 namespaces is one call instead of 60,000.
 */
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/proc_ns.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include "nstree.h"

/* Validation apart from action: sizes, flags, reserved fields, limits. */
static int nstree_ns_infos_check(const void *req)
{
	const struct nstree_ns_infos *a = req;

	if (a->flags || a->reserved)
		return -EINVAL;
	if (a->info_size != sizeof(struct nstree_ns_info))
		return -EINVAL;
	if (a->nr_infos > NSTREE_NS_INFO_MAX)
		return -EOVERFLOW;
	return 0;
}

/* Only ns_id is input: everything else must arrive zeroed. */
static bool nstree_ns_info_clean(const struct nstree_ns_info *in)
{
	return !in->ns_type && !in->ns_inum && !in->owner_inum && !in->parent_inum &&
	       !in->owner_uid && !in->flags;
}

/**
 * nstree_ns_info_fill() - describe one namespace
 * @info: ns_id in, the rest out
 *
 * Return: true when the ID named a live namespace.
 */
static bool nstree_ns_info_fill(struct nstree_ns_info *info)
{
	struct user_namespace *owner;
	struct ns_common *ns, *parent;

	ns = nstree_get_by_id(info->ns_id, 0, NULL);
	if (!ns)
		return false;

	info->ns_type = ns->ops->type;
	info->ns_inum = ns->inum;
	/* Our reference on @ns pins its owner; the caller sees every user namespace. */
	owner = nstree_ns_owner(ns);
	if (owner)
		info->owner_inum = owner->ns.inum;
	if (ns->ops->get_parent) {
		/* A new counting reference, or ERR_PTR(-EPERM) at the top. */
		parent = ns->ops->get_parent(ns);
		if (!IS_ERR(parent)) {
			info->parent_inum = parent->inum;
			parent->ops->put(parent);
		}
	}
	if (ns->ops->type == CLONE_NEWUSER) {
		struct user_namespace *user = container_of(ns, struct user_namespace, ns);

		info->owner_uid = from_kuid_munged(current_user_ns(), user->owner);
		info->flags |= NSTREE_NS_INFO_OWNER_UID;
	}
	nstree_ns_put(ns);	/* may sleep: outside RCU */
	return true;
}

/**
 * nstree_ioc_ns_info() - NSTREE_IOC_NS_INFO
 * @uarg: user pointer to struct nstree_ns_infos
 *
 * Return: the number of live namespaces described, or -EINVAL, -EOVERFLOW,
 * -EPERM, -EFAULT, -ENOMEM, -EINTR.
 */
long nstree_ioc_ns_info(void __user *uarg)
{
	struct nstree_ns_infos a;
	struct nstree_ns_info *infos;
	size_t i, bytes;
	long ret, found = 0;

	ret = nstree_bulk_request(&a, sizeof(a), NSTREE_NS_INFOS_SIZE_VER0, uarg,
				  nstree_ns_infos_check);
	if (ret)
		return ret;
	if (!a.nr_infos)
		return 0;

	infos = nstree_array_copy_in(a.infos, a.nr_infos, sizeof(*infos));
	if (IS_ERR(infos))
		return PTR_ERR(infos);
	bytes = array_size(a.nr_infos, sizeof(*infos));
	for (i = 0; i < a.nr_infos; i++) {
		if (!nstree_ns_info_clean(&infos[i])) {
			ret = -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < a.nr_infos; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		if (nstree_ns_info_fill(&infos[i]))
			found++;
		cond_resched();
	}
	ret = copy_to_user(u64_to_user_ptr(a.infos), infos, bytes) ? -EFAULT : found;
out:
	kvfree(infos);
	return ret;
}
