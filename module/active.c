// SPDX-License-Identifier: GPL-2.0
/*
 * Which namespaces are active, by upstream's definition (7.0): used by a task
 * (every thread's namespaces, its children's pid and time namespaces, the user
 * namespace of its credentials until it is reaped, its pid namespace while its pid
 * is allocated), held by an nsfs or nstreefs inode (an open fd, a bind mount), or
 * owning an active namespace, up the chain; the initial namespaces always are.
 *
 * These kernels keep no active count, so we compute the set: a scan of every
 * thread plus a look at every entry's nsfs and nstreefs dentries, marking entries
 * with the scan's generation and propagating to owners. The result is reused until
 * something that can change it happens; cheap hooks on those paths count changes
 * (nstree_note_change()). A hook on nsfs inode creation also queues namespaces
 * the registry has not seen (one created and bind-mounted by a process that then
 * exited is otherwise invisible to a scan).
 *
 * Every handler here may run from int3 (NMI-like context): no locks, no sleeping,
 * only atomics, RCU reads, cmpxchg into the ring and irq_work.
 */
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include "hook.h"
#include "nstree.h"
#include "compat/compat.h"

atomic_long_t nstree_changes = ATOMIC_LONG_INIT(0);

static DEFINE_MUTEX(nstree_scan_mutex);
static u64 nstree_scan_gen;		/* under nstree_scan_mutex */
static long nstree_scanned_changes;	/* nstree_changes when that scan started */
static bool nstree_scan_valid;

/*
 * Namespaces whose nsfs inode was just created, or that a birth hook saw a task
 * take on, each with a counting reference, waiting for the ring work to register
 * them. A slot goes FREE -> FILLING (a hook claims it) -> READY -> TAKEN (a drain
 * claims it) -> FREE; every step is one atomic, so hooks never wait on a drain.
 */
#define NSTREE_RING_SIZE 1024
enum { NSTREE_SLOT_FREE, NSTREE_SLOT_FILLING, NSTREE_SLOT_READY, NSTREE_SLOT_TAKEN };

struct nstree_ring_slot {
	atomic_t state;
	struct ns_common *ns;		/* counting reference */
	struct nstree_birth birth;	/* birth.pid: counting reference, or NULL */
};

static struct nstree_ring_slot nstree_ring[NSTREE_RING_SIZE];
static atomic_t nstree_ring_hint = ATOMIC_INIT(0);
static atomic_t nstree_ring_queued = ATOMIC_INIT(0);	/* entries in the ring, or more */

/* Births the ring had no room for, while someone watched: reported as one _LOST. */
static atomic_long_t nstree_births_dropped = ATOMIC_LONG_INIT(0);

/**
 * nstree_births_drain() - register what the hooks queued, now
 *
 * Context: may sleep (it drops namespace references).
 */
void nstree_births_drain(void)
{
	struct nstree_ring_slot *slot;
	struct nstree_birth birth;
	struct ns_common *ns;
	int i;

	long dropped = atomic_long_read(&nstree_births_dropped) ?
		       atomic_long_xchg(&nstree_births_dropped, 0) : 0;

	if (dropped) {
		/*
		 * The watchers hear that births went by unseen; the scan this change
		 * note starts (while someone watches activity) registers those namespaces
		 * a task uses, as _CREATED without a maker.
		 */
		struct nstree_wev ev = { .event = NSTREE_EVENT_LOST, .lost = dropped };

		nstree_watch_emit(&ev, NULL);
		nstree_note_change();
	}
	/* Cheap when empty: a listing calls this every time. */
	if (!atomic_read(&nstree_ring_queued))
		return;
	for (i = 0; i < NSTREE_RING_SIZE; i++) {
		slot = &nstree_ring[i];
		if (atomic_read(&slot->state) != NSTREE_SLOT_READY ||
		    atomic_cmpxchg_acquire(&slot->state, NSTREE_SLOT_READY,
					   NSTREE_SLOT_TAKEN) != NSTREE_SLOT_READY)
			continue;
		ns = slot->ns;
		birth = slot->birth;
		atomic_set_release(&slot->state, NSTREE_SLOT_FREE);
		atomic_dec(&nstree_ring_queued);
		/* -ENOMEM: seen again by a later scan, as a namespace with no birth record */
		nstree_register_birth(ns, birth.pid ? &birth : NULL);
		put_pid(birth.pid);
		nstree_ns_put(ns);
	}
}

