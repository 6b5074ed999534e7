// SPDX-License-Identifier: GPL-2.0
/*
 * Loading task_ns.bpf.c through bpftool's light skeleton (task_ns.lskel.h,
 * generated at build time): the kernel applies the CO-RE relocations against
 * the BTF it already holds, where libbpf would first read and parse the whole
 * of /sys/kernel/btf/vmlinux, several times the cost of the load itself.
 * C, not C++: the generated header is GNU C.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "task_ns_loader.h"
#include "task_ns.lskel.h"
#include "task_ns_record.h"

int nstree_task_ns_load(struct nstree_task_ns_iter *it)
{
	struct task_ns *skel;
	int err;

	it->link_fd = it->readers_fd = -1;
	errno = 0;
	skel = task_ns__open_and_load();
	if (!skel)
		return errno ? -errno : -EINVAL;
	if (task_ns__attach(skel) < 0) {
		err = errno ? -errno : -EINVAL;
		task_ns__destroy(skel);
		return err;
	}
	/* Keep the link and the readers map; the skeleton closes everything else. */
	it->link_fd = skel->links.nstree_task_ns_fd;
	skel->links.nstree_task_ns_fd = -1;
	it->readers_fd = skel->maps.readers.map_fd;
	skel->maps.readers.map_fd = -1;
	task_ns__destroy(skel);
	return 0;
}

int nstree_task_ns_reader_open(const struct nstree_task_ns_iter *it, unsigned int index, unsigned int count,
			       unsigned int flags)
{
	struct nstree_task_ns_reader reg = { .shard = { .index = index, .count = count, .flags = flags } };
	__u32 tid = (__u32)gettid();
	union bpf_attr attr;
	int fd;

	/* The map is this process's: no other caller's entry can be under @tid. */
	if (skel_map_update_elem(it->readers_fd, &tid, &reg, BPF_ANY) < 0)
		return -errno;
	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = it->link_fd;
	fd = skel_sys_bpf(BPF_ITER_CREATE, &attr, sizeof(attr));
	if (fd < 0) {
		fd = -errno;
		nstree_task_ns_reader_done(it);
	}
	return fd;
}

void nstree_task_ns_reader_done(const struct nstree_task_ns_iter *it)
{
	__u32 tid = (__u32)gettid();

	skel_map_delete_elem(it->readers_fd, &tid);
}

void nstree_task_ns_unload(struct nstree_task_ns_iter *it)
{
	/* An iterator fd holds its own reference to the link and so to the program. */
	if (it->link_fd >= 0)
		close(it->link_fd);
	if (it->readers_fd >= 0)
		close(it->readers_fd);
	it->link_fd = it->readers_fd = -1;
}
