// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace registry: one entry per namespace the module has seen, under a
 * 64-bit ID, and the death hook that retires entries before their namespace is
 * freed. The registry holds no reference on any namespace. Why a lookup may still
 * dereference one is argued in Documentation/lifetime.md; in short:
 *
 *  - every namespace type releases its proc inode number with proc_free_inum()
 *    after its count has reached zero and before its memory is freed;
 *  - a hook there (the death hook, module/hook.c) finds the live entry with that inode number,
 *    waits until no lookup is inside its guard, and closes the guard for good;
 *  - a lookup opens the guard, then refcount_inc_not_zero()s the namespace, then
 *    closes the guard: while it is inside, the dying task is held in the hook,
 *    so the namespace's memory cannot be freed under it.
 *
 * The hook takes no lock: it may run from int3, which the kernel treats like an NMI,
 * or from ftrace in a softirq nested in a task-context hit. It only reads RCU lists,
 * spins on an atomic and queues the entry on an llist; an irq_work and a work item
 * unhash it later.
 */
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/proc_ns.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "hook.h"
#include "nstree.h"

/* Writers of nstree_ids and nstree_by_inum; readers use RCU. Never taken by the hook. */
static DEFINE_MUTEX(nstree_reg_mutex);
static DEFINE_XARRAY(nstree_ids);		/* id -> entry */
static DEFINE_HASHTABLE(nstree_by_inum, 12);	/* inum -> entries (live and dead) */

/* What upstream embeds in each namespace is 128 bytes: an entry stays within it. */
static_assert(sizeof(struct nstree_ns) <= 96);
static u64 nstree_next_id = NSTREE_NR_TYPES + 1;	/* under nstree_reg_mutex */
/* Per type, in ascending ID order (IDs only grow, so appending keeps the order). */
static struct list_head nstree_type_lists[NSTREE_NR_TYPES] = {
	LIST_HEAD_INIT(nstree_type_lists[0]), LIST_HEAD_INIT(nstree_type_lists[1]),
	LIST_HEAD_INIT(nstree_type_lists[2]), LIST_HEAD_INIT(nstree_type_lists[3]),
	LIST_HEAD_INIT(nstree_type_lists[4]), LIST_HEAD_INIT(nstree_type_lists[5]),
	LIST_HEAD_INIT(nstree_type_lists[6]), LIST_HEAD_INIT(nstree_type_lists[7]),
};

/* The initial namespaces, and each type's operations, learned at load. */

static LLIST_HEAD(nstree_dead);
static void nstree_reap_work_fn(struct work_struct *work);
static DECLARE_WORK(nstree_reap_work, nstree_reap_work_fn);

static void nstree_reap_irq_work_fn(struct irq_work *w)
{
	schedule_work(&nstree_reap_work);
}

static struct irq_work nstree_reap_irq_work;

/**
 * nstree_close_guard() - retire an entry whose namespace has started to die
 * @e: a live entry (guard >= 1)
 *
 * Marks the guard closing, so no new lookup enters, then waits for the lookups
 * already inside (each holds it for a few instructions with interrupts disabled,
 * on another CPU), then moves it to 0. Afterwards no lookup will dereference
 * @e->ns. Without the closing mark, lookups entering back to back could keep the
 * guard above 1 for as long as they liked. Safe in NMI-like context: no lock, no
 * sleep.
 */
static void nstree_close_guard(struct nstree_ns *e)
{
	int old;

	atomic_or(NSTREE_GUARD_CLOSING, &e->guard);
	for (;;) {
		old = NSTREE_GUARD_CLOSING | 1;
		/* Fully ordered: the caller's later free cannot move before this. */
		if (atomic_try_cmpxchg(&e->guard, &old, 0))
			return;
		cpu_relax();
	}
}

/*
 * The death hook, on entry to proc_free_inum(inum). All namespace types, on 6.1
 * and 6.12, call it from their free path after the count reached zero and before
 * the memory is released; other callers are proc entries, whose inode numbers
 * come from the same IDA and so never match a live entry.
 */
