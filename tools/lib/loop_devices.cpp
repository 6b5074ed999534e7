// SPDX-License-Identifier: GPL-2.0
#include "loop_devices.hpp"

#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>

#include "fd.hpp"

namespace nstree {

std::vector<LoopBacking> scan_loop_devices()
{
	std::vector<LoopBacking> out;
	Dir d = open_dir("/sys/block");
	if (!d)
		return out;
	while (struct dirent *e = readdir(d.get())) {
		if (std::strncmp(e->d_name, "loop", 4) != 0)
			continue;
		std::string dev = std::string("/dev/") + e->d_name;
		// O_RDONLY, no O_EXCL: asking a loop device its status claims nothing.
		auto fd = Fd::open(dev, O_RDONLY | O_NONBLOCK);
		if (!fd)
			continue;
		struct loop_info64 info;
		std::memset(&info, 0, sizeof(info));
		if (ioctl(fd->get(), LOOP_GET_STATUS64, &info) < 0)
			continue; // ENXIO: not bound to a file
		LoopBacking b;
		b.device = dev;
		b.file_dev = dev_t(info.lo_device); // new_encode_dev(): glibc's dev_t layout
		b.file_ino = info.lo_inode;
		b.file = std::string(reinterpret_cast<const char *>(info.lo_file_name),
				     strnlen(reinterpret_cast<const char *>(info.lo_file_name), LO_NAME_SIZE));
		out.push_back(std::move(b));
	}
	return out;
}

} // namespace nstree
