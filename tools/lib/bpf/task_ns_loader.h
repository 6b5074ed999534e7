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
 * Opens into @it the link and readers map another caller pinned at @link_path
 * and @readers_path (nstree_task_ns_pin()): 0, -errno, or -ESTALE when they are
 * not a task iterator's link and a readers map of this build's shape.
 */
int nstree_task_ns_get_pinned(struct nstree_task_ns_iter *it, const char *link_path, const char *readers_path);

/* Pins @it's readers map at @readers_path and its link at @link_path: 0 or -errno. */
int nstree_task_ns_pin(const struct nstree_task_ns_iter *it, const char *link_path, const char *readers_path);

/*
 * Registers the calling thread as reader @index of @count and returns an fd whose
 * read(), from this thread only, gives one struct nstree_task_ns_record per
 * process whose pid is @index modulo @count (every process when @count <= 1), or
 * -errno (-E2BIG: NSTREE_TASK_NS_MAX_READERS threads are registered already).
 * The caller owns the fd, and calls nstree_task_ns_reader_done() once it has
 * read it.
 */
int nstree_task_ns_reader_open(const struct nstree_task_ns_iter *it, unsigned int index, unsigned int count);

/* Withdraws the calling thread's registration: the map is shared when pinned. */
void nstree_task_ns_reader_done(const struct nstree_task_ns_iter *it);

/* Closes what nstree_task_ns_load() kept; open reader fds stay usable. */
void nstree_task_ns_unload(struct nstree_task_ns_iter *it);

#ifdef __cplusplus
}
#endif

#endif