static void nstree_free_inum_hit(unsigned long arg0, unsigned long arg1)
{
	unsigned int inum = arg0;
	struct nstree_ns *e;

	rcu_read_lock();
	hash_for_each_possible_rcu(nstree_by_inum, e, inum_node, inum) {
		/* At most one live entry has this inode number: IDA numbers are unique. */
		if (e->inum != inum || !atomic_read(&e->guard))
			continue;
		nstree_close_guard(e);
		nstree_note_change();
		atomic_long_inc(&nstree_stats.deaths);
		atomic_long_inc(&nstree_stats.dead_pending);
		llist_add(&e->dead_node, &nstree_dead);
		irq_work_queue(&nstree_reap_irq_work);
		break;
	}
	rcu_read_unlock();
}

static struct nstree_hook nstree_death_hook = {
	.symbol	= "proc_free_inum",
	.fn	= nstree_free_inum_hit,
};

/**
 * nstree_registry_trusted() - has the death hook seen every death?
 *
 * The hook skips a hit only when it is nested in a hit of the same context on the
 * same CPU (module/hook.c). No hook calls proc_free_inum(), so this should never
 * happen; if it did, an entry could outlive its namespace, and lookups must stop.
 *
 * Return: true while no hit of the death hook was missed.
 */
bool nstree_registry_trusted(void)
{
	if (likely(!nstree_hook_missed(&nstree_death_hook)))
		return true;
	pr_err_once("nstree: the proc_free_inum hook missed a hit; lookups are disabled\n");
	return false;
}

/**
 * nstree_death_hook_missed() - hits of the death hook that did not run (debugfs)
 */
unsigned long nstree_death_hook_missed(void)
{
	return nstree_hook_missed(&nstree_death_hook);
}

/**
 * nstree_death_hook_kind() - "ftrace" or "kprobe": how the death hook is attached
 */
const char *nstree_death_hook_kind(void)
{
	return nstree_death_hook.ftrace ? "ftrace" : "kprobe";
}

/* Unhash retired entries and free them after a grace period. */
static void nstree_reap_work_fn(struct work_struct *work)
{
	/* llist_add() pushes at the front: reversed, the list is in order of death. */
	struct llist_node *list = llist_reverse_order(llist_del_all(&nstree_dead));
	struct nstree_ns *e, *tmp;

	llist_for_each_entry_safe(e, tmp, list, dead_node) {
		/*
		 * The entry is still hashed and its fields are still set; only its namespace
		 * is gone, and the event names nothing but what the entry holds.
		 */
		if (atomic_read(&nstree_watch_births)) {
			struct nstree_wev ev = {
				.event = NSTREE_EVENT_DIED, .ns_id = e->id,
				.ns_type = e->type, .ns_inum = e->inum,
			};

			nstree_watch_emit(&ev, NULL);
		}
		mutex_lock(&nstree_reg_mutex);
		hash_del_rcu(&e->inum_node);
		list_del_rcu(&e->type_node);
		xa_erase(&nstree_ids, e->id);
		mutex_unlock(&nstree_reg_mutex);
		atomic_long_dec(&nstree_stats.tracked);
		atomic_long_dec(&nstree_stats.dead_pending);
		kfree_rcu(e, rcu);
	}
}

/*
 * The live entry for @ns, or NULL. Caller holds rcu_read_lock() or the mutex. A
 * dead entry may carry the same pointer (the old namespace's memory was reused):
 * its guard is 0 and it is skipped.
 */
static struct nstree_ns *nstree_find_live(struct ns_common *ns)
{
	struct nstree_ns *e;

	hash_for_each_possible_rcu(nstree_by_inum, e, inum_node, ns->inum,
				   lockdep_is_held(&nstree_reg_mutex)) {
		if (e->ns == ns && atomic_read(&e->guard))
			return e;
	}
	return NULL;
}

