// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace lifecycle events on a kernel with listns(2) and no nstree module: what
 * NSTREE_IOC_WATCH gives on 6.1 and 6.12, from the kernel's own namespace tree
 * (kernel/nstree.c, kernel/nscommon.c), through one BPF ring buffer:
 *  - fentry on __ns_tree_add_raw(): every namespace enters the tree once, in the
 *    context of the task that made it, with its ID already given: _ADDED;
 *  - fentry on __ns_tree_remove(): it leaves the tree when it is freed, never
 *    before: _REMOVED;
 *  - fexit on __ns_ref_active_get() and __ns_ref_active_put(): its active count
 *    (listns(2)'s visibility) changed, and so perhaps did its owners'. These send
 *    _RECHECK for the namespace and each owner above it, and user space asks
 *    listns(2) which of them are active now.
 * The reader is in the initial pid namespace, so the maker's pid is its tgid.
 *
 * Why _RECHECK and not the new state: the count is changed by an atomic op this
 * program cannot see the result of, so a state read here may be stale by the time
 * it is read out, with nothing to say which of two CPUs' reads is the later one.
 * A recheck has no such race: it runs after the change it was sent for, so it sees
 * that change or a later one, and any later change sends its own recheck. The
 * pending map keeps the stream small (every fork in a container changes its user
 * and pid namespaces' counts): an ID is sent once and stays in the map until user
 * space deletes it, which it does before asking listns(2). A change that finds the
 * ID still there needs no record: it happened before the delete, so before the
 * question that follows it. If the map is full, the record is sent anyway; a
 * record the ring buffer has no room for takes its ID out again, and a namespace
 * that dies leaves the map. A run the kernel skips (a program already running on
 * this CPU, preempted) is counted in the program's recursion_misses, which user
 * space treats as a loss, as it does @dropped.
 *
 * The structures name only the fields used and are preserve_access_index: the
 * kernel relocates each against its own BTF at load (the light skeleton, CO-RE).
 * The traced functions' @ns is a pointer the caller holds a reference to; owners
 * and parents are read with bpf_probe_read_kernel() (BPF_CORE_READ), which cannot
 * fault. Nothing is held or changed.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ns_events_record.h"

#define CLONE_NEWTIME	0x00000080
#define CLONE_NEWNS	0x00020000
#define CLONE_NEWCGROUP	0x02000000
#define CLONE_NEWUTS	0x04000000
#define CLONE_NEWIPC	0x08000000
#define CLONE_NEWUSER	0x10000000
#define CLONE_NEWPID	0x20000000
#define CLONE_NEWNET	0x40000000

/* The initial namespaces' fixed IDs (1 to 8): always active, never freed. */
#define NS_LAST_INIT_ID	8
/* User namespaces nest at most 32 deep, under the initial one. */
#define MAX_OWNER_DEPTH	33

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct ns_common {
	__u32 ns_type;
	unsigned int inum;
	__u64 ns_id;
};

struct user_namespace {
	struct user_namespace *parent;
	struct ns_common ns;
};

struct pid_namespace {
	struct pid_namespace *parent;
	struct user_namespace *user_ns;
	struct ns_common ns;
};

struct net {
	struct user_namespace *user_ns;
	struct ns_common ns;
};

struct uts_namespace {
	struct user_namespace *user_ns;
	struct ns_common ns;
};

struct ipc_namespace {
	struct user_namespace *user_ns;
	struct ns_common ns;
};

struct mnt_namespace {
	struct user_namespace *user_ns;
	struct ns_common ns;
};

struct cgroup_namespace {
	struct user_namespace *user_ns;
	struct ns_common ns;
};

struct time_namespace {
	struct user_namespace *user_ns;
	struct ns_common ns;
};

#pragma clang attribute pop

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, NSTREE_NS_EVENTS_RING_BYTES);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} pending SEC(".maps");

/* Records the ring buffer had no room for. */
__u64 dropped;

/* The structure of @type that embeds @common (its member "ns"). */
#define CONTAINER_OF_NS(type, common) \
	((struct type *)((void *)(common) - bpf_core_field_offset(struct type, ns)))
#define OWNER_OF(type, common) BPF_CORE_READ(CONTAINER_OF_NS(type, common), user_ns)

/* @ns's owning user namespace (the parent, for a user namespace), or NULL. */
static struct ns_common *owner_of(struct ns_common *ns, __u32 type)
{
	struct user_namespace *owner;

