// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_LISTNS: upstream's listns(2) over the registry, with its checks in
 * its order, its active-only visibility, its 7.0 permission model and its
 * pagination, which resumes at the next active ID after one that went inactive.
 * IDs are gathered into a kernel buffer under the activity lock and copied to
 * user memory after every lock and reference is dropped.
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/proc_ns.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include "nstree.h"

#define NSTREE_LISTNS_MAX	1000000

struct nstree_lister {
	u64 gen;			/* activity generation, valid under nstree_active_lock() */
	u32 type;			/* requested type bits, 0 for all */
	bool single_type;		/* exactly one bit: upstream walks that type's tree */
	struct user_namespace *owner;	/* owner listing: the owner (a reference), else NULL */
	bool see_all;			/* may_see_all_namespaces() */
	struct ns_common *cur[NSTREE_NR_TYPES];	/* the caller's namespaces, with references */
	u64 *ids;			/* kernel copy of the result */
	size_t nr, cap, max;
};

/*
 * Upstream's copy_ns_id_req(): checks in this order. nstree_copy_in() makes the
 * size checks and the copy in upstream's order, with its errors.
 */
static int nstree_copy_ns_id_req(struct ns_id_req *kreq, const struct ns_id_req __user *ureq)
{
	int err = nstree_copy_in(kreq, sizeof(*kreq), NS_ID_REQ_SIZE_VER0, ureq);

	if (err)
		return err;
	if (kreq->spare)
		return -EINVAL;	/* spare2 is not checked, as upstream */
	if (kreq->ns_type & ~NSTREE_ALL_TYPES)
		return -EOPNOTSUPP;
	return 0;
}

/* Upstream's is_current_namespace(), against the namespaces taken at entry. */
static bool nstree_is_current(struct nstree_lister *l, struct ns_common *ns)
{
	int idx = nstree_type_index(ns->ops->type);

	return idx >= 0 && l->cur[idx] == ns;
}

/* Upstream's may_list_ns() (7.0). */
static bool nstree_may_list(struct nstree_lister *l, struct ns_common *ns)
{
	if (l->owner && l->see_all)
		return true;
	if (nstree_is_current(l, ns))
		return true;
	return l->see_all;
}

/* Is @ns in the tree upstream would walk: the owner's, the type's, or all? */
static bool nstree_in_tree(struct nstree_lister *l, struct nstree_ns *e, struct ns_common *ns)
{
	if (l->owner)
		return nstree_ns_owner(ns) == l->owner;
	if (l->single_type)
		return e->type == l->type;
	return true;
}

static int nstree_lister_push(struct nstree_lister *l, u64 id)
{
	int err = nstree_array_grow((void **)&l->ids, &l->cap, l->nr, sizeof(*l->ids), l->max);

	if (err)
		return err;
	l->ids[l->nr++] = id;
	return 0;
}

/*
 * Pagination: @start is the last ID the caller has seen (0 for none). The walk
 * starts at the first *active* namespace of the tree after it: upstream started at
 * the first one and gave ENOENT when that one was inactive, though later ones were
 * not ("nstree: Fix spurious ENOENT in listns pagination", posted April 2026, which
 * we follow for owner listings too). ENOENT still means that nothing active follows
 * @start in the tree. A cursor of U64_MAX has nothing after it (upstream's u64
 * addition wraps it to a full listing).
 */
static int nstree_lister_first_index(u64 start, unsigned long *index)
{
	if (start >= ULONG_MAX)
		return -ENOENT;
	*index = start + 1;
	return 0;
}

/*
 * The walk for a caller that may see everything and lists no owner: nothing to
 * check needs the namespace itself (type, activity and liveness are in the entry),
 * so it runs under RCU without taking references, as upstream's walk does. It
 * leaves RCU to grow the buffer or to reschedule, and resumes by ID: what it needs
 * of an entry after leaving RCU is copied out first.
 */
