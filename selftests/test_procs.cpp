// SPDX-License-Identifier: GPL-2.0
// NSTREE_IOC_PROCS and NSTREE_IOC_NS_INFO, the bulk calls behind `nstree ls`: they
// agree with /proc and the nsfs ioctls, bad input gets the documented error and
// changes nothing, and only a caller that may see every namespace gets them.
#include <catch2/catch_test_macros.hpp>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <cstring>
#include <fstream>
#include <map>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

// /proc/PID/ns/ link names in NSTREE_PROC_NS_* order.
const char *const kProcNsNames[NSTREE_PROC_NR_NS] = {"ipc", "uts",  "user", "pid",
						     "cgroup", "time", "net", "mnt"};

nstree_procs procs_req(std::vector<nstree_proc> &table)
{
	nstree_procs r;
	std::memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.procs = reinterpret_cast<uintptr_t>(table.data());
	r.nr_procs = uint32_t(table.size());
	r.proc_size = sizeof(nstree_proc);
	return r;
}

long call_procs(int fd, nstree_procs &r)
{
	long n = ioctl(fd, NSTREE_IOC_PROCS, &r);
	return n < 0 ? -errno : n;
}

uint64_t link_inode(pid_t pid, const char *name)
{
	struct stat st;
	std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
	return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::string comm_of(pid_t pid)
{
	std::ifstream f("/proc/" + std::to_string(pid) + "/comm");
	std::string s;
	std::getline(f, s);
	return s;
}

} // namespace

TEST_CASE("NSTREE_IOC_PROCS agrees with /proc", "[procs]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC);
	REQUIRE(c.pid() > 0);

	std::vector<pid_t> before = list_pids();
	std::vector<nstree_proc> table(4096);
	nstree_procs r = procs_req(table);
	long n = call_procs(ctl().fd(), r);
	REQUIRE(n > 0);
	REQUIRE(size_t(n) <= table.size());
	table.resize(size_t(n));

	std::map<pid_t, const nstree_proc *> by_pid;
	for (const auto &p : table) {
		CHECK(by_pid.count(pid_t(p.pid)) == 0); // one record per process
		by_pid[pid_t(p.pid)] = &p;
	}
	REQUIRE(by_pid.count(getpid()));
	REQUIRE(by_pid.count(c.pid()));

	const nstree_proc &child = *by_pid[c.pid()];
	CHECK(pid_t(child.ppid) == getpid());
	CHECK(child.uid == 0);
	CHECK(child.nr_threads == 1);
	CHECK(std::string(child.comm) == comm_of(c.pid()));
	// The child's own uts, net and ipc namespaces, and ours for the rest.
	for (int i = 0; i < NSTREE_PROC_NR_NS; i++) {
		INFO(kProcNsNames[i]);
		CHECK(child.ns_inum[i] == link_inode(c.pid(), kProcNsNames[i]));
		bool own = i == NSTREE_PROC_NS_UTS || i == NSTREE_PROC_NS_NET || i == NSTREE_PROC_NS_IPC;
		CHECK((child.ns_inum[i] != by_pid[getpid()]->ns_inum[i]) == own);
	}

	// Every record matches /proc for processes still there; every process that was
	// in /proc before the call and still has namespaces after it is in the table.
	size_t compared = 0;
	for (const auto &p : table) {
		uint64_t ino[NSTREE_PROC_NR_NS];
		for (int i = 0; i < NSTREE_PROC_NR_NS; i++)
			ino[i] = link_inode(pid_t(p.pid), kProcNsNames[i]);
		if (!ino[NSTREE_PROC_NS_MNT])
			continue; // exited (or exiting) since
		for (int i = 0; i < NSTREE_PROC_NR_NS; i++) {
			INFO("pid " << p.pid << " " << kProcNsNames[i]);
			CHECK(p.ns_inum[i] == ino[i]);
		}
		compared++;
	}
	CHECK(compared > 2);
	for (pid_t pid : before) {
		INFO("pid " << pid << " was in /proc before and after, and is not in the table");
		CHECK((by_pid.count(pid) || !link_inode(pid, "mnt")));
	}
}

