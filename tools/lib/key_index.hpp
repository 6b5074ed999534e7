// SPDX-License-Identifier: GPL-2.0
// Positions by a (u32, u64) key: namespaces by type and inode, IDs by (0, ID). The
// listing's lookups at 10,000 namespaces go through it.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace nstree {

// Open addressing with linear probing over a power-of-two table kept at most half
// full. A std::unordered_map costs a node allocation per entry, and a hash, a
// division and a node to chase per lookup; this one a multiplication and, mostly,
// one slot. No removal: the listing only adds.
class KeyIndex {
public:
	// Room for @n entries without growing.
	void reserve(size_t n)
	{
		if (2 * n > slots_.size())
			rehash(std::bit_ceil(std::max<size_t>(64, 2 * n)));
	}

	std::optional<size_t> find(uint32_t a, uint64_t b) const
	{
		if (slots_.empty())
			return std::nullopt;
		for (size_t i = slot_of(a, b);; i = (i + 1) & (slots_.size() - 1)) {
			const Slot &s = slots_[i];
			if (!s.pos)
				return std::nullopt;
			if (s.b == b && s.a == a)
				return s.pos - 1;
		}
	}

	// Adds @a/@b at @pos unless present; whether it was added.
	bool insert(uint32_t a, uint64_t b, size_t pos)
	{
		if (2 * (used_ + 1) > slots_.size())
			rehash(std::max<size_t>(64, 2 * slots_.size()));
		size_t i = slot_of(a, b);
		for (; slots_[i].pos; i = (i + 1) & (slots_.size() - 1))
			if (slots_[i].b == b && slots_[i].a == a)
				return false;
		slots_[i] = Slot{b, a, uint32_t(pos + 1)};
		used_++;
		return true;
	}

private:
	struct Slot {
		uint64_t b;
		uint32_t a;
		uint32_t pos; // position + 1; 0: empty
	};

	size_t slot_of(uint32_t a, uint64_t b) const
	{
		// Fibonacci hashing: the top bits of the product.
		uint64_t h = (b ^ (uint64_t(a) << 32)) * 0x9E3779B97F4A7C15ULL;
		return size_t(h >> (64 - std::countr_zero(slots_.size())));
	}

	void rehash(size_t n)
	{
		std::vector<Slot> old(n);
		old.swap(slots_);
		for (const Slot &s : old) {
			if (!s.pos)
				continue;
			size_t i = slot_of(s.a, s.b);
			while (slots_[i].pos)
				i = (i + 1) & (slots_.size() - 1);
			slots_[i] = s;
		}
	}

	std::vector<Slot> slots_;
	size_t used_ = 0;
};

} // namespace nstree
