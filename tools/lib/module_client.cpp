// SPDX-License-Identifier: GPL-2.0
#include "module_client.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>

#include "nstree.h"

namespace nstree {

Result<ModuleClient> ModuleClient::open(const std::string &path)
{
	auto fd = Fd::open(path, O_RDONLY);
	if (!fd) {
		Error e = fd.error();
		if (e.code == ENOENT)
			e.message = path + " does not exist: the nstree module is not loaded (modprobe nstree, "
				    "or insmod module/nstree.ko)";
		return e;
	}
	return ModuleClient(std::move(*fd));
}

Result<ModuleVersion> ModuleClient::version() const
{
	struct nstree_version v;
	std::memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	if (ioctl(fd_.get(), NSTREE_IOC_VERSION, &v) < 0)
		return Error::from_errno(errno, "NSTREE_IOC_VERSION on /dev/nstree");
	v.module_version[sizeof(v.module_version) - 1] = '\0';
	return ModuleVersion{v.abi, v.features, v.module_version};
}

} // namespace nstree