	switch (type) {
	case CLONE_NEWUSER:
		owner = BPF_CORE_READ(CONTAINER_OF_NS(user_namespace, ns), parent);
		break;
	case CLONE_NEWPID:
		owner = OWNER_OF(pid_namespace, ns);
		break;
	case CLONE_NEWNET:
		owner = OWNER_OF(net, ns);
		break;
	case CLONE_NEWUTS:
		owner = OWNER_OF(uts_namespace, ns);
		break;
	case CLONE_NEWIPC:
		owner = OWNER_OF(ipc_namespace, ns);
		break;
	case CLONE_NEWNS:
		owner = OWNER_OF(mnt_namespace, ns);
		break;
	case CLONE_NEWCGROUP:
		owner = OWNER_OF(cgroup_namespace, ns);
		break;
	case CLONE_NEWTIME:
		owner = OWNER_OF(time_namespace, ns);
		break;
	default:
		return NULL;
	}
	if (!owner)
		return NULL;
	return (void *)owner + bpf_core_field_offset(struct user_namespace, ns);
}

/* The ID of a pid namespace's parent, 0 for the initial one. */
static __u64 pid_parent_id(struct ns_common *ns)
{
	struct pid_namespace *pidns, *parent;

	pidns = CONTAINER_OF_NS(pid_namespace, ns);
	parent = BPF_CORE_READ(pidns, parent);
	return parent ? BPF_CORE_READ(parent, ns.ns_id) : 0;
}

/*
 * Sends one record of @kind for @ns (read with probe reads: it may be an owner):
 * false when the ring buffer had no room (counted in @dropped).
 */
static bool send(struct ns_common *ns, __u32 kind, bool maker)
{
	struct nstree_ns_record *r;
	struct ns_common *owner;

	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&dropped, 1);
		return false;
	}
	r->kind = kind;
	r->ns_type = BPF_CORE_READ(ns, ns_type);
	r->ns_id = BPF_CORE_READ(ns, ns_id);
	r->ns_inum = BPF_CORE_READ(ns, inum);
	owner = owner_of(ns, r->ns_type);
	r->owner_id = owner ? BPF_CORE_READ(owner, ns_id) : 0;
	if (r->ns_type == CLONE_NEWUSER)
		r->parent_id = r->owner_id;
	else if (r->ns_type == CLONE_NEWPID)
		r->parent_id = pid_parent_id(ns);
	else
		r->parent_id = 0;
	r->time_ns = bpf_ktime_get_ns();
	r->pid = 0;
	__builtin_memset(r->comm, 0, sizeof(r->comm));
	if (maker) {
		/* The reader is in the initial pid namespace (user space checks). */
		r->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(r->comm, sizeof(r->comm));
	}
	bpf_ringbuf_submit(r, 0);
	return true;
}

SEC("fentry/__ns_tree_add_raw")
int BPF_PROG(nstree_ns_added, struct ns_common *ns)
{
	send(ns, NSTREE_NS_RECORD_ADDED, true);
	return 0;
}

SEC("fentry/__ns_tree_remove")
int BPF_PROG(nstree_ns_removed, struct ns_common *ns)
{
	__u64 id = ns->ns_id;

	/* Its last put may have left it pending: no recheck will take it out now. */
	bpf_map_delete_elem(&pending, &id);
	send(ns, NSTREE_NS_RECORD_REMOVED, false);
	return 0;
}

/* _RECHECK for @ns and each owner above it, but the initial ones. */
static void recheck_chain(struct ns_common *ns)
{
	__u8 one = 1;
	__u64 id;
	int i, err;

	for (i = 0; i < MAX_OWNER_DEPTH && ns; i++) {
		id = BPF_CORE_READ(ns, ns_id);
		if (id <= NS_LAST_INIT_ID)
			return;
		err = bpf_map_update_elem(&pending, &id, &one, BPF_NOEXIST);
		/*
		 * EEXIST: a recheck is still to come. A record that found no room
		 * takes its ID out again: user space never learns of it, so would
		 * never take it out, and no later change could send one (the loss
		 * itself makes user space check every namespace it knows).
		 */
		if (err != -17 && !send(ns, NSTREE_NS_RECORD_RECHECK, false) && !err)
			bpf_map_delete_elem(&pending, &id);
		ns = owner_of(ns, BPF_CORE_READ(ns, ns_type));
	}
}

SEC("fexit/__ns_ref_active_get")
int BPF_PROG(nstree_ns_active_get, struct ns_common *ns)
{
	if (ns->ns_id > NS_LAST_INIT_ID)
		recheck_chain(ns);
	return 0;
}

SEC("fexit/__ns_ref_active_put")
int BPF_PROG(nstree_ns_active_put, struct ns_common *ns)
{
	if (ns->ns_id > NS_LAST_INIT_ID)
		recheck_chain(ns);
	return 0;
}
