// SPDX-License-Identifier: GPL-2.0
#include "task_iter_pin.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <string_view>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bpf/task_ns_loader.h"
#include "fd.hpp"
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
	Dir dir = open_dir(path);
	if (dir)
		while (const dirent *d = readdir(dir.get()))
			if (std::strcmp(d->d_name, ".") && std::strcmp(d->d_name, ".."))
				unlinkat(dirfd(dir.get()), d->d_name, 0);
	rmdir(path.c_str());
}

// The directory this build pins its iterator in: /sys/fs/bpf/nstree-task_ns-DIGEST.
std::string pin_dir()
{
	return std::string(kBpfFs) + "/" + std::string(kPinPrefix) + NSTREE_TASK_NS_TAG;
}

// Whether NSTREE_BPF_PIN allows pins (anything but "0").
bool pinning_wanted()
{
	const char *env = std::getenv("NSTREE_BPF_PIN");
	return !env || std::string_view(env) != "0";
}

// Loads a private iterator into @it, neither using nor making a pin; @why says why.
Result<IterSource> load_private(nstree_task_ns_iter &it, const std::string &why)
{
	if (int err = nstree_task_ns_load(&it))
		return Error{-err, "load: " + errno_text(-err)};
	return IterSource{false, "loaded; not pinned: " + why};
}

// Whether @name is a directory that a run still alive is filling: PREFIX DIGEST-PID.
bool being_made(std::string_view name)
{
	size_t dash = kPinPrefix.size() + sizeof(NSTREE_TASK_NS_TAG) - 1;
	if (name.size() <= dash + 1 || name[dash] != '-' ||
	    name.find_first_not_of("0123456789", dash + 1) != std::string_view::npos)
		return false;
	pid_t pid = pid_t(std::strtol(name.data() + dash + 1, nullptr, 10));
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

// Removes the pins of other builds (another digest) and the half-made ones of runs
// that died while pinning (the digest and a pid), where this caller may trust
// them. Two builds used in turn remove each other's pin: each then loads.
void remove_stale_pins(const std::string &keep)
{
	Dir dir = open_dir(std::string(kBpfFs));
	if (!dir)
		return;
	while (const dirent *d = readdir(dir.get())) {
		std::string_view name = d->d_name;
		if (!name.starts_with(kPinPrefix) || being_made(name))
			continue;
		std::string path = std::string(kBpfFs) + "/" + d->d_name;
		if (path != keep && trusted_dir(path))
			remove_pin_dir(path);
	}
}

// Pins @it at @dir; with @replace, in place of what is there. Both pins are made in
// a directory of this run's own and that is renamed into place (or exchanged with
// the old one, then removed): another run finds both pins or none, and a run that
// opened the old pins keeps them through its fds. (bpffs refuses names with a
// dot: no hidden name for the directory being made.)
Status pin(const nstree_task_ns_iter &it, const std::string &dir, bool replace)
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
	else if (!replace || renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE))
		// Not replacing, or nothing left to replace (another run removed it).
		err = renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_NOREPLACE) ? errno : 0;
	remove_pin_dir(tmp); // the old pins after an exchange; ours after a failure
	if (err)
		return Error{err, "pin at " + dir + ": " + errno_text(err)};
	remove_stale_pins(dir);
	return Ok{};
}

// Loads a private iterator into @it and pins it at @dir (with @replace, in place of
// the one there); @why says why there was no pin to use.
Result<IterSource> load_and_pin(nstree_task_ns_iter &it, const std::string &dir, bool replace, const std::string &why)
{
	auto loaded = load_private(it, "");
	if (!loaded)
		return loaded;
	if (auto pinned = pin(it, dir, replace); !pinned)
		loaded->how += pinned.error().message;
	else
		loaded->how = (replace ? "loaded and pinned anew at " : "loaded and pinned at ") + dir + why;
	return loaded;
}

} // namespace

Result<IterSource> attach_task_iter(nstree_task_ns_iter &it)
{
	if (!pinning_wanted())
		return load_private(it, "NSTREE_BPF_PIN=0");
	std::string dir = pin_dir();
	if (access(dir.c_str(), F_OK))
		return load_and_pin(it, dir, false, "");
	// A directory of that name that others could have filled is left alone.
	if (!trusted_dir(dir))
		return load_private(it, dir + " is writable by, or belongs to, someone else");
	int err = nstree_task_ns_get_pinned(&it, (dir + "/link").c_str(), (dir + "/readers").c_str());
	if (!err)
		return IterSource{true, "pinned at " + dir};
	// Ours, but not whole (emptied by a run of another build as this one renamed
	// it into place): pinned again.
	return load_and_pin(it, dir, true, " (the pin there was unusable: " + errno_text(-err) + ")");
}

Result<IterSource> repin_task_iter(nstree_task_ns_iter &it)
{
	nstree_task_ns_unload(&it);
	return load_and_pin(it, pin_dir(), true, " (the readers map of the pin there was full)");
}

} // namespace nstree
