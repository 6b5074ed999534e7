// SPDX-License-Identifier: GPL-2.0
#include "privilege.hpp"

#include <charconv>
#include <string_view>
#include <vector>

#include "fd.hpp"

namespace nstree {

std::string Privilege::missing() const
{
	std::string m;
	if (!cap_sys_admin || !init_user_ns)
		m = "CAP_SYS_ADMIN in the initial user namespace";
	if (!init_pid_ns)
		m += m.empty() ? "a caller in the initial pid namespace" : ", from the initial pid namespace";
	return m;
}

std::string Privilege::describe() const
{
	if (may_see_all())
		return "sees every namespace";
	std::string d = "the kernel lists only the namespaces it is in (seeing all needs " + missing() + "); ";
	if (cap_sys_ptrace && init_user_ns)
		d += "/proc shows every process's namespaces (CAP_SYS_PTRACE) unless a security module refuses";
	else
		d += std::string("/proc shows the namespaces of its own processes (other users' need CAP_SYS_PTRACE") +
		     (init_user_ns ? ")" : " in the initial user namespace)");
	return d;
}

std::string refusal_notice(const Privilege &p, size_t refused, const std::vector<std::string> &named)
{
	std::string n = "partial output: /proc refused the namespaces or fds of " + std::to_string(refused) + " process(es)";
	if (!p.cap_sys_ptrace || !p.init_user_ns)
		return n + ": another user's need CAP_SYS_PTRACE" + (p.init_user_ns ? "" : " in the initial user namespace");
	n += " although you have CAP_SYS_PTRACE: a security module (AppArmor, SELinux, Landlock, Yama) refuses them:";
	for (size_t i = 0; i < named.size(); i++)
		n += (i ? ", " : " ") + named[i];
	if (refused > named.size())
		n += ", ...";
	return n;
}

namespace {

// The numbers of @text in base @base, separated by blanks, up to the end of its line.
std::vector<unsigned long long> numbers(std::string_view text, int base = 10)
{
	std::vector<unsigned long long> out;
	const char *p = text.data(), *end = p + text.size();
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p == '\n')
			return out;
		unsigned long long v;
		auto [next, ec] = std::from_chars(p, end, v, base);
		if (ec != std::errc())
			return out;
		out.push_back(v);
		p = next;
	}
}

// What follows "@key" at the start of a line of @text; empty when no line has it.
std::string_view after_key(std::string_view text, std::string_view key)
{
	for (size_t at = 0; at < text.size();) {
		size_t eol = text.find('\n', at);
		std::string_view line = text.substr(at, eol == std::string_view::npos ? eol : eol - at);
		if (line.starts_with(key))
			return line.substr(key.size());
		if (eol == std::string_view::npos)
			break;
		at = eol + 1;
	}
	return {};
}

} // namespace

Privilege read_privilege()
{
	Privilege p;
	// The initial user namespace maps every uid to itself: "0 0 4294967295".
	auto map = numbers(read_small_file("/proc/self/uid_map"));
	p.init_user_ns = map.size() >= 3 && map[0] == 0 && map[1] == 0 && map[2] == 4294967295ULL;
	std::string status = read_small_file("/proc/self/status");
	auto caps = numbers(after_key(status, "CapEff:"), 16);
	p.cap_sys_admin = !caps.empty() && (caps[0] & (1ULL << 21));
	p.cap_sys_ptrace = !caps.empty() && (caps[0] & (1ULL << 19));
	// One pid per pid namespace level: one level is the initial pid namespace.
	p.init_pid_ns = numbers(after_key(status, "NSpid:")).size() == 1;
	return p;
}

} // namespace nstree