static void nstree_ring_work_fn(struct work_struct *w)
{
	nstree_births_drain();
}

static DECLARE_WORK(nstree_ring_work, nstree_ring_work_fn);

static void nstree_ring_irq_work_fn(struct irq_work *w)
{
	schedule_work(&nstree_ring_work);
}

static struct irq_work nstree_ring_irq_work;

/*
 * Queue @ns for registration, with the current task as its maker when @creator.
 * The caller holds a reference on @ns (or something that pins it) for the whole
 * call, so ours is never the first nor the last. NMI-safe: atomics only (get_pid()
 * is one). Returns false when the ring is full (nothing queued). The initial pid
 * namespace takes no reference, and needs none: it is registered at load.
 */
static bool nstree_ring_push(struct ns_common *ns, bool creator)
{
	struct nstree_ring_slot *slot;
	unsigned int start, i;

	if (!nstree_ns_get_nonlast(ns))
		return true;
	start = atomic_inc_return(&nstree_ring_hint);
	/* Counted before it is visible, so a drain that sees it never takes the count below 0. */
	atomic_inc(&nstree_ring_queued);
	for (i = 0; i < NSTREE_RING_SIZE; i++) {
		slot = &nstree_ring[(start + i) % NSTREE_RING_SIZE];
		if (atomic_cmpxchg(&slot->state, NSTREE_SLOT_FREE, NSTREE_SLOT_FILLING) !=
		    NSTREE_SLOT_FREE)
			continue;
		slot->ns = ns;
		slot->birth.pid = creator ? get_pid(task_tgid(current)) : NULL;
		if (creator)
			memcpy(slot->birth.comm, current->comm, sizeof(slot->birth.comm));
		atomic_set_release(&slot->state, NSTREE_SLOT_READY);
		irq_work_queue(&nstree_ring_irq_work);
		return true;
	}
	atomic_dec(&nstree_ring_queued);
	nstree_ns_put_nonlast(ns);	/* the caller's reference remains */
	return false;
}

/*
 * A birth hook: queue the namespaces that @nsp and @cred name and @old_nsp and
 * @old_cred do not (the task's before and after clone(), unshare() or
 * commit_creds()) and the registry has not seen, as made by the current task.
 * Namespaces the task had before are not its births, even when the registry has
 * not met them yet. Only while someone watches: otherwise a namespace gets its
 * entry when a listing or a lookup first meets it. Any context: atomics only.
 */
static void nstree_queue_births(struct nsproxy *nsp, const struct cred *cred,
				struct nsproxy *old_nsp, const struct cred *old_cred)
{
	struct ns_common *ns[NSTREE_NR_TYPES + 1], *old[NSTREE_NR_TYPES + 1];
	int i, j, n, n_old;

	if (!atomic_read(&nstree_watch_births))
		return;
	n = nstree_task_namespaces_of(nsp, cred, ns);
	n_old = nstree_task_namespaces_of(old_nsp, old_cred, old);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n_old && old[j] != ns[i]; j++)
			;
		if (j < n_old || nstree_is_tracked(ns[i]))
			continue;
		if (!nstree_ring_push(ns[i], true)) {
			atomic_long_inc(&nstree_stats.ring_overflows);
			atomic_long_inc(&nstree_births_dropped);
		}
	}
}

/* nsfs_init_inode(inode, ns) on 6.9+, __ns_get_path(path, ns) before: @ns is argument 1. */
static void nstree_nsfs_new_hit(unsigned long arg0, unsigned long arg1)
{
	struct ns_common *ns = (struct ns_common *)arg1;

	/*
	 * The change itself is noted once the new inode is stashed (the return hooks
	 * below): here the registry learns namespaces it has not seen. Most hits are
	 * /proc/PID/ns lookups of namespaces the registry already has: queueing those
	 * would cost an irq_work and a worker wakeup each (under TCG it doubled lsns's
	 * time). The caller's reference keeps @ns alive for the lookup.
	 */
	if (ns && !nstree_is_tracked(ns) && !nstree_ring_push(ns, false))
		atomic_long_inc(&nstree_stats.ring_overflows);
}

/*
 * iterate_fd() callback, under the files' spinlock: queue the namespace of an nsfs
 * file (the file pins it). When the ring is full, stop and say where (fd + 1).
 */
static int nstree_queue_nsfs_fd(const void *arg, struct file *file, unsigned int fd)
{
	struct inode *inode = file_inode(file);

	if (inode->i_sb->s_magic != NSFS_MAGIC || !inode->i_private)
		return 0;
	return nstree_ring_push(inode->i_private, false) ? 0 : fd + 1;
}

