// SPDX-License-Identifier: GPL-2.0
/*
 * The one switch over the namespace type, and what each type's proc_ns_operations
 * table does for us. The tables are not exported; they are learned at load from
 * the initial namespaces, and every namespace carries a pointer to its own.
 */
#include <linux/cgroup.h>
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/magic.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>
#include "nstree.h"
#include "compat/compat.h"

/* Indexed by nstree_type_index(); the order is upstream's initial-ID order. */
static const struct {
	u32 type;
	const char *name;
} nstree_types[NSTREE_NR_TYPES] = {
	{ CLONE_NEWIPC,		"ipc" },	/* IPC_NS_INIT_ID    1 */
	{ CLONE_NEWUTS,		"uts" },	/* UTS_NS_INIT_ID    2 */
	{ CLONE_NEWUSER,	"user" },	/* USER_NS_INIT_ID   3 */
	{ CLONE_NEWPID,		"pid" },	/* PID_NS_INIT_ID    4 */
	{ CLONE_NEWCGROUP,	"cgroup" },	/* CGROUP_NS_INIT_ID 5 */
	{ CLONE_NEWTIME,	"time" },	/* TIME_NS_INIT_ID   6 */
	{ CLONE_NEWNET,		"net" },	/* NET_NS_INIT_ID    7 */
	{ CLONE_NEWNS,		"mnt" },	/* MNT_NS_INIT_ID    8 */
};

/* Learned by nstree_types_init(); NULL for a type this kernel lacks. */
static const struct proc_ns_operations *nstree_ops[NSTREE_NR_TYPES];
static struct ns_common *nstree_init_ns[NSTREE_NR_TYPES];

/**
 * nstree_type_index() - position of a namespace type in per-type tables
 * @type: a CLONE_NEW* value
 *
 * Return: 0..NSTREE_NR_TYPES-1, or -1 for anything that is not exactly one type.
 */
int nstree_type_index(u32 type)
{
	switch (type) {
	case CLONE_NEWIPC:	return 0;
	case CLONE_NEWUTS:	return 1;
	case CLONE_NEWUSER:	return 2;
	case CLONE_NEWPID:	return 3;
	case CLONE_NEWCGROUP:	return 4;
	case CLONE_NEWTIME:	return 5;
	case CLONE_NEWNET:	return 6;
	case CLONE_NEWNS:	return 7;
	}
	return -1;
}

/**
 * nstree_type_name() - the name nsfs uses for a type ("net", "mnt"...)
 * @type: a CLONE_NEW* value
 *
 * Return: the name, or "unknown".
 */
const char *nstree_type_name(u32 type)
{
	int i = nstree_type_index(type);

	return i < 0 ? "unknown" : nstree_types[i].name;
}

/**
 * nstree_init_id() - upstream's fixed ID of the initial namespace of a type
 * @type: a CLONE_NEW* value
 *
 * Return: 1..8, or 0 for an unknown type.
 */
u64 nstree_init_id(u32 type)
{
	return nstree_type_index(type) + 1;
}

/**
 * nstree_type_ops() - the operations of a namespace type, learned at load
 * @idx: nstree_type_index() of the type
 *
 * Return: the table, or NULL for a type this kernel lacks.
 */
const struct proc_ns_operations *nstree_type_ops(int idx)
{
	return nstree_ops[idx];
}

/**
 * nstree_type_init_ns() - the initial namespace of a type
 * @idx: nstree_type_index() of the type
 *
 * No reference is taken or needed: the initial namespaces never die.
 *
 * Return: the namespace, or NULL for a type this kernel lacks.
 */
struct ns_common *nstree_type_init_ns(int idx)
{
	return nstree_init_ns[idx];
}

/* Learn the operations of the mount namespace type from an nsfs file. */
static const struct proc_ns_operations *nstree_learn_mnt_ops(void)
{
	const struct proc_ns_operations *ops = NULL;
	struct file *f = filp_open("/proc/self/ns/mnt", O_RDONLY, 0);
	struct ns_common *ns;

	if (IS_ERR(f))
		return NULL;
	ns = file_inode(f)->i_private;
	if (file_inode(f)->i_sb->s_magic == NSFS_MAGIC && ns)
		ops = ns->ops;
	fput(f);
	return ops;
}

/**
 * nstree_types_init() - learn every type's operations and initial namespace
 *
 * Return: 0, or -ENOENT when the mount namespace type cannot be learned.
 */