/*
 * The live entry for @ns, or NULL. The caller pins @ns, and an entry is freed only
 * after its namespace died, so the entry stays valid after RCU is left. Any
 * context: an RCU walk of one hash chain.
 */
static struct nstree_ns *nstree_lookup(struct ns_common *ns)
{
	struct nstree_ns *e;

	rcu_read_lock();
	e = nstree_find_live(ns);
	rcu_read_unlock();
	return e;
}

/**
 * nstree_is_tracked() - does the registry hold a live entry for @ns?
 * @ns: the caller holds a counting reference on @ns, so its inode number is stable
 *
 * Any context, hooks included: an RCU walk of one hash chain, no lock, no sleep.
 *
 * Return: true when an entry for @ns exists. Its owners then have entries too:
 * nstree_register() registered them first, and @ns pins them.
 */
bool nstree_is_tracked(struct ns_common *ns)
{
	return nstree_lookup(ns);
}

/*
 * The ID of @ns's live entry, 0 when it has none. Caller holds the mutex and pins
 * @ns (or @ns is NULL).
 */
static u64 nstree_id_locked(struct ns_common *ns)
{
	struct nstree_ns *e = ns ? nstree_find_live(ns) : NULL;

	return e ? e->id : 0;
}

/*
 * Tell the watchers of a new entry, under the mutex: a watcher that took its
 * snapshot of the next ID under the mutex (module/watch.c) hears of every entry
 * at or above it. @ns is pinned by the registering caller, so it cannot die (and
 * no _DIED can be emitted) before this _CREATED.
 */
static void nstree_announce(struct nstree_ns *e, struct ns_common *ns,
			    const struct nstree_birth *birth)
{
	struct user_namespace *owner;
	struct nstree_wev ev = {
		.event = NSTREE_EVENT_CREATED, .flags = NSTREE_EVENT_F_ACTIVE,
		.ns_id = e->id, .ns_type = e->type, .ns_inum = e->inum,
	};

	lockdep_assert_held(&nstree_reg_mutex);
	if (!atomic_read(&nstree_watch_births))
		return;	/* no watcher: registering costs no lookup for an event */
	owner = nstree_ns_owner(ns);
	ev.owner_id = nstree_id_locked(owner ? &owner->ns : NULL);
	ev.parent_id = nstree_id_locked(nstree_ns_parent(ns));
	if (birth && birth->pid) {
		ev.flags |= NSTREE_EVENT_F_CREATOR;
		ev.birth = *birth;	/* the watchers' rings take their own references */
	}
	nstree_watch_emit(&ev, NULL);
}

/*
 * Create the entry of @ns, whose owner and parent (if any) have entries already.
 * The caller holds a counting reference on @ns for the whole call.
 */
static struct nstree_ns *nstree_register_one(struct ns_common *ns,
					     const struct nstree_birth *birth)
{
	int idx = nstree_type_index(ns->ops->type);
	struct nstree_ns *e, *new;
	int err;

	if (idx < 0 || !nstree_type_ops(idx))
		return ERR_PTR(-EINVAL);

	e = nstree_lookup(ns);
	if (e)
		return e;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return ERR_PTR(-ENOMEM);
	new->ns = ns;
	new->inum = ns->inum;
	new->type = ns->ops->type;
	atomic_set(&new->guard, 1);

	mutex_lock(&nstree_reg_mutex);
	e = nstree_find_live(ns);
	if (e)
		goto out_unlock;
	if (ns == nstree_type_init_ns(idx)) {
		new->id = nstree_init_id(new->type);
	} else {
		new->id = nstree_next_id++;
		atomic_long_inc(&nstree_stats.ids_allocated);
	}
	err = xa_insert(&nstree_ids, new->id, new, GFP_KERNEL);
	if (err) {
		e = ERR_PTR(err);
		goto out_unlock;
	}
	hash_add_rcu(nstree_by_inum, &new->inum_node, new->inum);
	/* The initial namespaces come first at load; later IDs are the largest yet. */
	list_add_tail_rcu(&new->type_node, &nstree_type_lists[idx]);
	atomic_long_inc(&nstree_stats.tracked);
	nstree_note_change();
	e = new;
	new = NULL;
	nstree_announce(e, ns, birth);
out_unlock:
	mutex_unlock(&nstree_reg_mutex);
	kfree(new);
	return e;
}

