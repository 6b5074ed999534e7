/* SPDX-License-Identifier: GPL-2.0 */
/* nstree: declarations shared by the module's files. */
#ifndef NSTREE_INTERNAL_H
#define NSTREE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/llist.h>
#include <linux/ns_common.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#include "uapi/nstree.h"

struct task_struct;
struct nsproxy;
struct cred;
struct file_handle;

#define NSTREE_MODULE_VERSION	"0.4.0"
#define NSTREE_NR_TYPES		8
/* Every namespace type's CLONE_NEW* bit: upstream's NS_ALL. */
#define NSTREE_ALL_TYPES	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
				 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)

/* In nstree_ns.guard: the death hook is waiting; no new lookup may enter. */
#define NSTREE_GUARD_CLOSING	(1 << 30)

/**
 * struct nstree_ns - what the registry knows of one namespace
 * @id: 64-bit ID, unique across types, never reused while the module is loaded
 * @ns: the namespace. NOT a counting reference: it may be dereferenced only by
 *	nstree_ns_tryget(), which takes @guard first (see Documentation/lifetime.md)
 * @inum: @ns->inum, copied so the death hook can match without touching @ns
 * @type: CLONE_NEW* value of the namespace type
 * @guard: 1 while @ns is alive, plus one per lookup in flight; with
 *	NSTREE_GUARD_CLOSING while the death hook waits for those lookups; 0 once it
 *	is done. Only the death hook sets the closing bit and moves it to 0.
 * @stashed: the nstreefs dentry currently serving @ns, NOT counting; set by
 *	nstreefs_dentry() with cmpxchg, cleared by ->d_prune() if still ours
 * @inum_node: in nstree_by_inum, under nstree_reg_mutex (RCU readers)
 * @type_node: in its type's list, in ascending ID order, under nstree_reg_mutex
 * @dead_node: on the list of entries waiting to be unhashed
 * @rcu: the entry is freed after a grace period, so RCU readers may hold it. It
 *	shares its place with @dead_node: the reaper takes an entry off that list
 *	(llist_for_each_entry_safe() has read the next one) before it frees it, and
 *	no reader looks at either. 96 bytes in all, a kmalloc-96 object
 * @active_gen: the activity scan generation that last found the namespace active
 * @watch_state: NSTREE_WATCH_STATE_* as the event stream last reported it, under
 *	the watch diff mutex (module/watch.c); it fills what was padding
 */
struct nstree_ns {
	u64 id;
	struct ns_common *ns;
	unsigned int inum;
	u32 type;
	atomic_t guard;
	u32 watch_state;
	struct dentry *stashed;
	struct hlist_node inum_node;
	struct list_head type_node;
	union {
		struct llist_node dead_node;
		struct rcu_head rcu;
	};
	u64 active_gen;
};

#define NSTREE_WATCH_STATE_KNOWN	(1U << 0)	/* the stream has reported its activity */
#define NSTREE_WATCH_STATE_ACTIVE	(1U << 1)	/* ... and it was active */

/**
 * struct nstree_birth - who made a namespace, as a birth hook saw it
 * @pid: the creating process (its thread group), a counting reference
 * @comm: its command name then
 */
struct nstree_birth {
	struct pid *pid;
	char comm[TASK_COMM_LEN];
};

/* registry.c */
int nstree_registry_init(void);
void nstree_registry_exit(void);
bool nstree_is_tracked(struct ns_common *ns);
struct nstree_ns *nstree_register_birth(struct ns_common *ns, const struct nstree_birth *birth);
struct nstree_ns *nstree_register(struct ns_common *ns);
u64 nstree_registry_next_id(void);
int nstree_ns_lineage(struct ns_common *ns, u64 *owner_id, u64 *parent_id);
struct nstree_ns *nstree_find_rcu(u64 id);
struct ns_common *nstree_ns_tryget(struct nstree_ns *e);
struct ns_common *nstree_get_by_id(u64 id, u32 type, struct nstree_ns **ep);
struct ns_common *nstree_get_openable(u64 id, u32 type, struct nstree_ns **ep);
bool nstree_registry_trusted(void);
size_t nstree_registry_hash_bytes(void);
unsigned long nstree_death_hook_missed(void);
const char *nstree_death_hook_kind(void);
struct nstree_ns *nstree_next_get(unsigned long *index, struct ns_common **nsp);
struct nstree_ns *nstree_next_rcu(unsigned long *index);
struct ns_common *nstree_adjacent_get(struct nstree_ns *e, bool next,
				      bool (*visible)(struct ns_common *ns));

