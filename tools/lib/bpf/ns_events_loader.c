// SPDX-License-Identifier: GPL-2.0
/*
 * Loading ns_events.bpf.c through bpftool's light skeleton (ns_events.lskel.h,
 * generated at build time), as file_refs_loader.c loads the file iterators.
 */
#define _GNU_SOURCE
#include <errno.h>
#include "ns_events_loader.h"
#include "ns_events.lskel.h"

struct nstree_ns_events {
	struct ns_events *skel;
};

int nstree_ns_events_load(struct nstree_ns_events **out, __u64 pidns_dev, __u64 pidns_ino,
			  __u32 ring_bytes)
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
	/* Before the attach: no record is made before the pid namespace is known. */
	ev->skel->bss->reader_pidns_dev = pidns_dev;
	ev->skel->bss->reader_pidns_ino = pidns_ino;
	if (ns_events__attach(ev->skel) < 0) {
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

__u64 nstree_ns_events_dropped(const struct nstree_ns_events *ev)
{
	return __atomic_load_n(&ev->skel->bss->dropped, __ATOMIC_RELAXED);
}

void nstree_ns_events_unload(struct nstree_ns_events *ev)
{
	if (!ev)
		return;
	if (ev->skel)
		ns_events__destroy(ev->skel);
	free(ev);
}