/* Queue the namespaces of @t's open nsfs files, draining the ring whenever it fills. */
static int nstree_queue_task_fds(struct task_struct *t, void *arg)
{
	unsigned int start = 0;
	int stopped;

	do {
		task_lock(t);	/* keeps t->files; iterate_fd() takes its lock */
		stopped = t->files ? iterate_fd(t->files, start, nstree_queue_nsfs_fd, NULL) : 0;
		task_unlock(t);
		nstree_births_drain();
		if (stopped)
			start = stopped - 1;	/* retry that fd with an empty ring */
	} while (stopped);
	return 0;
}

/*
 * The change hooks. Each notes a change only once the change is visible to a scan:
 * a note made before it (at the entry of the function that makes it) could be
 * consumed by a scan that still sees the old state, which would then pass for
 * current until some other change. So changes made inside a function are noted on
 * its return; a new task is noted at wake_up_new_task(), once it is on the task
 * list; an nsfs inode's end at nsfs_evict(), after ->d_prune() cleared ns->stashed.
 *
 * And each hooks a function its callers reach across files: inside its own file a
 * call may be inlined, and a hook on the function then never sees it. In
 * kernel/nsproxy.c, exit_task_namespaces() and setns()'s commit_nsset() inline
 * switch_task_namespaces() on 6.1 and 6.12, so a hook on that alone never sees an
 * exit: the task-exit and setns() hooks are on exit_task_namespaces() (called
 * from do_exit()) and the syscall wrappers.
 */
static void nstree_change_ret(void)
{
	nstree_note_change();
}

static void nstree_change_hit(unsigned long arg0, unsigned long arg1)
{
	nstree_note_change();
}

/*
 * switch_task_namespaces(p, new): an exiting task that shares its nsproxy changes
 * nothing. On entry, before the switch, the namespaces @new has and the task's
 * old nsproxy has not are births (unshare(); exec's move to the time namespace for
 * children names none): the caller holds @new, and p (always current: unshare,
 * setns and exec switch their own) holds the old one.
 */
static bool nstree_switch_ns_filter(unsigned long arg0, unsigned long arg1)
{
	struct task_struct *t = (struct task_struct *)arg0;
	struct nsproxy *new = (struct nsproxy *)arg1;
	struct nsproxy *old = READ_ONCE(t->nsproxy);

	if (new && t == current) {
		const struct cred *cred = current_cred();

		nstree_queue_births(new, cred, old, cred);
	}

	return new || !old || !nstree_nsproxy_shared(old);
}

/*
 * exit_task_namespaces(p), exit_signals(p): a task that shares its nsproxy leaves its
 * namespaces in use.
 */
static bool nstree_exit_ns_filter(unsigned long arg0, unsigned long arg1)
{
	struct task_struct *t = (struct task_struct *)arg0;
	struct nsproxy *old = READ_ONCE(t->nsproxy);

	return old && !nstree_nsproxy_shared(old);
}

/* exec_task_namespaces(): only a task with a time namespace for children switches. */
static bool nstree_exec_ns_filter(unsigned long arg0, unsigned long arg1)
{
	struct nsproxy *nsp = current->nsproxy;

	return nsp->time_ns_for_children != nsp->time_ns;
}

/* release_task(p): reaping a task of the initial user and pid namespaces changes nothing. */
static bool nstree_release_task_filter(unsigned long arg0, unsigned long arg1)
{
	struct task_struct *t = (struct task_struct *)arg0;
	bool initial;

	rcu_read_lock();
	initial = rcu_dereference(t->real_cred)->user_ns == &init_user_ns &&
		  task_active_pid_ns(t) == &init_pid_ns;
	rcu_read_unlock();
	return !initial;
}

/*
 * commit_creds(new): only a change of user namespace matters. A new child of the
 * current user namespace is a birth (unshare(CLONE_NEWUSER) commits it last);
 * setns() into a user namespace commits one that had a file, so the registry has
 * met it already (the nsfs hook) and no birth is queued.
 */
static bool nstree_commit_creds_filter(unsigned long arg0, unsigned long arg1)
{
	const struct cred *new = (const struct cred *)arg0;
	const struct cred *old;
	bool same;

	rcu_read_lock();
	old = rcu_dereference(current->real_cred);
	same = new->user_ns == old->user_ns;
	if (!same && new->user_ns->parent == old->user_ns)
		nstree_queue_births(NULL, new, NULL, old);
	rcu_read_unlock();
	return !same;
}

