// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream's namespace API for unmodified programs (Documentation/compat.md): the
 * module answers the calls that Linux 6.19 added and 6.1 and 6.12 lack.
 *
 * For every process:
 *  - NS_GET_ID on the kernel's own nsfs files, and on 6.1 NS_GET_MNTNS_ID and
 *    NS_MNT_GET_INFO/NEXT/PREV (6.12 answers those itself, in the numbering its
 *    statmount and listmount use): ns_ioctl() answers ENOTTY;
 *  - open_by_handle_at(FD_NSFS_ROOT, ...): the kernel knows no such fd (EBADF);
 *  - name_to_handle_at() of nsfs files: nsfs has no export operations
 *    (EOPNOTSUPP). The module lends it some while it is loaded.
 *
 * For the commands run under `nstree compat` (tools/lib/compat_filter.cpp):
 *  - listns(2), x86-64 system call 470. 6.1 and 6.12 run no instrumentable code
 *    for a number past their table: do_syscall_64() is noinstr and inlines its
 *    call of __x64_sys_ni_syscall() (a probe there never fires). So the command
 *    runs under a seccomp filter whose answer to system call 470 is
 *    SECCOMP_RET_TRAP with NSTREE_COMPAT_SECCOMP_DATA, and the module answers
 *    the SIGSYS that would follow: seccomp calls force_sig_seccomp() in the
 *    caller's own context, where the replacement runs listns with the caller's
 *    credentials and namespaces, puts the result in the system call's return
 *    register and sends nothing; seccomp then skips the system call, leaving the
 *    result. The filter costs only the wrapped commands, and the probe fires only
 *    for a SECCOMP_RET_TRAP.
 *
 * Each is a kprobe on the kernel function that gives the old answer. Its handler
 * looks at the arguments only (no lock, no sleep, any context) and, when the call
 * is one of ours, points the saved instruction pointer at a replacement with the
 * same prototype and returns 1: the function then runs the replacement instead,
 * which returns to the kernel's caller. That is the kprobes way of changing the
 * execution path (see kprobes.rst); an empty post handler keeps an int3 probe from
 * being optimised into a jump, which would ignore the new instruction pointer.
 * Every other call goes on as before: the probes sit only on paths that unrelated
 * system calls never take (an ioctl on an nsfs file, open_by_handle_at(), a
 * seccomp trap).
 *
 * Unload: the handler takes a module reference before it redirects and the
 * replacement drops it as its last call, so rmmod is refused (EWOULDBLOCK) while
 * a program is inside one (`nstree compat` also holds /dev/nstree open for as long
 * as any process it started lives); the lent encode_fh() holds one while it may
 * sleep. After the last module_put() a task still runs
 * the replacement's few return instructions, in our text: the exit path
 * unregisters the probes, then waits for a tasks-RCU grace period, which ends only
 * once every task has voluntarily switched, gone to user space or idled, none of
 * which it does there. A handler that runs after the module began to go finds
 * try_module_get() failing and leaves the call alone: the old answer.
 *
 * A probe can miss a hit only when it fires while another kprobe handler runs on
 * its CPU (kprobes allows one at a time). Ours fire in system calls, in task
 * context, never inside a handler; a miss would give the old answer, not harm.
 */
#include <linux/err.h>
#include <linux/exportfs.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched/task_stack.h>
#include <linux/user_namespace.h>
#include <linux/wait_bit.h>
#include "nstree.h"

#define NSTREE_NR_LISTNS	470		/* x86-64, as upstream's syscall table */
#define NSTREE_FD_NSFS_ROOT	(-10003)	/* upstream's FD_NSFS_ROOT (uapi fcntl.h) */
#define NSTREE_NSFS_FH_U32	(sizeof(struct nsfs_file_handle) / sizeof(u32))

static bool upstream_api = true;
module_param(upstream_api, bool, 0444);
MODULE_PARM_DESC(upstream_api,
		 "Answer NS_GET_ID and nsfs file handles for every program and listns(2) under nstree compat (default: on; the load fails when they cannot be provided)");