static int nstree_lister_walk_all(struct nstree_lister *l, u64 start)
{
	bool found = !start;	/* a page after a cursor needs an active start */
	unsigned int batch = 0;
	unsigned long index;
	struct nstree_ns *e;
	int err;

	err = nstree_lister_first_index(start, &index);
	if (err)
		return err;
	rcu_read_lock();
	while ((e = nstree_next_rcu(&index))) {
		bool active = nstree_is_active(e, l->gen);
		u32 type = e->type;
		u64 id = e->id;

		index++;
		if (l->single_type && type != l->type)
			goto next;
		if (!found && !active)
			goto next;
		found = true;
		if (l->nr == l->max)
			break;
		if (active && (!l->type || (l->type & type))) {
			if (l->nr == l->cap) {
				rcu_read_unlock();
				err = nstree_lister_push(l, id);	/* may sleep */
				rcu_read_lock();
				if (err)
					break;
			} else {
				l->ids[l->nr++] = id;
			}
		}
next:
		if (++batch % 1024 == 0) {
			rcu_read_unlock();
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	if (err)
		return err;
	return found ? 0 : -ENOENT;
}

/* Walk the registry in ID order after @start. Context: nstree_active_lock() held. */
static int nstree_lister_walk(struct nstree_lister *l, u64 start)
{
	bool found = !start;	/* a page after a cursor needs an active start */
	unsigned long index;
	struct ns_common *ns;
	struct nstree_ns *e;
	int err;

	err = nstree_lister_first_index(start, &index);
	if (err)
		return err;
	while ((e = nstree_next_get(&index, &ns))) {
		/* Our reference keeps @e live until the put below. */
		bool active = nstree_is_active(e, l->gen);

		index++;
		if (nstree_in_tree(l, e, ns) && (found || active)) {
			found = true;
			if (l->nr == l->max) {
				nstree_ns_put(ns);
				break;
			}
			if (active && (!l->type || (l->type & e->type)) && nstree_may_list(l, ns))
				err = nstree_lister_push(l, e->id);
		}
		nstree_ns_put(ns);
		if (err)
			return err;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return found ? 0 : -ENOENT;
}

/* Resolve user_ns_id: the caller's own, or an active user namespace by ID. */
static int nstree_lister_owner(struct nstree_lister *l, u64 user_ns_id)
{
	struct ns_common *ns = NULL;
	struct nstree_ns *e;

	if (user_ns_id == LISTNS_CURRENT_USER) {
		l->owner = get_user_ns(current_user_ns());
		return 0;
	}
	ns = nstree_get_by_id(user_ns_id, CLONE_NEWUSER, &e);
	if (!ns)
		return -EINVAL;
	/* @ns keeps @e live. */
	if (!nstree_is_active(e, l->gen)) {
		nstree_ns_put(ns);
		return -EINVAL;
	}
	l->owner = container_of(ns, struct user_namespace, ns);
	return 0;
}

static void nstree_lister_release(struct nstree_lister *l)
{
	int i;

	for (i = 0; i < NSTREE_NR_TYPES; i++) {
		if (l->cur[i])
			nstree_ns_put(l->cur[i]);
	}
	if (l->owner)
		nstree_ns_put(&l->owner->ns);
}

/**
 * nstree_listns() - upstream's listns(2): the ioctl's and the system call's body
 * @ureq: user pointer to struct ns_id_req
 * @uids: user array for the IDs
 * @nr: its length
 * @flags: must be 0
 *
 * Return: the number of IDs written, or a negative errno.
 */
long nstree_listns(const struct ns_id_req __user *ureq, u64 __user *uids, u64 nr,
		   unsigned int flags)
{
	struct nstree_lister l = {};
	struct ns_id_req req;
	int err;

	if (flags)
		return -EINVAL;
	if (nr > NSTREE_LISTNS_MAX)
		return -EOVERFLOW;
	if (!access_ok(uids, nr * sizeof(u64)))
		return -EFAULT;
	err = nstree_copy_ns_id_req(&req, ureq);
	if (err)
		return err;
	/* No early return for nr == 0: upstream resolves the owner and the start first. */

	l.type = req.ns_type;
	l.single_type = hweight32(req.ns_type) == 1;
	l.max = nr;
	l.see_all = nstree_may_see_all();
	/* Upstream's is_current_namespace() only matters to a caller that cannot see all. */
	if (!l.see_all)
		nstree_current_namespaces(l.cur);

	err = nstree_active_lock(&l.gen);
	if (err)
		goto out;
	if (req.user_ns_id)
		err = nstree_lister_owner(&l, req.user_ns_id);
	if (!err && !l.owner && l.see_all)
		err = nstree_lister_walk_all(&l, req.ns_id);
	else if (!err)
		err = nstree_lister_walk(&l, req.ns_id);
	nstree_active_unlock();
out:
	nstree_lister_release(&l);
	/* No lock and no reference is held from here on. */
	if (!err && l.nr && copy_to_user(uids, l.ids, l.nr * sizeof(u64)))
		err = -EFAULT;
	kvfree(l.ids);
	return err ? err : l.nr;
}

/**
 * nstree_ioc_listns() - NSTREE_IOC_LISTNS
 * @uarg: user pointer to struct nstree_listns
 *
 * Return: the number of IDs written, or a negative errno.
 */
long nstree_ioc_listns(void __user *uarg)
{
	struct nstree_listns args;
	int err;

	err = nstree_copy_in(&args, sizeof(args), NSTREE_LISTNS_SIZE_VER0, uarg);
	if (err)
		return err;
	return nstree_listns(u64_to_user_ptr(args.req), u64_to_user_ptr(args.ns_ids),
			     args.nr_ns_ids, args.flags);
}
