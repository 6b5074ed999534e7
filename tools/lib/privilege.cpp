// SPDX-License-Identifier: GPL-2.0
#include "privilege.hpp"

#include <fstream>
#include <sstream>

namespace nstree {

std::string Privilege::missing() const
{
	std::string m;
	auto add = [&](const char *what) { m += m.empty() ? what : std::string(", ") + what; };
	if (!cap_sys_admin)
		add("CAP_SYS_ADMIN");
	if (!init_user_ns)
		add("the initial user namespace");
	if (!init_pid_ns)
		add("the initial pid namespace");
	return m;
}

Privilege read_privilege()
{
	Privilege p;
	std::ifstream map("/proc/self/uid_map");
	unsigned long long inside = 1, outside = 1, count = 0;
	if (map >> inside >> outside >> count)
		p.init_user_ns = inside == 0 && outside == 0 && count == 4294967295ULL;
	std::ifstream status("/proc/self/status");
	std::string line;
	while (std::getline(status, line)) {
		std::istringstream in(line);
		std::string key;
		in >> key;
		if (key == "CapEff:") {
			unsigned long long caps = 0;
			in >> std::hex >> caps;
			p.cap_sys_admin = caps & (1ULL << 21);
		} else if (key == "NSpid:") {
			int levels = 0;
			long pid;
			while (in >> pid)
				levels++;
			p.init_pid_ns = levels == 1;
		}
	}
	return p;
}

} // namespace nstree
