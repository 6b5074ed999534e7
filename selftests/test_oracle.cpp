// SPDX-License-Identifier: GPL-2.0
// Completeness: NSTREE_IOC_LISTNS and `nstree ls` against util-linux lsns in the same
// guest, compared by inode number, plus the namespaces lsns cannot see.
#include <catch2/catch_test_macros.hpp>
#include <atomic>
#include <map>
#include <set>
#include <sstream>
#include <sys/mount.h>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "cli_util.hpp"
#include "listns_util.hpp"

using namespace selftest;

// Inode numbers lsns reports (lsns -n -r -o NS), or an empty set if it fails.
static std::set<ino_t> lsns_inodes()
{
	int out[2];
	if (pipe(out))
		return {};
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		execl("/usr/bin/lsns", "lsns", "-n", "-r", "-o", "NS", nullptr);
		_exit(127);
	}
	close(out[1]);
	std::string text;
	char buf[4096];
	ssize_t n;
	while ((n = read(out[0], buf, sizeof(buf))) > 0)
		text.append(buf, size_t(n));
	close(out[0]);
	int st;
	waitpid(pid, &st, 0);
	std::set<ino_t> inodes;
	std::istringstream in(text);
	unsigned long long ino;
	while (in >> ino)
		inodes.insert(ino_t(ino));
	return inodes;
}

// Inode numbers of everything NSTREE_IOC_LISTNS lists.
static std::set<ino_t> listed_inodes()
{
	std::set<ino_t> inodes;
	for (uint64_t id : list_ids()) {
		auto fd = ctl().open_id(id);
		if (fd)
			inodes.insert(ino_of(fd->get()));
	}
	return inodes;
}

