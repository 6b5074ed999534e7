// SPDX-License-Identifier: GPL-2.0
// StatxBatch: many statx() calls submitted together through io_uring (liburing),
// or one by one where io_uring is unavailable (disabled by sysctl, seccomp...).
#pragma once

#include <deque>
#include <liburing.h>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace nstree {

class StatxBatch {
public:
	// @iowq_workers: at most that many io-wq workers of each kind run the calls
	// the kernel punts (0: the kernel's default).
	explicit StatxBatch(unsigned iowq_workers = 0);
	~StatxBatch();
	StatxBatch(const StatxBatch &) = delete;
	StatxBatch &operator=(const StatxBatch &) = delete;

	// Queues statx(@path) (following symlinks) and returns its slot.
	size_t add(std::string path, unsigned mask = STATX_INO | STATX_UID);
	// Runs everything queued; afterwards result(slot) and error(slot) are valid.
	void run();
	const struct statx &result(size_t slot) const { return ops_[slot].stx; }
	int error(size_t slot) const { return ops_[slot].err; } // 0 or an errno value
	size_t size() const { return ops_.size(); }
	void clear() { ops_.clear(); }
	bool uses_io_uring() const { return ring_ok_; }

private:
	struct Op {
		std::string path;
		unsigned mask;
		struct statx stx;
		int err;
	};
	std::deque<Op> ops_; // a deque: io_uring holds pointers into queued ops
	struct io_uring ring_;
	bool ring_ok_ = false;
};

} // namespace nstree
