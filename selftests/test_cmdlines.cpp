// SPDX-License-Identifier: GPL-2.0
// NSTREE_IOC_CMDLINES, behind nstree ls's COMMAND column: it says what
// /proc/PID/cmdline says (setproctitle(3) included), a full buffer stops early and
// the rest can be asked for again, bad input gets the documented error and changes
// nothing, and only a caller that may see every namespace gets it.
#include <catch2/catch_test_macros.hpp>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

constexpr uint32_t kMaxLen = 4096;

struct Request {
	std::vector<nstree_cmdline> procs;
	std::vector<char> buf;
	nstree_cmdlines req;

	Request(const std::vector<pid_t> &pids, size_t buf_size, uint32_t max_len = kMaxLen)
		: procs(pids.size()), buf(buf_size, '\0')
	{
		std::memset(procs.data(), 0, procs.size() * sizeof(nstree_cmdline));
		for (size_t i = 0; i < pids.size(); i++)
			procs[i].pid = uint32_t(pids[i]);
		std::memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.procs = reinterpret_cast<uintptr_t>(procs.data());
		req.nr_procs = uint32_t(procs.size());
		req.max_len = max_len;
		req.buf = reinterpret_cast<uintptr_t>(buf.data());
		req.buf_size = buf.size();
	}
	long call(int fd)
	{
		long n = ioctl(fd, NSTREE_IOC_CMDLINES, &req);
		return n < 0 ? -errno : n;
	}
	std::string text(size_t i) const { return std::string(buf.data() + procs[i].offset, procs[i].len); }
};

