// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF task iterator that writes one nstree_task_ns_record per process: the
 * bulk "which process is in which namespace" that upstream has no system call
 * for. Without it the native backend walks /proc: 9 statx calls per process
 * where this takes one read().
 *
 * Each namespace is reached the way its /proc/PID/ns/TYPE link reaches it
 * (nsproxy, the task's active pid namespace, the real credentials' user
 * namespace). The structures below name only the fields used; they are
 * preserve_access_index, so the kernel relocates every offset against its own
 * BTF when the light skeleton (task_ns_loader.c) loads the program (CO-RE).
 * Fields are read by plain loads, not bpf_probe_read_kernel() calls: the task is
 * a BTF pointer the verifier knows, and each pointer walked from it is one too
 * (untrusted in a sleepable program), whose loads the JIT guards with an
 * exception-table entry: a bad address reads as zero, like a failed probe read,
 * at the cost of one instruction instead of a helper call, on a path taken eight
 * times per process. Only the pid
 * namespace is read by probe reads (see below).
 * A task iterator holds a reference to the task it visits; the namespaces are
 * only read, so a namespace torn down meanwhile yields a stale number, not a
 * fault (the caller matches every number against listns(2) and opens nothing on
 * its strength).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "task_ns_record.h"

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct ns_common {
	unsigned int inum;
	__u64 ns_id; /* Linux >= 6.18 */
};

typedef struct {
	__u32 val;
} kuid_t;

struct user_namespace {
	struct ns_common ns;
	struct user_namespace *parent;
	kuid_t owner;
};

/* Every other type: the common part and its owning user namespace. */
struct mnt_namespace {
	struct ns_common ns;
	struct user_namespace *user_ns;
};

struct net {
	struct ns_common ns;
	struct user_namespace *user_ns;
};

struct uts_namespace {
	struct ns_common ns;
	struct user_namespace *user_ns;
};

struct ipc_namespace {
	struct ns_common ns;
	struct user_namespace *user_ns;
};

struct cgroup_namespace {
	struct ns_common ns;
	struct user_namespace *user_ns;
};

struct time_namespace {
	struct ns_common ns;
	struct user_namespace *user_ns;
};

struct pid_namespace {
	struct ns_common ns;
	struct user_namespace *user_ns;
	struct pid_namespace *parent;
};

struct nsproxy {
	struct uts_namespace *uts_ns;
	struct ipc_namespace *ipc_ns;
	struct mnt_namespace *mnt_ns;
	struct net *net_ns;
	struct time_namespace *time_ns;
	struct cgroup_namespace *cgroup_ns;
};

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
};

struct cred {
	kuid_t euid;
	struct user_namespace *user_ns;
};

#define PF_KTHREAD 0x00200000

struct mm_struct {
	unsigned long arg_start, arg_end, env_start, env_end;
};

struct task_struct {
	unsigned int flags;
	struct mm_struct *mm;
	int pid;
	int tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	const struct cred *real_cred;
	struct nsproxy *nsproxy;
	char comm[16];
};

#include "iter_ctx.h"

#pragma clang attribute pop

/*
 * The readers, by thread ID (struct nstree_task_ns_reader): a thread registers
 * before it reads, as shard i of n, and reports the processes whose pid is i
 * modulo n, so that n threads on n CPUs share the work; its entry is also where
 * it builds each record. A thread that did not register reports nothing.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NSTREE_TASK_NS_MAX_SHARDS);
	__type(key, __u32);
	__type(value, struct nstree_task_ns_reader);
} readers SEC(".maps");

/* kNsTypes order. */
enum { MNT, NET, PID, UTS, IPC, USER, CGROUP, TIME };

#define NS_ID(p) (bpf_core_field_exists(struct ns_common, ns_id) ? (p)->ns.ns_id : 0)

/*
 * The namespace @p (of any type with ns and user_ns) into slot @i of @r. No NULL
 * checks: a guarded load through NULL reads 0, which is what an absent namespace
 * leaves in the zeroed record, and every branch is one more path to verify.
 */
#define TAKE(r, i, p)                                                                                                  \
	do {                                                                                                           \
		(r)->inum[i] = (p)->ns.inum;                                                                           \
		(r)->ns_id[i] = NS_ID(p);                                                                              \
		(r)->owner_inum[i] = (p)->user_ns->ns.inum;                                                            \
	} while (0)

/*
 * The first NSTREE_TASK_NS_CMDLINE_MAX bytes /proc/PID/cmdline would give, by
 * get_mm_cmdline()'s rules: nothing without arguments; [arg_start, arg_end) as a
 * rule; when the NUL ending the arguments was overwritten (setproctitle(3)), up to
 * env_end, cut at the first NUL by the caller (NSTREE_TASK_NS_TITLE). One copy
 * reads through env_end (the environment follows the arguments on the stack), so
 * the byte at arg_end - 1 usually comes with it; a second, one-byte copy only for
 * arguments longer than the buffer. The four bounds are read without
 * mm->arg_lock: a concurrent prctl(PR_SET_MM) can only make us read the wrong
 * bytes of that process's own memory, never fault. bpf_copy_from_user_task()
 * takes its own reference to the task's mm.
 */
static __always_inline __u32 read_cmdline(struct task_struct *t, struct task_struct *u,
					   struct nstree_task_ns_reader *s)
{
	struct mm_struct *mm = u->mm;
	unsigned long as, ae, es, ee, n, args;
	char c = 0;

