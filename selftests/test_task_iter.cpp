// SPDX-License-Identifier: GPL-2.0
// The BPF task iterator (tools/lib/bpf/task_ns.bpf.c): on the sid guest, where the
// native backend takes its process table from it, the table and the facts it gives
// of each namespace must be what the /proc walk and nsfs's ioctls say; nobody and
// a child pid namespace are refused and fall back to the walk; and a listing leaves
// nothing of it behind.
#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <linux/bpf.h>
#include <map>
#include <sched.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "ns_facts.hpp"
#include "ns_util.hpp"
#include "proc_walk.hpp"
#include "task_iter.hpp"

using namespace selftest;

namespace {

const std::vector<int> kHolderFlags = {CLONE_NEWUTS, CLONE_NEWNET | CLONE_NEWIPC, CLONE_NEWUSER | CLONE_NEWPID,
				       CLONE_NEWTIME, CLONE_NEWNS | CLONE_NEWCGROUP};

// A workqueue worker's /proc name ends in "+wq" while busy on wq, "-wq" after:
// that changes between two reads; the worker's own name before it does not.
std::string comparable_comm(const std::string &comm)
{
	return comm.starts_with("kworker/") ? comm.substr(0, comm.find_first_of("+-", 8)) : comm;
}

// The first kCommandBytes of /proc/PID/cmdline, raw.
std::string proc_cmdline(pid_t pid)
{
	std::ifstream f("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
	std::string out(nstree::kCommandBytes, '\0');
	f.read(out.data(), std::streamsize(out.size()));
	out.resize(size_t(f.gcount()));
	return out;
}

} // namespace

TEST_CASE("BPF task iterator: the same processes and namespaces as the /proc walk", "[.native][bpf]")
{
	REQUIRE_ROOT();
	REQUIRE(nstree::task_iter_built());
	std::vector<Child> kids;
	for (int flags : kHolderFlags)
		kids.push_back(spawn_holder(flags));
	Child titled = spawn_retitled();
	REQUIRE(titled.pid() > 0);

	auto bpf = nstree::scan_processes_bpf();
	INFO((bpf ? std::string() : bpf.error().str()));
	REQUIRE(bpf);
	CHECK(!bpf->namespaces.empty()); // only the iterator describes the namespaces
	auto walk = nstree::scan_processes();
	std::map<pid_t, const nstree::ProcEntry *> walked;
	for (const auto &e : walk.entries)
		walked[e.pid] = &e;
	// Both tables are taken while nothing but this test runs: the same processes.
	size_t compared = 0;
	bool titled_seen = false;
	for (const auto &e : bpf->entries) {
		auto w = walked.find(e.pid);
		if (w == walked.end())
			continue; // exited between the two reads
		INFO("pid " << e.pid << " (" << e.comm << ")");
		CHECK(e.ppid == w->second->ppid);
		CHECK(e.uid == w->second->uid);
		CHECK(comparable_comm(e.comm) == comparable_comm(w->second->comm));
		CHECK(e.ns == w->second->ns);
		// COMMAND from the command line as /proc gives it, setproctitle(3)'s rule included.
		REQUIRE(e.command);
		CHECK(*e.command == nstree::command_from_cmdline(proc_cmdline(e.pid), e.comm));
		if (e.pid == titled.pid()) {
			// Through the first NUL only (the title rule): the arguments after it are cut.
			CHECK(e.command->find(' ') == std::string::npos);
			titled_seen = true;
		}
		compared++;
	}
	CHECK(titled_seen);
	CHECK(compared + 2 >= walk.entries.size()); // at most the walk's own short-lived helpers differ
	for (const auto &k : kids)
		CHECK(std::any_of(bpf->entries.begin(), bpf->entries.end(),
				  [&](const nstree::ProcEntry &e) { return e.pid == k.pid(); }));

	// Every namespace's facts as opening it and asking nsfs gives them.
	size_t checked = 0;
	for (const auto &f : bpf->namespaces) {
		const nstree::ProcEntry *owner = nullptr;
		size_t t = *nstree::ns_type_index(f.type);
		for (const auto &e : bpf->entries)
			if (e.ns[t] == f.inode && walked.count(e.pid)) {
				owner = &e;
				break;
			}
		if (!owner)
			continue;
		std::string path = ns_path(owner->pid, std::string(nstree::kNsTypes[t].name));
		auto fd = open_path(path);
		if (!fd)
			continue; // exited
		auto want = nstree::read_ns_facts(fd.get(), {.type = true, .relations = true, .id = true});
		REQUIRE(want);
		INFO(path);
		CHECK(f.type == want->type);
		CHECK(f.inode == want->inode);
		CHECK(f.id == want->id);
		CHECK(f.owner_inode == want->owner_inode);
		CHECK(f.parent_inode == want->parent_inode);
		CHECK(f.owner_uid == want->owner_uid);
		checked++;
	}
	CHECK(checked >= 8 + kHolderFlags.size());
}

TEST_CASE("BPF task iterator: refused outside the initial namespaces and without privilege", "[.native][bpf]")
{
	REQUIRE_ROOT();
	auto refused = []() {
		auto scan = nstree::scan_processes_bpf();
		return !scan && scan.error().code == EPERM ? 0 : 1;
	};
	CHECK(exit_code_as_nobody(refused) == 0);
	CHECK(exit_code_in_new_pid_namespace(refused) == 0);
}

TEST_CASE("native backend: the listing from the BPF table equals the one from the /proc walk", "[.native][bpf]")
{
	REQUIRE_ROOT();
	std::vector<Child> kids;
	for (int flags : kHolderFlags)
		kids.push_back(spawn_holder(flags));
	auto doctor = run_nstree({"doctor"});
	INFO(doctor.out);
	CHECK(doctor.out.find("processes:  BPF task iterator") != std::string::npos);
	auto walked_doctor = run_nstree({"doctor"}, {"NSTREE_NO_BPF=1"});
	CHECK(walked_doctor.out.find("processes:  /proc walk (NSTREE_NO_BPF is set)") != std::string::npos);

	const std::vector<std::string> ls = {"ls", "-J", "-o", "NS,TYPE,NPROCS,PID,PPID,UID,USER,COMMAND,ID,PNS,ONS,HOLDER"};
	// A kernel worker may come or go between two listings and change NPROCS of the
	// initial namespaces: up to five tries for two listings of the same moment.
	std::vector<nlohmann::json> a, b;
	for (int attempt = 0; attempt < 5 && (a.empty() || a != b); attempt++) {
		auto from_bpf = run_nstree(ls, {"NSTREE_DEBUG=timing"});
		auto from_walk = run_nstree(ls, {"NSTREE_NO_BPF=1", "NSTREE_DEBUG=timing"});
		INFO(from_bpf.err);
		REQUIRE(from_bpf.status == 0);
		REQUIRE(from_walk.status == 0);
		// The timing lines say which table each run used.
		REQUIRE(from_bpf.err.find("bpf read") != std::string::npos);
		REQUIRE(from_walk.err.find("bpf read") == std::string::npos);
		a = cli_namespaces(from_bpf.out);
		b = cli_namespaces(from_walk.out);
	}
	CHECK(a.size() >= 8 + kHolderFlags.size());
	CHECK(a == b);
}

namespace {

// Every path under bpffs, sorted.
std::vector<std::string> bpffs_paths()
{
	std::vector<std::string> out;
	std::error_code ec;
	for (auto it = std::filesystem::recursive_directory_iterator("/sys/fs/bpf", ec);
	     !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
		out.push_back(it->path().string());
	std::sort(out.begin(), out.end());
	return out;
}

// Loaded BPF programs named as the task iterator's (BPF_PROG_GET_NEXT_ID).
int loaded_task_iterators()
{
	int n = 0;
	union bpf_attr attr = {};
	while (syscall(SYS_bpf, BPF_PROG_GET_NEXT_ID, &attr, sizeof(attr)) == 0) {
		union bpf_attr get = {};
		get.prog_id = attr.next_id;
		nstree::Fd fd(int(syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &get, sizeof(get))));
		attr.start_id = attr.next_id;
		if (!fd)
			continue;
		struct bpf_prog_info info = {};
		union bpf_attr q = {};
		q.info.bpf_fd = uint32_t(fd.get());
		q.info.info_len = sizeof(info);
		q.info.info = uint64_t(uintptr_t(&info));
		if (syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &q, sizeof(q)) == 0 &&
		    std::string(info.name) == "nstree_task_ns")
			n++;
	}
	return n;
}

} // namespace

TEST_CASE("native backend: a listing leaves no BPF program, link or pin behind", "[.native][bpf]")
{
	REQUIRE_ROOT();
	const auto before = bpffs_paths();
	REQUIRE(loaded_task_iterators() == 0);
	auto doctor = run_nstree({"doctor"});
	REQUIRE(doctor.out.find("processes:  BPF task iterator") != std::string::npos);
	for (const auto &args : {std::vector<std::string>{"ls"}, {"ls", "-J"}, {"ls", "-p", "1"}})
		run_nstree(args);
	CHECK(bpffs_paths() == before);
	// A program is freed from a work item once its last fd is closed: a moment.
	int left = loaded_task_iterators();
	for (int i = 0; i < 500 && left; i++) {
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
		left = loaded_task_iterators();
	}
	CHECK(left == 0);
}
