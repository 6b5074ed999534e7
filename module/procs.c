// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_PROCS: the process table a /proc walk would build (pid, parent, uid,
 * command and the inode of each namespace), in one call, so that a listing of
 * 10,000 namespaces does not cost 50,000 system calls.
 *
 * Processes are collected with a task reference under RCU, then visited one by one
 * where we may sleep; each namespace is reached through its type's ->get(task),
 * exactly as /proc/PID/ns/TYPE does, and released at once. The table is built in
 * kernel memory and copied out in one piece, so a fault never leaves a partial
 * table behind.
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
static int nstree_procs_check(const struct nstree_procs *a)
{
	if (a->flags || a->reserved)
		return -EINVAL;
	if (a->proc_size != sizeof(struct nstree_proc))
		return -EINVAL;
	if (a->nr_procs > NSTREE_PROCS_MAX)
		return -EOVERFLOW;
	return 0;
}

/*
 * Fill @p for @t (the caller holds a task reference). Returns false for a process
 * without namespaces (exiting: its nsproxy is gone, /proc/PID/ns/ fails too).
 */
static bool nstree_proc_fill(struct task_struct *t, struct pid_namespace *pidns,
			     struct user_namespace *userns, struct nstree_proc *p)
{
	const struct proc_ns_operations *ops;
	struct ns_common *ns;
	bool alive;
	int i;

	task_lock(t);
	alive = t->nsproxy;
	task_unlock(t);
	if (!alive)
		return false;
	memset(p, 0, sizeof(*p));
	rcu_read_lock();
	p->pid = task_tgid_nr_ns(t, pidns);
	p->ppid = task_tgid_nr_ns(rcu_dereference(t->real_parent), pidns);
	p->uid = from_kuid_munged(userns, task_euid(t));
	rcu_read_unlock();
	p->nr_threads = get_nr_threads(t);
	__get_task_comm(p->comm, sizeof(p->comm), t);
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
	return true;
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
	struct pid_namespace *pidns = task_active_pid_ns(current);
	struct user_namespace *userns = current_user_ns();
	struct task_struct *g, **tasks;
	struct nstree_proc *table;
	struct nstree_procs a;
	size_t n = 0, cap, i, filled = 0;
	long ret;

	BUILD_BUG_ON(NSTREE_PROC_NR_NS != NSTREE_NR_TYPES);
	ret = nstree_copy_in(&a, sizeof(a), NSTREE_PROCS_SIZE_VER0, uarg);
	if (ret)
		return ret;
	ret = nstree_procs_check(&a);
	if (ret)
		return ret;
	if (!nstree_may_see_all())
		return -EPERM;

	rcu_read_lock();
	for_each_process(g)
		n++;
	rcu_read_unlock();
	cap = n + 64;
	tasks = kvmalloc_array(cap, sizeof(*tasks), GFP_KERNEL);
	table = kvmalloc_array(cap, sizeof(*table), GFP_KERNEL);
	if (!tasks || !table) {
		ret = -ENOMEM;
		goto out;
	}
	n = 0;
	rcu_read_lock();
	for_each_process(g) {
		if (n == cap)
			break;
		get_task_struct(g);
		tasks[n++] = g;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		if (!ret && nstree_proc_fill(tasks[i], pidns, userns, &table[filled]) &&
		    table[filled].pid)
			filled++;
		put_task_struct(tasks[i]);
		cond_resched();
	}
	if (ret)
		goto out;
	if (copy_to_user(u64_to_user_ptr(a.procs), table,
			 min_t(size_t, filled, a.nr_procs) * sizeof(*table)))
		ret = -EFAULT;
	else
		ret = filled;
out:
	kvfree(table);
	kvfree(tasks);
	return ret;
}
