// SPDX-License-Identifier: GPL-2.0
#include "ns_type.hpp"

#include <charconv>
#include <string>
#include <unistd.h>

namespace nstree {

std::optional<size_t> ns_type_index(std::string_view name)
{
	for (size_t i = 0; i < kNsTypes.size(); i++)
		if (kNsTypes[i].name == name)
			return i;
	return std::nullopt;
}

std::string_view ns_type_name(uint32_t flag)
{
	auto i = ns_type_index(flag);
	return i ? kNsTypes[*i].name : "?";
}

std::optional<NsLink> parse_ns_link(std::string_view s)
{
	if (!s.empty() && s.front() == '/')
		s.remove_prefix(1); // some mountinfo roots carry a leading slash
	auto colon = s.find(":[");
	if (colon == std::string_view::npos || s.size() < colon + 4 || s.back() != ']')
		return std::nullopt;
	auto type = ns_type_index(s.substr(0, colon));
	if (!type)
		return std::nullopt;
	auto digits = s.substr(colon + 2, s.size() - colon - 3);
	uint64_t inode = 0;
	auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), inode);
	if (ec != std::errc() || end != digits.data() + digits.size() || inode == 0)
		return std::nullopt;
	return NsLink{kNsTypes[*type].flag, inode};
}

std::optional<uint64_t> own_ns_inode(std::string_view name)
{
	std::string path = "/proc/self/ns/" + std::string(name);
	char buf[64];
	ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
	if (n <= 0 || size_t(n) >= sizeof(buf))
		return std::nullopt;
	auto link = parse_ns_link(std::string_view(buf, size_t(n)));
	if (!link || ns_type_name(link->type) != name)
		return std::nullopt;
	return link->inode;
}

} // namespace nstree
