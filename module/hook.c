// SPDX-License-Identifier: GPL-2.0
/*
 * Function-entry hooks for the death hook and the activity hooks.
 *
 * Why not plain kprobes: on kernels with KPROBES_ON_FTRACE (both Debian kernels) a
 * kprobe at function entry runs from ftrace with interrupts enabled, and kprobes
 * allows one handler per CPU. A pid namespace can die in softirq (delayed_put_pid()
 * -> put_pid_ns() -> proc_free_inum()); if that softirq runs on the tail of an
 * interrupt that arrived while any of our kprobe handlers ran on the same CPU,
 * kprobes skips the nested handler and counts it in nmissed. For the death hook a
 * skip could leave an entry pointing at freed memory, so the registry then refuses
 * every lookup: safe, but broken until reload.
 *
 * So where the kernel has ftrace_ops with registers, each hook is an ftrace_ops
 * filtered on its one function. Nothing limits it to one handler per CPU: a softirq
 * hit nested in a task-context hit runs. ftrace's recursion guard is per context
 * (task, softirq, irq, NMI); our callback runs even when it refuses, because no
 * nstree_hook_fn calls a hooked function. (When another ftrace user also traces
 * the function, ftrace's list function has its own per-context guard, which would
 * drop a hit nested in a callback of the same context: that needs some callback
 * that calls the traced function, as none of the kernel's tracers does.)
 *
 * Where it has not (a kernel without a function tracer), a hook is a kprobe with
 * an empty post handler. A post handler forbids the jump optimisation, so the
 * probe stays an int3, whose handler runs with interrupts off: nothing nests in it
 * on that CPU but an NMI, and no NMI path frees a namespace or changes one. But a
 * kretprobe's return handler runs with kprobes marked busy on its CPU and
 * interrupts on (kprobe_busy_begin()): a death in a softirq on that interrupt's
 * tail is a kprobe hit kprobes skips and counts in nmissed, and the registry then
 * stops trusting itself. Safe, not usable: the debug kernel has a function tracer
 * for that reason (scripts/kconfig/qemu-test.config).
 */
#include <linux/cpumask.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include "hook.h"

#ifdef HAVE_FTRACE_REGS_HOOK
static void notrace nstree_hook_ftrace(unsigned long ip, unsigned long parent_ip,
				       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct nstree_hook *h = container_of(op, struct nstree_hook, ops);
	struct pt_regs *regs;
	int bit;

	/*
	 * Disables preemption until the unlock. It refuses when this task is already
	 * inside some ftrace callback of the same context (the recursion bit is shared
	 * by every ftrace user). No nstree_hook_fn calls a hooked function, so ours
	 * cannot recurse into itself: run it anyway, with preemption disabled, rather
	 * than miss a death.
	 */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		preempt_disable_notrace();
	/* FTRACE_OPS_FL_SAVE_REGS: always a full pt_regs, so never NULL here. */
	regs = ftrace_get_regs(fregs);
	if (likely(regs))
		h->fn(regs_get_kernel_argument(regs, 0), regs_get_kernel_argument(regs, 1));
	else
		atomic_long_inc(&h->missed);
	if (bit < 0)
		preempt_enable_notrace();
	else
		ftrace_test_recursion_unlock(bit);
}

/* 0, -ENOENT when ftrace has no such function (try a kprobe), or another errno. */
static int nstree_hook_ftrace_register(struct nstree_hook *h)
{
	char name[KSYM_NAME_LEN];
	int err;

	/* ftrace_set_filter() parses, and so writes to, its buffer. */
	if (strscpy(name, h->symbol, sizeof(name)) < 0)
		return -EINVAL;
	memset(&h->ops, 0, sizeof(h->ops));
	h->ops.func = nstree_hook_ftrace;
	/*
	 * PERMANENT: while we are registered, sysctl kernel.ftrace_enabled=0 is refused
	 * (EBUSY), and registering while it is 0 fails. Without it that sysctl would
	 * switch the death hook off without a trace, and entries would outlive their
	 * namespaces.
	 */
	h->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_PERMANENT;
	err = ftrace_set_filter(&h->ops, name, strlen(name), 1);
	if (err) {
		ftrace_free_filter(&h->ops);
		/*
		 * -EINVAL: no traceable function of that name, so a kprobe it is. Any other
		 * error is returned: a kprobe on a function ftrace could trace would run
		 * from ftrace with interrupts on, the very case this file avoids.
		 */
		return err == -EINVAL ? -ENOENT : err;
	}
	err = register_ftrace_function(&h->ops);
	if (err) {
		ftrace_free_filter(&h->ops);
		if (err == -EBUSY)
			pr_err("nstree: ftrace is disabled (sysctl kernel.ftrace_enabled=0)\n");
		return err;
	}
	h->ftrace = true;
	return 0;
}
#else
static int nstree_hook_ftrace_register(struct nstree_hook *h)
{
	return -ENOENT;
}
#endif