TEST_CASE("NSTREE_IOC_PROCS: shards partition the table by pid", "[procs][shards]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET);
	REQUIRE(c.pid() > 0);
	auto read_table = [](uint32_t shard, uint32_t nr_shards) {
		std::vector<nstree_proc> table(4096);
		nstree_procs r = procs_req(table);
		if (nr_shards) {
			r.flags = NSTREE_PROCS_SHARD;
			r.shard = shard;
			r.nr_shards = nr_shards;
		}
		long n = call_procs(ctl().fd(), r);
		REQUIRE(n >= 0);
		REQUIRE(size_t(n) <= table.size());
		table.resize(size_t(n));
		return table;
	};
	auto whole = read_table(0, 0);
	std::map<pid_t, nstree_proc> by_pid;
	for (const auto &p : whole)
		by_pid[pid_t(p.pid)] = p;
	REQUIRE(by_pid.count(c.pid()));
	for (uint32_t nr : {1u, 2u, 3u, 7u}) {
		std::map<pid_t, nstree_proc> joined;
		for (uint32_t s = 0; s < nr; s++) {
			for (const auto &p : read_table(s, nr)) {
				INFO(nr << " shards: pid " << p.pid << " in shard " << s);
				CHECK(p.pid % nr == s);
				CHECK(joined.count(pid_t(p.pid)) == 0); // in one shard only
				joined[pid_t(p.pid)] = p;
			}
		}
		// A process alive across both readings is in both, with the same row; the
		// rest (this test's own helpers exiting, say) is checked against /proc.
		for (const auto &[pid, p] : by_pid) {
			INFO(nr << " shards: pid " << pid << " of the whole table");
			if (!link_inode(pid, "mnt"))
				continue;
			REQUIRE(joined.count(pid));
			CHECK(std::memcmp(joined[pid].ns_inum, p.ns_inum, sizeof(p.ns_inum)) == 0);
			CHECK(joined[pid].ppid == p.ppid);
		}
		for (const auto &[pid, p] : joined) {
			INFO(nr << " shards: pid " << pid << " not in the whole table");
			CHECK((by_pid.count(pid) || pid > by_pid.rbegin()->first || !link_inode(pid, "mnt")));
		}
	}
}

TEST_CASE("NSTREE_IOC_PROCS: a short array gets the count and nothing past it", "[procs]")
{
	REQUIRE_ROOT();
	std::vector<nstree_proc> table(3);
	std::memset(table.data(), 0xa5, sizeof(nstree_proc) * table.size());
	std::vector<nstree_proc> pattern = table;
	nstree_procs r = procs_req(table);
	r.nr_procs = 1;
	long n = call_procs(ctl().fd(), r);
	REQUIRE(n > 1);
	CHECK(table[0].pid > 0);
	CHECK(std::memcmp(&table[1], &pattern[1], 2 * sizeof(nstree_proc)) == 0);

	// An empty array: the count, nothing written.
	nstree_procs none = procs_req(table);
	none.procs = 0;
	none.nr_procs = 0;
	CHECK(call_procs(ctl().fd(), none) > 1);
}

TEST_CASE("NSTREE_IOC_PROCS rejects bad input", "[procs][errors]")
{
	REQUIRE_ROOT();
	int fd = ctl().fd();
	std::vector<nstree_proc> table(2048);
	auto expect = [&](nstree_procs r, long err) { CHECK(call_procs(fd, r) == -err); };

	nstree_procs r = procs_req(table);
	r.flags = 1;
	expect(r, EINVAL);
	r = procs_req(table);
	r.flags = NSTREE_PROCS_SHARD << 1;
	expect(r, EINVAL);
	// Shard fields without the flag, and the flag with no shard or one out of range.
	for (auto [shard, nr] : {std::pair{1u, 0u}, {0u, 1u}, {1u, 2u}}) {
		r = procs_req(table);
		r.shard = shard;
		r.nr_shards = nr;
		expect(r, EINVAL);
	}
	for (auto [shard, nr] : {std::pair{0u, 0u}, {2u, 2u}, {5u, 3u}, {0u, NSTREE_PROCS_SHARDS_MAX + 1}}) {
		r = procs_req(table);
		r.flags = NSTREE_PROCS_SHARD;
		r.shard = shard;
		r.nr_shards = nr;
		expect(r, EINVAL);
	}
	r = procs_req(table);
	r.proc_size = sizeof(nstree_proc) - 1;
	expect(r, EINVAL);
	r = procs_req(table);
	r.proc_size = sizeof(nstree_proc) + 8;
	expect(r, EINVAL);
	r = procs_req(table);
	r.nr_procs = NSTREE_PROCS_MAX + 1;
	expect(r, EOVERFLOW);
	r = procs_req(table);
	r.size = NSTREE_PROCS_SIZE_VER0 - 1;
	expect(r, EINVAL);
	r = procs_req(table);
	r.procs = 8; // unmapped
	expect(r, EFAULT);
	// A larger struct than the module knows: zero tail accepted, non-zero E2BIG.
	struct {
		nstree_procs r;
		uint64_t tail;
	} big;
	big.r = procs_req(table);
	big.r.size = sizeof(big);
	big.tail = 0;
	CHECK(ioctl(fd, NSTREE_IOC_PROCS, &big) > 0);
	big.tail = 1;
	CHECK((ioctl(fd, NSTREE_IOC_PROCS, &big) == -1 && errno == E2BIG));
	CHECK((ioctl(fd, NSTREE_IOC_PROCS, nullptr) == -1 && errno == EFAULT));
}

