// SPDX-License-Identifier: GPL-2.0
// RawBuffer: bytes written through a pointer into a buffer that is not zero-filled
// first. Under TCG every page first touched is a fault; only what was written is
// read back.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace nstree {

struct RawBuffer {
	std::unique_ptr<char[]> data;
	size_t size = 0; // bytes written from data.get()

	RawBuffer() = default;
	explicit RawBuffer(size_t capacity) : data(std::make_unique_for_overwrite<char[]>(capacity)) {}
	std::string_view view() const { return {data.get(), size}; }
};

} // namespace nstree
