/* SPDX-License-Identifier: GPL-2.0 */
/* nstree: declarations shared by the module's files. */
#ifndef NSTREE_INTERNAL_H
#define NSTREE_INTERNAL_H

#include <linux/types.h>
#include "uapi/nstree.h"

#define NSTREE_MODULE_VERSION	"0.1.0"

int nstree_ctl_init(void);
void nstree_ctl_exit(void);

#endif /* NSTREE_INTERNAL_H */
