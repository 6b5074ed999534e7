// SPDX-License-Identifier: GPL-2.0
/* 6.2: nsproxy.count became a refcount_t (before: atomic_t). */
#include <linux/module.h>
#include <linux/nsproxy.h>
refcount_t *probe(struct nsproxy *nsp);
refcount_t *probe(struct nsproxy *nsp) { return &nsp->count; }
MODULE_LICENSE("GPL");