/* task_namespaces.c: walks over tasks where we may sleep */
int nstree_visit_task_namespaces(int (*fn)(struct ns_common *ns, void *arg), void *arg);
int nstree_visit_threads(int (*fn)(struct task_struct *t, void *arg), void *arg);
int nstree_visit_processes(int (*fn)(struct task_struct *t, void *arg), void *arg);

/* active.c: upstream's "active" namespaces, computed by a cached scan */
extern atomic_long_t nstree_changes;

/* watch.c: the event stream */
extern atomic_t nstree_watch_births;	/* open watchers: birth hooks queue what they see */
extern atomic_t nstree_watch_activity;	/* of them, those that want _ACTIVE/_INACTIVE */
void nstree_watch_kick(void);

/**
 * struct nstree_wev - one event as the module records it
 * @seq: set by nstree_watch_emit()
 * @time_ns: set by nstree_watch_emit()
 * @ns_id: the namespace's ID; 0 for _LOST
 * @owner_id: its owner's ID, or 0
 * @parent_id: its parent's ID, or 0
 * @lost: for _LOST, how many events it stands for
 * @ns_type: CLONE_NEW* type
 * @ns_inum: inode number
 * @event: NSTREE_EVENT_*
 * @flags: NSTREE_EVENT_F_*
 * @birth: for _CREATED with NSTREE_EVENT_F_CREATOR: a ring's copy holds its own
 *	reference on @birth.pid
 */
struct nstree_wev {
	u64 seq;
	u64 time_ns;
	u64 ns_id;
	u64 owner_id;
	u64 parent_id;
	u64 lost;
	u32 ns_type;
	u32 ns_inum;
	u16 event;
	u16 flags;
	struct nstree_birth birth;
};

void nstree_watch_emit(struct nstree_wev *ev, struct nstree_ns *e);
int nstree_watch_init(void);
void nstree_watch_exit(void);
long nstree_ioc_watch(void __user *uarg);

/* Something that can change which namespaces are active happened. NMI-safe. */
static inline void nstree_note_change(void)
{
	atomic_long_inc(&nstree_changes);
	if (atomic_read(&nstree_watch_activity))
		nstree_watch_kick();
}

int nstree_active_init(void);
void nstree_births_drain(void);
void nstree_active_exit(void);
int nstree_active_lock(u64 *gen);
void nstree_active_unlock(void);
bool nstree_is_active(struct nstree_ns *e, u64 gen);
unsigned long nstree_active_hooks_missed(void);

/* listns.c */
long nstree_listns(const struct ns_id_req __user *ureq, u64 __user *uids, u64 nr,
		   unsigned int flags);
long nstree_ioc_listns(void __user *uarg);

/* open.c: NSTREE_IOC_OPEN and NSTREE_IOC_OPEN_HANDLE */
long nstree_ioc_open(void __user *uarg);
int nstree_open_nsfs(struct ns_common *ns);
long nstree_ioc_open_handle(void __user *uarg);
long nstree_open_handle(struct file_handle __user *ufh, u32 open_flags, bool nsfs);

/* ns_id.c */
struct ns_common *nstree_fd_ns_get(int fd);
long nstree_ioc_ns_id(void __user *uarg);

/* procs.c */
long nstree_ioc_procs(void __user *uarg);

/* ns_info.c */
long nstree_ioc_ns_info(void __user *uarg);

/* cmdlines.c */
long nstree_ioc_cmdlines(void __user *uarg);

/* supers.c */
long nstree_ioc_supers(void __user *uarg);

/* holders.c */
long nstree_ioc_holders(void __user *uarg);

/* proc_view.c: /proc's per-process checks, asked of the caller's /proc */
struct nstree_proc_view {
	struct path root;	/* the caller's /proc, with a reference */
};

enum nstree_proc_access {
	NSTREE_PROC_HIDDEN,	/* hidepid= hides the process */
	NSTREE_PROC_NO_NS,	/* visible, but its ns links are refused (ptrace) */
	NSTREE_PROC_ALL,	/* visible, ns links included */
};

