// SPDX-License-Identifier: GPL-2.0
// BpfRingbuf: the consumer side of a BPF_MAP_TYPE_RINGBUF map, mapped into this
// process (the layout of kernel/bpf/ringbuf.c), without libbpf.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "error.hpp"

namespace nstree {

class BpfRingbuf {
public:
	// Maps the ring buffer @map_fd of @size bytes (its max_entries); @map_fd stays
	// the caller's and must outlive this.
	static Result<BpfRingbuf> map(int map_fd, size_t size);
	BpfRingbuf(BpfRingbuf &&o) noexcept;
	BpfRingbuf &operator=(BpfRingbuf &&) = delete;
	BpfRingbuf(const BpfRingbuf &) = delete;
	~BpfRingbuf();

	// Hands committed records to @fn, in the order they were reserved, and gives
	// their space back; stops at one still being written, or after @max. Returns
	// how many.
	size_t consume(size_t max, const std::function<void(std::span<const unsigned char>)> &fn);
	// Waits up to @timeout_ms (-1: no limit) for a record: true if one is there.
	// EINTR is an error with code EINTR.
	Result<bool> wait(int timeout_ms) const;

private:
	BpfRingbuf(int fd, size_t size, void *consumer, void *producer)
		: fd_(fd), size_(size), consumer_(consumer), producer_(producer)
	{
	}
	int fd_;
	size_t size_;
	void *consumer_; // one page: the consumer position, ours to write
	void *producer_; // one page (the producer position), then the data mapped twice
};

} // namespace nstree
