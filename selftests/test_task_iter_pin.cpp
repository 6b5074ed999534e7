// SPDX-License-Identifier: GPL-2.0
// The BPF task iterator pinned between runs (tools/lib/task_iter_pin.cpp), on the
// sid guest (whose init mounts bpffs at /sys/fs/bpf as systemd does): the first
// run pins it and clears other builds' pins, later runs reuse it with the same
// table, concurrent runs share it, every reader withdraws its registration, a pin
// whose readers map is full or that is not whole is replaced, and a directory this
// build may not trust is left alone.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <linux/bpf.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

#include "bpf/task_ns_record.h"
#include "cli_util.hpp"
#include "harness.hpp"
#include "ns_util.hpp"
#include "ns_type.hpp"
#include "task_iter.hpp"

using namespace selftest;

namespace {

constexpr const char *kBpfFs = "/sys/fs/bpf";
constexpr std::string_view kPrefix = "nstree-task_ns-";
const size_t kUts = *nstree::ns_type_index(CLONE_NEWUTS);
// Above PID_MAX_LIMIT (4M): no thread ever has these IDs.
constexpr uint32_t kNoSuchTid = (4U << 20) + 1;

long sys_bpf(int cmd, union bpf_attr &attr)
{
	return syscall(__NR_bpf, cmd, &attr, sizeof(attr));
}

// Every pin directory of any nstree build, removed.
void remove_all_pins()
{
	for (const auto &d : std::filesystem::directory_iterator(kBpfFs))
		if (d.path().filename().string().starts_with(kPrefix))
			std::filesystem::remove_all(d.path());
}

// The pin directory named in a ProcScan::source ("... pinned at DIR").
std::string pin_dir_of(const std::string &source)
{
	auto at = source.find("pinned at ");
	return at == std::string::npos ? std::string() : source.substr(at + 10);
}

nstree::Fd readers_map(const std::string &dir)
{
	union bpf_attr attr;
	std::memset(&attr, 0, sizeof(attr));
	std::string path = dir + "/readers";
	attr.pathname = uint64_t(uintptr_t(path.c_str()));
	return nstree::Fd(int(sys_bpf(BPF_OBJ_GET, attr)));
}

std::vector<uint32_t> registered(int map_fd)
{
	std::vector<uint32_t> keys;
	uint32_t key = 0, next;
	for (;;) {
		union bpf_attr attr;
		std::memset(&attr, 0, sizeof(attr));
		attr.map_fd = uint32_t(map_fd);
		attr.key = keys.empty() ? 0 : uint64_t(uintptr_t(&key));
		attr.next_key = uint64_t(uintptr_t(&next));
		if (sys_bpf(BPF_MAP_GET_NEXT_KEY, attr))
			return keys;
		keys.push_back(key = next);
	}
}

bool register_reader(int map_fd, uint32_t tid)
{
	static const nstree_task_ns_reader value{};
	union bpf_attr attr;
	std::memset(&attr, 0, sizeof(attr));
	attr.map_fd = uint32_t(map_fd);
	attr.key = uint64_t(uintptr_t(&tid));
	attr.value = uint64_t(uintptr_t(&value));
	return sys_bpf(BPF_MAP_UPDATE_ELEM, attr) == 0;
}

// Whether @scan has @kid, in the uts namespace /proc/PID/ns shows.
bool has_process(const nstree::ProcScan &scan, const Child &kid)
{
	for (const auto &e : scan.entries)
		if (e.pid == kid.pid())
			return e.ns[kUts] != 0 && e.ns[kUts] == ino_of(ns_path(kid.pid(), "uts"));
	return false;
}

// A scan that must succeed; its error is reported when it does not.
nstree::ProcScan must_scan()
{
	auto scan = nstree::scan_processes_bpf();
	INFO((scan ? std::string() : scan.error().str()));
	REQUIRE(scan);
	return std::move(*scan);
}

// An environment variable set for a scope (NSTREE_BPF_PIN is read at each scan).
struct EnvVar {
	explicit EnvVar(const char *name, const char *value) : name_(name) { setenv(name, value, 1); }
	~EnvVar() { unsetenv(name_); }
	const char *name_;
};

} // namespace

TEST_CASE("BPF task iterator: pinned by the first run, reused by the next", "[.native][bpf][pin]")
{
	REQUIRE_ROOT();
	REQUIRE(nstree::task_iter_built());
	remove_all_pins();
	// Another build's pin and one a dead run was making, to be cleared when this
	// build pins, and one a live run is making, to be left alone.
	std::string other = std::string(kBpfFs) + "/" + std::string(kPrefix) + "0000000000000000";
	std::string dead = other + "-" + std::to_string(kNoSuchTid);
	std::string live = other + "-" + std::to_string(getpid());
	for (const auto &d : {other, dead, live})
		REQUIRE(mkdir(d.c_str(), 0700) == 0);
	Child kid = spawn_holder(CLONE_NEWUTS | CLONE_NEWPID);

	auto first = must_scan();
	INFO(first.source);
	CHECK(first.source.find("loaded and pinned at ") != std::string::npos);
	std::string dir = pin_dir_of(first.source);
	REQUIRE(!dir.empty());
	struct stat st;
	REQUIRE(stat(dir.c_str(), &st) == 0);
	CHECK(st.st_uid == 0);
	CHECK((st.st_mode & 07777) == 0700);
	CHECK(access((dir + "/link").c_str(), F_OK) == 0);
	CHECK(access((dir + "/readers").c_str(), F_OK) == 0);
	CHECK(access(other.c_str(), F_OK) != 0);
	CHECK(access(dead.c_str(), F_OK) != 0);
	CHECK(access(live.c_str(), F_OK) == 0);
	rmdir(live.c_str());

	auto second = must_scan();
	CHECK(second.source == "BPF task iterator, pinned at " + dir);
	CHECK(has_process(first, kid));
	CHECK(has_process(second, kid));
	CHECK(first.entries.size() > 10);

	auto doctor = run_nstree({"doctor"});
	INFO(doctor.out);
	CHECK(doctor.out.find("processes:  BPF task iterator, pinned at " + dir + " (") != std::string::npos);

	// Every reader withdrew its registration.
	auto map = readers_map(dir);
	REQUIRE(map);
	CHECK(registered(map.get()).empty());

	{
		EnvVar off("NSTREE_BPF_PIN", "0");
		auto unpinned = must_scan();
		CHECK(unpinned.source == "BPF task iterator, loaded; not pinned: NSTREE_BPF_PIN=0");
		CHECK(has_process(unpinned, kid));
	}
}

