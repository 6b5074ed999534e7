// SPDX-License-Identifier: GPL-2.0
#include "watch_stream.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "module_client.hpp"
#include "nstree.h"

namespace nstree {

std::string_view watch_event_name(WatchEventKind k)
{
	switch (k) {
	case WatchEventKind::present: return "present";
	case WatchEventKind::created: return "created";
	case WatchEventKind::active: return "active";
	case WatchEventKind::inactive: return "inactive";
	case WatchEventKind::died: return "died";
	case WatchEventKind::lost: return "lost";
	}
	return "unknown";
}

Result<WatchStream> WatchStream::open(const ModuleClient &module, const WatchOptions &opts)
{
	struct nstree_watch req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.ns_type = opts.types;
	req.capacity = opts.capacity;
	req.flags = (opts.initial ? NSTREE_WATCH_INITIAL : 0) | (opts.activity ? NSTREE_WATCH_ACTIVITY : 0) |
		    (opts.nonblock ? NSTREE_WATCH_NONBLOCK : 0);
	int fd = ioctl(module.fd(), NSTREE_IOC_WATCH, &req);
	if (fd < 0) {
		int err = errno;
		if (err == ENOTTY)
			return Error{err, "the loaded nstree module has no event stream (NSTREE_IOC_WATCH): "
					  "load nstree 0.5 or later"};
		return Error::from_errno(err, "NSTREE_IOC_WATCH");
	}
	return WatchStream(Fd(fd));
}

static std::optional<WatchEventKind> kind_of(uint16_t ev)
{
	switch (ev) {
	case NSTREE_EVENT_PRESENT: return WatchEventKind::present;
	case NSTREE_EVENT_CREATED: return WatchEventKind::created;
	case NSTREE_EVENT_ACTIVE: return WatchEventKind::active;
	case NSTREE_EVENT_INACTIVE: return WatchEventKind::inactive;
	case NSTREE_EVENT_DIED: return WatchEventKind::died;
	case NSTREE_EVENT_LOST: return WatchEventKind::lost;
	}
	return std::nullopt;
}

Result<std::vector<WatchEvent>> parse_watch_records(const unsigned char *buf, size_t len)
{
	std::vector<WatchEvent> out;
	size_t off = 0;
	while (off < len) {
		struct nstree_watch_event r;
		std::memset(&r, 0, sizeof(r));
		uint32_t size = 0;
		if (len - off < sizeof(size))
			return Error{EPROTO, "a truncated event record from the nstree module"};
		std::memcpy(&size, buf + off, sizeof(size));
		if (size < NSTREE_WATCH_EVENT_SIZE_VER0 || size > len - off)
			return Error{EPROTO, "an event record of " + std::to_string(size) +
						     " bytes from the nstree module: a module and CLI that do not match?"};
		std::memcpy(&r, buf + off, std::min<size_t>(size, sizeof(r)));
		off += size;
		auto kind = kind_of(r.event);
		if (!kind)
			continue; // an event type newer than this CLI: skipped, as the ABI allows
		WatchEvent e;
		e.kind = *kind;
		e.seq = r.seq;
		e.time_ns = r.time_ns;
		e.id = r.ns_id;
		e.type = r.ns_type;
		e.inum = r.ns_inum;
		e.owner = r.owner_id;
		e.parent = r.parent_id;
		e.lost = r.lost;
		e.active = r.flags & NSTREE_EVENT_F_ACTIVE;
		if (r.flags & NSTREE_EVENT_F_CREATOR) {
			e.pid = r.pid;
			e.comm.assign(r.comm, strnlen(r.comm, sizeof(r.comm)));
		}
		out.push_back(std::move(e));
	}
	return out;
}

Result<std::vector<WatchEvent>> WatchStream::next(int timeout_ms)
{
	struct pollfd p = {fd_.get(), POLLIN, 0};
	int n = poll(&p, 1, timeout_ms);
	if (n < 0)
		return Error::from_errno(errno, "waiting for namespace events");
	if (n == 0)
		return std::vector<WatchEvent>{};
	alignas(8) std::array<unsigned char, 256 * sizeof(struct nstree_watch_event)> buf;
	ssize_t got = read(fd_.get(), buf.data(), buf.size());
	if (got < 0) {
		if (errno == EAGAIN)
			return std::vector<WatchEvent>{};
		return Error::from_errno(errno, "reading namespace events");
	}
	return parse_watch_records(buf.data(), size_t(got));
}

} // namespace nstree
