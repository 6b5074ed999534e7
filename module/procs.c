// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_PROCS: the process table a /proc walk would build (pid, parent, uid,
 * command and the inode of each namespace), in one call, so that a listing of
 * 10,000 namespaces does not cost 50,000 system calls.
 *
 * Processes are collected with a task reference under RCU, then visited one by one
 * where we may sleep (nstree_visit_processes()); each namespace is reached through
 * its type's ->get(task), exactly as /proc/PID/ns/TYPE does, and released at once.
 * The table is built in kernel memory and copied out in one piece, so a fault never
 * leaves a partial table behind. Each process passes /proc's checks first, asked of
 * the caller's /proc (proc_view.c): a process /proc hides gets no row, and one whose
 * ns links /proc refuses gets a row without namespaces, as a /proc walk would see.
 * Those checks are a path walk per process, the better part of the call: a caller
 * may ask for a shard of the pids (NSTREE_PROCS_SHARD), one call per CPU at once.
 */
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include "nstree.h"

/* Validation apart from action: sizes, flags, reserved fields, limits. */
static int nstree_procs_check(const void *req)
{
	const struct nstree_procs *a = req;

	if (a->flags & ~NSTREE_PROCS_SHARD)
		return -EINVAL;
	if (a->flags & NSTREE_PROCS_SHARD) {
		if (!a->nr_shards || a->nr_shards > NSTREE_PROCS_SHARDS_MAX ||
		    a->shard >= a->nr_shards)
			return -EINVAL;
	} else if (a->shard || a->nr_shards) {
		return -EINVAL;
	}
	if (a->proc_size != sizeof(struct nstree_proc))
		return -EINVAL;
	if (a->nr_procs > NSTREE_PROCS_MAX)
		return -EOVERFLOW;
	return 0;
}

struct nstree_procs_table {
	struct nstree_proc *rows;
	size_t cap, filled;
	struct pid_namespace *pidns;
	struct user_namespace *userns;
	u32 shard, nr_shards;		/* nr_shards 1: the whole table */
	struct nstree_proc_view view;	/* the caller's /proc */
};

/*
 * Fill @p for @t (the caller holds a task reference). Returns 0 for a process that
 * gets no row: one without namespaces (exiting: its nsproxy is gone, /proc/PID/ns/
 * fails too), without a pid in the caller's namespace, of another shard, or hidden
 * by the caller's /proc; 1 for a row; or a negative errno. May sleep.
 */
static int nstree_proc_fill(struct task_struct *t, struct nstree_procs_table *tb,
			    struct nstree_proc *p)
{
	const struct proc_ns_operations *ops;
	struct ns_common *ns;
	int access, i;
	bool alive;

	task_lock(t);
	alive = t->nsproxy;
	task_unlock(t);
	if (!alive)
		return 0;
	memset(p, 0, sizeof(*p));
	rcu_read_lock();
	p->pid = task_tgid_nr_ns(t, tb->pidns);
	p->ppid = task_tgid_nr_ns(rcu_dereference(t->real_parent), tb->pidns);
	p->uid = from_kuid_munged(tb->userns, task_euid(t));
	rcu_read_unlock();
	if (!p->pid || p->pid % tb->nr_shards != tb->shard)
		return 0;
	access = nstree_proc_ns_access(&tb->view, p->pid);
	if (access < 0 || access == NSTREE_PROC_HIDDEN)
		return access < 0 ? access : 0;
	p->nr_threads = get_nr_threads(t);
	__get_task_comm(p->comm, sizeof(p->comm), t);
	if (access != NSTREE_PROC_ALL)
		return 1;	/* /proc/PID/ns/ says EACCES: a row without namespaces */
	for (i = 0; i < NSTREE_NR_TYPES; i++) {
		ops = nstree_type_ops(i);
		/* ->get() takes a counting reference (or NULL for an exiting task)... */
		ns = ops ? ops->get(t) : NULL;
		if (!ns)
			continue;
		p->ns_inum[i] = ns->inum;
		/* ...dropped at once: only the number leaves this function. */
		ops->put(ns);
	}
	return 1;
}

/* nstree_visit_processes() callback: one row per process /proc shows the caller. */
static int nstree_procs_add(struct task_struct *t, void *arg)
{
	struct nstree_procs_table *tb = arg;
	int err;

	err = nstree_array_grow((void **)&tb->rows, &tb->cap, tb->filled, sizeof(*tb->rows),
				NSTREE_PROCS_MAX);
	if (err)
		return err;
	err = nstree_proc_fill(t, tb, &tb->rows[tb->filled]);
	if (err < 0)
		return err;
	tb->filled += err;
	return 0;
}

/**
 * nstree_ioc_procs() - NSTREE_IOC_PROCS
 * @uarg: user pointer to struct nstree_procs
 *
 * Return: the number of processes (only the first nr_procs written), or -EINVAL,
 * -EOVERFLOW, -EPERM, -EFAULT, -ENOMEM, -EINTR.
 */
long nstree_ioc_procs(void __user *uarg)
{
	struct nstree_procs_table tb = {
		.pidns = task_active_pid_ns(current),
		.userns = current_user_ns(),
		.nr_shards = 1,
	};
	struct nstree_procs a;
	long ret;

	BUILD_BUG_ON(NSTREE_PROC_NR_NS != NSTREE_NR_TYPES);
	ret = nstree_bulk_request(&a, sizeof(a), NSTREE_PROCS_SIZE_VER0, uarg, nstree_procs_check);
	if (ret)
		return ret;
	if (a.flags & NSTREE_PROCS_SHARD) {
		tb.shard = a.shard;
		tb.nr_shards = a.nr_shards;
	}
	ret = nstree_proc_view_get(&tb.view);
	if (ret)
		return ret;

	ret = nstree_visit_processes(nstree_procs_add, &tb);
	nstree_proc_view_put(&tb.view);
	if (!ret && copy_to_user(u64_to_user_ptr(a.procs), tb.rows,
				 min_t(size_t, tb.filled, a.nr_procs) * sizeof(*tb.rows)))
		ret = -EFAULT;
	if (!ret)
		ret = tb.filled;
	kvfree(tb.rows);
	return ret;
}
