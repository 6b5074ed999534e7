// SPDX-License-Identifier: GPL-2.0
#include "error.hpp"

#include <cstring>

namespace nstree {

Error Error::from_errno(int err, std::string what)
{
	return Error{err, std::move(what) + ": " + std::strerror(err)};
}

} // namespace nstree
