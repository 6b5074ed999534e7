// SPDX-License-Identifier: GPL-2.0
/* 6.7+: get_file_rcu() takes the __rcu pointer's address (before: a macro on the file). */
#include <linux/module.h>
#include <linux/fs.h>
struct file *probe(struct file __rcu **f);
struct file *probe(struct file __rcu **f) { return get_file_rcu(f); }
MODULE_LICENSE("GPL");
