// SPDX-License-Identifier: GPL-2.0
// The caller's netlink nsid for a network namespace (RTM_GETNSID with NETNSA_FD).
#pragma once

#include <optional>

#include "fd.hpp"

namespace nstree {

class NetnsidQuery {
public:
	NetnsidQuery(); // one NETLINK_ROUTE socket for all queries
	// The nsid of the network namespace behind @ns_fd; -1 when unassigned; empty on error.
	std::optional<int> query(int ns_fd);

private:
	Fd sock_;
	unsigned seq_ = 0;
};

} // namespace nstree
