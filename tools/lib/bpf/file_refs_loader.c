// SPDX-License-Identifier: GPL-2.0
/*
 * Loading file_refs.bpf.c through bpftool's light skeleton (file_refs.lskel.h,
 * generated at build time), as task_ns_loader.c loads the task iterator.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "file_refs_loader.h"
#include "file_refs.lskel.h"
#include "file_refs_record.h"

int nstree_file_refs_load(struct nstree_file_refs_iter *it)
{
	struct file_refs *skel;
	int err;

	it->fds_link = it->maps_link = it->paths_link = -1;
	it->reach_mounts_fd = it->reach_devs_fd = it->shards_fd = -1;
	errno = 0;
	skel = file_refs__open_and_load();
	if (!skel)
		return errno ? -errno : -EINVAL;
	if (file_refs__attach(skel) < 0) {
		err = errno ? -errno : -EINVAL;
		file_refs__destroy(skel);
		return err;
	}
	/* Keep the links and the maps; the skeleton closes everything else. */
	it->fds_link = skel->links.nstree_file_refs_fds_fd;
	it->maps_link = skel->links.nstree_file_refs_maps_fd;
	it->paths_link = skel->links.nstree_file_refs_paths_fd;
	skel->links.nstree_file_refs_fds_fd = skel->links.nstree_file_refs_maps_fd = -1;
	skel->links.nstree_file_refs_paths_fd = -1;
	it->reach_mounts_fd = skel->maps.reach_mounts.map_fd;
	it->reach_devs_fd = skel->maps.reach_devs.map_fd;
	it->shards_fd = skel->maps.shards.map_fd;
	skel->maps.reach_mounts.map_fd = skel->maps.reach_devs.map_fd = skel->maps.shards.map_fd = -1;
	file_refs__destroy(skel);
	return 0;
}

static int reach(int map_fd, __u32 key)
{
	__u8 one = 1;

	return skel_map_update_elem(map_fd, &key, &one, BPF_ANY) < 0 ? -errno : 0;
}

int nstree_file_refs_reach_mount(const struct nstree_file_refs_iter *it, __u32 mnt_id)
{
	return reach(it->reach_mounts_fd, mnt_id);
}

int nstree_file_refs_reach_dev(const struct nstree_file_refs_iter *it, __u32 kdev)
{
	return reach(it->reach_devs_fd, kdev);
}

int nstree_file_refs_open(int link)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = link;
	fd = skel_sys_bpf(BPF_ITER_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

int nstree_file_refs_shard_join(const struct nstree_file_refs_iter *it, unsigned int index, unsigned int count)
{
	struct nstree_file_refs_shard s = { .index = index, .count = count };
	__u32 tid = (__u32)gettid();

	/* The map is this process's: no other caller's entry can be under @tid. */
	return skel_map_update_elem(it->shards_fd, &tid, &s, BPF_ANY) < 0 ? -errno : 0;
}

void nstree_file_refs_shard_done(const struct nstree_file_refs_iter *it)
{
	__u32 tid = (__u32)gettid();

	skel_map_delete_elem(it->shards_fd, &tid);
}

void nstree_file_refs_unload(struct nstree_file_refs_iter *it)
{
	int *fds[] = { &it->fds_link, &it->maps_link, &it->paths_link, &it->reach_mounts_fd,
		       &it->reach_devs_fd, &it->shards_fd };
	unsigned int i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}
