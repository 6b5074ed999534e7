/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function-entry hooks that never skip a hit silently. See module/hook.c.
 */
#ifndef NSTREE_HOOK_H
#define NSTREE_HOOK_H

#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>

/**
 * typedef nstree_hook_fn - what a hook runs on entry to its function
 * @arg0: the traced function's first argument
 * @arg1: its second argument
 *
 * Runs with preemption disabled, in any context the traced function runs in,
 * possibly NMI-like (int3) and possibly nested in another hook of a lower context:
 * no locks, no sleeping; only atomics, RCU reads, llist and irq_work.
 */
typedef void (*nstree_hook_fn)(unsigned long arg0, unsigned long arg1);

struct nstree_hook {
	const char *symbol;		/* set by the owner */
	nstree_hook_fn fn;		/* set by the owner */
	bool ftrace;			/* attached through ftrace_ops, not a kprobe */
	atomic_long_t missed;		/* ftrace hits we could not handle */
#ifdef HAVE_FTRACE_REGS_HOOK
	struct ftrace_ops ops;
#endif
	struct kprobe kp;
};

int nstree_hook_register(struct nstree_hook *h);
void nstree_hook_unregister(struct nstree_hook *h);
unsigned long nstree_hook_missed(struct nstree_hook *h);

/**
 * typedef nstree_ret_filter_fn - on entry to a function: is its return worth a hit?
 * @arg0: the traced function's first argument
 * @arg1: its second argument
 *
 * Same context rules as nstree_hook_fn.
 */
typedef bool (*nstree_ret_filter_fn)(unsigned long arg0, unsigned long arg1);

/*
 * A hook on a function's return (a kretprobe), for changes that take effect inside
 * the function: a hit at entry would come before what it announces.
 */
struct nstree_ret_hook {
	const char *symbol;		/* set by the owner */
	nstree_ret_filter_fn filter;	/* set by the owner; NULL: every call */
	void (*fn)(void);		/* set by the owner: runs on return, any context */
	bool optional;			/* set by the owner: a kernel may lack the function */
	bool registered;		/* attached (an optional hook may not be) */
	struct kretprobe rp;
};

int nstree_ret_hook_register(struct nstree_ret_hook *h);
void nstree_ret_hook_unregister(struct nstree_ret_hook *h);
unsigned long nstree_ret_hook_missed(struct nstree_ret_hook *h);

#endif /* NSTREE_HOOK_H */