int nstree_types_init(void)
{
	/* init_task's nsproxy is init_nsproxy: it never changes. */
	struct nsproxy *nsp = init_task.nsproxy;
	const struct proc_ns_operations *known[] = {
		nsp->ipc_ns->ns.ops, nsp->uts_ns->ns.ops, init_user_ns.ns.ops, init_pid_ns.ns.ops,
		nsp->cgroup_ns->ns.ops, nsp->time_ns->ns.ops, nsp->net_ns->ns.ops,
		nstree_learn_mnt_ops(),
	};
	int i, idx;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (!known[i])
			continue;
		idx = nstree_type_index(known[i]->type);
		if (idx >= 0)
			nstree_ops[idx] = known[i];
	}
	if (!nstree_ops[nstree_type_index(CLONE_NEWNS)]) {
		pr_err("nstree: cannot learn the mount namespace type: is /proc mounted?\n");
		return -ENOENT;
	}
	/* ->get(&init_task) is the initial namespace of each type; they never die. */
	for (i = 0; i < NSTREE_NR_TYPES; i++) {
		if (!nstree_ops[i])
			continue;
		nstree_init_ns[i] = nstree_ops[i]->get(&init_task);
		if (!nstree_init_ns[i])
			return -ENOENT;
		nstree_ns_put(nstree_init_ns[i]);
	}
	return 0;
}

/*
 * The initial pid namespace is not reference counted on these kernels: get_pid_ns()
 * and put_pid_ns() leave its count alone, and pidns_put(), the ->put() that ends
 * every reference we take, is put_pid_ns(). So every get here skips it too, or each
 * lookup would raise its count for good (to a refcount saturation warning, which
 * any user could reach). Every other type's get and put are refcount_inc() and
 * refcount_dec_and_test() of ns_common.count.
 */
static bool nstree_ns_counted(struct ns_common *ns)
{
	return ns != &init_pid_ns.ns;
}

/**
 * nstree_ns_get() - take another counting reference on a namespace
 * @ns: a namespace the caller holds a counting reference on
 *
 * Drop it with nstree_ns_put(), which is the type's ->put().
 *
 * Return: @ns.
 */
struct ns_common *nstree_ns_get(struct ns_common *ns)
{
	if (nstree_ns_counted(ns))
		refcount_inc(&ns->count);
	return ns;
}

/**
 * nstree_ns_get_unless_dead() - a counting reference, unless the count reached 0
 * @ns: a namespace whose memory the caller keeps valid (the registry's guard)
 *
 * Return: true with a reference (drop it with nstree_ns_put()), false for a
 * namespace that has started to die.
 */
bool nstree_ns_get_unless_dead(struct ns_common *ns)
{
	return !nstree_ns_counted(ns) || refcount_inc_not_zero(&ns->count);
}

/**
 * nstree_ns_get_nonlast() - a counting reference that is dropped in any context
 * @ns: a namespace the caller holds a reference on (or something that pins it) for
 *	as long as the new one may be dropped by nstree_ns_put_nonlast()
 *
 * For the nsfs hook, which runs in NMI-like context: its put can never be the last,
 * so it never frees.
 *
 * Return: false for a namespace that takes no reference (the initial pid namespace).
 */
bool nstree_ns_get_nonlast(struct ns_common *ns)
{
	if (!nstree_ns_counted(ns))
		return false;
	refcount_inc(&ns->count);
	return true;
}

/**
 * nstree_ns_put_nonlast() - drop a reference from nstree_ns_get_nonlast() early
 * @ns: consumes a reference to @ns; the caller's own reference remains
 */
void nstree_ns_put_nonlast(struct ns_common *ns)
{
	refcount_dec(&ns->count);
}

/**
 * nstree_ns_put() - drop a counting reference on a namespace
 * @ns: consumes a reference to @ns
 *
 * May sleep (put_mnt_ns() takes namespace_sem): never call it under a spinlock or
 * RCU, and never from the death hook's context.
 */
void nstree_ns_put(struct ns_common *ns)
{
	might_sleep();
	ns->ops->put(ns);
}

/**
 * nstree_ns_owner() - the user namespace that owns a namespace
 * @ns: a namespace the caller holds a reference on
 *
 * Return: the owner (for a user namespace, its parent), NULL for the initial user
 * namespace. No reference is taken: @ns pins its owner.
 */
struct user_namespace *nstree_ns_owner(struct ns_common *ns)
{
	return ns->ops->owner(ns);
}

/**
 * nstree_ns_parent() - the parent of a pid or user namespace
 * @ns: a namespace the caller holds a reference on (or pins otherwise)
 *
 * Read straight from the namespace, with none of NS_GET_PARENT's checks: for the
 * registry, which names a namespace's place in the tree, not for a caller's eyes.
 *
 * Return: the parent, NULL for other types and the initial namespaces. No
 * reference is taken: @ns pins its parent.
 */
