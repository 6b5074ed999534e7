// SPDX-License-Identifier: GPL-2.0
/*
 * NSTREE_IOC_CMDLINES: what /proc/PID/cmdline says for many processes in one call,
 * so that the COMMAND column of a 10,000-namespace listing is not 15,000 system
 * calls and 5,000 /proc lookups. The rules are get_mm_cmdline()'s (fs/proc/base.c):
 * the bytes between arg_start and arg_end; or, when the last of them is no longer a
 * NUL (setproctitle(3) wrote over it), the first page from arg_start up to and
 * including its first NUL.
 *
 * Every command line is read into a kernel buffer first and copied out at the end,
 * the array last: a bad buffer pointer returns EFAULT with the array untouched. A
 * process the caller's /proc hides from it (hidepid=) has no command line here
 * either (proc_view.c).
 */
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "nstree.h"

/* Validation apart from action: sizes, flags, limits. */
static int nstree_cmdlines_check(const void *req)
{
	const struct nstree_cmdlines *a = req;

	if (a->flags)
		return -EINVAL;
	if (!a->max_len || a->max_len > NSTREE_CMDLINE_MAX_LEN || a->buf_size < a->max_len)
		return -EINVAL;
	if (a->nr_procs > NSTREE_CMDLINES_MAX)
		return -EOVERFLOW;
	return 0;
}

/**
 * nstree_read_cmdline() - get_mm_cmdline() into kernel memory
 * @t: the process (the caller holds a task reference)
 * @buf: where to put at most @max bytes
 * @max: at least 1
 *
 * access_process_vm() reads whatever mm @t has at that moment (access_remote_vm(),
 * which takes an mm, is not exported). The reference taken here keeps @mm from
 * being freed, so its address cannot come back for another mm: if @t still has it
 * after the reads, they read the memory arg_start..env_end describe. After an exec
 * in between they may have read the new program's: nothing is reported then. Sleeps.
 *
 * Return: the number of bytes written to @buf (0: no command line).
 */
static size_t nstree_read_cmdline(struct task_struct *t, char *buf, size_t max)
{
	unsigned long arg_start, arg_end, env_start, env_end;
	struct mm_struct *mm = get_task_mm(t);	/* NULL for kernel threads */
	size_t want, len = 0;
	bool same;
	int got;
	char c;

	if (!mm)
		return 0;
	if (!mm->env_end)	/* exec has not got that far */
		goto out;
	spin_lock(&mm->arg_lock);
	arg_start = mm->arg_start;
	arg_end = mm->arg_end;
	env_start = mm->env_start;
	env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	if (arg_start >= arg_end)
		goto out;
	/* A title may run on into the environment, and no further. */
	if (env_start != arg_end || env_end < env_start)
		env_end = arg_end;

	/*
	 * The arguments first: they end with the byte that tells a title from plain
	 * arguments, so one read of the process's memory usually does (each read takes
	 * its mmap lock and pins a page). Only arguments longer than @max need that
	 * byte read on its own.
	 */
	want = min_t(size_t, max, arg_end - arg_start);
	got = access_process_vm(t, arg_start, buf, want, FOLL_ANON);
	if (got > 0 && (size_t)got == arg_end - arg_start)
		c = buf[got - 1];
	else if (access_process_vm(t, arg_end - 1, &c, 1, FOLL_ANON) != 1)
		c = 0;
	len = got > 0 ? got : 0;
	if (c) {
		/* setproctitle(): one page from arg_start, through its first NUL. */
		want = min_t(size_t, max, PAGE_SIZE);
		want = min_t(size_t, want, env_end - arg_start);
		got = access_process_vm(t, arg_start, buf, want, FOLL_ANON);
		len = 0;
		if (got > 0) {
			len = strnlen(buf, got);
			if (len < (size_t)got)
				len++;	/* the NUL, as /proc shows it */
		}
	}

	task_lock(t);	/* t->mm changes under it (exec_mmap()) */
	same = t->mm == mm;
	task_unlock(t);
	if (!same)
		len = 0;
out:
	mmput(mm);
	return len;
}

/* The process @nr names in the caller's pid namespace, with a reference; or NULL. */
static struct task_struct *nstree_get_process(u32 nr)
{
	struct task_struct *t;
	struct pid *pid;

	if (!nr || nr > INT_MAX)
		return NULL;
	pid = find_get_pid(nr);
	/* PIDTYPE_TGID: a thread's ID names no process (lsns never asks for one). */
	t = get_pid_task(pid, PIDTYPE_TGID);
	put_pid(pid);
	return t;
}

/**
 * nstree_ioc_cmdlines() - NSTREE_IOC_CMDLINES
 * @uarg: user pointer to struct nstree_cmdlines
 *
 * Return: the number of entries read, or -EINVAL, -EOVERFLOW, -EPERM, -EFAULT,
 * -ENOMEM, -EINTR.
 */
long nstree_ioc_cmdlines(void __user *uarg)
{
	struct nstree_proc_view view;
	struct nstree_cmdline *procs;
	struct nstree_cmdlines a;
	size_t i, cap, used = 0;
	char *buf = NULL;
	long ret;

	ret = nstree_bulk_request(&a, sizeof(a), NSTREE_CMDLINES_SIZE_VER0, uarg,
				  nstree_cmdlines_check);
	if (ret)
		return ret;
	if (!a.nr_procs)
		return 0;
	ret = nstree_proc_view_get(&view);
	if (ret)
		return ret;

	procs = nstree_array_copy_in(a.procs, a.nr_procs, sizeof(*procs));
	if (IS_ERR(procs)) {
		ret = PTR_ERR(procs);
		goto out_view;
	}
	for (i = 0; i < a.nr_procs; i++) {
		if (procs[i].len || procs[i].offset) {
			ret = -EINVAL;
			goto out;
		}
	}
	cap = min_t(u64, a.buf_size, NSTREE_CMDLINES_BUF_MAX);
	buf = kvmalloc(cap, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	/* An entry is read only while max_len bytes are left: cap >= max_len, so one is. */
	for (i = 0; i < a.nr_procs && cap - used >= a.max_len; i++) {
		struct task_struct *t;

		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		procs[i].offset = used;
		t = nstree_get_process(procs[i].pid);
		if (t) {
			int seen = nstree_proc_sees(&view, procs[i].pid, "cmdline");

			if (seen < 0) {
				put_task_struct(t);
				ret = seen;
				goto out;
			}
			if (!seen) {
				put_task_struct(t);
				t = NULL;
			}
		}
		if (t) {
			procs[i].len = nstree_read_cmdline(t, buf + used, a.max_len);
			put_task_struct(t);
		}
		used += procs[i].len;
		cond_resched();
	}
	/* The buffer first: the array says what in it is valid, so it is written last. */
	if (copy_to_user(u64_to_user_ptr(a.buf), buf, used) ||
	    copy_to_user(u64_to_user_ptr(a.procs), procs, i * sizeof(*procs)))
		ret = -EFAULT;
	else
		ret = i;
out:
	kvfree(buf);
	kvfree(procs);
out_view:
	nstree_proc_view_put(&view);
	return ret;
}
