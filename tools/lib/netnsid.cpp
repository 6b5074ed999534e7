// SPDX-License-Identifier: GPL-2.0
#include "netnsid.hpp"

#include <cstring>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

namespace nstree {

NetnsidQuery::NetnsidQuery() : sock_(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {}

std::optional<int> NetnsidQuery::query(int ns_fd)
{
	if (!sock_)
		return std::nullopt;
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct nlattr attr;
		uint32_t fd;
	} req;
	std::memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++seq_;
	req.g.rtgen_family = AF_UNSPEC;
	req.attr.nla_len = NLA_HDRLEN + sizeof(uint32_t);
	req.attr.nla_type = NETNSA_FD;
	req.fd = uint32_t(ns_fd);
	if (send(sock_.get(), &req, sizeof(req), 0) < 0)
		return std::nullopt;
	alignas(struct nlmsghdr) char buf[1024];
	ssize_t n = recv(sock_.get(), buf, sizeof(buf), 0);
	if (n < ssize_t(NLMSG_HDRLEN))
		return std::nullopt;
	auto *nh = reinterpret_cast<struct nlmsghdr *>(buf);
	if (nh->nlmsg_type != RTM_NEWNSID || nh->nlmsg_seq != seq_)
		return std::nullopt;
	int len = int(nh->nlmsg_len) - int(NLMSG_LENGTH(sizeof(struct rtgenmsg)));
	auto *a = reinterpret_cast<struct nlattr *>(reinterpret_cast<char *>(NLMSG_DATA(nh)) +
						    NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	while (len >= int(NLA_HDRLEN) && a->nla_len >= NLA_HDRLEN && int(a->nla_len) <= len) {
		if (a->nla_type == NETNSA_NSID && a->nla_len >= NLA_HDRLEN + sizeof(int32_t)) {
			int32_t id;
			std::memcpy(&id, reinterpret_cast<char *>(a) + NLA_HDRLEN, sizeof(id));
			return id;
		}
		len -= int(NLA_ALIGN(a->nla_len));
		a = reinterpret_cast<struct nlattr *>(reinterpret_cast<char *>(a) + NLA_ALIGN(a->nla_len));
	}
	return std::nullopt;
}

} // namespace nstree
