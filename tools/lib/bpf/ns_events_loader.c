// SPDX-License-Identifier: GPL-2.0
/*
 * Loading ns_events.bpf.c through bpftool's light skeleton (ns_events.lskel.h,
 * generated at build time), as file_refs_loader.c loads the file iterators.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include "ns_events_loader.h"
#include "ns_events.lskel.h"

struct nstree_ns_events {
	struct ns_events *skel;
};

int nstree_ns_events_load(struct nstree_ns_events **out, __u32 ring_bytes, bool activity)
{
	struct nstree_ns_events *ev;
	int err;

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	errno = 0;
	ev->skel = ns_events__open();
	if (!ev->skel) {
		err = errno ? -errno : -EINVAL;
		free(ev);
		return err;
	}
	/* The loader program creates the map with this size where it is not 0. */
	ev->skel->maps.events.max_entries = ring_bytes;
	if (ns_events__load(ev->skel) < 0) {
		err = errno ? -errno : -EINVAL;
		nstree_ns_events_unload(ev);
		return err;
	}
	err = ns_events__nstree_ns_added__attach(ev->skel);
	if (err >= 0)
		err = ns_events__nstree_ns_removed__attach(ev->skel);
	/* Only a stream that follows activity pays for the hooks every fork passes. */
	if (err >= 0 && activity)
		err = ns_events__nstree_ns_active_get__attach(ev->skel);
	if (err >= 0 && activity)
		err = ns_events__nstree_ns_active_put__attach(ev->skel);
	if (err < 0) {
		err = errno ? -errno : -EINVAL;
		nstree_ns_events_unload(ev);
		return err;
	}
	*out = ev;
	return 0;
}

int nstree_ns_events_ring_fd(const struct nstree_ns_events *ev)
{
	return ev->skel->maps.events.map_fd;
}

void nstree_ns_events_unpend(const struct nstree_ns_events *ev, __u64 ns_id)
{
	skel_map_delete_elem(ev->skel->maps.pending.map_fd, &ns_id);
}

/* How often the kernel skipped @prog_fd because it was already running on that CPU. */
static __u64 recursion_misses(int prog_fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = prog_fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (long)&info;
	if (skel_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) < 0)
		return 0;
	return info.recursion_misses;
}

__u64 nstree_ns_events_dropped(const struct nstree_ns_events *ev)
{
	return __atomic_load_n(&ev->skel->bss->dropped, __ATOMIC_RELAXED) +
	       recursion_misses(ev->skel->progs.nstree_ns_added.prog_fd) +
	       recursion_misses(ev->skel->progs.nstree_ns_removed.prog_fd) +
	       recursion_misses(ev->skel->progs.nstree_ns_active_get.prog_fd) +
	       recursion_misses(ev->skel->progs.nstree_ns_active_put.prog_fd);
}

void nstree_ns_events_unpend_all(const struct nstree_ns_events *ev)
{
	int fd = ev->skel->maps.pending.map_fd;
	union bpf_attr attr;
	__u64 key;

	/* The first key, again and again: each is deleted before the next is asked. */
	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = fd;
		attr.key = 0;
		attr.next_key = (long)&key;
		if (skel_sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr, sizeof(attr)) < 0)
			return;
		skel_map_delete_elem(fd, &key);
	}
}

void nstree_ns_events_unload(struct nstree_ns_events *ev)
{
	if (!ev)
		return;
	if (ev->skel)
		ns_events__destroy(ev->skel);
	free(ev);
}