struct ns_common *nstree_ns_parent(struct ns_common *ns)
{
	switch (ns->ops->type) {
	case CLONE_NEWPID: {
		struct pid_namespace *parent = container_of(ns, struct pid_namespace, ns)->parent;

		return parent ? &parent->ns : NULL;
	}
	case CLONE_NEWUSER: {
		struct user_namespace *parent = container_of(ns, struct user_namespace, ns)->parent;

		return parent ? &parent->ns : NULL;
	}
	}
	return NULL;
}

/**
 * nstree_task_namespaces_of() - the namespaces an nsproxy and credentials name
 * @nsp: an nsproxy the caller pins, or NULL (an exiting task)
 * @cred: credentials the caller pins
 * @out: out: up to NSTREE_NR_TYPES + 1 namespaces, without references (the time
 *	and pid namespaces for children may differ from a task's own)
 *
 * Any context, hooks included: it only follows pointers. A mount namespace is
 * left out where the build has no fs/mount.h.
 *
 * Return: how many were written.
 */
int nstree_task_namespaces_of(struct nsproxy *nsp, const struct cred *cred,
			      struct ns_common *out[NSTREE_NR_TYPES + 1])
{
	int n = 0;

	out[n++] = &cred->user_ns->ns;
	if (!nsp)
		return n;
	if (nsp->uts_ns)
		out[n++] = &nsp->uts_ns->ns;
	if (nsp->ipc_ns)
		out[n++] = &nsp->ipc_ns->ns;
	if (nstree_mnt_ns_common(nsp->mnt_ns))
		out[n++] = nstree_mnt_ns_common(nsp->mnt_ns);
	if (nsp->pid_ns_for_children)
		out[n++] = &nsp->pid_ns_for_children->ns;
	if (nsp->net_ns)
		out[n++] = &nsp->net_ns->ns;
	if (nsp->cgroup_ns)
		out[n++] = &nsp->cgroup_ns->ns;
	if (nsp->time_ns)
		out[n++] = &nsp->time_ns->ns;
	if (nsp->time_ns_for_children && nsp->time_ns_for_children != nsp->time_ns)
		out[n++] = &nsp->time_ns_for_children->ns;
	return n;
}

/**
 * nstree_current_in_ns() - is the calling task using this namespace right now?
 * @ns: a namespace the caller holds a reference on
 *
 * Upstream's is_current_namespace(): the task's nsproxy entries, its active pid
 * namespace, its credentials' user namespace. The type's own ->get() reads the
 * right one of these for each type. May sleep.
 *
 * Return: true when @ns is the caller's namespace of its type.
 */
bool nstree_current_in_ns(struct ns_common *ns)
{
	struct ns_common *cur = ns->ops->get(current);
	bool same = cur == ns;

	if (cur)
		nstree_ns_put(cur);
	return same;
}

/**
 * nstree_current_namespaces() - the caller's namespace of every type
 * @cur: out: indexed by nstree_type_index(), each with a reference (NULL for a type
 *	the kernel lacks); drop them with nstree_ns_put()
 *
 * What upstream's is_current_namespace() compares against: nsproxy entries, the
 * active pid namespace, the credentials' user namespace. May sleep.
 */
void nstree_current_namespaces(struct ns_common *cur[NSTREE_NR_TYPES])
{
	const struct proc_ns_operations *ops;
	int i;

	for (i = 0; i < NSTREE_NR_TYPES; i++) {
		ops = nstree_type_ops(i);
		cur[i] = ops ? ops->get(current) : NULL;
	}
}

/**
 * nstree_may_see_all() - upstream's may_see_all_namespaces()
 *
 * Return: true when the caller is in the initial pid namespace and has
 * CAP_SYS_ADMIN in the initial user namespace.
 */
bool nstree_may_see_all(void)
{
	return task_active_pid_ns(current) == &init_pid_ns &&
	       ns_capable_noaudit(init_pid_ns.user_ns, CAP_SYS_ADMIN);
}

/**
 * nstree_may_open() - upstream's rule for opening a namespace by ID or handle
 * @ns: the caller holds a reference on @ns
 *
 * Upstream's rule for opening a namespace by handle: a caller that does not use
 * the namespace must be able to see all namespaces. To such a caller a namespace
 * it may not open is one that does not exist: the same ENOENT as an unknown ID or
 * a type mismatch, so that nobody learns which IDs exist, and of which type, by
 * trying them (IDs are sequential and /dev/nstree is open to all).
 *
 * Return: 0, or -ENOENT.
 */
int nstree_may_open(struct ns_common *ns)
{
	if (nstree_current_in_ns(ns) || nstree_may_see_all())
		return 0;
	return -ENOENT;
}
