// SPDX-License-Identifier: GPL-2.0
// What the caller may see: upstream's may_see_all_namespaces() from userspace.
#pragma once

#include <string>
#include <vector>

namespace nstree {

struct Privilege {
	bool init_user_ns = false; // uid_map is the identity map of the initial user namespace
	bool init_pid_ns = false;  // one level in NSpid
	bool cap_sys_admin = false;// CAP_SYS_ADMIN in the effective set
	bool cap_sys_ptrace = false;// CAP_SYS_PTRACE in the effective set
	bool may_see_all() const { return init_user_ns && init_pid_ns && cap_sys_admin; }
	// "" when may_see_all(); else what is missing, for a notice.
	std::string missing() const;
	// What the kernel's listing and /proc show this caller, in words (doctor).
	std::string describe() const;
};

// Why /proc refused @refused processes to a caller with @p, in words, naming @named
// ("812 (sshd)", the first few of them) when CAP_SYS_PTRACE should have let them through.
std::string refusal_notice(const Privilege &p, size_t refused, const std::vector<std::string> &named);

Privilege read_privilege();

} // namespace nstree