/**
 * struct nstree_redirect - a kernel function whose calls may go to a replacement
 * @symbol: the kernel function
 * @wanted: from the function's entry registers: is this call ours? Any context,
 *	no lock, no sleep; it may read the arguments but not follow user pointers
 * @to: the replacement, with the kernel function's prototype; it ends with
 *	nstree_redirect_done()
 * @kp: the probe
 * @registered: @kp is registered
 */
struct nstree_redirect {
	const char *symbol;
	bool (*wanted)(struct pt_regs *regs);
	void *to;
	struct kprobe kp;
	bool registered;
};

/*
 * Replacements (and lent encode_fh() calls) entered and not yet done. The module
 * reference is what keeps rmmod away; a failed init does not look at references,
 * so nstree_upstream_api_exit() waits for this count to reach 0 (at module exit it
 * always has).
 */
static atomic_t nstree_redirects_inflight = ATOMIC_INIT(0);

/* The last call of every replacement: drops the reference its handler took. */
static void nstree_redirect_done(void)
{
	if (atomic_dec_and_test(&nstree_redirects_inflight))
		wake_up_var(&nstree_redirects_inflight);
	module_put(THIS_MODULE);
}

/* The x86-64 system call registers of the task (the wrapper's argument 0). */
static const struct pt_regs *nstree_syscall_regs(struct pt_regs *regs)
{
	return (const struct pt_regs *)regs_get_kernel_argument(regs, 0);
}

/*
 * force_sig_seccomp(syscall, reason, force_coredump): the trap of `nstree compat`'s
 * filter for system call 470. (A kill action also comes here, with force_coredump.)
 * A 32-bit caller's arguments sit in other registers: it keeps the SIGSYS its filter
 * asked for.
 */
static bool nstree_listns_trap_wanted(struct pt_regs *regs)
{
	/* Only the argument's own bits: the ABI leaves a register's upper ones undefined. */
	return !in_ia32_syscall() && (int)regs_get_kernel_argument(regs, 0) == NSTREE_NR_LISTNS &&
	       (int)regs_get_kernel_argument(regs, 1) == NSTREE_COMPAT_SECCOMP_DATA &&
	       !(u8)regs_get_kernel_argument(regs, 2);
}

/*
 * Instead of the SIGSYS: listns(req, ns_ids, nr_ns_ids, flags) from the system
 * call's registers (the filter traps x86-64 calls only; seccomp has rolled the
 * return register back to the number), the result in the return register.
 * Upstream's flags are an unsigned int. The caller then skips the system call.
 */
static int nstree_listns_trap(int syscall, int reason, bool force_coredump)
{
	struct pt_regs *uregs = current_pt_regs();

	uregs->ax = nstree_listns((const struct ns_id_req __user *)uregs->di,
				  (u64 __user *)uregs->si, uregs->dx, (unsigned int)uregs->r10);
	nstree_redirect_done();
	return 0;
}

/* ns_ioctl(file, cmd, arg): the commands 6.19 answers differently. */
static bool nstree_ns_ioctl_wanted(struct pt_regs *regs)
{
	return nstree_nsfs_ioctl_is_new((unsigned int)regs_get_kernel_argument(regs, 1));
}

static long nstree_ns_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	long ret = nstree_nsfs_ioctl(file, cmd, arg);

	nstree_redirect_done();
	return ret;
}

/* __x64_sys_open_by_handle_at(regs): mount fd FD_NSFS_ROOT only. */
static bool nstree_open_by_handle_wanted(struct pt_regs *regs)
{
	return (int)nstree_syscall_regs(regs)->di == NSTREE_FD_NSFS_ROOT;
}

static long nstree_sys_open_by_handle_at(const struct pt_regs *uregs)
{
	long ret;

	/* open_by_handle_at(mount_fd, handle, flags) */
	ret = nstree_open_handle((struct file_handle __user *)uregs->si, (int)uregs->dx, true);
	nstree_redirect_done();
	return ret;
}

static int nstree_redirect_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct nstree_redirect *r = container_of(p, struct nstree_redirect, kp);

	if (!r->wanted(regs))
		return 0;
	/* Fails once the module is going: the kernel's own answer, then. */
	if (!try_module_get(THIS_MODULE))
		return 0;
	atomic_inc(&nstree_redirects_inflight);
	instruction_pointer_set(regs, (unsigned long)r->to);
	return 1;	/* resume at the new instruction pointer, no single-step */
}