/*
 * An ancestor of @ns (its owner or its parent, up the chains) that has no entry
 * while all of its own ancestors have one; NULL when every ancestor has an entry.
 * @ns pins its ancestors.
 */
static struct ns_common *nstree_first_unseen_ancestor(struct ns_common *ns)
{
	struct ns_common *x = ns, *up;
	struct user_namespace *owner;

	for (;;) {
		owner = nstree_ns_owner(x);
		up = owner ? &owner->ns : NULL;
		if (!up || nstree_is_tracked(up))
			up = nstree_ns_parent(x);
		if (!up || nstree_is_tracked(up))
			return x == ns ? NULL : x;
		x = up;	/* climbs: the chains end at the initial namespaces */
	}
}

/**
 * nstree_register_birth() - find or create the entry of a namespace
 * @ns: the caller holds a counting reference on @ns for the whole call; @ns pins
 *	its owner and parent chains, so that reference covers them too
 * @birth: who made it (and any owner or parent not seen before), when a birth
 *	hook saw that; may be NULL. Borrowed: the caller keeps its reference on
 *	@birth->pid
 *
 * The entry stays valid for as long as the caller's reference is held: it is only
 * freed after @ns has died. Owners and parents get entries first, from the top, so
 * IDs grow down the tree as upstream's do. The first entry of an initial namespace
 * gets its fixed ID; every other namespace gets the next value of one counter,
 * starting at 9. A new entry is announced to the watchers (_CREATED).
 *
 * Return: the entry, or ERR_PTR(-ENOMEM) / ERR_PTR(-EINVAL) for an unknown type.
 */
struct nstree_ns *nstree_register_birth(struct ns_common *ns, const struct nstree_birth *birth)
{
	struct ns_common *up;
	struct nstree_ns *e;

	e = nstree_lookup(ns);
	if (e)
		return e;
	/*
	 * While a watcher exists, every namespace a task takes on is queued as it is
	 * born, so an owner or parent still unseen here was almost always born in the
	 * same clone() or unshare() (unshare(CLONE_NEWUSER | ...) commits the new
	 * user namespace after the others): it is credited to the same maker.
	 */
	while ((up = nstree_first_unseen_ancestor(ns))) {
		e = nstree_register_one(up, birth);
		if (IS_ERR(e))
			return e;
	}
	return nstree_register_one(ns, birth);
}

/**
 * nstree_register() - nstree_register_birth() with no birth to tell
 * @ns: as there
 *
 * Context: may sleep (it may drain the birth queue, which drops references).
 */
struct nstree_ns *nstree_register(struct ns_common *ns)
{
	struct nstree_ns *e;

	e = nstree_lookup(ns);
	if (e)
		return e;
	/*
	 * A birth hook may have queued @ns with the name of its maker: let the queue
	 * register it first, so that its _CREATED says who made it. (The drain calls
	 * nstree_register_birth(), which never drains: no recursion.)
	 */
	nstree_births_drain();
	return nstree_register_birth(ns, NULL);
}

/**
 * nstree_ns_lineage() - the IDs of a namespace's owner and parent
 * @ns: the caller holds a counting reference on @ns
 * @owner_id: out: its owner's ID, 0 for none
 * @parent_id: out: its parent's ID (pid and user namespaces), 0 for none
 *
 * Return: 0, or a negative errno when an entry could not be made.
 */
