// SPDX-License-Identifier: GPL-2.0
#include "ns_handle.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>

#include "nstree.h"

namespace nstree {

static constexpr std::string_view kPrefix = "f1:";

NsHandle::Raw NsHandle::raw() const
{
	Raw r;
	std::memset(&r, 0, sizeof(r));
	r.hdr.handle_bytes = sizeof(r.fh);
	r.hdr.handle_type = NSTREE_FILEID_NSFS;
	r.fh = {id, type, inum};
	return r;
}

std::string NsHandle::str() const
{
	struct nsfs_file_handle fh = {id, type, inum};
	unsigned char bytes[sizeof(fh)];
	std::memcpy(bytes, &fh, sizeof(fh));
	static const char hex[] = "0123456789abcdef";
	std::string out(kPrefix);
	for (unsigned char b : bytes) {
		out += hex[b >> 4];
		out += hex[b & 15];
	}
	return out;
}

Result<NsHandle> NsHandle::parse(std::string_view s)
{
	auto bad = [&](const char *why) {
		return Error{EINVAL, "not an nsfs handle '" + std::string(s) + "': " + why +
					     " (expected f1: and 32 hex digits, as 'nstree handle' prints)"};
	};
	if (s.substr(0, kPrefix.size()) != kPrefix)
		return bad("wrong handle type");
	s.remove_prefix(kPrefix.size());
	if (s.size() != 2 * sizeof(nsfs_file_handle))
		return bad("wrong length");
	unsigned char bytes[sizeof(nsfs_file_handle)];
	for (size_t i = 0; i < sizeof(bytes); i++) {
		auto nibble = [](char c) -> int {
			if (c >= '0' && c <= '9')
				return c - '0';
			if (c >= 'a' && c <= 'f')
				return c - 'a' + 10;
			if (c >= 'A' && c <= 'F')
				return c - 'A' + 10;
			return -1;
		};
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return bad("not hex");
		bytes[i] = static_cast<unsigned char>(hi << 4 | lo);
	}
	struct nsfs_file_handle fh;
	std::memcpy(&fh, bytes, sizeof(fh));
	return NsHandle{fh.ns_id, fh.ns_type, fh.ns_inum};
}

Result<NsHandle> NsHandle::of_fd(int fd)
{
	struct {
		struct file_handle hdr;
		unsigned char bytes[MAX_HANDLE_SZ];
	} buf;
	std::memset(&buf, 0, sizeof(buf));
	buf.hdr.handle_bytes = sizeof(buf.bytes);
	int mnt;
	if (name_to_handle_at(fd, "", &buf.hdr, &mnt, AT_EMPTY_PATH) < 0)
		return Error::from_errno(errno, "name_to_handle_at on a namespace fd (kernel nsfs handles need "
						"Linux >= 6.18; nstreefs fds from the module have them)");
	if (buf.hdr.handle_type != NSTREE_FILEID_NSFS || buf.hdr.handle_bytes < sizeof(nsfs_file_handle))
		return Error{EINVAL, "name_to_handle_at gave handle type " + std::to_string(buf.hdr.handle_type) +
					     ", not an nsfs handle"};
	struct nsfs_file_handle fh;
	std::memcpy(&fh, buf.bytes, sizeof(fh));
	return NsHandle{fh.ns_id, fh.ns_type, fh.ns_inum};
}

} // namespace nstree
