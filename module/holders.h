/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NSTREE_IOC_HOLDERS's walk, shared by holders.c (what a process holds itself: fds,
 * cwd, root, exe, mappings) and holders_indirect.c (what it holds through another
 * file: a unix socket's queued files and name, an io_uring's registered files).
 */
#ifndef NSTREE_HOLDERS_H
#define NSTREE_HOLDERS_H

#include <linux/fs.h>
#include <linux/kconfig.h>
#include <linux/path.h>
#include <linux/types.h>
#include "uapi/nstree.h"

/*
 * Registered files of an io_uring: their layout (a compile-time probe), and
 * io_uring's file_operations, which kallsyms names only with CONFIG_KALLSYMS_ALL.
 */
#if defined(HAVE_IO_URING_FIXED_FILE) && IS_ENABLED(CONFIG_KALLSYMS_ALL)
#define NSTREE_HAVE_IO_URING_HOLDERS 1
#endif

/* Files to look into, taken under the fd table's lock and looked into outside it. */
#define NSTREE_HOLDERS_PENDING	16

struct nstree_holders_pending {
	struct file *file;	/* a counting reference, dropped once looked into */
	unsigned int fd;
};

struct nstree_holders_walk {
	struct nstree_holder *a;	/* kvmalloc()ed, grown by nstree_array_grow() */
	size_t cap;
	size_t used;
	size_t limit;		/* the caller's nr_holders: what may be written */
	size_t found;		/* what was found, written or not */
	u64 *devs;		/* sorted */
	size_t nr_devs;
	u32 flags;
	struct pid_namespace *pidns;
	u32 pid;		/* of the thread group being visited */
	/*
	 * What the previous thread had, compared (never dereferenced) to skip what a
	 * thread shares with the one before it: threads of a group are visited one
	 * after another.
	 */
	u32 last_pid;
	const void *last_files, *last_fs, *last_mm;
	struct nstree_holders_pending pending[NSTREE_HOLDERS_PENDING];
	unsigned int nr_pending;
	int err;
};

u32 nstree_holder_reason(const struct nstree_holders_walk *w, struct file *file,
			 const struct path *path, bool mapping);
struct nstree_holder *nstree_holder_slot(struct nstree_holders_walk *w, bool may_grow);
void nstree_holder_fill(struct nstree_holder *h, u32 kind, u32 reason, struct inode *inode,
			const struct path *path);
u32 nstree_file_access(const struct file *file);
int nstree_holders_grow(struct nstree_holders_walk *w);
int nstree_holders_reserve(struct nstree_holders_walk *w, size_t more);

/* holders_indirect.c */
bool nstree_holders_look_into(const struct nstree_holders_walk *w, struct file *file);
void nstree_holders_indirect(struct nstree_holders_walk *w, unsigned int fd, struct file *file);

#endif /* NSTREE_HOLDERS_H */
