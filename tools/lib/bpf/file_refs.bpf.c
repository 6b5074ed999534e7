// SPDX-License-Identifier: GPL-2.0
/*
 * BPF iterators for nstree orphans on the native backend: what the nstree
 * module's NSTREE_IOC_HOLDERS answers on 6.1 and 6.12, from three walks the
 * kernel offers without a module. Each writes struct nstree_holder records (the
 * module's UAPI, so user space reads both alike):
 *  - iter/task_file: every open file that matters (below), kind FD;
 *  - iter/task, nstree_file_refs_paths: every cwd, root and executable that
 *    matters, kinds CWD, ROOT, EXE;
 *  - iter/task, nstree_file_refs_maps: every file mapping whose superblock no
 *    mount table reaches, kind MAP (a mapping names only its device, as
 *    /proc/PID/maps does), walked with the open-coded VMA iterator.
 *
 * "Matters": the file's mount is not one the caller found in a mount table of a
 * namespace with a process in it (the reach_mounts map, by mount ID), and not
 * an internal one (kern_mount(): pipes, sockets, memfd), or the file is an nsfs
 * file (it may hold a mount namespace that no process is in). Without these
 * filters the output would be every open file of the system: the filter is
 * what makes the walk cheap.
 *
 * The structures name only the fields used; they are preserve_access_index, so
 * the kernel relocates each offset against its own BTF at load (the light
 * skeleton, CO-RE). Every pointer is read by plain loads of BTF pointers, which
 * the JIT guards: a field torn down meanwhile reads as zero or stale, never
 * faults. The iterators hold the task (and, for task_file and task_vma, the file
 * table or the mmap lock) while a program runs; cwd and root are read without
 * fs->lock, as a snapshot a chdir() may race with. Nothing here is opened or
 * held: user space opens only what /proc still shows for each record.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "file_refs_record.h"

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct super_block {
	unsigned int s_dev;
	unsigned long s_magic;
};

struct inode {
	unsigned long i_ino;
	struct super_block *i_sb;
};

struct dentry {
	struct inode *d_inode;
};

struct vfsmount {
	struct super_block *mnt_sb;
	int mnt_flags;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct mnt_namespace;

/* fs/mount.h: the vfsmount is embedded in it. */
struct mount {
	struct vfsmount mnt;
	struct mnt_namespace *mnt_ns;
	int mnt_id;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
	unsigned int f_mode;
};

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	struct file *vm_file;
};

struct fs_struct {
	struct path root;
	struct path pwd;
};

struct mm_struct {
	struct file *exe_file;
};

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *group_leader;
	struct fs_struct *fs;
	struct mm_struct *mm;
};

#include "iter_ctx.h"

#pragma clang attribute pop

/* The mount IDs (struct mount's mnt_id, mountinfo's first field) the caller reaches. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, NSTREE_FILE_REFS_MAX_REACHABLE);
	__type(key, __u32);
	__type(value, __u8);
} reach_mounts SEC(".maps");

/* The superblocks (kernel dev_t: MAJOR << 20 | MINOR) the caller reaches, for mappings. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, NSTREE_FILE_REFS_MAX_REACHABLE);
	__type(key, __u32);
	__type(value, __u8);
} reach_devs SEC(".maps");

/*
 * The maps walk's readers, by thread ID: the walk costs one VMA iteration per
 * process, which n threads on n CPUs share (a thread that did not register walks
 * every process).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NSTREE_FILE_REFS_MAX_SHARDS);
	__type(key, __u32);
	__type(value, struct nstree_file_refs_shard);
} shards SEC(".maps");

/* include/linux/mount.h, include/uapi/linux/magic.h, include/linux/fs.h, mm.h */
#define MNT_INTERNAL	0x4000
#define NSFS_MAGIC	0x6e736673
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define VM_READ		0x1
#define VM_WRITE	0x2
#define VM_EXEC		0x4
#define VM_MAYSHARE	0x80

static __always_inline struct mount *real_mount(struct vfsmount *mnt)
{
	return (struct mount *)((char *)mnt - bpf_core_field_offset(struct mount, mnt));
}

static __always_inline void fill(struct nstree_holder *h, __u32 pid, __u32 kind, struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	unsigned int dev = sb->s_dev;

	__builtin_memset(h, 0, sizeof(*h));
	h->pid = pid;
	h->kind = kind;
	h->dev_major = dev >> 20;
	h->dev_minor = dev & ((1U << 20) - 1);
	h->ino = inode->i_ino;
}

/*
 * Why a file reached through @p (@inode) matters: NSTREE_HOLDER_MNTNS-style 1 for
 * any nsfs file (user space tells a mount namespace's by its link), the flags
 * for a mount nobody reaches, -1 for one that does not matter. @mnt_id gets the
 * mount's ID.
 */
static __always_inline int reason(struct vfsmount *mnt, struct inode *inode, __u32 *mnt_id)
{
	struct mount *m;
	__u32 id;

	if (!mnt || !inode)
		return -1;
	if (inode->i_sb->s_magic == NSFS_MAGIC)
		return NSTREE_HOLDER_MNTNS;
	if (mnt->mnt_flags & MNT_INTERNAL)
		return -1;
	m = real_mount(mnt);
	id = BPF_CORE_READ(m, mnt_id);
	*mnt_id = id;
	if (bpf_map_lookup_elem(&reach_mounts, &id))
		return -1;
	return BPF_CORE_READ(m, mnt_ns) ? 0 : NSTREE_HOLDER_DETACHED;
}

