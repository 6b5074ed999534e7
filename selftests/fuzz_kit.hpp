// SPDX-License-Identifier: GPL-2.0
// The fuzzer's kit (test_fuzz.cpp): memory to point at, a seeded generator, the
// fds and IDs a caller starts from, requests that know whether they must fail, and
// the judgement of each call against the interface's documented behaviour.
#pragma once

#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <sys/mman.h>
#include <sys/types.h>
#include <vector>

namespace selftest::fuzz {

constexpr size_t kPage = 4096;

// Memory to point at: a good buffer, and everything a pointer should not be.
class Memory {
public:
	Memory()
	{
		// good | read-only | PROT_NONE, then an unmapped page.
		base_ = static_cast<char *>(mmap(nullptr, 8 * kPage, PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		if (base_ == MAP_FAILED) {
			base_ = nullptr;
			return;
		}
		mprotect(base_ + 4 * kPage, kPage, PROT_READ);
		mprotect(base_ + 5 * kPage, kPage, PROT_NONE);
		munmap(base_ + 7 * kPage, kPage);
	}
	~Memory()
	{
		if (base_)
			munmap(base_, 7 * kPage);
	}
	Memory(const Memory &) = delete;
	Memory &operator=(const Memory &) = delete;

	bool ok() const { return base_ != nullptr; }
	char *good() { return base_; }	// 4 pages, read-write
	char *good_end(size_t n) { return base_ + 4 * kPage - n; } // n bytes before the RO page
	char *read_only() { return base_ + 4 * kPage; }
	char *prot_none() { return base_ + 5 * kPage; }
	char *straddling(size_t n) { return base_ + 6 * kPage - n / 2; } // runs into PROT_NONE
	char *unmapped() { return base_ + 7 * kPage; }

	// Puts @n bytes at @at, a valid pointer from pointer(): the read-only page is
	// made writable for the copy.
	void place(uint64_t at, const void *src, size_t n)
	{
		char *p = reinterpret_cast<char *>(at);
		bool ro = p >= read_only() && p < read_only() + kPage;
		if (ro)
			mprotect(read_only(), kPage, PROT_READ | PROT_WRITE);
		std::memcpy(p, src, n);
		if (ro)
			mprotect(read_only(), kPage, PROT_READ);
	}

private:
	char *base_ = nullptr;
};

struct Rng {
	std::mt19937_64 g;
	explicit Rng(uint64_t seed) : g(seed) {}
	uint64_t next() { return g(); }
	uint64_t below(uint64_t n) { return n ? g() % n : 0; }
	bool coin(unsigned percent) { return below(100) < percent; }
	template <typename T> T pick(const std::vector<T> &v) { return v[size_t(below(v.size()))]; }
};

// Everything a caller starts from: fds of every kind, IDs, its own namespaces.
struct World {
	int ctl = -1;
	std::vector<int> fds;		   // every kind, including bad numbers
	std::vector<int> nstreefs;	   // nstreefs files (ioctl targets)
	std::vector<int> mount_fds;	   // for open_by_handle_at()
	std::vector<int> nsfs;		   // the kernel's nsfs files (the upstream API layer's ioctls)
	bool trapped = false;		   // under nstree compat's filter: listns(2) reaches the module
	std::vector<uint64_t> ids;	   // live, dead, initial and made up
	std::set<uint64_t> own;		   // IDs of the caller's own namespaces
	bool see_all = false;
	std::vector<pid_t> pids;
};

// A mutable request: a template in a buffer big enough for any size we pass.
struct Request {
	alignas(8) unsigned char buf[kPage + 64];
	bool must_fail = false;
	std::string why;

	void bad(const char *reason)
	{
		must_fail = true;
		why += reason;
		why += "; ";
	}
};

// What one call did, checked against the interface.
struct Outcome {
	long ret;
	int err;
};

struct Violations {
	long count = 0;
	std::string first;

	void add(const std::string &what)
	{
		if (!count++)
			first = what;
	}
};

// World: every kind of fd, the caller's own namespace IDs and @foreign_ids.
World make_world(const std::vector<uint64_t> &foreign_ids, const std::vector<pid_t> &pids, bool see_all);
// The size field of a size-versioned struct at the start of @r: valid or not.
void mutate_size(Rng &rng, Request &r, uint32_t ksize);
// A user pointer: valid for @n bytes (@writable too) or not. Sets *@valid.
uint64_t pointer(Rng &rng, Memory &m, size_t n, bool *valid, bool writable = true);
Outcome do_ioctl(int fd, unsigned long cmd, void *arg);
// A new fd from an open-like call: a namespace file, and one the caller may have.
void check_fd(World &w, int fd, const std::string &what, Violations &v);
// A call's outcome against its request: success on a bad request, an errno the
// interface does not document, an fd that is not the caller's to have.
void judge(World &w, const Request &r, Outcome o, const std::string &what, bool returns_fd, Violations &v);

// One call of one interface, from a valid request and a few mutations (fuzz_calls.cpp).
void fuzz_version(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_ns_id(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_open(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_listns(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_open_handle(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_bulk(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_unknown_cmd(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_nstreefs(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_open_by_handle(Rng &rng, World &w, Memory &m, Violations &v);
// The upstream API layer's entry points (Documentation/compat.md).
void fuzz_nsfs(Rng &rng, World &w, Memory &m, Violations &v);
void fuzz_name_to_handle(Rng &rng, World &w, Memory &m, Violations &v);

} // namespace selftest::fuzz
