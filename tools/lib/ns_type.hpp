// SPDX-License-Identifier: GPL-2.0
// The eight namespace types: their CLONE_NEW* flags and their nsfs names.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <sched.h>
#include <string_view>

namespace nstree {

struct NsType {
	uint32_t flag;         // CLONE_NEW*, as NS_GET_NSTYPE and listns report it
	std::string_view name; // as in /proc/PID/ns/NAME and in "NAME:[inode]"
};

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

// In lsns's order.
inline constexpr std::array<NsType, 8> kNsTypes = {{
	{CLONE_NEWNS, "mnt"},
	{CLONE_NEWNET, "net"},
	{CLONE_NEWPID, "pid"},
	{CLONE_NEWUTS, "uts"},
	{CLONE_NEWIPC, "ipc"},
	{CLONE_NEWUSER, "user"},
	{CLONE_NEWCGROUP, "cgroup"},
	{CLONE_NEWTIME, "time"},
}};

// Index into kNsTypes, or nullopt (inline: sorts and lookups call it per namespace).
constexpr std::optional<size_t> ns_type_index(uint32_t flag)
{
	for (size_t i = 0; i < kNsTypes.size(); i++)
		if (kNsTypes[i].flag == flag)
			return i;
	return std::nullopt;
}
std::optional<size_t> ns_type_index(std::string_view name);
// "net" for CLONE_NEWNET; "?" for anything else.
std::string_view ns_type_name(uint32_t flag);

// Parses "net:[4026531840]" (what readlink gives for nsfs and nstreefs files and
// what mountinfo shows as the root of an nsfs bind mount).
struct NsLink {
	uint32_t type;
	uint64_t inode;
};
std::optional<NsLink> parse_ns_link(std::string_view s);

// The inode of the caller's namespace of type @name ("mnt"), from readlink of
// /proc/self/ns/NAME: unlike stat() or open(), reading the link makes no nsfs
// inode, so the module's activity hooks see nothing (an inode made and evicted
// would mark the active set stale and make the next listing scan again).
std::optional<uint64_t> own_ns_inode(std::string_view name);

} // namespace nstree
