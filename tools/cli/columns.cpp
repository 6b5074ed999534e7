// SPDX-License-Identifier: GPL-2.0
#include "columns.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <pwd.h>
#include <unordered_map>

#include "ns_type.hpp"

namespace nstree::cli {

namespace {

constexpr std::array<Column, 16> kColumns = {{
	{ColumnId::ns, "NS", "namespace inode number", JsonType::number, 10, true},
	{ColumnId::type, "TYPE", "kind of namespace", JsonType::string, 5},
	{ColumnId::path, "PATH", "path to the namespace file", JsonType::string, 0, false, false, true},
	{ColumnId::nprocs, "NPROCS", "number of processes in the namespace", JsonType::number, 5, true},
	{ColumnId::pid, "PID", "lowest PID in the namespace", JsonType::number, 5, true},
	{ColumnId::ppid, "PPID", "PPID of the PID", JsonType::number, 5, true},
	{ColumnId::command, "COMMAND", "command line of the PID", JsonType::string, 0, false, false, true},
	{ColumnId::uid, "UID", "UID of the PID", JsonType::number, 0, true},
	{ColumnId::user, "USER", "username of the PID", JsonType::string, 0},
	{ColumnId::netnsid, "NETNSID", "namespace ID as used by network subsystem", JsonType::number, 0, true},
	{ColumnId::nsfs, "NSFS", "nsfs mountpoint (usually used network subsystem)", JsonType::strings, 0, false, true},
	{ColumnId::pns, "PNS", "parent namespace identifier (inode number)", JsonType::number, 10, true},
	{ColumnId::ons, "ONS", "owner namespace identifier (inode number)", JsonType::number, 10, true},
	{ColumnId::id, "ID", "64-bit namespace ID (listns, NS_GET_ID)", JsonType::number, 4, true},
	{ColumnId::holder, "HOLDER", "what keeps it alive besides its processes", JsonType::strings, 0, false, true},
	{ColumnId::active, "ACTIVE", "listed as active by listns", JsonType::boolean, 0},
}};

std::string user_name(uid_t uid)
{
	static std::unordered_map<uid_t, std::string> cache;
	auto it = cache.find(uid);
	if (it != cache.end())
		return it->second;
	struct passwd *pw = getpwuid(uid);
	return cache[uid] = pw ? pw->pw_name : std::to_string(uid);
}

bool iequal(std::string_view a, std::string_view b)
{
	return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
		       return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
	       });
}

template <typename T>
Cell num(const std::optional<T> &v)
{
	if (!v)
		return std::nullopt;
	return std::vector<std::string>{std::to_string(*v)};
}

Cell one(std::string s)
{
	return std::vector<std::string>{std::move(s)};
}

} // namespace

std::span<const Column> all_columns()
{
	return kColumns;
}

const Column *find_column(std::string_view name)
{
	for (const auto &c : kColumns)
		if (iequal(c.name, name))
			return &c;
	return nullptr;
}

Result<std::vector<const Column *>> parse_columns(std::string_view spec, const std::vector<const Column *> &defaults)
{
	std::vector<const Column *> out;
	if (!spec.empty() && spec.front() == '+') {
		out = defaults;
		spec.remove_prefix(1);
	}
	while (!spec.empty()) {
		auto comma = spec.find(',');
		auto name = spec.substr(0, comma);
		const Column *c = find_column(name);
		if (!c)
			return Error{EINVAL, "unknown column '" + std::string(name) + "' (nstree ls -H lists them)"};
		out.push_back(c);
		spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
	}
	if (out.empty())
		return Error{EINVAL, "no columns given to -o"};
	return out;
}

Cell cell(const Column &c, const Namespace &ns)
{
	switch (c.id) {
	case ColumnId::ns:
		return ns.inode ? num(std::optional<uint64_t>(ns.inode)) : std::nullopt;
	case ColumnId::type:
		return one(std::string(ns_type_name(ns.type)));
	case ColumnId::path:
		if (ns.pid && ns.nprocs)
			return one("/proc/" + std::to_string(*ns.pid) + "/ns/" + std::string(ns_type_name(ns.type)));
		if (!ns.nsfs.empty())
			return one(ns.nsfs.front());
		return std::nullopt;
	case ColumnId::nprocs:
		return one(std::to_string(ns.nprocs));
	case ColumnId::pid:
		return num(ns.pid);
	case ColumnId::ppid:
		return num(ns.ppid);
	case ColumnId::command:
		return ns.command.empty() ? std::nullopt : one(ns.command);
	case ColumnId::uid:
		return num(ns.uid);
	case ColumnId::user:
		return ns.uid ? one(user_name(*ns.uid)) : std::nullopt;
	case ColumnId::netnsid:
		return ns.netnsid && *ns.netnsid >= 0 ? num(ns.netnsid) : std::nullopt;
	case ColumnId::nsfs:
		return ns.nsfs.empty() ? std::nullopt : Cell(ns.nsfs);
	case ColumnId::pns:
		return num(ns.parent_inode);
	case ColumnId::ons:
		return num(ns.owner_inode);
	case ColumnId::id:
		return num(ns.id);
	case ColumnId::holder: {
		if (ns.holders.empty())
			return std::nullopt;
		std::vector<std::string> v;
		for (const auto &h : ns.holders)
			v.push_back(h.str());
		return v;
	}
	case ColumnId::active:
		return ns.active ? one(*ns.active ? "true" : "false") : std::nullopt;
	}
	return std::nullopt;
}

} // namespace nstree::cli
