// SPDX-License-Identifier: GPL-2.0
/*
 * Loading task_ns.bpf.c through bpftool's light skeleton (task_ns.lskel.h,
 * generated at build time): the kernel applies the CO-RE relocations against
 * the BTF it already holds, where libbpf would first read and parse the whole
 * of /sys/kernel/btf/vmlinux (natively 40 ms against 6-18 ms; under TCG 470 ms).
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

/* BPF_OBJ_GET_INFO_BY_FD of @fd into @info (@len bytes): 0 or -errno. */
static int obj_info(int fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = len;
	attr.info.info = (__u64)(unsigned long)info;
	return skel_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) < 0 ? -errno : 0;
}

/* BPF_OBJ_GET of @path (read and write): an fd or -errno. */
static int obj_get(const char *path)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (__u64)(unsigned long)path;
	fd = skel_sys_bpf(BPF_OBJ_GET, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

/* BPF_OBJ_PIN of @fd at @path: 0 or -errno. */
static int obj_pin(int fd, const char *path)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (__u64)(unsigned long)path;
	attr.bpf_fd = fd;
	return skel_sys_bpf(BPF_OBJ_PIN, &attr, sizeof(attr)) < 0 ? -errno : 0;
}

/*
 * Whether @link_fd and @readers_fd look like what nstree_task_ns_load() makes: a
 * task iterator's link and a readers map of this build's shape. The caller found
 * them where only this build pins (a directory named after a digest of the
 * program), owned by it; this catches a file put there by other hands.
 */
static int check_pinned(int link_fd, int readers_fd)
{
	struct bpf_link_info link;
	struct bpf_map_info map;
	char target[8] = "";
	int err;

	memset(&link, 0, sizeof(link));
	link.iter.target_name = (__u64)(unsigned long)target;
	link.iter.target_name_len = sizeof(target);
	err = obj_info(link_fd, &link, sizeof(link));
	if (err)
		return err;
	if (link.type != BPF_LINK_TYPE_ITER || strcmp(target, "task"))
		return -ESTALE;
	memset(&map, 0, sizeof(map));
	err = obj_info(readers_fd, &map, sizeof(map));
	if (err)
		return err;
	if (map.type != BPF_MAP_TYPE_HASH || map.key_size != sizeof(__u32) ||
	    map.value_size != sizeof(struct nstree_task_ns_reader) ||
	    map.max_entries != NSTREE_TASK_NS_MAX_READERS || strcmp(map.name, "readers"))
		return -ESTALE;
	return 0;
}

int nstree_task_ns_get_pinned(struct nstree_task_ns_iter *it, const char *link_path, const char *readers_path)
{
	int fd, err;

	it->link_fd = it->readers_fd = -1;
	fd = obj_get(link_path);
	if (fd < 0)
		return fd;
	it->link_fd = fd;
	fd = obj_get(readers_path);
	err = fd < 0 ? fd : 0;
	if (!err) {
		it->readers_fd = fd;
		err = check_pinned(it->link_fd, it->readers_fd);
	}
	if (err)
		nstree_task_ns_unload(it);
	return err;
}

int nstree_task_ns_pin(const struct nstree_task_ns_iter *it, const char *link_path, const char *readers_path)
{
	int err = obj_pin(it->readers_fd, readers_path);

	return err ? err : obj_pin(it->link_fd, link_path);
}

int nstree_task_ns_reader_open(const struct nstree_task_ns_iter *it, unsigned int index, unsigned int count)
{
	struct nstree_task_ns_reader reg = { .shard = { .index = index, .count = count } };
	__u32 tid = (__u32)gettid();
	union bpf_attr attr;
	int fd;

	/*
	 * BPF_ANY: an entry under this thread ID can only be a caller's that died
	 * between registering and nstree_task_ns_reader_done(), and is stale.
	 */
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
