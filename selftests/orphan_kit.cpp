// SPDX-License-Identifier: GPL-2.0
#include "orphan_kit.hpp"

#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>

#include "cli_util.hpp"

namespace selftest {

namespace {

bool write_file(const std::string &path, size_t bytes)
{
	int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	static char chunk[1 << 16];
	std::memset(chunk, 'x', sizeof(chunk));
	bool ok = true;
	for (size_t done = 0; ok && done < bytes;) {
		size_t n = std::min(sizeof(chunk), bytes - done);
		ok = write(fd, chunk, n) == ssize_t(n);
		done += n;
	}
	return close(fd) == 0 && ok;
}

bool mount_tmpfs(const std::string &dir, size_t bytes)
{
	std::string opt = "size=" + std::to_string(bytes);
	return mount("orphan-test", dir.c_str(), "tmpfs", 0, opt.c_str()) == 0;
}

} // namespace

std::string dev_string(dev_t dev)
{
	return std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
}

std::string dev_of_fd(int fd)
{
	struct stat st;
	REQUIRE(fstat(fd, &st) == 0);
	return dev_string(st.st_dev);
}

Planted::Planted(const std::string &dir, PlantOptions o) : dir_(dir)
{
	mkdir(dir.c_str(), 0755);
	int ready[2], go[2];
	REQUIRE(pipe2(ready, O_CLOEXEC) == 0);
	REQUIRE(pipe2(go, O_CLOEXEC) == 0);
	child_ = fork_child(
		[&]() {
			close(ready[0]);
			close(go[1]);
			if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
				return 10;
			if (!mount_tmpfs(dir, (o.big_mib + 16) << 20))
				return 11;
			if (!write_file(dir + "/big", o.big_mib << 20) || !write_file(dir + "/small", 4096))
				return 12;
			struct stat st;
			if (stat(dir.c_str(), &st) != 0)
				return 13;
			dev_t dev = st.st_dev;
			if (o.nested) {
				std::string sub = dir + "/sub";
				if (mkdir(sub.c_str(), 0755) != 0 || !mount_tmpfs(sub, 1 << 20) || !write_file(sub + "/f", 4096))
					return 14;
			}
			int held = -1;
			if (o.hold_and_detach) {
				held = open((dir + "/small").c_str(), O_RDONLY);
				if (held < 0 || umount2(dir.c_str(), MNT_DETACH) != 0)
					return 15;
			}
			if (write(ready[1], &dev, sizeof(dev)) != sizeof(dev))
				return 16;
			char c;
			while (read(go[0], &c, 1) < 0 && errno == EINTR) {
			}
			if (held >= 0)
				close(held);
			return 0;
		},
		CLONE_NEWNS);
	close(ready[1]);
	close(go[0]);
	go_ = go[1];
	dev_t dev = 0;
	ssize_t n = read(ready[0], &dev, sizeof(dev));
	close(ready[0]);
	REQUIRE(n == ssize_t(sizeof(dev)));
	dev_ = dev_string(dev);
}

Planted::~Planted()
{
	if (go_ >= 0)
		finish();
}

std::string Planted::path(const std::string &rest) const
{
	return "/proc/" + std::to_string(child_.pid()) + "/root" + dir_ + "/" + rest;
}

int Planted::finish()
{
	if (go_ >= 0) {
		// A byte, not only EOF: children forked meanwhile hold the write end too.
		char c = 1;
		if (write(go_, &c, 1) != 1)
			return -1;
		close(go_);
		go_ = -1;
	}
	return child_.wait();
}

nlohmann::json orphans_report()
{
	auto run = run_nstree({"orphans", "-J"});
	INFO("nstree orphans: " << run.err);
	REQUIRE((run.status == 0 || run.status == 2));
	return nlohmann::json::parse(run.out);
}

nlohmann::json orphan_with_dev(const nlohmann::json &report, const std::string &dev)
{
	for (const auto &o : report.at("orphans"))
		if (o.at("dev") == dev && o.at("kind") != "mount")
			return o;
	return nullptr;
}

bool has_holder(const nlohmann::json &o, const nlohmann::json &want)
{
	for (const auto &h : o.at("holders")) {
		bool all = true;
		for (const auto &[k, v] : want.items())
			all = all && h.contains(k) && h.at(k) == v;
		if (all)
			return true;
	}
	return false;
}

bool orphan_gone(const std::string &dev)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
	for (;;) {
		if (orphan_with_dev(orphans_report(), dev).is_null())
			return true;
		if (std::chrono::steady_clock::now() > deadline)
			return false;
		std::this_thread::sleep_for(std::chrono::milliseconds(200));
	}
}

long meminfo_kib(const char *field)
{
	std::ifstream f("/proc/meminfo");
	std::string key;
	long v = -1;
	std::string unit;
	while (f >> key >> v) {
		std::getline(f, unit);
		if (key == std::string(field) + ":")
			return v;
	}
	return -1;
}

} // namespace selftest
