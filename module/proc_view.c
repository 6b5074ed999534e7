// SPDX-License-Identifier: GPL-2.0
/*
 * What the caller's /proc lets it see of one process, asked of /proc itself, for
 * the bulk ioctls that stand in for a /proc walk (NSTREE_IOC_PROCS, _CMDLINES).
 *
 * /proc hides a process by its mount's hidepid= and gid= options, and the links
 * in /proc/PID/ns/ by ptrace_may_access(PTRACE_MODE_READ_FSCREDS), which asks the
 * LSMs too. Neither check is exported to modules (and an unexported function may
 * not be called through its address: IBT seals functions nobody calls indirectly),
 * so we look the process up in the caller's /proc with the caller's credentials,
 * and read the ns link with a zero-length buffer: proc_ns_readlink() then runs the
 * ptrace check and copies nothing.
 */
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "nstree.h"
#include "compat/compat.h"

/**
 * nstree_proc_view_get() - the caller's /proc, if it can answer for the caller
 * @v: out: the view; release it with nstree_proc_view_put()
 *
 * The root of a procfs mounted at /proc in the caller's root, for the caller's own
 * pid namespace (so that pid numbers mean the same to both).
 *
 * Return: 0, -EPERM when there is no such /proc (the caller walks /proc itself,
 * and finds none either), or -ENOMEM.
 */
int nstree_proc_view_get(struct nstree_proc_view *v)
{
	struct super_block *sb;
	int err;

	err = kern_path("/proc", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &v->root);
	if (err)
		return err == -ENOMEM ? err : -EPERM;
	sb = v->root.dentry->d_sb;
	if (sb->s_magic != PROC_SUPER_MAGIC || v->root.dentry != sb->s_root ||
	    proc_pid_ns(sb) != task_active_pid_ns(current)) {
		path_put(&v->root);
		return -EPERM;
	}
	return 0;
}

/**
 * nstree_proc_view_put() - release a view from nstree_proc_view_get()
 * @v: the view
 */
void nstree_proc_view_put(struct nstree_proc_view *v)
{
	path_put(&v->root);
}

/* Look up "@nr/@entry" in the view, as the caller: hidepid= applies. */
static int nstree_proc_lookup(struct nstree_proc_view *v, pid_t nr, const char *entry,
			      struct path *path)
{
	char name[32];

	if (snprintf(name, sizeof(name), "%d/%s", nr, entry) >= sizeof(name))
		return -ENAMETOOLONG;
	return vfs_path_lookup(v->root.dentry, v->root.mnt, name, 0, path);
}

/*
 * Did a lookup fail because /proc hides the entry from the caller? hidepid= gives
 * ENOENT (invisible) or EPERM/EACCES (no access), and a process that just exited is
 * gone too. Anything else (ENOMEM above all) is an error the caller must see.
 */
static bool nstree_proc_hidden(int err)
{
	return err == -ENOENT || err == -EPERM || err == -EACCES || err == -ESRCH;
}

/**
 * nstree_proc_sees() - may the caller see @nr/@entry in its /proc?
 * @v: the caller's view
 * @nr: a process ID in the caller's pid namespace
 * @entry: a file of /proc/PID, such as "cmdline"
 *
 * Sleeps (a path walk).
 *
 * Return: 1 when the lookup succeeds as the caller, 0 when /proc hides it, or a
 * negative errno (-ENOMEM).
 */
int nstree_proc_sees(struct nstree_proc_view *v, pid_t nr, const char *entry)
{
	struct path path;
	int err = nstree_proc_lookup(v, nr, entry, &path);

	if (err)
		return nstree_proc_hidden(err) ? 0 : err;
	path_put(&path);
	return 1;
}

/**
 * nstree_proc_ns_access() - what the caller's /proc shows of @nr's namespaces
 * @v: the caller's view
 * @nr: a process ID in the caller's pid namespace
 *
 * Sleeps (a path walk, and the ptrace check's LSM hooks).
 *
 * Return: NSTREE_PROC_HIDDEN when /proc hides the process from the caller,
 * NSTREE_PROC_NO_NS when it shows the process but refuses its ns links (EACCES),
 * NSTREE_PROC_ALL when the caller may read them; or a negative errno (-ENOMEM).
 */
int nstree_proc_ns_access(struct nstree_proc_view *v, pid_t nr)
{
	int access = NSTREE_PROC_NO_NS;
	struct path path;
	int err;

	err = nstree_proc_lookup(v, nr, "ns/mnt", &path);
	if (err)
		return nstree_proc_hidden(err) ? NSTREE_PROC_HIDDEN : err;
	err = vfs_readlink(path.dentry, (char __user *)NULL, 0);
	if (err >= 0)
		access = NSTREE_PROC_ALL;
	else if (!nstree_proc_hidden(err))
		access = err;	/* -ENOMEM; -ENOENT: no namespaces left, a row without */
	path_put(&path);
	return access;
}