SEC("iter/task_file")
int nstree_file_refs_fds(struct bpf_iter__task_file *ctx)
{
	struct file *f = ctx->file;
	struct task_struct *t = ctx->task;
	struct nstree_holder h;
	__u32 mnt_id = 0;
	int why;

	if (!f || !t)
		return 0;
	why = reason(f->f_path.mnt, f->f_inode, &mnt_id);
	if (why < 0)
		return 0;
	fill(&h, t->tgid, NSTREE_HOLDER_FD, f->f_inode);
	h.fd = ctx->fd;
	h.flags = why;
	h.mnt_id = mnt_id;
	h.access = (f->f_mode & FMODE_READ ? NSTREE_ACCESS_READ : 0) |
		   (f->f_mode & FMODE_WRITE ? NSTREE_ACCESS_WRITE : 0);
	bpf_seq_write(ctx->meta->seq, &h, sizeof(h));
	return 0;
}

/*
 * The mappings of @t's mm, by the open-coded VMA iterator (6.7+): one program run
 * per process instead of one per mapping, which is what the iter/task_vma walk
 * costs most. It takes the mmap lock with a trylock: a process whose lock is held
 * (it is faulting or mapping) gets one NSTREE_HOLDER_BUSY record, and user space
 * reads its /proc/PID/maps instead. Consecutive mappings of one file are looked
 * at once, and of one device looked up once.
 */
struct bpf_iter_task_vma {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym;

static __always_inline void maps_of(struct bpf_iter__task *ctx, struct task_struct *t)
{
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	struct nstree_holder h;
	unsigned long flags;
	struct file *f, *last_file = 0;
	__u32 dev, last_dev = 0;
	int last_reached = 0;

	if (bpf_iter_task_vma_new(&it, t, 0)) {
		__builtin_memset(&h, 0, sizeof(h));
		h.pid = t->tgid;
		h.kind = NSTREE_HOLDER_MAP;
		h.flags = NSTREE_HOLDER_BUSY;
		bpf_seq_write(ctx->meta->seq, &h, sizeof(h));
		bpf_iter_task_vma_destroy(&it);
		return;
	}
	while ((vma = bpf_iter_task_vma_next(&it))) {
		f = vma->vm_file;
		/* A library's few mappings are of one file, one after another. */
		if (!f || (f == last_file && last_reached))
			continue;
		last_file = f;
		if (!f->f_inode || (f->f_path.mnt->mnt_flags & MNT_INTERNAL)) {
			last_reached = 1;
			continue;
		}
		dev = f->f_inode->i_sb->s_dev;
		if (dev != last_dev) {
			last_dev = dev;
			last_reached = bpf_map_lookup_elem(&reach_devs, &dev) != 0;
		}
		if (last_reached)
			continue;
		fill(&h, t->tgid, NSTREE_HOLDER_MAP, f->f_inode);
		h.start = vma->vm_start;
		h.end = vma->vm_end;
		/* vm_flags has been a union member since 6.3: CO-RE finds it in either form. */
		flags = bpf_core_field_exists(vma->vm_flags) ? vma->vm_flags : 0;
		h.access = (flags & VM_READ ? NSTREE_ACCESS_READ : 0) | (flags & VM_WRITE ? NSTREE_ACCESS_WRITE : 0) |
			   (flags & VM_EXEC ? NSTREE_ACCESS_EXEC : 0) | (flags & VM_MAYSHARE ? NSTREE_ACCESS_SHARED : 0);
		bpf_seq_write(ctx->meta->seq, &h, sizeof(h));
	}
	bpf_iter_task_vma_destroy(&it);
}

static __always_inline void path_ref(struct bpf_iter__task *ctx, __u32 pid, __u32 kind, struct vfsmount *mnt,
				     struct dentry *dentry)
{
	struct nstree_holder h;
	struct inode *inode = dentry ? dentry->d_inode : 0;
	__u32 mnt_id = 0;
	int why = reason(mnt, inode, &mnt_id);

	if (why < 0 || why == NSTREE_HOLDER_MNTNS)
		return;
	fill(&h, pid, kind, inode);
	h.flags = why;
	h.mnt_id = mnt_id;
	bpf_seq_write(ctx->meta->seq, &h, sizeof(h));
}

/*
 * cwd and root of every thread whose fs_struct is not its leader's (threads made
 * without CLONE_FS have their own), the executable of every process.
 */
SEC("iter/task")
int nstree_file_refs_paths(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct task_struct *leader;
	struct fs_struct *fs;
	struct mm_struct *mm;
	struct file *exe;

	if (!t)
		return 0;
	leader = t->group_leader;
	fs = t->fs;
	if (fs && (t->pid == t->tgid || !leader || leader->fs != fs)) {
		path_ref(ctx, t->tgid, NSTREE_HOLDER_ROOT, fs->root.mnt, fs->root.dentry);
		path_ref(ctx, t->tgid, NSTREE_HOLDER_CWD, fs->pwd.mnt, fs->pwd.dentry);
	}
	mm = t->mm;
	if (t->pid != t->tgid || !mm)
		return 0;
	exe = mm->exe_file;
	if (exe)
		path_ref(ctx, t->tgid, NSTREE_HOLDER_EXE, exe->f_path.mnt, exe->f_path.dentry);
	return 0;
}

SEC("iter/task")
int nstree_file_refs_maps(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	__u32 reader = (__u32)bpf_get_current_pid_tgid();
	struct nstree_file_refs_shard *s;

	if (!t || t->pid != t->tgid || !t->mm)
		return 0; /* threads share the leader's mm; kernel threads have none */
	s = bpf_map_lookup_elem(&shards, &reader);
	if (s && s->count > 1 && (__u32)t->tgid % s->count != s->index)
		return 0; /* another reader's */
	maps_of(ctx, t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
