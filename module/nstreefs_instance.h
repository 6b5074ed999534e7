/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nstreefs instances, for the files of nstreefs alone: pins, and the tables each
 * instance is made with (defined with their operations, in nstreefs.c and
 * nstreefs_handle.c, ops tables at the end as usual).
 */
#ifndef NSTREEFS_INSTANCE_H
#define NSTREEFS_INSTANCE_H

struct dentry;
struct vfsmount;

extern struct file_system_type nstreefs_type;
extern const struct file_operations nstreefs_root_ops;
extern const struct export_operations nstreefs_export_ops;

struct vfsmount *nstreefs_pin(void);
void nstreefs_pin_again(void);
void nstreefs_unpin(void);
struct vfsmount *nstreefs_dentry_mnt(struct dentry *dentry);
void nstreefs_instance_exit(void);

#endif /* NSTREEFS_INSTANCE_H */
