// SPDX-License-Identifier: GPL-2.0
// WatchStream: namespace lifecycle events from the module's NSTREE_IOC_WATCH fd
// (Documentation/watch.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "error.hpp"
#include "fd.hpp"

namespace nstree {

class ModuleClient;

enum class WatchEventKind { present, created, active, inactive, died, lost };

std::string_view watch_event_name(WatchEventKind k);

struct WatchEvent {
	WatchEventKind kind = WatchEventKind::created;
	uint64_t seq = 0;
	uint64_t time_ns = 0;  // CLOCK_REALTIME
	uint64_t id = 0;
	uint32_t type = 0;     // CLONE_NEW*
	uint32_t inum = 0;
	uint64_t owner = 0;    // 0: none, or not recorded with this event
	uint64_t parent = 0;
	uint64_t lost = 0;     // for lost: how many events were dropped
	bool active = false;   // present, created: active at the time
	std::optional<pid_t> pid; // created: the creating process (0: no number here)
	std::string comm;
};

struct WatchOptions {
	uint32_t types = 0;     // CLONE_NEW* bits, 0 for all
	bool activity = true;   // also active/inactive
	bool initial = true;    // first a present event per namespace
	uint32_t capacity = 0;  // ring size in events, 0 for the default (the module's; 2 MiB of BPF records)
	bool nonblock = false;
};

// Where a stream's events come from: the module's NSTREE_IOC_WATCH (WatchStream)
// or, on a kernel with listns(2), BPF on the kernel's namespace tree (NativeWatch).
class WatchSource {
public:
	virtual ~WatchSource() = default;
	// Waits up to @timeout_ms (-1: no limit) for events and returns those read (an
	// empty vector on timeout). EINTR is returned as an error with code EINTR.
	virtual Result<std::vector<WatchEvent>> next(int timeout_ms) = 0;
};

class WatchStream final : public WatchSource {
public:
	static Result<WatchStream> open(const ModuleClient &module, const WatchOptions &opts);

	Result<std::vector<WatchEvent>> next(int timeout_ms) override;
	int fd() const { return fd_.get(); }

private:
	explicit WatchStream(Fd fd) : fd_(std::move(fd)) {}
	Fd fd_;
};

// Parses a buffer of records as read() returned it (exposed for the unit tests).
Result<std::vector<WatchEvent>> parse_watch_records(const unsigned char *buf, size_t len);

} // namespace nstree