TEST_CASE("listns finds everything lsns finds, and what lsns cannot see", "[listns][oracle]")
{
	REQUIRE_ROOT();
	if (access("/usr/bin/lsns", X_OK) != 0)
		SKIP("no lsns in this guest");

	// A few hundred processes in assorted namespaces.
	const int combos[] = {CLONE_NEWUTS, CLONE_NEWUTS | CLONE_NEWIPC, CLONE_NEWNS | CLONE_NEWUTS,
			      CLONE_NEWCGROUP, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUSER | CLONE_NEWUTS,
			      CLONE_NEWIPC | CLONE_NEWCGROUP, CLONE_NEWNET};
	std::vector<Child> procs;
	for (int i = 0; i < 270; i++) {
		int flags = combos[i % std::size(combos)];
		if ((flags & CLONE_NEWNET) && i > 90)
			flags = CLONE_NEWUTS; // network namespaces are slow to make under TCG
		procs.push_back(spawn_holder(flags));
		REQUIRE(procs.back().pid() > 0);
	}

	// Held only by an fd.
	nstree::Fd fd_only;
	ino_t fd_only_ino;
	{
		Child c = spawn_holder(CLONE_NEWIPC);
		fd_only = open_path(ns_path(c.pid(), "ipc"));
		fd_only_ino = ino_of(fd_only.get());
	}
	// Held only by a bind mount in another mount namespace.
	Child bound_owner = spawn_holder(CLONE_NEWUTS);
	ino_t bound_ino = ino_of(ns_path(bound_owner.pid(), "uts"));
	std::string src = ns_path(bound_owner.pid(), "uts");
	int ready[2];
	REQUIRE(pipe(ready) == 0);
	Child binder = fork_child([&]() {
		if (unshare(CLONE_NEWNS) || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
		    mount("tmpfs", "/mnt", "tmpfs", 0, nullptr))
			return 1;
		close(open("/mnt/uts", O_CREAT | O_RDONLY, 0600));
		if (mount(src.c_str(), "/mnt/uts", nullptr, MS_BIND, nullptr))
			return 2;
		char ok = 1;
		if (write(ready[1], &ok, 1) != 1)
			return 3;
		for (;;)
			pause();
	});
	char ok;
	REQUIRE(read(ready[0], &ok, 1) == 1);
	bound_owner = Child();
	// Used only by a thread.
	std::atomic<ino_t> thread_ino{0};
	std::atomic<bool> done{false};
	std::thread t([&]() {
		if (unshare(CLONE_NEWUTS) == 0)
			thread_ino = ino_of("/proc/thread-self/ns/uts");
		while (!done)
			usleep(1000);
	});
	// Joined however the test ends: a failed REQUIRE must not leave it joinable.
	struct Joiner {
		std::atomic<bool> &done;
		std::thread &t;
		~Joiner()
		{
			done = true;
			t.join();
		}
	} joiner{done, t};
	for (int i = 0; i < 2000 && !thread_ino; i++)
		usleep(1000);
	// A hidden parent user namespace: its only process went one level deeper.
	int nested_ready[2];
	REQUIRE(pipe(nested_ready) == 0);
	Child nested = fork_child([&]() {
		if (unshare(CLONE_NEWUSER) || !write_id_maps(getpid(), 0, 0, 0, 0) || unshare(CLONE_NEWUSER) ||
		    !write_id_maps(getpid(), 0, 0, 0, 0))
			return 1;
		char both = 1; // both levels exist: the test may look now
		if (write(nested_ready[1], &both, 1) != 1)
			return 2;
		for (;;)
			pause();
	});
	close(nested_ready[1]);
	REQUIRE(read(nested_ready[0], &ok, 1) == 1);
	close(nested_ready[0]);
	auto inner = ctl().reopen(open_path(ns_path(nested.pid(), "user")).get(), nstree::NsFdKind::nstreefs);
	REQUIRE(inner.ok());
	nstree::Fd outer(ioctl(inner->get(), NS_GET_PARENT));
	REQUIRE(outer.valid());
	ino_t hidden_parent_ino = ino_of(outer.get());
	outer.reset();
	inner->reset();

	auto theirs = lsns_inodes();
	auto ours = listed_inodes();
	REQUIRE(theirs.size() > 270);
	std::vector<ino_t> missing;
	for (ino_t ino : theirs)
		if (!ours.count(ino))
			missing.push_back(ino);
	INFO("lsns: " << theirs.size() << ", nstree: " << ours.size() << ", missing " << missing.size());
	CHECK(missing.empty());
	for (ino_t hidden : {fd_only_ino, bound_ino, ino_t(thread_ino), hidden_parent_ino}) {
		INFO("hidden inode " << hidden << (theirs.count(hidden) ? " (lsns sees it)" : " (lsns misses it)"));
		CHECK(ours.count(hidden));
	}
	// The cases lsns is known to miss: a namespace held only by an fd or a bind mount
	// in another mount namespace, and a parent user namespace no process uses.
	CHECK_FALSE(theirs.count(fd_only_ino));
	CHECK_FALSE(theirs.count(bound_ino));
	CHECK_FALSE(theirs.count(hidden_parent_ino));

	// The CLI on the module backend: the same superset, and it says what holds the
	// namespaces no process is in.
	auto cli = run_nstree({"ls", "-J", "-o", "NS,TYPE,NPROCS,HOLDER", "--backend", "module"});
	INFO("nstree ls stderr: " << cli.err);
	REQUIRE(cli.status == 0);
	std::map<unsigned long long, std::vector<std::string>> holders;
	for (const auto &ns : cli_namespaces(cli.out))
		holders[ns["ns"].get<unsigned long long>()] = ns["holder"].get<std::vector<std::string>>();
	size_t cli_missing = 0;
	for (ino_t ino : theirs)
		cli_missing += !holders.count(ino);
	CHECK(cli_missing == 0);
	auto held_as = [&](ino_t ino, const std::string &prefix) {
		if (!holders.count(ino))
			return false;
		for (const auto &h : holders[ino])
			if (h.rfind(prefix, 0) == 0)
				return true;
		return false;
	};
	CHECK(held_as(fd_only_ino, "fd "));
	CHECK(held_as(bound_ino, "bind mount /mnt/uts in mnt:["));
	CHECK(held_as(ino_t(thread_ino), "thread "));
	CHECK(held_as(hidden_parent_ino, "parent of user:["));

	// The fallback backend sees at least what lsns sees.
	auto proc = run_nstree({"ls", "-J", "-o", "NS", "--backend", "proc"});
	REQUIRE(proc.status == 0);
	auto proc_inodes = cli_inodes(proc.out);
	size_t proc_missing = 0;
	for (ino_t ino : theirs)
		proc_missing += !proc_inodes.count(ino);
	INFO("proc backend: " << proc_inodes.size() << " namespaces");
	CHECK(proc_missing == 0);
	CHECK(proc_inodes.count(fd_only_ino)); // lsns misses it; the fallback's fd scan does not
}