static int nstree_hook_kprobe_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct nstree_hook *h = container_of(p, struct nstree_hook, kp);

	h->fn(regs_get_kernel_argument(regs, 0), regs_get_kernel_argument(regs, 1));
	return 0;
}

/* Present only to keep the probe an int3: see the top of the file. */
static void nstree_hook_kprobe_post(struct kprobe *p, struct pt_regs *regs,
				    unsigned long flags)
{
}

/**
 * nstree_hook_register() - attach @h->fn to the entry of @h->symbol
 * @h: a hook with symbol and fn set; it must stay put until unregistered
 *
 * Return: 0 or a negative errno; on error nothing is attached.
 */
int nstree_hook_register(struct nstree_hook *h)
{
	int err;

	h->ftrace = false;
	atomic_long_set(&h->missed, 0);
	err = nstree_hook_ftrace_register(h);
	if (err != -ENOENT)
		return err;
	memset(&h->kp, 0, sizeof(h->kp));
	h->kp.symbol_name = h->symbol;
	h->kp.pre_handler = nstree_hook_kprobe_pre;
	h->kp.post_handler = nstree_hook_kprobe_post;
	return register_kprobe(&h->kp);
}

/**
 * nstree_hook_unregister() - detach a registered hook
 * @h: the hook
 *
 * Waits until no CPU runs @h->fn: unregister_ftrace_function() synchronises with
 * tasks-RCU for module-owned (dynamic) ops, unregister_kprobe() with RCU.
 */
void nstree_hook_unregister(struct nstree_hook *h)
{
#ifdef HAVE_FTRACE_REGS_HOOK
	if (h->ftrace) {
		/*
		 * Fails only when ftrace has shut itself down after an internal error,
		 * and then no callback runs any more either.
		 */
		WARN_ON_ONCE(unregister_ftrace_function(&h->ops));
		ftrace_free_filter(&h->ops);
		return;
	}
#endif
	unregister_kprobe(&h->kp);
}

/**
 * nstree_hook_missed() - how many hits of @h did not run @h->fn
 * @h: a registered hook
 */
unsigned long nstree_hook_missed(struct nstree_hook *h)
{
	if (h->ftrace)
		return atomic_long_read(&h->missed);
	return READ_ONCE(h->kp.nmissed);
}

/* kretprobe entry: 0 arms the return handler, anything else lets the call go. */
static int nstree_ret_hook_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct nstree_ret_hook *h = container_of(get_kretprobe(ri), struct nstree_ret_hook, rp);

	if (!h->filter)
		return 0;
	return !h->filter(regs_get_kernel_argument(regs, 0), regs_get_kernel_argument(regs, 1));
}

static int nstree_ret_hook_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct nstree_ret_hook *h = container_of(get_kretprobe(ri), struct nstree_ret_hook, rp);

	h->fn();
	return 0;
}

/**
 * nstree_ret_hook_register() - run @h->fn when @h->symbol returns
 * @h: a hook with symbol, filter and fn set; it must stay put until unregistered
 *
 * A kretprobe. Its entry is a kprobe, which runs from ftrace where the function is
 * traceable: none of the functions we hook runs in interrupt context, so no hit can
 * nest in another of ours on the same CPU. A call is missed only when every
 * instance is taken by calls in flight (some of them sleep): maxactive allows
 * plenty, and a miss is counted (nstree_ret_hook_missed()).
 *
 * Return: 0 or a negative errno; on error nothing is attached. An optional hook
 * whose function this kernel lacks is left unattached, and that is a 0.
 */
int nstree_ret_hook_register(struct nstree_ret_hook *h)
{
	int err;

	memset(&h->rp, 0, sizeof(h->rp));
	h->rp.kp.symbol_name = h->symbol;
	h->rp.entry_handler = nstree_ret_hook_entry;
	h->rp.handler = nstree_ret_hook_return;
	h->rp.maxactive = max_t(int, 64, 8 * num_possible_cpus());
	err = register_kretprobe(&h->rp);
	h->registered = !err;
	return err == -ENOENT && h->optional ? 0 : err;
}

/**
 * nstree_ret_hook_unregister() - detach a registered return hook
 * @h: the hook
 *
 * Waits until no CPU runs its handlers; calls still in flight return through the
 * kernel's trampoline without them.
 */
void nstree_ret_hook_unregister(struct nstree_ret_hook *h)
{
	if (h->registered)
		unregister_kretprobe(&h->rp);
	h->registered = false;
}

/**
 * nstree_ret_hook_missed() - calls of @h's function whose return ran no @h->fn
 * @h: a registered return hook
 */
unsigned long nstree_ret_hook_missed(struct nstree_ret_hook *h)
{
	if (!h->registered)
		return 0;
	return READ_ONCE(h->rp.nmissed) + READ_ONCE(h->rp.kp.nmissed);
}
