// SPDX-License-Identifier: GPL-2.0
// Loop devices and the files behind them (LOOP_GET_STATUS64 on each /dev/loopN a
// /sys/block/loopN names): a loop device keeps its backing file, and so the
// filesystem the file is on, alive with no process holding either.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace nstree {

struct LoopBacking {
	std::string device;   // "/dev/loop0"
	dev_t file_dev = 0;   // st_dev of the backing file
	uint64_t file_ino = 0;
	std::string file;     // the backing file's name as the loop driver kept it
};

std::vector<LoopBacking> scan_loop_devices();

} // namespace nstree
