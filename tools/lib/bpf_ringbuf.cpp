// SPDX-License-Identifier: GPL-2.0
#include "bpf_ringbuf.hpp"

#include <cerrno>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

namespace nstree {

namespace {

// The record header's length bits (include/uapi/linux/bpf.h).
constexpr uint32_t kBusy = 1U << 31;    // BPF_RINGBUF_BUSY_BIT: still being written
constexpr uint32_t kDiscard = 1U << 30; // BPF_RINGBUF_DISCARD_BIT: skip it
constexpr size_t kHeader = 8;           // BPF_RINGBUF_HDR_SZ

size_t page_size()
{
	return size_t(sysconf(_SC_PAGESIZE));
}

} // namespace

Result<BpfRingbuf> BpfRingbuf::map(int map_fd, size_t size)
{
	const size_t page = page_size();
	if (!size || (size & (size - 1)) || size % page)
		return Error{EINVAL, "a BPF ring buffer of " + std::to_string(size) + " bytes: not a power of two"};
	void *consumer = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (consumer == MAP_FAILED)
		return Error::from_errno(errno, "mapping the BPF ring buffer's consumer page");
	// The kernel maps the data pages twice in a row, so a record that wraps reads
	// as one piece.
	void *producer = mmap(nullptr, page + 2 * size, PROT_READ, MAP_SHARED, map_fd, off_t(page));
	if (producer == MAP_FAILED) {
		int err = errno;
		munmap(consumer, page);
		return Error::from_errno(err, "mapping the BPF ring buffer's data");
	}
	// A child has no use for them, and the kernel maps the ring's pages one by one
	// (VM_MIXEDMAP), so every fork() would copy their 1,000-odd page table entries:
	// a quarter of a fork's cost under TCG, measured.
	madvise(consumer, page, MADV_DONTFORK);
	madvise(producer, page + 2 * size, MADV_DONTFORK);
	return BpfRingbuf(map_fd, size, consumer, producer);
}

BpfRingbuf::BpfRingbuf(BpfRingbuf &&o) noexcept
	: fd_(o.fd_), size_(o.size_), consumer_(o.consumer_), producer_(o.producer_)
{
	o.consumer_ = o.producer_ = nullptr;
}

BpfRingbuf::~BpfRingbuf()
{
	const size_t page = page_size();
	if (consumer_)
		munmap(consumer_, page);
	if (producer_)
		munmap(producer_, page + 2 * size_);
}

size_t BpfRingbuf::consume(size_t max, const std::function<void(std::span<const unsigned char>)> &fn)
{
	auto *cons_pos = static_cast<unsigned long *>(consumer_);
	auto *prod_pos = static_cast<unsigned long *>(producer_);
	const auto *data = static_cast<const unsigned char *>(producer_) + page_size();
	unsigned long cons = __atomic_load_n(cons_pos, __ATOMIC_ACQUIRE);
	size_t n = 0;
	while (n < max) {
		unsigned long prod = __atomic_load_n(prod_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod && n < max) {
			const unsigned char *rec = data + (cons & (size_ - 1));
			uint32_t len = __atomic_load_n(reinterpret_cast<const uint32_t *>(rec), __ATOMIC_ACQUIRE);
			if (len & kBusy)
				return n;
			uint32_t body = len & ~(kBusy | kDiscard);
			cons += (kHeader + body + 7) & ~size_t(7);
			if (!(len & kDiscard)) {
				fn(std::span<const unsigned char>(rec + kHeader, body));
				n++;
			}
			// Given back record by record: the producer may reuse it at once.
			__atomic_store_n(cons_pos, cons, __ATOMIC_RELEASE);
		}
	}
	return n;
}

Result<bool> BpfRingbuf::wait(int timeout_ms) const
{
	struct pollfd p = {.fd = fd_, .events = POLLIN, .revents = 0};
	int r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return Error::from_errno(errno, "waiting for the BPF ring buffer");
	return r > 0;
}

} // namespace nstree
