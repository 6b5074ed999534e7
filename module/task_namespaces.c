// SPDX-License-Identifier: GPL-2.0
/*
 * Walks over tasks where we may sleep: every thread, every process, and the
 * namespaces every thread uses. Tasks are collected with a reference under RCU
 * and visited outside it, so a callback may sleep.
 */
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include "nstree.h"

/*
 * Call @fn for each namespace @t uses, its children's pid and time namespaces, and
 * the user namespace of its credentials. @fn gets a reference it must not drop.
 *
 * A task in do_exit() (PF_EXITING) no longer uses its nsproxy's namespaces: for
 * user space it is gone. A thread's pthread_join() returns at exit_mm(), before
 * exit_task_namespaces() drops the nsproxy, and a namespace only that thread had
 * must then be inactive (upstream's thread_ns_inactive_after_exit; the exit hook
 * on exit_signals() rescans once the flag is set). Its pid (its pid namespace)
 * and its credentials (their user namespace) last until it is reaped, as upstream's
 * active references do.
 */
static int nstree_visit_task(struct task_struct *t, int (*fn)(struct ns_common *ns, void *arg),
			     void *arg)
{
	struct ns_common *ns, *children[2] = { NULL, NULL };
	bool exiting = READ_ONCE(t->flags) & PF_EXITING;
	const struct proc_ns_operations *ops;
	struct nsproxy *nsp;
	int i, err = 0;

	for (i = 0; i < NSTREE_NR_TYPES && !err; i++) {
		ops = nstree_type_ops(i);
		if (!ops)
			continue;
		if (exiting && ops->type != CLONE_NEWUSER && ops->type != CLONE_NEWPID)
			continue;
		ns = ops->get(t);	/* NULL once the task exited its namespaces */
		if (!ns)
			continue;
		err = fn(ns, arg);
		nstree_ns_put(ns);
	}
	task_lock(t);
	nsp = exiting ? NULL : t->nsproxy;
	if (nsp) {
		children[0] = nstree_ns_get(&nsp->pid_ns_for_children->ns);
		children[1] = nstree_ns_get(&nsp->time_ns_for_children->ns);
	}
	task_unlock(t);
	for (i = 0; i < ARRAY_SIZE(children); i++) {
		if (!children[i])
			continue;
		if (!err)
			err = fn(children[i], arg);
		nstree_ns_put(children[i]);
	}
	return err;
}

/* Collect every thread (or every thread-group leader) with a reference, under RCU. */
static size_t nstree_collect_tasks(struct task_struct **tasks, size_t cap, bool threads)
{
	struct task_struct *g, *t;
	size_t n = 0;

	rcu_read_lock();
	if (threads) {
		for_each_process_thread(g, t) {
			if (n == cap)
				break;
			if (tasks)
				tasks[n] = get_task_struct(t);
			n++;
		}
	} else {
		for_each_process(g) {
			if (n == cap)
				break;
			if (tasks)
				tasks[n] = get_task_struct(g);
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}

static int nstree_visit(int (*fn)(struct task_struct *t, void *arg), void *arg, bool threads)
{
	struct task_struct **tasks;
	size_t n, cap, i;
	int err = 0;

	cap = nstree_collect_tasks(NULL, SIZE_MAX, threads) + 64;
	tasks = kvmalloc_array(cap, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	n = nstree_collect_tasks(tasks, cap, threads);
	for (i = 0; i < n; i++) {
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
		if (!err)
			err = fn(tasks[i], arg);
		put_task_struct(tasks[i]);
		cond_resched();
	}
	kvfree(tasks);
	return err;
}

/**
 * nstree_visit_threads() - visit every thread where we may sleep
 * @fn: called with a task reference held (not to be dropped by @fn); may sleep
 * @arg: passed to @fn
 *
 * Threads are collected with a reference under RCU, then visited outside it. A
 * thread created after the collection is not visited.
 *
 * Return: 0, the first error of @fn, or -ENOMEM; -EINTR on a fatal signal.
 */
int nstree_visit_threads(int (*fn)(struct task_struct *t, void *arg), void *arg)
{
	return nstree_visit(fn, arg, true);
}

/**
 * nstree_visit_processes() - visit every thread-group leader where we may sleep
 * @fn: as for nstree_visit_threads()
 * @arg: passed to @fn
 *
 * Return: 0, the first error of @fn, or -ENOMEM; -EINTR on a fatal signal.
 */
int nstree_visit_processes(int (*fn)(struct task_struct *t, void *arg), void *arg)
{
	return nstree_visit(fn, arg, false);
}

struct nstree_ns_visitor {
	int (*fn)(struct ns_common *ns, void *arg);
	void *arg;
};

static int nstree_visit_task_cb(struct task_struct *t, void *arg)
{
	struct nstree_ns_visitor *v = arg;

	return nstree_visit_task(t, v->fn, v->arg);
}

/**
 * nstree_visit_task_namespaces() - visit the namespaces of every thread
 * @fn: called with a reference held (not to be dropped by @fn); may sleep
 * @arg: passed to @fn
 *
 * Zombies still count: their credentials and pids live until they are reaped,
 * which is when upstream drops their user and pid namespaces.
 *
 * Return: 0, the first error of @fn, or -ENOMEM; -EINTR on a fatal signal.
 */
int nstree_visit_task_namespaces(int (*fn)(struct ns_common *ns, void *arg), void *arg)
{
	struct nstree_ns_visitor v = { .fn = fn, .arg = arg };

	return nstree_visit_threads(nstree_visit_task_cb, &v);
}