// /proc shows a process only as its mount's hidepid= lets the caller, and its ns
// links only to a caller that passes ptrace_may_access(PTRACE_MODE_READ_FSCREDS),
// LSMs included. Module 0.3.0 asked for CAP_SYS_ADMIN alone and showed everything.
TEST_CASE("NSTREE_IOC_PROCS shows what the caller's /proc shows it, no more", "[procs][permissions][privilege]")
{
	REQUIRE_ROOT();
	Child target = spawn_nobody();
	REQUIRE(target.pid() > 0);
	pid_t want = target.pid();
	int fd = ctl().fd();
	// 0: no row; 1: a row without namespaces; 2: a row with them; -1: the call failed.
	auto row_kind = [fd, want]() {
		std::vector<nstree_proc> table(4096);
		nstree_procs r = procs_req(table);
		long n = call_procs(fd, r);
		if (n < 0 || size_t(n) > table.size())
			return -1;
		for (long i = 0; i < n; i++) {
			if (pid_t(table[i].pid) != want)
				continue;
			bool any = false;
			for (uint32_t inum : table[i].ns_inum)
				any = any || inum;
			return any ? 2 : 1;
		}
		return 0;
	};
	SECTION("root with CAP_SYS_PTRACE: the whole row")
	{
		CHECK(exit_code_of([&]() { return row_kind(); }) == 2);
	}
	SECTION("root without CAP_SYS_PTRACE: /proc/PID/ns is EACCES, so no namespaces")
	{
		CHECK(exit_code_of([&]() { return drop_capability(CAP_SYS_PTRACE) ? row_kind() : 10; }) == 1);
	}
	SECTION("root without CAP_SYS_PTRACE, /proc mounted hidepid=invisible: no row")
	{
		CHECK(exit_code_of([&]() {
			      if (!mount_private_proc("hidepid=invisible") || !leave_group_zero() || !drop_capability(CAP_SYS_PTRACE))
				      return 10;
			      return row_kind();
		      }) == 0);
	}
	SECTION("no /proc of the caller's pid namespace at /proc: EPERM")
	{
		CHECK(exit_code_of([&]() {
			      if (!mount_private_proc(nullptr) || umount2("/proc", MNT_DETACH) != 0 ||
				  umount2("/proc", MNT_DETACH) != 0) // ours, then the copy of the system's
				      return 10;
			      std::vector<nstree_proc> table(16);
			      nstree_procs r = procs_req(table);
			      return call_procs(fd, r) == -EPERM ? 0 : 1;
		      }) == 0);
	}
}

TEST_CASE("NSTREE_IOC_PROCS needs may_see_all", "[procs][permissions]")
{
	REQUIRE_ROOT();
	int fd = ctl().fd();
	auto refused = [fd]() {
		std::vector<nstree_proc> table(2048);
		nstree_procs r = procs_req(table);
		return call_procs(fd, r) == -EPERM ? 0 : 1;
	};
	CHECK(exit_code_as_nobody(refused) == 0);
	CHECK(exit_code_in_new_pid_namespace(refused) == 0);
}

namespace {

nstree_ns_infos infos_req(std::vector<nstree_ns_info> &infos)
{
	nstree_ns_infos r;
	std::memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.infos = reinterpret_cast<uintptr_t>(infos.data());
	r.nr_infos = uint32_t(infos.size());
	r.info_size = sizeof(nstree_ns_info);
	return r;
}

long call_ns_info(int fd, nstree_ns_infos &r)
{
	long n = ioctl(fd, NSTREE_IOC_NS_INFO, &r);
	return n < 0 ? -errno : n;
}

std::vector<nstree_ns_info> infos_for(const std::vector<uint64_t> &ids)
{
	std::vector<nstree_ns_info> v(ids.size());
	std::memset(v.data(), 0, v.size() * sizeof(nstree_ns_info));
	for (size_t i = 0; i < ids.size(); i++)
		v[i].ns_id = ids[i];
	return v;
}

// What the nsfs ioctls say about @fd's relation @req: the related inode, or 0.
uint64_t related_inode(int fd, unsigned long req)
{
	int rel = ioctl(fd, req);
	if (rel < 0)
		return 0;
	struct stat st;
	uint64_t ino = fstat(rel, &st) == 0 ? st.st_ino : 0;
	close(rel);
	return ino;
}

} // namespace

