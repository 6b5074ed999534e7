// SPDX-License-Identifier: GPL-2.0
#include "columns.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <pwd.h>
#include <unordered_map>

#include "ns_type.hpp"

namespace nstree::cli {

namespace {

constexpr std::array<Column, 17> kColumns = {{
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
	{ColumnId::pins, "PINS", "bytes its tmpfs, ramfs and hugetlbfs mounts hold in memory (mnt)", JsonType::number, 0, true},
}};

// Cells are built on several threads at once: a cache per thread, and the
// reentrant lookup. The name returned lives in this thread's cache, as long as the
// thread.
const std::string &user_name(uid_t uid)
{
	static thread_local std::unordered_map<uid_t, std::string> cache;
	auto it = cache.find(uid);
	if (it != cache.end())
		return it->second;
	struct passwd pw, *found = nullptr;
	std::vector<char> buf(4096);
	int err;
	while ((err = getpwuid_r(uid, &pw, buf.data(), buf.size(), &found)) == ERANGE && buf.size() < (1u << 20))
		buf.resize(buf.size() * 2);
	return cache[uid] = !err && found ? std::string(found->pw_name) : std::to_string(uid);
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

template <typename T>
bool put_num(const std::optional<T> &v, std::string &out)
{
	if (!v)
		return false;
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof(buf), *v);
	out.append(buf, r.ptr);
	return true;
}

bool put(std::string_view s, std::string &out)
{
	out += s;
	return true;
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
	case ColumnId::path:
		if (ns.pid && ns.nprocs)
			return one("/proc/" + std::to_string(*ns.pid) + "/ns/" + std::string(ns_type_name(ns.type)));
		if (!ns.nsfs.empty())
			return one(ns.nsfs.front());
		return std::nullopt;
	case ColumnId::netnsid:
		return ns.netnsid && *ns.netnsid >= 0 ? num(ns.netnsid) : std::nullopt;
	case ColumnId::nsfs:
		return ns.nsfs.empty() ? std::nullopt : Cell(ns.nsfs);
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
	default: {
		// One number or one name: append_cell() writes those.
		std::string s;
		if (!append_cell(c, ns, "", s))
			return std::nullopt;
		return one(std::move(s));
	}
	}
}

bool append_cell(const Column &c, const Namespace &ns, std::string_view sep, std::string &out)
{
	switch (c.id) {
	case ColumnId::ns:
		return ns.inode && put_num(std::optional<uint64_t>(ns.inode), out);
	case ColumnId::type:
		return put(ns_type_name(ns.type), out);
	case ColumnId::nprocs:
		return put_num(std::optional<uint32_t>(ns.nprocs), out);
	case ColumnId::pid:
		return put_num(ns.pid, out);
	case ColumnId::ppid:
		return put_num(ns.ppid, out);
	case ColumnId::command:
		return !ns.command.empty() && put(ns.command, out);
	case ColumnId::uid:
		return put_num(ns.uid, out);
	case ColumnId::user:
		return ns.uid && put(user_name(*ns.uid), out);
	case ColumnId::pns:
		return put_num(ns.parent_inode, out);
	case ColumnId::ons:
		return put_num(ns.owner_inode, out);
	case ColumnId::id:
		return put_num(ns.id, out);
	case ColumnId::pins:
		return put_num(ns.pinned_bytes, out);
	case ColumnId::path:
	case ColumnId::netnsid:
	case ColumnId::nsfs:
	case ColumnId::holder:
	case ColumnId::active:
		break; // cell() builds these
	}
	Cell v = cell(c, ns);
	if (!v)
		return false;
	for (size_t i = 0; i < v->size(); i++) {
		if (i)
			out += sep;
		out += (*v)[i];
	}
	return true;
}

} // namespace nstree::cli
