// SPDX-License-Identifier: GPL-2.0
#include "mount_pins.hpp"

#include <set>
#include <sys/statfs.h>

#include "fs_magic.hpp"
#include "mount_table.hpp"
#include "proc_path.hpp"

namespace nstree {

Result<MountPins> in_memory_pins(pid_t pid)
{
	auto table = read_mount_table(pid);
	if (!table)
		return table.error();
	MountPins pins;
	std::set<dev_t> seen;
	for (const auto &m : *table) {
		if (!fs_type_in_memory(m.fstype) || !seen.insert(m.dev).second)
			continue;
		struct statfs sf;
		if (statfs(proc_path(pid, "root" + m.target).c_str(), &sf) != 0)
			continue;
		uint64_t fr = sf.f_frsize ? uint64_t(sf.f_frsize) : uint64_t(sf.f_bsize);
		pins.bytes += uint64_t(sf.f_blocks - sf.f_bfree) * fr;
		pins.filesystems++;
	}
	return pins;
}

} // namespace nstree