/*
 * Runs after every call that is not redirected. It exists to keep an int3 probe
 * from being optimised into a jump, and to have an ftrace-based probe use kprobes'
 * IPMODIFY ftrace_ops, as a probe that moves the instruction pointer should.
 */
static void nstree_redirect_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
}

static struct nstree_redirect nstree_redirects[] = {
	{ .symbol = "force_sig_seccomp", .wanted = nstree_listns_trap_wanted,
	  .to = nstree_listns_trap },
	/* nsfs's ->unlocked_ioctl, by address: a driver has a static ns_ioctl() too */
	{ .symbol = NULL, .wanted = nstree_ns_ioctl_wanted, .to = nstree_ns_ioctl },
	{ .symbol = "__x64_sys_open_by_handle_at", .wanted = nstree_open_by_handle_wanted,
	  .to = nstree_sys_open_by_handle_at },
};

/*
 * name_to_handle_at() of nsfs files: upstream's nsfs_encode_fh(), lent to the
 * kernel's nsfs superblock while the module is loaded. It may sleep (it may make
 * the registry entry): its callers, name_to_handle_at() and fanotify's event
 * allocation, run in process context. A sleeping task is quiescent for tasks-RCU,
 * so a module reference covers the sleep: rmmod is refused meanwhile, and once the
 * module is going the handle is refused instead (FILEID_INVALID). It counts as a
 * replacement in flight, for a failed init, which does not look at references.
 */
static int nstree_nsfs_encode_fh(struct inode *inode, u32 *fh, int *max_len,
				 struct inode *parent)
{
	struct nsfs_file_handle *h = (struct nsfs_file_handle *)fh;
	struct ns_common *ns = inode->i_private;
	struct nstree_ns *e;
	int ret = FILEID_INVALID;

	if (parent || !ns || nstree_type_index(ns->ops->type) < 0)
		return FILEID_INVALID;
	if (*max_len < NSTREE_NSFS_FH_U32) {
		*max_len = NSTREE_NSFS_FH_U32;	/* user space sees EOVERFLOW and the size */
		return FILEID_INVALID;
	}
	if (!try_module_get(THIS_MODULE))
		return FILEID_INVALID;
	atomic_inc(&nstree_redirects_inflight);
	e = nstree_register(ns);	/* the caller's path pins the inode and so @ns */
	if (!IS_ERR(e)) {
		*max_len = NSTREE_NSFS_FH_U32;
		h->ns_id = e->id;
		h->ns_type = e->type;
		h->ns_inum = inode->i_ino;
		ret = NSTREE_FILEID_NSFS;
	}
	nstree_redirect_done();
	return ret;
}

/*
 * Decoding goes through FD_NSFS_ROOT (the open_by_handle_at() redirect). A
 * handle given with an nsfs file as the mount fd reaches here: 6.1 and 6.12 would
 * want CAP_DAC_READ_SEARCH first and could only open the file through an fd, so it
 * is stale (Documentation/compat.md). The operation must exist for 6.1's
 * name_to_handle_at() to encode at all.
 */
static struct dentry *nstree_nsfs_fh_to_dentry(struct super_block *sb, struct fid *fid,
					       int fh_len, int fh_type)
{
	return ERR_PTR(-ESTALE);
}

static const struct export_operations nstree_nsfs_export_ops = {
	.encode_fh	= nstree_nsfs_encode_fh,
	.fh_to_dentry	= nstree_nsfs_fh_to_dentry,
};

static struct super_block *nstree_nsfs_sb;
/* ns_ioctl(), the kernel's nsfs files' ->unlocked_ioctl, learned with the superblock */
static void *nstree_nsfs_ioctl_fn;

static struct ns_common *nstree_same_ns(struct ns_common *ns)
{
	return nstree_ns_get(ns);
}

/*
 * The kernel's nsfs superblock, from a file open_related_ns() makes for the
 * initial user namespace: no other way to it is exported. The fd lives for a
 * moment in the loading task's table (insmod and modprobe have one thread).
 * nsfs's mount is never unmounted, so the superblock outlives us.
 */