TEST_CASE("NSTREE_IOC_NS_INFO says what the nsfs ioctls say", "[procs][ns_info]")
{
	REQUIRE_ROOT();
	// A child in new user, pid, uts and net namespaces: owners, parents, owner uid.
	Child c = spawn_holder(CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWNET);
	REQUIRE(c.pid() > 0);
	std::vector<uint64_t> ids;
	std::vector<nstree::Fd> fds;
	for (const char *name : {"user", "uts", "net", "pid", "mnt", "ipc", "cgroup", "time"}) {
		for (pid_t pid : {c.pid(), getpid()}) {
			auto fd = open_path(ns_path(pid, name));
			ids.push_back(id_of(fd.get()));
			fds.push_back(std::move(fd));
		}
	}
	ids.push_back(0);		// no such ID
	ids.push_back(1ULL << 62);	// none either
	auto infos = infos_for(ids);
	nstree_ns_infos r = infos_req(infos);
	long n = call_ns_info(ctl().fd(), r);
	CHECK(n == long(fds.size()));
	for (size_t i = 0; i < fds.size(); i++) {
		const nstree_ns_info &in = infos[i];
		int fd = fds[i].get();
		struct stat st;
		REQUIRE(fstat(fd, &st) == 0);
		INFO("ID " << in.ns_id);
		CHECK(in.ns_id == ids[i]);
		CHECK(in.ns_type == uint32_t(ioctl(fd, NS_GET_NSTYPE)));
		CHECK(in.ns_inum == st.st_ino);
		CHECK(in.owner_inum == related_inode(fd, NS_GET_USERNS));
		if (in.ns_type == CLONE_NEWUSER || in.ns_type == CLONE_NEWPID)
			CHECK(in.parent_inum == related_inode(fd, NS_GET_PARENT));
		else
			CHECK(in.parent_inum == 0);
		if (in.ns_type == CLONE_NEWUSER) {
			uid_t uid = 12345;
			REQUIRE(ioctl(fd, NS_GET_OWNER_UID, &uid) == 0);
			CHECK(in.flags == NSTREE_NS_INFO_OWNER_UID);
			CHECK(in.owner_uid == uid);
		} else {
			CHECK(in.flags == 0);
		}
	}
	// The child's user namespace is owned by ours, and owns its uts namespace.
	CHECK(infos[0].parent_inum == infos[1].ns_inum);
	CHECK(infos[2].owner_inum == infos[0].ns_inum);
	for (size_t i = fds.size(); i < infos.size(); i++)
		CHECK((infos[i].ns_type == 0 && infos[i].ns_inum == 0 && infos[i].flags == 0));
}

TEST_CASE("NSTREE_IOC_NS_INFO rejects bad input and changes nothing", "[procs][ns_info][errors]")
{
	REQUIRE_ROOT();
	int fd = ctl().fd();
	auto infos = infos_for({1, 2, 3});
	auto expect = [&](nstree_ns_infos r, long err) { CHECK(call_ns_info(fd, r) == -err); };
	nstree_ns_infos r = infos_req(infos);
	r.flags = 1;
	expect(r, EINVAL);
	r = infos_req(infos);
	r.reserved = 1;
	expect(r, EINVAL);
	r = infos_req(infos);
	r.info_size = sizeof(nstree_ns_info) - 4;
	expect(r, EINVAL);
	r = infos_req(infos);
	r.nr_infos = NSTREE_NS_INFO_MAX + 1;
	expect(r, EOVERFLOW);
	r = infos_req(infos);
	r.size = NSTREE_NS_INFOS_SIZE_VER0 - 4;
	expect(r, EINVAL);
	r = infos_req(infos);
	r.infos = 8;
	expect(r, EFAULT);
	// An output field set on input: EINVAL, and the array is untouched.
	infos[2].ns_inum = 7;
	auto before = infos;
	r = infos_req(infos);
	expect(r, EINVAL);
	CHECK(std::memcmp(infos.data(), before.data(), infos.size() * sizeof(nstree_ns_info)) == 0);
	// Zero IDs: nothing to do.
	r = infos_req(infos);
	r.nr_infos = 0;
	CHECK(call_ns_info(fd, r) == 0);
}

TEST_CASE("NSTREE_IOC_NS_INFO needs may_see_all", "[procs][ns_info][permissions]")
{
	REQUIRE_ROOT();
	int fd = ctl().fd();
	auto refused = [fd]() {
		auto infos = infos_for({1, 2});
		nstree_ns_infos r = infos_req(infos);
		return call_ns_info(fd, r) == -EPERM && infos[0].ns_type == 0 ? 0 : 1;
	};
	CHECK(exit_code_as_nobody(refused) == 0);
	CHECK(exit_code_in_new_pid_namespace(refused) == 0);
}
