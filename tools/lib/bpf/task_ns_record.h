/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One record of the BPF task iterator (task_ns.bpf.c) per process: what a /proc
 * walk reads from /proc/PID/stat and /proc/PID/ns/ plus what opening each namespace
 * and asking nsfs would say (ID, owner, parent), followed by cmdline_len bytes of
 * what /proc/PID/cmdline would say. Shared by the BPF program and
 * libnstree; the index of each array is the namespace type's index in kNsTypes
 * (mnt, net, pid, uts, ipc, user, cgroup, time).
 */
#ifndef NSTREE_TASK_NS_RECORD_H
#define NSTREE_TASK_NS_RECORD_H

#include <linux/types.h>

#define NSTREE_TASK_NS_TYPES 8
#define NSTREE_TASK_NS_VERSION 2
#define NSTREE_TASK_NS_KTHREAD 1 /* flags: a kernel thread (PF_KTHREAD) */
#define NSTREE_TASK_NS_TITLE 2	 /* flags: setproctitle(3) ran: the text ends at its first NUL */
#define NSTREE_TASK_NS_CMDLINE_MAX 4096 /* as much as one read of /proc/PID/cmdline */
#define NSTREE_TASK_NS_MAX_SHARDS 8	/* readers that may share one iteration */

struct nstree_task_ns_record {
	__u32 version;			  /* NSTREE_TASK_NS_VERSION */
	__u32 pid;			  /* tgid: records are per process */
	__u32 ppid;			  /* real parent's tgid */
	__u32 euid;			  /* as NSTREE_IOC_PROCS: the effective uid */
	char comm[16];			  /* task->comm; /proc shows kernel threads' full names */
	__u64 ns_id[NSTREE_TASK_NS_TYPES]; /* 0: the kernel has no namespace IDs */
	__u32 inum[NSTREE_TASK_NS_TYPES];  /* 0: no such namespace type here */
	__u32 owner_inum[NSTREE_TASK_NS_TYPES];	 /* NS_GET_USERNS; 0: none */
	__u32 parent_inum[NSTREE_TASK_NS_TYPES]; /* NS_GET_PARENT (pid, user); 0: none */
	__u32 user_owner_uid;		  /* NS_GET_OWNER_UID of the user namespace */
	__u32 flags;			  /* NSTREE_TASK_NS_KTHREAD, _TITLE */
	__u32 cmdline_len;		  /* bytes of the command line that follow the record */
	__u32 reserved;
};

/* A reader thread's share: the processes whose pid is index modulo count. */
struct nstree_task_ns_shard {
	__u32 index;
	__u32 count;
	__u32 flags;	/* NSTREE_TASK_NS_NO_CMDLINE */
	__u32 reserved;
};

/* shard flags: the reader needs no command lines (cmdline_len stays 0) */
#define NSTREE_TASK_NS_NO_CMDLINE 1

/*
 * The value of the iterator's readers map, keyed by the reader's thread ID: its
 * share, and the space where the program builds each record and command line
 * (together they exceed the BPF stack). Per reader, not per CPU: the program is
 * sleepable, so a reader that sleeps may let another run on its CPU. Keyed by
 * thread because the running program knows its reader only by the current
 * thread's ID.
 */
struct nstree_task_ns_reader {
	struct nstree_task_ns_shard shard;
	struct nstree_task_ns_record r;
	char cmdline[NSTREE_TASK_NS_CMDLINE_MAX];
};

#endif
