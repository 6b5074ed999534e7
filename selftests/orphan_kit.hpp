// SPDX-License-Identifier: GPL-2.0
// Planting orphaned filesystems for the nstree orphans tests: a process in a new
// mount namespace that mounts a tmpfs, fills it and waits to be told to exit, and
// the reading of `nstree orphans -J`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>

#include "harness.hpp"

namespace selftest {

struct PlantOptions {
	size_t big_mib = 64;      // the size of DIR/big
	bool nested = false;      // a second tmpfs at DIR/sub, with DIR/sub/f
	bool hold_and_detach = false; // the planter opens DIR/small, umount -l's DIR and lives on
};

// A process in a new mount namespace with a tmpfs at @dir holding DIR/big and a
// 4 KiB DIR/small. dev is the tmpfs's "MAJ:MIN"; path(rest) reaches it from outside
// while the planter lives (/proc/PID/root/DIR/REST).
class Planted {
public:
	Planted(const std::string &dir, PlantOptions o = {});
	~Planted();
	pid_t pid() const { return child_.pid(); }
	std::string dev() const { return dev_; }
	std::string path(const std::string &rest) const;
	// Tells the planter to exit and waits for it: its namespace dies.
	int finish();

private:
	std::string dir_, dev_;
	Child child_;
	int go_ = -1;
};

std::string dev_string(dev_t dev);
std::string dev_of_fd(int fd);

// `nstree orphans -J` (exit 0 or 2 required).
nlohmann::json orphans_report();
// The orphan with device @dev, or null.
nlohmann::json orphan_with_dev(const nlohmann::json &report, const std::string &dev);
// Whether some holder of @o matches every key of @want.
bool has_holder(const nlohmann::json &o, const nlohmann::json &want);
// Polls until no orphan has device @dev (up to 20 s): true once it is gone.
bool orphan_gone(const std::string &dev);
long meminfo_kib(const char *field);

} // namespace selftest
