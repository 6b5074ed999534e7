/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSTREE_TASK_NS_LOADER_H
#define NSTREE_TASK_NS_LOADER_H

#ifdef __cplusplus
extern "C" {
#endif

/* The loaded iterator: its link and the map where reader threads register. */
struct nstree_task_ns_iter {
	int link_fd;
	int readers_fd;
};

/* Loads and attaches the task iterator into @it: 0 or -errno. */
int nstree_task_ns_load(struct nstree_task_ns_iter *it);

/*
 * An fd whose read(), from the calling thread only, gives one
 * struct nstree_task_ns_record per process whose pid is @index modulo @count
 * (every process when @count <= 1), or -errno. The caller owns the fd.
 */
int nstree_task_ns_reader_open(const struct nstree_task_ns_iter *it, unsigned int index, unsigned int count);

/* Closes what nstree_task_ns_load() kept; open reader fds stay usable. */
void nstree_task_ns_unload(struct nstree_task_ns_iter *it);

#ifdef __cplusplus
}
#endif

#endif
