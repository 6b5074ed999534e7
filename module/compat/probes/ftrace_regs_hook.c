// SPDX-License-Identifier: GPL-2.0
/*
 * An ftrace_ops that sees the traced function's registers (DYNAMIC_FTRACE_WITH_REGS):
 * nstree's hooks use it instead of kprobes, whose handlers miss nested hits.
 */
#include <linux/module.h>
#include <linux/ftrace.h>

#if !IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
#error "no ftrace_ops with registers"
#endif

static void probe_fn(unsigned long ip, unsigned long pip, struct ftrace_ops *op,
		     struct ftrace_regs *fregs)
{
	int bit = ftrace_test_recursion_trylock(ip, pip);

	if (bit >= 0 && ftrace_get_regs(fregs))
		ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops probe_ops __used = {
	.func = probe_fn,
	.flags = FTRACE_OPS_FL_SAVE_REGS,
};

static int __init probe_init(void)
{
	ftrace_set_filter(&probe_ops, NULL, 0, 1);
	ftrace_free_filter(&probe_ops);
	return register_ftrace_function(&probe_ops) | unregister_ftrace_function(&probe_ops);
}
module_init(probe_init);
MODULE_LICENSE("GPL");