/*
 * path_from_stashed(stashed, mnt, data, path) (6.9+, nsfs and pidfs): a new nsfs
 * inode is stashed before it returns. A stash that holds a dentry already is a hit
 * (or a dentry about to die, whose nsfs_evict() will be noted after our return).
 */
static bool nstree_path_from_stashed_filter(unsigned long arg0, unsigned long arg1)
{
	struct dentry **stashed = (struct dentry **)arg0;
	struct vfsmount *mnt = (struct vfsmount *)arg1;

	return mnt->mnt_sb->s_magic == NSFS_MAGIC && !READ_ONCE(*stashed);
}

/* __ns_get_path(path, ns) (before 6.9): the same, with the stash in the namespace. */
static bool nstree_ns_get_path_filter(unsigned long arg0, unsigned long arg1)
{
	return !nstree_nsfs_held((struct ns_common *)arg1);
}

/*
 * wake_up_new_task(p), called by the parent once @p is on the task list: a child
 * with an nsproxy or a user namespace of its own makes those active.
 */
static void nstree_new_task_hit(unsigned long arg0, unsigned long arg1)
{
	struct task_struct *p = (struct task_struct *)arg0;
	const struct cred *mine, *its;
	bool same;

	rcu_read_lock();
	mine = rcu_dereference(current->real_cred);
	its = rcu_dereference(p->real_cred);
	same = READ_ONCE(p->nsproxy) == current->nsproxy && its->user_ns == mine->user_ns;
	/*
	 * @p has not run yet: its nsproxy and credentials are what clone() gave it, and
	 * what differs from ours (the parent's) was born in this clone().
	 */
	if (!same)
		nstree_queue_births(p->nsproxy, its, current->nsproxy, mine);
	rcu_read_unlock();
	if (!same)
		nstree_note_change();
}

static struct nstree_hook nstree_change_hooks[] = {
	{ .symbol = "nsfs_evict",		.fn = nstree_change_hit },
	{ .symbol = "wake_up_new_task",		.fn = nstree_new_task_hit },
};

static struct nstree_ret_hook nstree_change_ret_hooks[] = {
	/* unshare() (kernel/fork.c) */
	{ .symbol = "switch_task_namespaces", .filter = nstree_switch_ns_filter,
	  .fn = nstree_change_ret },
	{ .symbol = "exit_task_namespaces", .filter = nstree_exit_ns_filter,
	  .fn = nstree_change_ret },
	/* do_exit() sets PF_EXITING: the scan stops counting the task's nsproxy */
	{ .symbol = "exit_signals", .filter = nstree_exit_ns_filter, .fn = nstree_change_ret,
	  .optional = true },
	/* exec enters the time namespace for children (6.12; 6.1 has no such step) */
	{ .symbol = "exec_task_namespaces", .filter = nstree_exec_ns_filter,
	  .fn = nstree_change_ret, .optional = true },
	/* setns(): x86-64 and its 32-bit entry (the module is built for x86-64) */
	{ .symbol = "__x64_sys_setns", .fn = nstree_change_ret },
	{ .symbol = "__ia32_sys_setns", .fn = nstree_change_ret, .optional = true },
	{ .symbol = "release_task", .filter = nstree_release_task_filter, .fn = nstree_change_ret },
	{ .symbol = "commit_creds", .filter = nstree_commit_creds_filter, .fn = nstree_change_ret },
};

/* Where a new nsfs inode is stashed: the first of these the kernel has. */
static struct nstree_ret_hook nstree_nsfs_stash_hooks[] = {
	{ .symbol = "path_from_stashed", .filter = nstree_path_from_stashed_filter,
	  .fn = nstree_change_ret },
	{ .symbol = "__ns_get_path", .filter = nstree_ns_get_path_filter, .fn = nstree_change_ret },
};

static struct nstree_ret_hook *nstree_nsfs_stash_hook;

/* The nsfs inode constructor: its name depends on the kernel, not on a version number. */
static struct nstree_hook nstree_nsfs_hook = { .fn = nstree_nsfs_new_hit };
static const char * const nstree_nsfs_new_syms[] = { "nsfs_init_inode", "__ns_get_path" };

/**
 * nstree_active_hooks_missed() - hits of the activity hooks that did not run (debugfs)
 */