int nstree_proc_view_get(struct nstree_proc_view *v);
void nstree_proc_view_put(struct nstree_proc_view *v);
int nstree_proc_sees(struct nstree_proc_view *v, pid_t nr, const char *entry);
int nstree_proc_ns_access(struct nstree_proc_view *v, pid_t nr);

/* nstype.c: the one switch over the namespace type, and the per-type tables */
int nstree_types_init(void);
const struct proc_ns_operations *nstree_type_ops(int idx);
struct ns_common *nstree_type_init_ns(int idx);
int nstree_type_index(u32 type);
const char *nstree_type_name(u32 type);
u64 nstree_init_id(u32 type);
struct ns_common *nstree_ns_get(struct ns_common *ns);
bool nstree_ns_get_unless_dead(struct ns_common *ns);
bool nstree_ns_get_nonlast(struct ns_common *ns);
void nstree_ns_put_nonlast(struct ns_common *ns);
void nstree_ns_put(struct ns_common *ns);
bool nstree_current_in_ns(struct ns_common *ns);
void nstree_current_namespaces(struct ns_common *cur[NSTREE_NR_TYPES]);
bool nstree_may_see_all(void);
int nstree_may_open(struct ns_common *ns);
struct user_namespace *nstree_ns_owner(struct ns_common *ns);
struct ns_common *nstree_ns_parent(struct ns_common *ns);
int nstree_task_namespaces_of(struct nsproxy *nsp, const struct cred *cred,
			      struct ns_common *out[NSTREE_NR_TYPES + 1]);

/* nstreefs.c, nstreefs_handle.c: the filesystem of namespace files */
int nstree_fs_init(void);
void nstree_fs_exit(void);
struct dentry *nstreefs_dentry(struct nstree_ns *e, struct ns_common *ns);
int nstreefs_open(struct ns_common *ns);
struct file *nstreefs_open_file(struct ns_common *ns);
int nstreefs_open_id(u64 id, u32 type);
struct ns_common *nstreefs_file_ns(struct file *file);
struct nstree_ns *nstreefs_file_entry(struct file *file);
int nstreefs_open_root(void);
int nstreefs_open_dentry(struct dentry *dentry);
struct ns_common *nstreefs_dentry_ns(struct dentry *dentry);
struct dentry *nstreefs_decode_handle(u32 *fid, int fh_len, int fh_type);

/* ns_ioctl.c: the nsfs ioctls on nstreefs files, and 6.19's on kernel nsfs files */
long nstreefs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
bool nstree_nsfs_ioctl_is_new(unsigned int cmd);
long nstree_nsfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* upstream_api.c: upstream's entry points for unmodified programs */
int nstree_upstream_api_init(void);
void nstree_upstream_api_exit(void);
bool nstree_upstream_api_active(void);

/* uaccess.c */
int nstree_copy_in(void *dst, size_t ksize, size_t ver0, const void __user *uarg);

/* bulk.c: what the bulk ioctls and the listing share */
int nstree_bulk_request(void *dst, size_t ksize, size_t ver0, const void __user *uarg,
			int (*check)(const void *req));
void *nstree_array_copy_in(u64 uptr, size_t nr, size_t size);
int nstree_array_grow(void **a, size_t *cap, size_t used, size_t size, size_t limit);

/* ctl.c */
int nstree_ctl_init(void);
void nstree_ctl_exit(void);

/* stats.c */
struct nstree_stats {
	atomic_long_t tracked;		/* live registry entries */
	atomic_long_t dead_pending;	/* dead entries not yet unhashed */
	atomic_long_t ids_allocated;	/* dynamic IDs handed out since load */
	atomic_long_t dentries;		/* live nstreefs dentries (excluding the root) */
	atomic_long_t dentries_allocated;	/* nstreefs dentries created since load */
	atomic_long_t fast_hits;	/* stash hits: a live dentry was reused */
	atomic_long_t fast_misses;	/* stash misses: a dentry had to be built */
	atomic_long_t deaths;		/* namespaces seen dying */
	atomic_long_t scans;		/* activity scans run */
	atomic_long_t ring_overflows;	/* nsfs inodes whose namespace could not be queued */
	atomic_long_t fs_mounts;	/* nstreefs instances made since load */
};

extern struct nstree_stats nstree_stats;
void nstree_stats_init(void);
void nstree_stats_exit(void);

#endif /* NSTREE_INTERNAL_H */
