/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSTREE_TASK_NS_LOADER_H
#define NSTREE_TASK_NS_LOADER_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Loads the task iterator and returns an fd whose read() gives one
 * struct nstree_task_ns_record per process, or -errno. The caller owns the fd;
 * nothing else stays loaded once it is closed.
 */
int nstree_task_ns_iter_open(void);

#ifdef __cplusplus
}
#endif

#endif
