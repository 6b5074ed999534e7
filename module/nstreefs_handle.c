// SPDX-License-Identifier: GPL-2.0
/*
 * nstreefs file handles: upstream nsfs's struct nsfs_file_handle and its
 * fh_to_dentry() rules (permission, then activity), decoded over the registry.
 */
#include <linux/dcache.h>
#include <linux/exportfs.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/pid_namespace.h>
#include <linux/string.h>
#include "nstree.h"
#include "nstreefs_instance.h"

#define NSTREE_FH_U32	(sizeof(struct nsfs_file_handle) / sizeof(u32))

/* Upstream's nsfs_encode_fh(): no privilege, no activity check; 16 bytes. */
static int nstreefs_encode_fh(struct inode *inode, u32 *fh, int *max_len, struct inode *parent)
{
	struct nstree_ns *e = inode->i_private;
	struct nsfs_file_handle *h = (struct nsfs_file_handle *)fh;

	if (parent || !e)
		return FILEID_INVALID;
	if (*max_len < NSTREE_FH_U32) {
		*max_len = NSTREE_FH_U32;	/* user space sees EOVERFLOW and the size */
		return FILEID_INVALID;
	}
	*max_len = NSTREE_FH_U32;
	/* The inode pins the namespace, so @e is live while we read it. */
	h->ns_id = e->id;
	h->ns_type = e->type;
	h->ns_inum = inode->i_ino;
	return NSTREE_FILEID_NSFS;
}

/*
 * Upstream's owning-namespace rule for decoding: a caller that is not in the
 * namespace must be able to see all namespaces; a pid namespace the caller is in
 * but whose init has not appeared yet is refused. *@inside says whether the caller
 * uses the namespace, which makes it active: the caller's nsproxy, credentials or
 * pid hold it.
 */
static int nstreefs_may_decode(struct nstree_ns *e, struct ns_common *ns, bool *inside)
{
	*inside = nstree_current_in_ns(ns);
	if (*inside && e->type == CLONE_NEWPID &&
	    !READ_ONCE(container_of(ns, struct pid_namespace, ns)->child_reaper))
		return -EPERM;
	if (!*inside && !nstree_may_see_all())
		return -EPERM;
	return 0;
}

/* Is the namespace behind @e active? Context: the caller holds a reference on it. */
static int nstreefs_check_active(struct nstree_ns *e)
{
	u64 gen;
	int err;

	err = nstree_active_lock(&gen);
	if (err)
		return err;
	if (!nstree_is_active(e, gen))
		err = -ESTALE;
	nstree_active_unlock();
	return err;
}

/* The checks of a handle that need no lookup: upstream's, in its order. */
static bool nstreefs_fh_valid(const u32 *fid, int fh_len, int fh_type)
{
	const struct nsfs_file_handle *h = (const struct nsfs_file_handle *)fid;

	if (fh_len < NSTREE_FH_U32)
		return false;
	if (fh_len > NSTREE_FH_U32 &&
	    memchr_inv(fid + NSTREE_FH_U32, 0, (fh_len - NSTREE_FH_U32) * sizeof(u32)))
		return false;
	if (fh_type != NSTREE_FILEID_NSFS || !h->ns_id)
		return false;
	if (!h->ns_type != !h->ns_inum)	/* both or neither */
		return false;
	return !h->ns_type || nstree_type_index(h->ns_type) >= 0;
}

/*
 * Decode a handle into a dentry of the instance @sb, which the caller pins.
 * Permission comes before activity: a caller who may not have the namespace never
 * makes the module scan, and one that uses it needs no scan (it is active).
 */
static struct dentry *nstreefs_decode_in(struct super_block *sb, u32 *fid, int fh_len,
					 int fh_type)
{
	struct nsfs_file_handle *h = (struct nsfs_file_handle *)fid;
	struct ns_common *ns = NULL;
	struct nstree_ns *e;
	bool inside;
	int err;

	if (!nstreefs_fh_valid(fid, fh_len, fh_type))
		return NULL;
	ns = nstree_get_by_id(h->ns_id, 0, &e);
	if (!ns)
		return NULL;
	/* From here our reference keeps @e live. */
	err = -ESTALE;
	if (h->ns_inum && h->ns_inum != e->inum)
		goto out_put;
	if (h->ns_type && h->ns_type != e->type)
		goto out_put;
	err = nstreefs_may_decode(e, ns, &inside);
	if (!err && !inside)
		err = nstreefs_check_active(e);
	if (err)
		goto out_put;
	/* The caller's pin keeps @sb current: the dentry lands in it. */
	return nstreefs_dentry(e, ns);	/* consumes our reference */
out_put:
	nstree_ns_put(ns);
	return ERR_PTR(err);
}

/**
 * nstreefs_decode_handle() - upstream's nsfs fh_to_dentry() rules, over the registry
 * @fid: the handle's words
 * @fh_len: its length in u32 words
 * @fh_type: its type
 *
 * Decodes into the current instance (NSTREE_IOC_OPEN_HANDLE has no mount_fd).
 * Upstream checks trailing bytes at the wrong offset (it adds a u32 count to a
 * void pointer as bytes); we check the bytes after the 16-byte handle, which is
 * what it means: a handle with junk after it never opens anything.
 *
 * Return: a dentry reference (its inode pins its instance); NULL or an ERR_PTR,
 * which the VFS turns into ESTALE (all but ENOMEM), as upstream.
 */
struct dentry *nstreefs_decode_handle(u32 *fid, int fh_len, int fh_type)
{
	struct vfsmount *mnt = nstreefs_pin();
	struct dentry *d;

	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	d = nstreefs_decode_in(mnt->mnt_sb, fid, fh_len, fh_type);
	nstreefs_unpin();
	return d;
}

/*
 * open_by_handle_at() with a mount_fd on nstreefs. Its instance is current unless
 * the caller reached it only through something that pins no instance (an O_PATH
 * file of an old instance's root, a cwd there): a handle decodes to ESTALE there.
 */
static struct dentry *nstreefs_fh_to_dentry(struct super_block *sb, struct fid *fid, int fh_len,
					    int fh_type)
{
	struct vfsmount *mnt = nstreefs_pin();
	struct dentry *d = NULL;

	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	if (mnt->mnt_sb == sb)
		d = nstreefs_decode_in(sb, fid->raw, fh_len, fh_type);
	nstreefs_unpin();
	return d;
}

const struct export_operations nstreefs_export_ops = {
	.encode_fh	= nstreefs_encode_fh,
	.fh_to_dentry	= nstreefs_fh_to_dentry,
};
