// SPDX-License-Identifier: GPL-2.0
// NsHandle: upstream's nsfs file handle (FILEID_NSFS, struct nsfs_file_handle) and
// its printable form "f1:" + the 16 handle bytes in hex, as `nstree handle` prints it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "error.hpp"
#include "nstree.h"

#include <fcntl.h>

namespace nstree {

struct NsHandle {
	uint64_t id = 0;
	uint32_t type = 0; // CLONE_NEW*, or 0 with inum 0: any type
	uint32_t inum = 0;

	// The bytes open_by_handle_at() and NSTREE_IOC_OPEN_HANDLE take.
	struct Raw {
		struct file_handle hdr;
		struct nsfs_file_handle fh;
	};
	Raw raw() const;

	std::string str() const; // "f1:0700000000000000 00000040 0000f0ef" without spaces
	static Result<NsHandle> parse(std::string_view s);
	// name_to_handle_at(@fd, "", AT_EMPTY_PATH): the error says when the kernel
	// has no nsfs handles (before 6.18) and the fd is not an nstreefs fd.
	static Result<NsHandle> of_fd(int fd);
};

} // namespace nstree