static struct super_block *nstree_find_nsfs_sb(void)
{
	struct super_block *sb = NULL;
	struct file *file;
	int fd;

	fd = open_related_ns(&init_user_ns.ns, nstree_same_ns);
	if (fd < 0)
		return ERR_PTR(fd);
	file = fget(fd);
	close_fd(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if (file_inode(file)->i_sb->s_magic == NSFS_MAGIC && file->f_op->unlocked_ioctl) {
		sb = file_inode(file)->i_sb;
		nstree_nsfs_ioctl_fn = file->f_op->unlocked_ioctl;
	}
	fput(file);
	return sb ? sb : ERR_PTR(-ENODEV);
}

static int nstree_lend_export_ops(void)
{
	struct super_block *sb = nstree_find_nsfs_sb();

	if (IS_ERR(sb))
		return PTR_ERR(sb);
	/* 6.19's nsfs has its own: on such a kernel the module is not built at all. */
	if (cmpxchg(&sb->s_export_op, NULL, &nstree_nsfs_export_ops)) {
		pr_err("nstree: nsfs already has export operations\n");
		return -EBUSY;
	}
	nstree_nsfs_sb = sb;
	return 0;
}

/*
 * Only if still ours. A caller that read the pointer before this may still call
 * our operations: exportfs reads it and calls at once, without sleeping, so the
 * exit path's tasks-RCU wait covers it.
 */
static void nstree_return_export_ops(void)
{
	if (nstree_nsfs_sb)
		cmpxchg(&nstree_nsfs_sb->s_export_op, &nstree_nsfs_export_ops, NULL);
	nstree_nsfs_sb = NULL;
}

static void nstree_unregister_redirects(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nstree_redirects); i++) {
		if (nstree_redirects[i].registered)
			unregister_kprobe(&nstree_redirects[i].kp);
		nstree_redirects[i].registered = false;
	}
}

static int nstree_register_redirects(void)
{
	struct nstree_redirect *r;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(nstree_redirects); i++) {
		r = &nstree_redirects[i];
		memset(&r->kp, 0, sizeof(r->kp));
		r->kp.symbol_name = r->symbol;
		if (!r->symbol)
			r->kp.addr = (kprobe_opcode_t *)nstree_nsfs_ioctl_fn;
		r->kp.pre_handler = nstree_redirect_pre;
		r->kp.post_handler = nstree_redirect_post;
		err = register_kprobe(&r->kp);
		if (err) {
			pr_err("nstree: cannot probe %ps (%d): load with upstream_api=0 to go without upstream's API\n",
			       r->symbol ? (void *)r->symbol : r->kp.addr, err);
			nstree_unregister_redirects();
			return err;
		}
		r->registered = true;
	}
	return 0;
}

/**
 * nstree_upstream_api_active() - are upstream's entry points answered?
 */
bool nstree_upstream_api_active(void)
{
	return READ_ONCE(nstree_nsfs_sb);
}

/**
 * nstree_upstream_api_init() - answer upstream's calls, unless upstream_api=0
 *
 * Context: module init, after everything the replacements use is ready.
 * Return: 0, or a negative errno with nothing changed.
 */
int nstree_upstream_api_init(void)
{
	int err;

	if (!upstream_api)
		return 0;
	err = nstree_lend_export_ops();
	if (err)
		return err;
	err = nstree_register_redirects();
	if (err)
		nstree_upstream_api_exit();
	return err;
}

/**
 * nstree_upstream_api_exit() - give the kernel its own answers back
 *
 * Context: module exit, where no replacement holds a module reference any more;
 * or a failed init, where one may (try_module_get() succeeds while the module is
 * coming), which the in-flight count waits for. Waits until no task can still run
 * our code from a probe or the export operations (see the top of the file).
 */
void nstree_upstream_api_exit(void)
{
	if (!nstree_nsfs_sb)
		return;
	nstree_unregister_redirects();
	nstree_return_export_ops();
	wait_var_event(&nstree_redirects_inflight, !atomic_read(&nstree_redirects_inflight));
	synchronize_rcu_tasks();
}