unsigned long nstree_active_hooks_missed(void)
{
	unsigned long n = nstree_hook_missed(&nstree_nsfs_hook);
	int i;

	for (i = 0; i < ARRAY_SIZE(nstree_change_hooks); i++)
		n += nstree_hook_missed(&nstree_change_hooks[i]);
	for (i = 0; i < ARRAY_SIZE(nstree_change_ret_hooks); i++)
		n += nstree_ret_hook_missed(&nstree_change_ret_hooks[i]);
	if (nstree_nsfs_stash_hook)
		n += nstree_ret_hook_missed(nstree_nsfs_stash_hook);
	return n;
}

/*
 * Changes, plus every hit a change hook could not run: a missed change must force
 * a rescan, never leave a stale set looking current.
 */
static long nstree_changes_seen(void)
{
	return atomic_long_read(&nstree_changes) + nstree_active_hooks_missed();
}

/* Mark @ns (the caller holds a reference) and its owner chain active in generation *@arg. */
static int nstree_mark_ns(struct ns_common *ns, void *arg)
{
	u64 gen = *(u64 *)arg;
	struct user_namespace *owner;
	struct nstree_ns *e = nstree_register(ns);

	if (IS_ERR(e))
		return PTR_ERR(e);
	if (READ_ONCE(e->active_gen) == gen)
		return 0;	/* marked already, and so were its owners */
	WRITE_ONCE(e->active_gen, gen);
	for (owner = nstree_ns_owner(ns); owner; owner = owner->parent) {
		e = nstree_register(&owner->ns);
		if (IS_ERR(e))
			return PTR_ERR(e);
		if (READ_ONCE(e->active_gen) == gen)
			break;
		WRITE_ONCE(e->active_gen, gen);
	}
	return 0;
}

/* Mark every registered namespace an nsfs or nstreefs dentry holds. */
static int nstree_mark_held(u64 gen)
{
	unsigned long index = 0;
	struct ns_common *ns;
	struct nstree_ns *e;
	int err = 0;

	while (!err && (e = nstree_next_get(&index, &ns))) {
		/* Our reference keeps @e live; e->stashed is read without one, as a hint. */
		if (nstree_nsfs_held(ns) || READ_ONCE(e->stashed))
			err = nstree_mark_ns(ns, &gen);
		nstree_ns_put(ns);
		index++;
		cond_resched();
	}
	return err;
}

/**
 * nstree_active_lock() - bring the active set up to date and hold it steady
 * @gen: out: the generation that active entries carry
 *
 * Rescans only when something changed since the last scan. Until
 * nstree_active_unlock(), no other scan can start, so nstree_is_active() with
 * @gen stays meaningful.
 *
 * Return: 0, -EINTR on a fatal signal, or -ENOMEM.
 */
int nstree_active_lock(u64 *gen)
{
	long changes;
	int err;

	nstree_births_drain();
	err = mutex_lock_killable(&nstree_scan_mutex);
	if (err)
		return err;
	changes = nstree_changes_seen();
	if (!nstree_scan_valid || changes != nstree_scanned_changes) {
		u64 next = nstree_scan_gen + 1;

		atomic_long_inc(&nstree_stats.scans);
		err = nstree_visit_task_namespaces(nstree_mark_ns, &next);
		if (!err)
			err = nstree_mark_held(next);
		/* A failed scan leaves marks of @next behind: never reuse that number. */
		nstree_scan_gen = next;
		nstree_scan_valid = !err;
		nstree_scanned_changes = changes;
		if (err) {
			mutex_unlock(&nstree_scan_mutex);
			return err;
		}
	}
	*gen = nstree_scan_gen;
	return 0;
}

/**
 * nstree_active_unlock() - let the next scan run
 */
void nstree_active_unlock(void)
{
	mutex_unlock(&nstree_scan_mutex);
}

/**
 * nstree_is_active() - was an entry active in a scan generation?
 * @e: an entry the caller keeps valid
 * @gen: from nstree_active_lock(), still held
 *
 * Return: true for the initial namespaces and entries the scan marked.
 */
bool nstree_is_active(struct nstree_ns *e, u64 gen)
{
	return e->id <= NSTREE_NR_TYPES || READ_ONCE(e->active_gen) == gen;
}

static void nstree_hooks_unregister(struct nstree_hook *hooks, int n)
{
	while (--n >= 0)
		nstree_hook_unregister(&hooks[n]);
}

