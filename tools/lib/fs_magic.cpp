// SPDX-License-Identifier: GPL-2.0
#include "fs_magic.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string_view>

namespace nstree {

namespace {

struct Magic {
	uint64_t magic;
	std::string_view name;
	bool internal;
	bool in_memory;
};

// Values from <linux/magic.h> (and fs/aio.c's AIO_RING_MAGIC, nstree's own).
constexpr Magic kMagics[] = {
	{0x01021994, "tmpfs", false, true},
	{0x858458f6, "ramfs", false, true},
	{0x958458f6, "hugetlbfs", false, true},
	{0xef53, "ext4", false, false},
	{0x58465342, "xfs", false, false},
	{0x9123683e, "btrfs", false, false},
	{0x4d44, "vfat", false, false},
	{0x2011bab0, "exfat", false, false},
	{0xf2f52010, "f2fs", false, false},
	{0xe0f5e1e2, "erofs", false, false},
	{0x73717368, "squashfs", false, false},
	{0x9660, "iso9660", false, false},
	{0x794c7630, "overlay", false, false},
	{0x65735546, "fuse", false, false},
	{0x6969, "nfs", false, false},
	{0x9fa0, "proc", false, false},
	{0x62656572, "sysfs", false, false},
	{0x63677270, "cgroup2", false, false},
	{0x1cd1, "devpts", false, false},
	{0x19800202, "mqueue", false, false},
	{0xcafe4a11, "bpf", false, false},
	{0x50495045, "pipefs", true, false},
	{0x534f434b, "sockfs", true, false},
	{0x09041934, "anon_inodefs", true, false},
	{0x6e736673, "nsfs", true, false},
	{0x6e737472, "nstreefs", true, false},
	{0x50494446, "pidfs", true, false},
	{0x5345434d, "secretmem", true, false},
	{0x444d4142, "dmabuf", true, false},
	{0xa10a10a1, "aio", true, false},
	{0x62646576, "bdev", true, false},
};

const Magic *find(uint64_t magic)
{
	auto it = std::find_if(std::begin(kMagics), std::end(kMagics), [&](const Magic &m) { return m.magic == magic; });
	return it == std::end(kMagics) ? nullptr : &*it;
}

} // namespace

std::string fs_magic_name(uint64_t magic)
{
	if (const Magic *m = find(magic))
		return std::string(m->name);
	char buf[24];
	std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(magic));
	return buf;
}

bool fs_magic_internal(uint64_t magic)
{
	const Magic *m = find(magic);
	return m && m->internal;
}

bool fs_magic_namespace_files(uint64_t magic)
{
	const Magic *m = find(magic);
	return m && (m->name == "nsfs" || m->name == "nstreefs");
}

bool fs_magic_in_memory(uint64_t magic)
{
	const Magic *m = find(magic);
	return m && m->in_memory;
}

bool fs_type_in_memory(const std::string &fstype)
{
	return fstype == "tmpfs" || fstype == "ramfs" || fstype == "hugetlbfs" || fstype == "shmem";
}

} // namespace nstree
