// SPDX-License-Identifier: GPL-2.0
/* Before 6.8: the mount count of struct mnt_namespace is the unsigned int "mounts". */
#include <linux/module.h>
#include "fs/mount.h"
unsigned int probe(struct mnt_namespace *m);
unsigned int probe(struct mnt_namespace *m) { unsigned int *p = &m->mounts; return *p; }
MODULE_LICENSE("GPL");
