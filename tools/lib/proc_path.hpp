// SPDX-License-Identifier: GPL-2.0
// Paths under /proc for one process: "/proc/PID", "/proc/PID/REST", and its
// namespace links "/proc/PID/ns/TYPE".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "ns_type.hpp"

namespace nstree {

inline std::string proc_path(pid_t pid)
{
	return "/proc/" + std::to_string(pid);
}

// @rest without a leading slash: "fd", "fd/3", "root/mnt".
inline std::string proc_path(pid_t pid, std::string_view rest)
{
	std::string p = proc_path(pid);
	p += '/';
	p += rest;
	return p;
}

// The namespace link of type kNsTypes[@type_index].
inline std::string proc_ns_path(pid_t pid, size_t type_index)
{
	return proc_path(pid, "ns/" + std::string(kNsTypes[type_index].name));
}

} // namespace nstree
