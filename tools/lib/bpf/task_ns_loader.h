/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSTREE_TASK_NS_LOADER_H
#define NSTREE_TASK_NS_LOADER_H

#ifdef __cplusplus
extern "C" {
#endif

/* The loaded iterator, private to the caller: its link and the map where its reader threads register. */
struct nstree_task_ns_iter {
	int link_fd;
	int readers_fd;
};

/* Loads and attaches the task iterator into @it: 0 or -errno. */
int nstree_task_ns_load(struct nstree_task_ns_iter *it);

/*
 * Registers the calling thread as reader @index of @count and returns an fd whose
 * read(), from this thread only, gives one struct nstree_task_ns_record per
 * process whose pid is @index modulo @count (every process when @count <= 1), or
 * -errno (-E2BIG: NSTREE_TASK_NS_MAX_SHARDS threads are registered already).
 * @flags: NSTREE_TASK_NS_NO_CMDLINE for records without command lines.
 * The caller owns the fd, and calls nstree_task_ns_reader_done() once it has
 * read it.
 */
int nstree_task_ns_reader_open(const struct nstree_task_ns_iter *it, unsigned int index, unsigned int count,
			       unsigned int flags);

/* Withdraws the calling thread's registration. */
void nstree_task_ns_reader_done(const struct nstree_task_ns_iter *it);

/* Closes what nstree_task_ns_load() kept; open reader fds stay usable. */
void nstree_task_ns_unload(struct nstree_task_ns_iter *it);

#ifdef __cplusplus
}
#endif

#endif
