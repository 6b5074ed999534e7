/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSTREE_FILE_REFS_LOADER_H
#define NSTREE_FILE_REFS_LOADER_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The three loaded iterators of file_refs.bpf.c and the two maps that filter them. */
struct nstree_file_refs_iter {
	int fds_link, maps_link, paths_link;
	int reach_mounts_fd, reach_devs_fd, shards_fd;
};

/* Loads and attaches the iterators into @it: 0 or -errno. */
int nstree_file_refs_load(struct nstree_file_refs_iter *it);

/* Marks mount @mnt_id, or superblock @kdev (MAJOR << 20 | MINOR), as reachable: 0 or -errno. */
int nstree_file_refs_reach_mount(const struct nstree_file_refs_iter *it, __u32 mnt_id);
int nstree_file_refs_reach_dev(const struct nstree_file_refs_iter *it, __u32 kdev);

/* A new reading of one iterator (@link one of the three): an fd to read, or -errno. */
int nstree_file_refs_open(int link);

/*
 * Makes the calling thread reader @index of @count of the maps walk (its reads of
 * maps_link then cover the processes whose pid is @index modulo @count): 0 or
 * -errno. nstree_file_refs_shard_done() withdraws it.
 */
int nstree_file_refs_shard_join(const struct nstree_file_refs_iter *it, unsigned int index, unsigned int count);
void nstree_file_refs_shard_done(const struct nstree_file_refs_iter *it);

/* Closes what nstree_file_refs_load() kept. */
void nstree_file_refs_unload(struct nstree_file_refs_iter *it);

#ifdef __cplusplus
}
#endif

#endif