int nstree_ns_lineage(struct ns_common *ns, u64 *owner_id, u64 *parent_id)
{
	struct user_namespace *owner = nstree_ns_owner(ns);
	struct ns_common *parent = nstree_ns_parent(ns);
	struct nstree_ns *e;

	*owner_id = 0;
	*parent_id = 0;
	if (owner) {
		e = nstree_register(&owner->ns);
		if (IS_ERR(e))
			return PTR_ERR(e);
		*owner_id = e->id;
	}
	if (parent) {
		e = nstree_register(parent);
		if (IS_ERR(e))
			return PTR_ERR(e);
		*parent_id = e->id;
	}
	return 0;
}

/**
 * nstree_registry_next_id() - the ID the next new entry will get
 *
 * Every entry made from now on has an ID at least this, and is announced to the
 * watchers registered before this call: both happen under the same mutex.
 */
u64 nstree_registry_next_id(void)
{
	u64 id;

	mutex_lock(&nstree_reg_mutex);
	id = nstree_next_id;
	mutex_unlock(&nstree_reg_mutex);
	return id;
}

/**
 * nstree_find_rcu() - the entry with an ID
 * @id: the ID
 *
 * Context: rcu_read_lock(). The entry's memory is valid until rcu_read_unlock(),
 * but its namespace may be dead: use nstree_ns_tryget() to reach it.
 *
 * Return: the entry, or NULL when no entry has this ID.
 */
struct nstree_ns *nstree_find_rcu(u64 id)
{
	if (id > ULONG_MAX)
		return NULL;
	return xa_load(&nstree_ids, id);
}

/**
 * nstree_ns_tryget() - take a counting reference on an entry's namespace
 * @e: an entry whose memory the caller keeps valid (RCU, or a reference on its ns)
 *
 * The guard holds the death hook back while we touch @e->ns: if the guard opens,
 * @e->ns has not passed proc_free_inum() and is not freed until we close it.
 * nstree_ns_get_unless_dead() then refuses a namespace whose count already hit zero.
 *
 * Return: @e->ns with a new counting reference (drop it with nstree_ns_put()),
 * or NULL when the namespace is dying or the registry cannot be trusted.
 */
struct ns_common *nstree_ns_tryget(struct nstree_ns *e)
{
	struct ns_common *ns = NULL;
	unsigned long flags;

	int old;

	if (!nstree_registry_trusted())
		return NULL;
	/*
	 * Interrupts off, not just preemption: a pid namespace dies in softirq, and a
	 * death hook that ran on this CPU in the middle of our window would spin on a
	 * guard only we can release. With interrupts off, a hook waiting on us runs on
	 * another CPU and waits a few instructions.
	 */
	local_irq_save(flags);
	old = atomic_read(&e->guard);
	do {
		/* Dead, or dying: the hook is waiting for the lookups already inside. */
		if (!old || (old & NSTREE_GUARD_CLOSING))
			goto out;
	} while (!atomic_try_cmpxchg(&e->guard, &old, old + 1));	/* fully ordered */
	/* Checked again inside: a miss since the first check must not let us in. */
	if (nstree_registry_trusted() && nstree_ns_get_unless_dead(e->ns))
		ns = e->ns;
	/* Release: our reads of *e->ns happen before the hook can win. */
	atomic_dec_return_release(&e->guard);
out:
	local_irq_restore(flags);
	return ns;
}

/**
 * nstree_get_by_id() - the live namespace with an ID, with a counting reference
 * @id: the namespace ID
 * @type: the CLONE_NEW* type it must have, or 0 for any
 * @ep: out, may be NULL: its entry, which stays live while the reference is held
 *
 * Return: the namespace with a new reference (drop it with nstree_ns_put()), or
 * NULL for an unknown ID, a dying namespace or another type.
 */
struct ns_common *nstree_get_by_id(u64 id, u32 type, struct nstree_ns **ep)
{
	struct ns_common *ns = NULL;
	struct nstree_ns *e;