static void nstree_ret_hooks_unregister(struct nstree_ret_hook *hooks, int n)
{
	while (--n >= 0)
		nstree_ret_hook_unregister(&hooks[n]);
}

/* Register @n hooks; on error, unregister those done and say which one failed. */
static int nstree_hooks_register(struct nstree_hook *hooks, int n)
{
	int i, err;

	for (i = 0; i < n; i++) {
		err = nstree_hook_register(&hooks[i]);
		if (err) {
			pr_err("nstree: cannot hook %s (%d)\n", hooks[i].symbol, err);
			nstree_hooks_unregister(hooks, i);
			return err;
		}
	}
	return 0;
}

static int nstree_ret_hooks_register(struct nstree_ret_hook *hooks, int n)
{
	int i, err;

	for (i = 0; i < n; i++) {
		err = nstree_ret_hook_register(&hooks[i]);
		if (err) {
			pr_err("nstree: cannot hook the return of %s (%d)\n", hooks[i].symbol, err);
			nstree_ret_hooks_unregister(hooks, i);
			return err;
		}
	}
	return 0;
}

/* The first of the nsfs hooks this kernel has: the constructor's entry, the stash's return. */
static int nstree_nsfs_hooks_register(void)
{
	int i, err = -ENOENT;

	for (i = 0; i < ARRAY_SIZE(nstree_nsfs_new_syms) && err; i++) {
		nstree_nsfs_hook.symbol = nstree_nsfs_new_syms[i];
		err = nstree_hook_register(&nstree_nsfs_hook);
	}
	if (err) {
		pr_err("nstree: cannot hook nsfs inode creation (%d)\n", err);
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(nstree_nsfs_stash_hooks); i++) {
		err = nstree_ret_hook_register(&nstree_nsfs_stash_hooks[i]);
		if (!err) {
			nstree_nsfs_stash_hook = &nstree_nsfs_stash_hooks[i];
			return 0;
		}
	}
	pr_err("nstree: cannot hook the stashing of nsfs inodes (%d)\n", err);
	nstree_hook_unregister(&nstree_nsfs_hook);
	return err;
}

static void nstree_nsfs_hooks_unregister(void)
{
	nstree_ret_hook_unregister(nstree_nsfs_stash_hook);
	nstree_nsfs_stash_hook = NULL;
	nstree_hook_unregister(&nstree_nsfs_hook);
}

/* Hooks gone: wait for the ring work and drop the references still queued. */
static void nstree_ring_stop(void)
{
	irq_work_sync(&nstree_ring_irq_work);
	cancel_work_sync(&nstree_ring_work);
	nstree_births_drain();
}

/**
 * nstree_active_init() - arm the change hooks and the nsfs inode hooks
 *
 * Return: 0 or a negative errno; on error nothing is left registered.
 */
int nstree_active_init(void)
{
	int err;

	init_irq_work(&nstree_ring_irq_work, nstree_ring_irq_work_fn);
	err = nstree_hooks_register(nstree_change_hooks, ARRAY_SIZE(nstree_change_hooks));
	if (err)
		return err;
	err = nstree_ret_hooks_register(nstree_change_ret_hooks,
					ARRAY_SIZE(nstree_change_ret_hooks));
	if (err)
		goto out_hooks;
	err = nstree_nsfs_hooks_register();
	if (err)
		goto out_ret_hooks;
	/*
	 * Namespaces held by fds opened before load: from now on the hook above sees
	 * every new nsfs inode, so one pass over the fd tables completes the registry
	 * for fds. (Bind mounts made before load are not reachable this way.)
	 */
	err = nstree_visit_threads(nstree_queue_task_fds, NULL);
	if (!err)
		return 0;
	nstree_nsfs_hooks_unregister();
	nstree_ring_stop();
out_ret_hooks:
	nstree_ret_hooks_unregister(nstree_change_ret_hooks, ARRAY_SIZE(nstree_change_ret_hooks));
out_hooks:
	nstree_hooks_unregister(nstree_change_hooks, ARRAY_SIZE(nstree_change_hooks));
	return err;
}

/**
 * nstree_active_exit() - disarm the hooks and drop the queued references
 */
void nstree_active_exit(void)
{
	nstree_nsfs_hooks_unregister();
	nstree_ret_hooks_unregister(nstree_change_ret_hooks, ARRAY_SIZE(nstree_change_ret_hooks));
	nstree_hooks_unregister(nstree_change_hooks, ARRAY_SIZE(nstree_change_hooks));
	nstree_ring_stop();
}
