// SPDX-License-Identifier: GPL-2.0
// The native backend, on a kernel with listns(2) and no module (the sid guest):
// run with the tag [native]; hidden from the module kernels' default run.
#include <catch2/catch_test_macros.hpp>
#include <linux/nsfs.h>
#include <atomic>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <thread>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "ns_util.hpp"
#include "nstree.h"
#include "watch_native.hpp"

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

TEST_CASE("native backend: enter and handles through listns IDs and FD_NSFS_ROOT; proc too, by probe", "[.native]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET);
	// The proc backend has no listns(2) to lean on, but finds the kernel's nsfs
	// handles by probing them (as on 6.18, which has them without listns).
	for (const char *backend : {"native", "proc"}) {
		for (const char *type : {"uts", "net"}) {
			INFO(backend << " " << type);
			std::string path = ns_path(c.pid(), type);
			uint64_t id = ns_get_id(path);
			REQUIRE(id != 0);
			char want[64];
			ssize_t n = readlink(path.c_str(), want, sizeof(want));
			REQUIRE(n > 0);
			auto in = run_nstree({"enter", "--backend", backend, std::to_string(id), "--", "/bin/busybox",
					      "readlink", std::string("/proc/self/ns/") + type});
			INFO(in.err);
			CHECK(trim(in.out) == std::string(want, size_t(n)));
			auto h = run_nstree({"handle", "--backend", backend, std::to_string(id)});
			REQUIRE(h.status == 0);
			auto opened = run_nstree({"open", "--backend", backend, trim(h.out), "--", "/bin/busybox",
						  "readlink", std::string("/proc/self/ns/") + type});
			INFO(opened.err);
			CHECK(trim(opened.out) == std::string(want, size_t(n)));
		}
	}
	auto doctor = run_nstree({"doctor"});
	CHECK(doctor.out.find("handles:    yes") != std::string::npos);
}

// Upstream's ns_active_ref_test thread_ns_inactive_after_exit expects a thread's
// network namespace to be inactive as soon as pthread_join() returns. But join
// returns when the thread clears its tid (exit_mm()), and the thread drops its
// namespaces later in do_exit() (exit_nsproxy_namespaces(), after exit_files()):
// the test races natively too. A thread with a large private fd table widens the
// window (exit_files() closes every fd first), and a handle opens after join.
TEST_CASE("native: pthread_join() returns before the thread drops its namespaces", "[.native][active]")
{
	REQUIRE_ROOT();
	struct rlimit lim = {65536, 65536};
	REQUIRE(setrlimit(RLIMIT_NOFILE, &lim) == 0);
	constexpr int kFdSpam = 20000;
	int opened_after_join = 0, rounds = 10;
	for (int round = 0; round < rounds; round++) {
		uint64_t id = 0;
		int go[2];
		REQUIRE(pipe2(go, O_CLOEXEC) == 0);
		std::atomic<bool> ready{false};
		std::thread t([&]() {
			if (unshare(CLONE_NEWNET | CLONE_FILES) != 0)
				return;
			int null = open("/dev/null", O_RDONLY);
			for (int i = 0; i < kFdSpam; i++)
				dup(null);
			id = ns_get_id("/proc/thread-self/ns/net");
			ready = true;
			char x;
			(void)!read(go[0], &x, 1);
		});
		while (!ready && id == 0)
			usleep(1000);
		struct {
			struct file_handle hdr;
			struct nsfs_file_handle fh;
		} h = {};
		h.hdr.handle_bytes = sizeof(h.fh);
		h.hdr.handle_type = FILEID_NSFS;
		h.fh.ns_id = id;
		int fd = open_by_handle_at(-10003 /* FD_NSFS_ROOT */, &h.hdr, O_RDONLY | O_CLOEXEC);
		CHECK(fd >= 0); // the thread uses it
		if (fd >= 0)
			close(fd);
		char x = 'X';
		REQUIRE(write(go[1], &x, 1) == 1);
		t.join();
		fd = open_by_handle_at(-10003, &h.hdr, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			opened_after_join++;
			close(fd);
		}
		close(go[0]);
		close(go[1]);
	}
	INFO(opened_after_join << " of " << rounds << " opened after pthread_join()");
	CHECK(opened_after_join > 0);
}

TEST_CASE("native: nstree watch says what it needs where it may not load BPF or see everything", "[.native]")
{
	REQUIRE_ROOT();
	auto no_bpf = run_nstree({"watch", "--timeout", "1"}, {"NSTREE_NO_BPF=1"});
	CHECK(no_bpf.status == 1);
	CHECK(no_bpf.out.empty());
	CHECK(no_bpf.err.find("NSTREE_NO_BPF") != std::string::npos);
	// Every caller but root in the initial namespaces is refused with a reason, and
	// nothing is left loaded.
	for (Caller who : {Caller::nobody, Caller::userns_root, Caller::pidns_root}) {
		INFO(caller_name(who));
		std::string said = run_as(who, [] {
			auto w = nstree::open_native_watch({});
			return w ? std::string("a stream opened") : w.error().message;
		});
		CHECK(said.find("needs") != std::string::npos);
		CHECK(said != "a stream opened");
	}
	auto root = run_nstree({"watch", "--timeout", "0.5"});
	CHECK(root.status == 0);
	CHECK(root.err.empty());
}