// The first @max bytes of /proc/PID/cmdline, as one read gives them; nullopt when
// the process is gone.
std::optional<std::string> proc_cmdline(pid_t pid, size_t max = kMaxLen)
{
	int fd = open(("/proc/" + std::to_string(pid) + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return std::nullopt;
	std::string s(max, '\0');
	ssize_t n = read(fd, s.data(), s.size());
	close(fd);
	if (n < 0)
		return std::nullopt;
	s.resize(size_t(n));
	return s;
}

} // namespace

TEST_CASE("NSTREE_IOC_CMDLINES says what /proc/PID/cmdline says", "[procs][cmdlines]")
{
	REQUIRE_ROOT();
	// A thread: its ID is no process's, so it has no command line here.
	pid_t tid = 0;
	std::atomic<bool> stop{false};
	std::thread worker([&]() {
		tid = pid_t(syscall(SYS_gettid));
		while (!stop)
			usleep(1000);
	});
	while (!tid)
		usleep(1000);
	auto pids = list_pids();
	pids.push_back(tid);
	pids.push_back(0x3fffffff); // no such process
	auto before = std::vector<std::optional<std::string>>();
	for (pid_t p : pids)
		before.push_back(proc_cmdline(p));
	Request r(pids, 1 << 20);
	long n = r.call(ctl().fd());
	stop = true;
	worker.join();
	REQUIRE(n == long(pids.size()));
	size_t compared = 0, nonempty = 0;
	for (size_t i = 0; i < pids.size(); i++) {
		auto after = proc_cmdline(pids[i]);
		if (pids[i] == tid || pids[i] == 0x3fffffff) {
			CHECK(r.procs[i].len == 0);
			continue;
		}
		if (!before[i] || before[i] != after)
			continue; // it exited or changed its title meanwhile
		INFO("pid " << pids[i]);
		CHECK(r.text(i) == *before[i]);
		compared++;
		nonempty += !before[i]->empty();
	}
	// Kernel threads (empty) and user processes (not) were both compared.
	CHECK(compared + 5 > pids.size());
	CHECK(nonempty >= 2);
	CHECK(nonempty < compared);
}

TEST_CASE("NSTREE_IOC_CMDLINES: a title written over the arguments", "[procs][cmdlines]")
{
	REQUIRE_ROOT();
	Child titled = spawn_retitled();
	REQUIRE(titled.pid() > 0);
	pid_t child = titled.pid();
	auto proc = proc_cmdline(child);
	Request r({child}, kMaxLen);
	long n = r.call(ctl().fd());
	REQUIRE(n == 1);
	REQUIRE(proc);
	// /proc now shows the title: the first argument through its NUL, no more.
	auto mine = proc_cmdline(getpid());
	REQUIRE(mine);
	CHECK(*proc == mine->substr(0, mine->find('\0') + 1));
	CHECK(*proc != *mine);
	CHECK(r.text(0) == *proc);
}

TEST_CASE("NSTREE_IOC_CMDLINES: a full buffer stops early; the rest comes next", "[procs][cmdlines]")
{
	REQUIRE_ROOT();
	pid_t self = getpid();
	std::vector<pid_t> pids(6, self);
	auto mine = proc_cmdline(self, 64);
	REQUIRE(mine);
	REQUIRE(mine->size() == 64); // the test binary's command line is longer than 64
	// Room for three 64-byte command lines and a bit.
	Request r(pids, 3 * 64 + 10, 64);
	long n = r.call(ctl().fd());
	REQUIRE(n == 3);
	for (size_t i = 0; i < 3; i++) {
		CHECK(r.text(i) == *mine);
		CHECK(r.procs[i].offset == 64 * i);
	}
	for (size_t i = 3; i < pids.size(); i++)
		CHECK((r.procs[i].len == 0 && r.procs[i].offset == 0));
	Request rest({self, self, self}, 3 * 64 + 10, 64);
	CHECK(rest.call(ctl().fd()) == 3);
	CHECK(rest.text(2) == *mine);
}

TEST_CASE("NSTREE_IOC_CMDLINES rejects bad input and changes nothing", "[procs][cmdlines][errors]")
{
	REQUIRE_ROOT();
	int fd = ctl().fd();
	std::vector<pid_t> pids{1, getpid()};
	auto expect = [&](const std::function<void(Request &)> &spoil, long err) {
		Request r(pids, 1 << 16);
		spoil(r);
		auto procs = r.procs;
		CHECK(r.call(fd) == -err);
		CHECK(std::memcmp(procs.data(), r.procs.data(), procs.size() * sizeof(nstree_cmdline)) == 0);
		CHECK(r.buf[0] == '\0');
	};
	expect([](Request &r) { r.req.flags = 1; }, EINVAL);
	expect([](Request &r) { r.req.max_len = 0; }, EINVAL);
	expect([](Request &r) { r.req.max_len = NSTREE_CMDLINE_MAX_LEN + 1; }, EINVAL);
	expect([](Request &r) { r.req.buf_size = r.req.max_len - 1; }, EINVAL);
	expect([](Request &r) { r.req.nr_procs = NSTREE_CMDLINES_MAX + 1; }, EOVERFLOW);
	expect([](Request &r) { r.req.size = NSTREE_CMDLINES_SIZE_VER0 - 1; }, EINVAL);
	expect([](Request &r) { r.procs[1].len = 1; }, EINVAL);
	expect([](Request &r) { r.procs[0].offset = 1; }, EINVAL);
	expect([](Request &r) { r.req.procs = 8; }, EFAULT); // unmapped
	expect([](Request &r) { r.req.buf = 8; }, EFAULT);
	CHECK((ioctl(fd, NSTREE_IOC_CMDLINES, nullptr) == -1 && errno == EFAULT));
	// Nothing asked: nothing done.
	Request none(pids, 1 << 16);
	none.req.nr_procs = 0;
	CHECK(none.call(fd) == 0);
}

// /proc/PID/cmdline has no ptrace check, but hidepid= hides the whole /proc/PID.
TEST_CASE("NSTREE_IOC_CMDLINES reads only what the caller's /proc shows it", "[procs][cmdlines][privilege]")
{
	REQUIRE_ROOT();
	Child target = spawn_nobody();
	REQUIRE(target.pid() > 0);
	int fd = ctl().fd();
	pid_t pid = target.pid();
	auto read_len = [fd, pid]() {
		Request r({pid}, kMaxLen);
		long n = r.call(fd);
		return n == 1 ? int(r.procs[0].len != 0) : 10 + int(-n);
	};
	CHECK(exit_code_of([&]() { return drop_capability(CAP_SYS_PTRACE) ? read_len() : 5; }) == 1);
	CHECK(exit_code_of([&]() {
		      if (!mount_private_proc("hidepid=invisible") || !leave_group_zero() || !drop_capability(CAP_SYS_PTRACE))
			      return 5;
		      return read_len();
	      }) == 0);
	CHECK(exit_code_of([&]() { return mount_private_proc("hidepid=invisible") && leave_group_zero() ? read_len() : 5; }) == 1);
}

TEST_CASE("NSTREE_IOC_CMDLINES needs may_see_all", "[procs][cmdlines][permissions]")
{
	REQUIRE_ROOT();
	int fd = ctl().fd();
	auto refused = [fd]() {
		Request r({1}, 1 << 16);
		return r.call(fd) == -EPERM && r.buf[0] == '\0' ? 0 : 1;
	};
	CHECK(exit_code_as_nobody(refused) == 0);
	CHECK(exit_code_in_new_pid_namespace(refused) == 0);
}