	rcu_read_lock();
	e = nstree_find_rcu(id);
	/* An entry's type never changes: it may be read before the reference. */
	if (e && (!type || e->type == type))
		ns = nstree_ns_tryget(e);
	rcu_read_unlock();
	if (ns && ep)
		*ep = e;
	return ns;
}

/**
 * nstree_get_openable() - the namespace with an ID, if the caller may open it
 * @id: the namespace ID
 * @type: the CLONE_NEW* type it must have, or 0 for any
 * @ep: out, may be NULL: its entry, which stays live while the reference is held
 *
 * nstree_get_by_id() and nstree_may_open() in one: what open by ID does on every
 * path that has no stashed dentry to go through.
 *
 * Return: the namespace with a new reference (drop it with nstree_ns_put()), or
 * ERR_PTR(-ENOENT) for an unknown or dead ID, another type, or one the caller may
 * not open (nstree_may_open() says ENOENT, so that nothing tells them apart).
 */
struct ns_common *nstree_get_openable(u64 id, u32 type, struct nstree_ns **ep)
{
	struct ns_common *ns = nstree_get_by_id(id, type, ep);
	int err;

	if (!ns)
		return ERR_PTR(-ENOENT);
	err = nstree_may_open(ns);
	if (err) {
		nstree_ns_put(ns);
		return ERR_PTR(err);
	}
	return ns;
}

/**
 * nstree_adjacent_get() - the next or previous live namespace of the same type
 * @e: a live entry (the caller holds a reference on its namespace)
 * @next: true for the next higher ID, false for the next lower one
 * @visible: with the reference held, whether the caller may have this one
 *
 * Walks @e's type list in ID order under the mutex (which keeps entries hashed),
 * skipping dying namespaces and those @visible refuses. @visible is called with the
 * mutex held: it must not sleep long or take registry locks. The walk reschedules
 * as it goes and stops for a fatal signal.
 *
 * Return: the namespace with a new reference, NULL at the end of the list, or
 * ERR_PTR(-EINTR).
 */
struct ns_common *nstree_adjacent_get(struct nstree_ns *e, bool next,
				      bool (*visible)(struct ns_common *ns))
{
	struct list_head *head = &nstree_type_lists[nstree_type_index(e->type)];
	struct ns_common *ns = NULL, *skip[8];
	struct nstree_ns *pos = e;
	int nskip = 0, i;

	mutex_lock(&nstree_reg_mutex);
	for (;;) {
		struct list_head *l = next ? pos->type_node.next : pos->type_node.prev;

		if (l == head)
			break;
		if (fatal_signal_pending(current)) {
			ns = ERR_PTR(-EINTR);
			break;
		}
		cond_resched();	/* the mutex may be held across it; the reap work waits */
		pos = list_entry(l, struct nstree_ns, type_node);
		ns = nstree_ns_tryget(pos);
		if (!ns)
			continue;
		if (visible(ns))
			break;
		/*
		 * Not visible: drop its reference outside the mutex (a put may sleep and
		 * may end in the reap work, which takes the mutex). The reference on @pos
		 * itself is kept: it keeps @pos live, hence on the list, while unlocked.
		 */
		skip[nskip++] = ns;
		ns = NULL;
		if (nskip == ARRAY_SIZE(skip)) {
			mutex_unlock(&nstree_reg_mutex);
			for (i = 0; i < nskip - 1; i++)
				nstree_ns_put(skip[i]);
			skip[0] = skip[nskip - 1];
			nskip = 1;
			mutex_lock(&nstree_reg_mutex);
		}
	}
	mutex_unlock(&nstree_reg_mutex);
	for (i = 0; i < nskip; i++)
		nstree_ns_put(skip[i]);
	return ns;
}

/* nstree_register() gives @ns's owner and parent chains their entries too. */
static int nstree_discover_ns(struct ns_common *ns, void *arg)
{
	return PTR_ERR_OR_ZERO(nstree_register(ns));
}

