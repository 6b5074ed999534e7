// SPDX-License-Identifier: GPL-2.0
// The native backend, on a kernel with listns(2) and no module (the sid guest):
// run with the tag [native]; hidden from the module kernels' default run.
#include <catch2/catch_test_macros.hpp>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "ns_util.hpp"
#include "nstree.h"

using namespace selftest;

namespace {

// Every ID listns(2) gives this process, by the syscall itself.
std::set<uint64_t> syscall_ids()
{
	std::set<uint64_t> ids;
	struct ns_id_req req = {};
	req.size = sizeof(req);
	std::vector<uint64_t> buf(100000);
	long n = syscall(470, &req, buf.data(), buf.size(), 0);
	for (long i = 0; i < n; i++)
		ids.insert(buf[size_t(i)]);
	return ids;
}

uint64_t ns_get_id(const std::string &path)
{
	auto fd = open_path(path);
	uint64_t id = 0;
	return ioctl(fd.get(), NS_GET_ID, &id) == 0 ? id : 0;
}

std::string trim(std::string s)
{
	while (!s.empty() && s.back() == '\n')
		s.pop_back();
	return s;
}

} // namespace

TEST_CASE("native backend: the same set as listns(2), a superset of the fallback and lsns", "[.native]")
{
	REQUIRE_ROOT();
	if (syscall(470, nullptr, nullptr, 0, 0) < 0 && errno == ENOSYS)
		FAIL("this kernel has no listns(2): run [native] on the sid guest");
	std::vector<Child> kids;
	for (int flags : {CLONE_NEWUTS, CLONE_NEWNET | CLONE_NEWIPC, CLONE_NEWUSER | CLONE_NEWPID, CLONE_NEWTIME})
		kids.push_back(spawn_holder(flags));
	auto doctor = run_nstree({"doctor"});
	CHECK(doctor.out.find("backend:    native") != std::string::npos);

	auto native = run_nstree({"ls", "-J", "-o", "ID,NS,TYPE,HOLDER"});
	INFO(native.err);
	REQUIRE(native.status == 0);
	std::set<uint64_t> ids;
	for (const auto &ns : cli_namespaces(native.out))
		ids.insert(ns["id"].get<uint64_t>());
	auto want = syscall_ids();
	CHECK(ids == want);

	auto native_inodes = cli_inodes(native.out);
	auto proc = run_nstree({"ls", "-J", "-o", "NS", "--backend", "proc"});
	REQUIRE(proc.status == 0);
	for (auto ino : cli_inodes(proc.out)) {
		INFO("the fallback sees inode " << ino);
		CHECK(native_inodes.count(ino));
	}
	auto theirs = lsns_inode_set();
	CHECK(!theirs.empty());
	for (auto ino : theirs) {
		INFO("lsns sees inode " << ino);
		CHECK(native_inodes.count(ino));
	}
}

TEST_CASE("native backend: enter and handles through listns IDs and FD_NSFS_ROOT", "[.native]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET);
	for (const char *type : {"uts", "net"}) {
		INFO(type);
		std::string path = ns_path(c.pid(), type);
		uint64_t id = ns_get_id(path);
		REQUIRE(id != 0);
		char want[64];
		ssize_t n = readlink(path.c_str(), want, sizeof(want));
		REQUIRE(n > 0);
		auto in = run_nstree({"enter", std::to_string(id), "--", "/bin/busybox", "readlink",
				      std::string("/proc/self/ns/") + type});
		INFO(in.err);
		CHECK(trim(in.out) == std::string(want, size_t(n)));
		auto h = run_nstree({"handle", std::to_string(id)});
		REQUIRE(h.status == 0);
		auto opened = run_nstree({"open", trim(h.out), "--", "/bin/busybox", "readlink",
					  std::string("/proc/self/ns/") + type});
		CHECK(trim(opened.out) == std::string(want, size_t(n)));
	}
}