TEST_CASE("BPF task iterator: a pin whose readers map is full, or that is not whole, is pinned anew",
	  "[.native][bpf][pin]")
{
	REQUIRE_ROOT();
	Child kid = spawn_holder(CLONE_NEWUTS);
	auto pinned = must_scan();
	std::string dir = pin_dir_of(pinned.source);
	REQUIRE(!dir.empty());

	// Registrations that runs killed while reading would leave: the map is full.
	auto old_map = readers_map(dir);
	REQUIRE(old_map);
	for (uint32_t i = 0; i < NSTREE_TASK_NS_MAX_READERS; i++)
		REQUIRE(register_reader(old_map.get(), kNoSuchTid + i));
	CHECK(!register_reader(old_map.get(), kNoSuchTid + NSTREE_TASK_NS_MAX_READERS));
	auto full = must_scan();
	INFO(full.source);
	CHECK(full.source == "BPF task iterator, loaded and pinned anew at " + dir +
				      " (the readers map of the pin there was full)");
	CHECK(has_process(full, kid));
	// Nobody's entries were deleted: the old map went with the old pin.
	CHECK(registered(old_map.get()).size() == NSTREE_TASK_NS_MAX_READERS);
	auto new_map = readers_map(dir);
	REQUIRE(new_map);
	CHECK(registered(new_map.get()).empty());
	auto reused = must_scan();
	CHECK(reused.source == "BPF task iterator, pinned at " + dir);

	// Ours, but emptied (as a run of another build could while this one renames
	// its pins into place).
	remove_all_pins();
	REQUIRE(mkdir(dir.c_str(), 0700) == 0);
	auto emptied = must_scan();
	INFO(emptied.source);
	CHECK(emptied.source == "BPF task iterator, loaded and pinned anew at " + dir +
					 " (the pin there was unusable: No such file or directory)");
	CHECK(has_process(emptied, kid));
	auto again = must_scan();
	CHECK(again.source == "BPF task iterator, pinned at " + dir);
}

TEST_CASE("BPF task iterator: concurrent runs share one pin and read the same table", "[.native][bpf][pin]")
{
	REQUIRE_ROOT();
	std::vector<Child> kids;
	for (int flags : {CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWIPC | CLONE_NEWPID})
		kids.push_back(spawn_holder(flags));
	must_scan(); // pinned, if it was not
	// 3 runs of at most NSTREE_TASK_NS_MAX_SHARDS readers each: the map has room.
	constexpr size_t kRuns = 3;
	std::vector<nstree::Result<nstree::ProcScan>> scans(kRuns, nstree::Error{0, ""});
	{
		std::vector<std::jthread> runs;
		for (size_t i = 0; i < kRuns; i++)
			runs.emplace_back([&scans, i] { scans[i] = nstree::scan_processes_bpf(); });
	}
	for (const auto &scan : scans) {
		INFO((scan ? scan->source : scan.error().str()));
		REQUIRE(scan);
		CHECK(scan->source.find("BPF task iterator, pinned at ") == 0);
		for (const auto &k : kids) {
			CHECK(has_process(*scan, k));
			auto mine = std::find_if(scan->entries.begin(), scan->entries.end(),
						 [&](const auto &e) { return e.pid == k.pid(); });
			auto theirs = std::find_if(scans[0]->entries.begin(), scans[0]->entries.end(),
						   [&](const auto &e) { return e.pid == k.pid(); });
			REQUIRE(mine != scan->entries.end());
			REQUIRE(theirs != scans[0]->entries.end());
			CHECK(mine->ns == theirs->ns);
			CHECK(mine->command == theirs->command);
		}
	}
	auto map = readers_map(pin_dir_of(scans[0]->source));
	REQUIRE(map);
	CHECK(registered(map.get()).empty());
}

TEST_CASE("BPF task iterator: a directory at the pin's name that this build may not trust is left alone",
	  "[.native][bpf][pin]")
{
	REQUIRE_ROOT();
	auto pinned = must_scan();
	std::string dir = pin_dir_of(pinned.source);
	REQUIRE(!dir.empty());
	remove_all_pins();
	// Writable by anyone: anyone could have put pins of their own in it.
	REQUIRE(mkdir(dir.c_str(), 0700) == 0);
	REQUIRE(chmod(dir.c_str(), 0777) == 0);
	auto scan = must_scan();
	INFO(scan.source);
	CHECK(scan.source ==
	      "BPF task iterator, loaded; not pinned: " + dir + " is writable by, or belongs to, someone else");
	CHECK(!scan.entries.empty());
	CHECK(access((dir + "/link").c_str(), F_OK) != 0); // nothing pinned in it
	CHECK(rmdir(dir.c_str()) == 0);
	// The next run pins again.
	auto again = must_scan();
	CHECK(again.source == "BPF task iterator, loaded and pinned at " + dir);
}
