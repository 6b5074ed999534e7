// SPDX-License-Identifier: GPL-2.0
// Errors as values: Result<T> holds either a T or an Error a person can act on.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace nstree {

struct Error {
	int code = 0;         // errno value, or 0 when the error is not a system error
	std::string message;  // what failed and, where known, what to do about it

	static Error from_errno(int err, std::string what);
	std::string str() const { return message; }
};

template <typename T>
class [[nodiscard]] Result {
public:
	Result(T value) : v_(std::move(value)) {}
	Result(Error err) : v_(std::move(err)) {}

	bool ok() const { return std::holds_alternative<T>(v_); }
	explicit operator bool() const { return ok(); }
	T &value() & { return std::get<T>(v_); }
	T &&value() && { return std::get<T>(std::move(v_)); }
	const T &value() const & { return std::get<T>(v_); }
	T &operator*() & { return value(); }
	const T &operator*() const & { return value(); }
	T *operator->() { return &value(); }
	const T *operator->() const { return &value(); }
	const Error &error() const { return std::get<Error>(v_); }

private:
	std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
struct Ok {};
using Status = Result<Ok>;

} // namespace nstree
