// SPDX-License-Identifier: GPL-2.0
// nstree-orphans-sample: `nstree orphans -J` and `--format prometheus` for a made-up
// report (the seed's tmpfs, a namespace held by a bind mount, a detached mount, a
// block device at risk, labels that need escaping), separated by \x1e, for
// validate_orphans.py to check against the schema and Prometheus's own parser.
#include <cstdio>
#include <sys/sysmacros.h>

#include "orphans_render.hpp"

using namespace nstree;
using namespace nstree::cli;

int main()
{
	OrphanReport r;
	r.backend = BackendKind::module;
	r.kernel_view = true;
	r.mount_namespaces = 3;
	r.processes = 42;
	r.notices.push_back("a \"quoted\" notice");

	Orphan seed;
	seed.dev = makedev(0, 52);
	seed.fstype = "tmpfs";
	seed.source = "tmpfs";
	seed.mount_ids = {301};
	seed.size_bytes = 128ull << 20;
	seed.used_bytes = 64ull << 20;
	seed.inodes = 3;
	seed.in_memory = true;
	seed.active = 1;
	FsHolder fd;
	fd.pid = 812;
	fd.command = "sleep";
	fd.ref.kind = FileRef::Kind::fd;
	fd.ref.pid = 812;
	fd.ref.fd = 7;
	fd.ref.path = "/small";
	fd.ref.access = "r";
	seed.holders.push_back(fd);
	FsHolder map = fd;
	map.ref.kind = FileRef::Kind::map;
	map.ref.fd = -1;
	map.ref.start = 0x7f0000000000;
	map.ref.end = 0x7f0000001000;
	map.ref.access = "r--s";
	map.ref.path = "/small (deleted)";
	seed.holders.push_back(map);
	// Held through other files of the process: the module names these.
	FsHolder inflight = fd;
	inflight.ref.kind = FileRef::Kind::inflight;
	inflight.ref.fd = 7;
	inflight.ref.ino = 12;
	inflight.ref.path.clear();
	seed.holders.push_back(inflight);
	FsHolder ring = fd;
	ring.ref.kind = FileRef::Kind::io_uring;
	ring.ref.fd = 8;
	ring.ref.start = 2;
	ring.ref.ino = 13;
	ring.ref.path = "small";
	ring.ref.access = "rw";
	seed.holders.push_back(ring);
	FsHolder bound = fd;
	bound.ref.kind = FileRef::Kind::unix_bound;
	bound.ref.fd = 9;
	bound.ref.ino = 14;
	bound.ref.path = "/run/app/sock";
	bound.ref.access.clear();
	seed.holders.push_back(bound);
	seed.remedies = remedies_for(seed);
	r.orphans.push_back(seed);

	Orphan held;
	held.kind = Orphan::Kind::held_namespace;
	held.dev = makedev(0, 60);
	held.fstype = "tmpfs";
	held.source = "we\"ird\\name\nline";
	held.mntns_inode = 4026532500;
	held.used_bytes = 4096;
	held.inodes = 2;
	held.in_memory = true;
	FsHolder bind;
	bind.kind = FsHolder::Kind::namespace_mount;
	bind.target = "/run/ns/a";
	bind.mntns_inode = 4026531841;
	held.holders.push_back(bind);
	held.remedies = remedies_for(held);
	r.orphans.push_back(held);

	Orphan disk;
	disk.dev = makedev(7, 0);
	disk.fstype = "ext4";
	disk.source = "loop0";
	disk.block_device = true;
	disk.dirty_bytes = 8192;
	disk.used_bytes = 1 << 20;
	disk.inodes = 11;
	disk.unexplained = true;
	disk.active = 2;
	disk.remedies = remedies_for(disk);
	r.orphans.push_back(disk);

	Orphan swapped;
	swapped.dev = makedev(7, 1);
	swapped.fstype = "minix";
	swapped.source = "loop1";
	swapped.block_device = true;
	swapped.active = 1;
	FsHolder swap;
	swap.kind = FsHolder::Kind::swap;
	swap.ref.path = "/swapfile";
	swapped.holders.push_back(swap);
	swapped.remedies = remedies_for(swapped);
	r.orphans.push_back(swapped);

	Orphan mnt;
	mnt.kind = Orphan::Kind::detached_mount;
	mnt.dev = makedev(8, 1);
	mnt.fstype = "ext4";
	mnt.source = "/dev/sda1";
	mnt.mount_ids = {77};
	FsHolder cwd = fd;
	cwd.ref.kind = FileRef::Kind::cwd;
	cwd.ref.fd = -1;
	cwd.ref.access.clear();
	cwd.ref.path = "/";
	mnt.holders.push_back(cwd);
	mnt.remedies = remedies_for(mnt);
	r.orphans.push_back(mnt);

	std::fputs(render_orphans_json(r).c_str(), stdout);
	std::fputs("\x1e", stdout);
	std::fputs(render_orphans_prometheus(r, 0.25).c_str(), stdout);
	std::fputs("\x1e", stdout);
	OrphanReport empty;
	std::fputs(render_orphans_json(empty).c_str(), stdout);
	return 0;
}
