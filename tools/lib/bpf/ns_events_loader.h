/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSTREE_NS_EVENTS_LOADER_H
#define NSTREE_NS_EVENTS_LOADER_H

#include <linux/types.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ns_events.bpf.c loaded and attached: its ring buffer, pending map and counters. */
struct nstree_ns_events;

/*
 * Loads the four programs with a ring buffer of @ring_bytes (a power of two, at
 * least a page) and attaches those of births and deaths, and with @activity those
 * of the active count: 0 and *@out, or -errno (nothing is left). The reader must
 * be in the initial pid namespace: makers are named by their tgid there.
 */
int nstree_ns_events_load(struct nstree_ns_events **out, __u32 ring_bytes, bool activity);

/* The ring buffer's map fd (poll it for POLLIN). */
int nstree_ns_events_ring_fd(const struct nstree_ns_events *ev);

/* Takes @ns_id out of the pending map, before its activity is asked. */
void nstree_ns_events_unpend(const struct nstree_ns_events *ev, __u64 ns_id);

/*
 * How many records were lost since the load: those that found the ring buffer
 * full, and the programs' runs the kernel skipped (recursion_misses).
 */
__u64 nstree_ns_events_dropped(const struct nstree_ns_events *ev);

/* Empties the pending map (after a loss, before one listing of everything). */
void nstree_ns_events_unpend_all(const struct nstree_ns_events *ev);

/* Detaches and frees everything; NULL is allowed. */
void nstree_ns_events_unload(struct nstree_ns_events *ev);

#ifdef __cplusplus
}
#endif

#endif
