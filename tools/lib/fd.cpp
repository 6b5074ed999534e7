// SPDX-License-Identifier: GPL-2.0
#include "fd.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace nstree {

Fd &Fd::operator=(Fd &&o) noexcept
{
	if (this != &o)
		reset(o.release());
	return *this;
}

int Fd::release() noexcept
{
	int fd = fd_;
	fd_ = -1;
	return fd;
}

void Fd::reset(int fd) noexcept
{
	if (fd_ >= 0)
		::close(fd_);
	fd_ = fd;
}

Result<Fd> Fd::open(const std::string &path, int flags, unsigned mode)
{
	int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
	if (fd < 0)
		return Error::from_errno(errno, "cannot open " + path);
	return Fd(fd);
}

std::string read_small_file(const std::string &path)
{
	auto fd = Fd::open(path, O_RDONLY);
	if (!fd)
		return {};
	char buf[kSmallFileBytes];
	ssize_t n = read(fd->get(), buf, sizeof(buf));
	return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

std::string read_link(const std::string &path)
{
	char buf[4096];
	ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
	return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

std::string read_whole_file(const std::string &path)
{
	auto fd = Fd::open(path, O_RDONLY);
	if (!fd)
		return {};
	std::string out;
	char buf[16384];
	for (;;) {
		ssize_t n = read(fd->get(), buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return out;
		out.append(buf, size_t(n));
	}
}

} // namespace nstree