/**
 * nstree_next_rcu() - the first live entry at or after an ID, without a reference
 * @index: in: the smallest ID wanted; out: the ID of the entry returned
 *
 * Context: rcu_read_lock(). The entry's memory is valid until rcu_read_unlock();
 * its id, type and active_gen may be read, its namespace may not be touched.
 *
 * Return: the entry, or NULL.
 */
struct nstree_ns *nstree_next_rcu(unsigned long *index)
{
	struct nstree_ns *e;

	for (e = xa_find(&nstree_ids, index, ULONG_MAX, XA_PRESENT); e;
	     e = xa_find_after(&nstree_ids, index, ULONG_MAX, XA_PRESENT)) {
		if (atomic_read(&e->guard))
			break;
	}
	return e;
}

/**
 * nstree_next_get() - the first entry at or after an ID whose namespace is alive
 * @index: in: the smallest ID wanted; out: the ID of the entry returned
 * @nsp: out: the entry's namespace, with a new reference
 *
 * Return: the entry (live for as long as the reference is held), or NULL.
 */
struct nstree_ns *nstree_next_get(unsigned long *index, struct ns_common **nsp)
{
	struct nstree_ns *e;
	struct ns_common *ns;

	rcu_read_lock();
	for (e = xa_find(&nstree_ids, index, ULONG_MAX, XA_PRESENT); e;
	     e = xa_find_after(&nstree_ids, index, ULONG_MAX, XA_PRESENT)) {
		ns = nstree_ns_tryget(e);
		if (ns) {
			*nsp = ns;
			break;
		}
	}
	rcu_read_unlock();
	return e;
}

/* The size of the inode hash's buckets, for what a tracked namespace costs (stats). */
size_t nstree_registry_hash_bytes(void)
{
	return sizeof(nstree_by_inum);
}

static void nstree_free_all(void)
{
	struct nstree_ns *e;
	unsigned long id;

	/* The hook is gone and no lookup runs: nothing else touches the tables. */
	nstree_reap_work_fn(NULL);
	xa_for_each(&nstree_ids, id, e) {
		xa_erase(&nstree_ids, id);
		hash_del_rcu(&e->inum_node);
		list_del_rcu(&e->type_node);
		atomic_long_dec(&nstree_stats.tracked);
		kfree_rcu(e, rcu);
	}
}

/**
 * nstree_registry_init() - hook deaths, register the initial namespaces, discover
 *
 * The death hook is armed before the first entry exists, so no entry can ever
 * miss the death of its namespace.
 *
 * Return: 0 or a negative errno; on error nothing is left behind.
 */
int nstree_registry_init(void)
{
	struct ns_common *ns;
	int i, err;

	init_irq_work(&nstree_reap_irq_work, nstree_reap_irq_work_fn);
	err = nstree_types_init();
	if (err)
		return err;
	err = nstree_hook_register(&nstree_death_hook);
	if (err) {
		/* One line that says why nothing else works: a namespace's death is unseen. */
		pr_err("nstree: cannot hook proc_free_inum (%d): needs ftrace or kprobes; not loading\n",
		       err);
		return err;
	}
	for (i = 0; i < NSTREE_NR_TYPES; i++) {
		ns = nstree_type_init_ns(i);
		if (ns && IS_ERR(nstree_register(ns))) {
			err = -ENOMEM;
			goto fail;
		}
	}
	/* Every thread's namespaces exist now: give them IDs in discovery order. */
	err = nstree_visit_task_namespaces(nstree_discover_ns, NULL);
	if (err)
		goto fail;
	return 0;
fail:
	nstree_registry_exit();
	return err;
}

/**
 * nstree_registry_exit() - disarm the death hook and free every entry
 *
 * Called when no nstreefs file and no control-device file exists (both pin the
 * module), so nothing can look an entry up any more.
 */
void nstree_registry_exit(void)
{
	nstree_hook_unregister(&nstree_death_hook);	/* waits for running hits */
	irq_work_sync(&nstree_reap_irq_work);
	cancel_work_sync(&nstree_reap_work);
	nstree_free_all();
}
