// SPDX-License-Identifier: GPL-2.0
// ModuleClient: the control device /dev/nstree of the nstree kernel module.
#pragma once

#include <cstdint>
#include <string>

#include "error.hpp"
#include "fd.hpp"

namespace nstree {

struct ModuleVersion {
	uint32_t abi = 0;
	uint64_t features = 0;
	std::string version;
};

class ModuleClient {
public:
	// Opens /dev/nstree; the error says how to load the module when it is absent.
	static Result<ModuleClient> open(const std::string &path = "/dev/nstree");

	Result<ModuleVersion> version() const;
	int fd() const { return fd_.get(); }

private:
	explicit ModuleClient(Fd fd) : fd_(std::move(fd)) {}
	Fd fd_;
};

} // namespace nstree
