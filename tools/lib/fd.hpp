// SPDX-License-Identifier: GPL-2.0
// Fd: sole owner of a file descriptor, closed when the owner goes away.
#pragma once

#include <dirent.h>
#include <memory>
#include <string>

#include "error.hpp"

namespace nstree {

class Fd {
public:
	Fd() = default;
	explicit Fd(int fd) : fd_(fd) {}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	Fd(Fd &&o) noexcept : fd_(o.release()) {}
	Fd &operator=(Fd &&o) noexcept;
	~Fd() { reset(); }

	int get() const { return fd_; }
	bool valid() const { return fd_ >= 0; }
	explicit operator bool() const { return valid(); }
	int release() noexcept;
	void reset(int fd = -1) noexcept;

	// open(2) with O_CLOEXEC added; the error names the path.
	static Result<Fd> open(const std::string &path, int flags, unsigned mode = 0);

private:
	int fd_ = -1;
};

// Dir: sole owner of an open directory stream, closed when the owner goes away.
struct DirCloser {
	void operator()(DIR *d) const { closedir(d); }
};
using Dir = std::unique_ptr<DIR, DirCloser>;

// opendir(@path); empty (errno set) when it cannot be opened.
inline Dir open_dir(const std::string &path)
{
	return Dir(opendir(path.c_str()));
}

// What one read() gives of @path: at most kSmallFileBytes, a short /proc file whole;
// "" when it cannot be opened or read.
constexpr size_t kSmallFileBytes = 4096;
std::string read_small_file(const std::string &path);
// Where the symbolic link @path points ("" when it cannot be read): a /proc
// fd, cwd or exe link's text.
std::string read_link(const std::string &path);
// The whole of @path, however long (a /proc file read to its end); "" when it cannot be read.
std::string read_whole_file(const std::string &path);

} // namespace nstree
