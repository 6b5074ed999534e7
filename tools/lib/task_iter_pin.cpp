// SPDX-License-Identifier: GPL-2.0
#include "task_iter_pin.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <memory>
#include <string_view>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bpf/task_ns_loader.h"
#include "task_ns_tag.h" // NSTREE_TASK_NS_TAG: a digest of the light skeleton

namespace nstree {

namespace {

constexpr std::string_view kBpfFs = "/sys/fs/bpf";
constexpr std::string_view kPinPrefix = "nstree-task_ns-";

std::string errno_text(int err)
{
	return std::strerror(err);
}

// Whether @path is a directory that only root or this caller could have filled:
// owned by one of them, writable by no one else. bpffs is often mounted 01777.
bool trusted_dir(const std::string &path)
{
	struct stat st;
	if (lstat(path.c_str(), &st))
		return false;
	return S_ISDIR(st.st_mode) && (st.st_uid == 0 || st.st_uid == geteuid()) && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

// Removes the pin directory @path and the pins in it (a pin goes away with its
// last name; whoever still holds an fd keeps the object).
void remove_pin_dir(const std::string &path)
{
	std::unique_ptr<DIR, int (*)(DIR *)> dir(opendir(path.c_str()), closedir);
	if (dir)
		while (const dirent *d = readdir(dir.get()))
			if (std::strcmp(d->d_name, ".") && std::strcmp(d->d_name, ".."))
				unlinkat(dirfd(dir.get()), d->d_name, 0);
	rmdir(path.c_str());
}

// Removes the pins of other builds (another digest) and the half-made ones of runs
// that died while pinning (the digest and a pid), where this caller may trust
// them. A run pinning at the same time may lose its half-made directory: it then
// only does not pin.
void remove_stale_pins(const std::string &keep)
{
	std::unique_ptr<DIR, int (*)(DIR *)> dir(opendir(std::string(kBpfFs).c_str()), closedir);
	if (!dir)
		return;
	while (const dirent *d = readdir(dir.get())) {
		if (!std::string_view(d->d_name).starts_with(kPinPrefix))
			continue;
		std::string path = std::string(kBpfFs) + "/" + d->d_name;
		if (path != keep && trusted_dir(path))
			remove_pin_dir(path);
	}
}

// Pins @it at @dir. Both pins are made in a directory of this run's own and that
// is renamed into place: another run finds both pins or none. (bpffs refuses
// names with a dot: no hidden name for the directory being made.)
Status pin(const nstree_task_ns_iter &it, const std::string &dir)
{
	struct statfs fs;
	if (statfs(std::string(kBpfFs).c_str(), &fs) || fs.f_type != BPF_FS_MAGIC)
		return Error{ENODEV, std::string(kBpfFs) + " is not a bpffs mount"};
	std::string tmp = dir + "-" + std::to_string(getpid());
	if (mkdir(tmp.c_str(), 0700))
		return Error{errno, "mkdir " + tmp + ": " + errno_text(errno)};
	int err = nstree_task_ns_pin(&it, (tmp + "/link").c_str(), (tmp + "/readers").c_str());
	if (err)
		err = -err;
	else if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_NOREPLACE))
		err = errno;
	if (err) {
		remove_pin_dir(tmp);
		return Error{err, "pin at " + dir + ": " + errno_text(err)};
	}
	remove_stale_pins(dir);
	return Ok{};
}

} // namespace

std::string task_iter_pin_dir()
{
	return std::string(kBpfFs) + "/" + std::string(kPinPrefix) + NSTREE_TASK_NS_TAG;
}

Result<IterSource> load_private_task_iter(nstree_task_ns_iter &it, const std::string &why)
{
	if (int err = nstree_task_ns_load(&it))
		return Error{-err, "load: " + errno_text(-err)};
	return IterSource{false, "loaded; not pinned: " + why};
}

Result<IterSource> attach_task_iter(nstree_task_ns_iter &it)
{
	const char *env = std::getenv("NSTREE_BPF_PIN");
	if (env && std::string_view(env) == "0")
		return load_private_task_iter(it, "NSTREE_BPF_PIN=0");
	std::string dir = task_iter_pin_dir();
	bool exists = access(dir.c_str(), F_OK) == 0;
	if (exists && trusted_dir(dir) &&
	    !nstree_task_ns_get_pinned(&it, (dir + "/link").c_str(), (dir + "/readers").c_str()))
		return IterSource{true, "pinned at " + dir};
	// A directory of that name that is not this build's pin (another's, or half
	// removed) is left alone: it is not ours to replace.
	if (exists)
		return load_private_task_iter(it, dir + " exists but is not a pin this build can use");
	auto loaded = load_private_task_iter(it, "");
	if (!loaded)
		return loaded;
	if (auto pinned = pin(it, dir); !pinned)
		loaded->how += pinned.error().message;
	else
		loaded->how = "loaded and pinned at " + dir;
	return loaded;
}

} // namespace nstree
