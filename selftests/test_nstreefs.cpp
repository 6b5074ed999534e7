// SPDX-License-Identifier: GPL-2.0
// nstreefs: one dentry and inode per namespace, shared by every open, gone when unused.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sys/mount.h>
#include <sys/resource.h>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;
using Clock = std::chrono::steady_clock;

static std::string readlink_fd(int fd)
{
	char buf[256];
	std::string p = "/proc/self/fd/" + std::to_string(fd);
	ssize_t n = readlink(p.c_str(), buf, sizeof(buf) - 1);
	return n < 0 ? std::string() : std::string(buf, n);
}

TEST_CASE("an nstreefs file looks like its nsfs twin", "[nstreefs]")
{
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		auto proc = open_path(ns_path(getpid(), t.name));
		REQUIRE(proc.valid());
		auto tree = ctl().open_id(id_of(proc.get()));
		REQUIRE(tree.ok());
		CHECK(readlink_fd(tree->get()) == readlink_fd(proc.get())); // "net:[4026531840]"
		CHECK(ino_of(tree->get()) == ino_of(proc.get()));
		CHECK((fcntl(tree->get(), F_GETFD) & FD_CLOEXEC) != 0);
		struct stat st;
		REQUIRE(fstat(tree->get(), &st) == 0);
		CHECK(S_ISREG(st.st_mode));
		CHECK((st.st_mode & 0777) == 0444);
		CHECK(ioctl(tree->get(), NS_GET_NSTYPE) == t.flag);
	}
}

TEST_CASE("nstreefs files are read-only and immutable", "[nstreefs]")
{
	auto tree = ctl().open_id(7);
	REQUIRE(tree.ok());
	std::string path = "/proc/self/fd/" + std::to_string(tree->get());
	CHECK(open(path.c_str(), O_WRONLY) < 0);
	CHECK(errno == EPERM);
	CHECK(open(path.c_str(), O_RDWR) < 0);
	CHECK(errno == EPERM);
	auto again = open_path(path);
	REQUIRE(again.valid()); // reopening read-only works and shares the inode
	CHECK(ino_of(again.get()) == ino_of(tree->get()));
}

TEST_CASE("nstreefs is not a filesystem user space can name or bind", "[nstreefs]")
{
	REQUIRE_ROOT();
	std::ifstream fs("/proc/filesystems");
	std::string line;
	while (std::getline(fs, line))
		CHECK(line.find("nstreefs") == std::string::npos);

	auto tree = ctl().open_id(7);
	REQUIRE(tree.ok());
	std::string src = "/proc/self/fd/" + std::to_string(tree->get());
	int t = open("/tmp/nstree-bind-target", O_CREAT | O_RDONLY | O_CLOEXEC, 0600);
	REQUIRE(t >= 0);
	close(t);
	// The VFS only lets nsfs dentries leave their mount: no mount can pin nstreefs.
	CHECK(mount(src.c_str(), "/tmp/nstree-bind-target", nullptr, MS_BIND, nullptr) < 0);
	CHECK(errno == EINVAL);
	unlink("/tmp/nstree-bind-target");
}

TEST_CASE("100,000 opens of one namespace share one dentry", "[nstreefs][stash]")
{
	REQUIRE_ROOT();
	// Batches of a tenth, all fds of a batch open at once. The cost per open is a
	// benchmark (make bench: "open: flat cost"), not a test.
	const int total = 100000;
	const int batch = total / 10;
	struct rlimit old;
	REQUIRE(getrlimit(RLIMIT_NOFILE, &old) == 0);
	struct rlimit raised = {batch + 64, batch + 64};
	REQUIRE(setrlimit(RLIMIT_NOFILE, &raised) == 0);

	long long base = module_stat("dentries");
	long long allocated0 = module_stat("dentries_allocated");
	REQUIRE(base >= 0);
	auto net = open_path("/proc/self/ns/net");
	uint64_t id = id_of(net.get());
	REQUIRE(id != 0);

	std::vector<int> fds;
	fds.reserve(batch);
	ino_t ino = 0;
	for (int done = 0; done < total; done += batch) {
		for (int i = 0; i < batch; i++) {
			auto fd = ctl().open_id(id);
			REQUIRE(fd.ok());
			fds.push_back(fd->release());
		}
		// Every fd of the batch is open: still one dentry, one inode.
		CHECK(module_stat("dentries") <= base + 1);
		if (!ino)
			ino = ino_of(fds.front());
		CHECK(ino_of(fds.back()) == ino);
		for (int fd : fds)
			close(fd);
		fds.clear();
	}
	setrlimit(RLIMIT_NOFILE, &old);
	CHECK(module_stat("dentries") == base);
	// One dentry per batch at most: it dies when the batch's fds are closed.
	CHECK(module_stat("dentries_allocated") - allocated0 <= total / batch);
}

TEST_CASE("8 threads opening and closing namespaces leave no dentry behind", "[nstreefs][stash][concurrency]")
{
	REQUIRE_ROOT();
	long long base = module_stat("dentries");
	// A few namespaces to share: the initial ones and two children's.
	Child a = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET);
	Child b = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC);
	REQUIRE((a.pid() > 0 && b.pid() > 0));
	std::vector<uint64_t> ids = {2, 7, 1};
	for (auto [pid, name] : {std::pair{a.pid(), "uts"}, {a.pid(), "net"}, {b.pid(), "uts"}, {b.pid(), "ipc"}}) {
		auto fd = open_path(ns_path(pid, name));
		ids.push_back(id_of(fd.get()));
		REQUIRE(ids.back() > 8);
	}

	std::atomic<long> opens{0}, failures{0};
	auto deadline = Clock::now() + std::chrono::seconds(3);
	std::vector<std::thread> threads;
	for (int t = 0; t < 8; t++) {
		threads.emplace_back([&, t]() {
			std::vector<int> held;
			for (unsigned i = t; Clock::now() < deadline; i++) {
				// Even threads hammer one namespace, odd ones walk all of them.
				uint64_t id = t % 2 ? ids[i % ids.size()] : ids[0];
				auto fd = ctl().open_id(id);
				if (!fd) {
					failures++;
					continue;
				}
				opens++;
				held.push_back(fd->release());
				if (held.size() > size_t(t + 1)) {
					close(held.front());
					held.erase(held.begin());
				}
			}
			for (int fd : held)
				close(fd);
		});
	}
	for (auto &th : threads)
		th.join();
	INFO(opens.load() << " opens");
	CHECK(failures == 0);
	CHECK(opens > 1000);
	CHECK(module_stat("dentries") == base);
}