	if (!mm)
		return 0; /* a kernel thread */
	as = mm->arg_start;
	ae = mm->arg_end;
	es = mm->env_start;
	ee = mm->env_end;
	if (as >= ae)
		return 0;
	if (es != ae || ee < es)
		ee = ae;
	n = ee - as;
	if (n > NSTREE_TASK_NS_CMDLINE_MAX)
		n = NSTREE_TASK_NS_CMDLINE_MAX;
	if (bpf_copy_from_user_task(s->cmdline, n, (void *)as, t, 0))
		return 0; /* not mapped (any more): /proc gives nothing either */
	args = ae - as;
	if (args <= n)
		c = s->cmdline[(args - 1) & (NSTREE_TASK_NS_CMDLINE_MAX - 1)];
	else if (bpf_copy_from_user_task(&c, 1, (void *)(ae - 1), t, 0))
		c = 0;
	if (c) {
		s->r.flags |= NSTREE_TASK_NS_TITLE;
		return n;
	}
	return args < n ? args : n;
}

/* Sleepable: reading another process's memory may fault pages in. */
SEC("iter.s/task")
int nstree_task_ns(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	struct task_struct *u;
	struct nstree_task_ns_record *rp;
	struct nstree_task_ns_reader *s;
	struct nsproxy *nsp;
	__u32 len;
	struct pid_namespace *pidns = NULL;
	struct user_namespace *userns;
	const struct cred *cred;
	struct pid *tpid;
	unsigned int level;
	__u32 reader = (__u32)bpf_get_current_pid_tgid();
	__u32 tgid;

	if (!t)
		return 0;
	tgid = t->tgid;
	if ((__u32)t->pid != tgid)
		return 0; /* a thread: the process leader stands for it */
	/*
	 * The leader's group_leader is the leader itself: the same task, reached by
	 * a walk, and so an untrusted pointer. The verifier searches vmlinux's BTF
	 * twice over for each pointer walked from a trusted one (to see whether the
	 * field passes trust on), and never for one walked from an untrusted one:
	 * every walk below starts from @u. @t itself, trusted, is what
	 * bpf_copy_from_user_task() takes. (While another thread execs, de_thread()
	 * makes it the leader: @u may then be that thread, of the same process.)
	 */
	u = t->group_leader;
	if (!u)
		return 0;
	s = bpf_map_lookup_elem(&readers, &reader);
	if (!s)
		return 0;
	if (s->shard.count > 1 && tgid % s->shard.count != s->shard.index)
		return 0; /* another reader's */
	nsp = u->nsproxy;
	if (!nsp)
		return 0; /* exiting: /proc/PID/ns/ is empty too */
	rp = &s->r;
	__builtin_memset(rp, 0, sizeof(*rp));
	rp->pid = tgid;
	rp->version = NSTREE_TASK_NS_VERSION;
	rp->ppid = u->real_parent->tgid;
	cred = u->real_cred;
	rp->euid = cred->euid.val;
	/* A racing prctl(PR_SET_NAME) may tear the name; the reader stops at 16 bytes. */
	__builtin_memcpy(rp->comm, u->comm, sizeof(rp->comm));
	if (u->flags & PF_KTHREAD)
		rp->flags |= NSTREE_TASK_NS_KTHREAD;

	struct mnt_namespace *mnt = nsp->mnt_ns;
	struct net *net = nsp->net_ns;
	struct uts_namespace *uts = nsp->uts_ns;
	struct ipc_namespace *ipc = nsp->ipc_ns;
	struct cgroup_namespace *cg = nsp->cgroup_ns;
	struct time_namespace *tm = nsp->time_ns;

	TAKE(rp, MNT, mnt);
	TAKE(rp, NET, net);
	TAKE(rp, UTS, uts);
	TAKE(rp, IPC, ipc);
	TAKE(rp, CGROUP, cg);
	TAKE(rp, TIME, tm);

	/*
	 * task_active_pid_ns(): the namespace of the task's pid at its own level. The
	 * index is no constant, which a plain load cannot take, and what a probe read
	 * returns is no BTF pointer: this namespace is read by probe reads throughout.
	 */
	tpid = u->thread_pid;
	if (tpid) {
		level = tpid->level;
		bpf_core_read(&pidns, sizeof(pidns), &tpid->numbers[level].ns);
		if (pidns) {
			rp->inum[PID] = BPF_CORE_READ(pidns, ns.inum);
			if (bpf_core_field_exists(struct ns_common, ns_id))
				rp->ns_id[PID] = BPF_CORE_READ(pidns, ns.ns_id);
			rp->owner_inum[PID] = BPF_CORE_READ(pidns, user_ns, ns.inum);
			rp->parent_inum[PID] = BPF_CORE_READ(pidns, parent, ns.inum);
		}
	}

	/* The user namespace: no user_ns field; its owner is its parent. */
	userns = cred->user_ns;
	rp->inum[USER] = userns->ns.inum;
	rp->ns_id[USER] = NS_ID(userns);
	rp->owner_inum[USER] = userns->parent->ns.inum;
	rp->parent_inum[USER] = rp->owner_inum[USER];
	rp->user_owner_uid = userns->owner.val;

	len = s->shard.flags & NSTREE_TASK_NS_NO_CMDLINE ? 0 : read_cmdline(t, u, s);
	rp->cmdline_len = len;
	bpf_seq_write(seq, rp, sizeof(*rp));
	if (len > 0 && len <= NSTREE_TASK_NS_CMDLINE_MAX)
		bpf_seq_write(seq, s->cmdline, len);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
