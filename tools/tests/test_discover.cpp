// SPDX-License-Identifier: GPL-2.0
// discover() on the host through a fake backend: a listing backend with bulk facts
// (as the module is) whose process table and namespaces the test writes. The pids
// are above any the host hands out, so the holder scans find nothing of theirs
// in /proc; -p uses this process and its real namespaces.
#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cerrno>
#include <map>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.hpp"
#include "discover.hpp"
#include "ns_type.hpp"

using namespace nstree;

namespace {

constexpr pid_t kFakePid = 4190000; // pid_max is at most 4194304

class FakeBackend : public Backend {
public:
	ProcessTable table;
	std::map<uint64_t, NsFacts> by_id; // type 0: died since listns
	mutable int process_reads = 0, facts_reads = 0;
	mutable std::vector<pid_t> command_reads;

	BackendKind kind() const override { return BackendKind::module; }
	bool lists_all() const override { return true; }
	Result<std::vector<uint64_t>> list(uint32_t types) const override
	{
		std::vector<uint64_t> ids;
		for (const auto &[id, f] : by_id)
			if (!types || (types & f.type) || !f.type)
				ids.push_back(id);
		return ids;
	}
	Result<Fd> open_id(uint64_t) const override { return Error{EPERM, "fake: not opened"}; }
	std::optional<uint64_t> id_of(int) const override { return std::nullopt; }
	Result<NsHandle> handle_of(int) const override { return Error{ENOTSUP, "fake"}; }
	Result<Fd> open_handle(const NsHandle &) const override { return Error{ENOTSUP, "fake"}; }
	ProcessTable processes() const override
	{
		process_reads++;
		return table;
	}
	std::vector<std::string> commands(const std::vector<std::pair<pid_t, std::string>> &procs) const override
	{
		std::vector<std::string> out;
		for (const auto &[pid, comm] : procs) {
			command_reads.push_back(pid);
			out.push_back("cmd of " + std::to_string(pid) + " (" + comm + ")");
		}
		return out;
	}
	std::optional<std::vector<NsFacts>> facts_of(const std::vector<uint64_t> &ids) const override
	{
		facts_reads++;
		std::vector<NsFacts> out;
		for (uint64_t id : ids)
			out.push_back(by_id.at(id));
		return out;
	}

	void add_ns(uint64_t id, uint32_t type, uint64_t inode, std::optional<uint64_t> owner = std::nullopt,
		    std::optional<uint64_t> parent = std::nullopt)
	{
		NsFacts f;
		f.type = type;
		f.inode = inode;
		f.id = id;
		f.owner_inode = owner;
		f.parent_inode = parent;
		by_id[id] = f;
	}
	// A process in namespaces @inodes (by kNsTypes index; 0: none of that type).
	void add_process(pid_t pid, pid_t ppid, uid_t uid, std::array<uint64_t, kNsTypes.size()> inodes)
	{
		ProcEntry e;
		e.pid = e.tgid = pid;
		e.ppid = ppid;
		e.uid = uid;
		e.comm = "p" + std::to_string(pid);
		e.ns = inodes;
		table.entries.push_back(e);
	}
};

size_t idx(uint32_t flag)
{
	return *ns_type_index(flag);
}

// A choice of @fake, and the fake itself for the test to read its counters.
std::pair<BackendChoice, const FakeBackend *> choose(FakeBackend fake)
{
	auto owned = std::make_unique<FakeBackend>(std::move(fake));
	const FakeBackend *f = owned.get();
	return {BackendChoice(std::move(owned), "fake"), f};
}

DiscoverOptions options(bool holders, uint32_t types = 0, std::optional<pid_t> task = std::nullopt)
{
	DiscoverOptions opt;
	opt.types = types;
	opt.task = task;
	opt.holders = holders;
	opt.mounts = false;
	return opt;
}

// Two user namespaces (the second owned by the first), a net and a uts namespace
// in each, two processes in the first set and one in the second.
FakeBackend two_containers()
{
	FakeBackend f;
	f.add_ns(1, CLONE_NEWUSER, 100);
	f.add_ns(2, CLONE_NEWNET, 200, 100);
	f.add_ns(3, CLONE_NEWUTS, 300, 100);
	f.add_ns(4, CLONE_NEWUSER, 101, 100, 100);
	f.add_ns(5, CLONE_NEWNET, 201, 101);
	f.add_ns(6, CLONE_NEWUTS, 301, 101);
	std::array<uint64_t, kNsTypes.size()> a{}, b{};
	a[idx(CLONE_NEWUSER)] = 100, a[idx(CLONE_NEWNET)] = 200, a[idx(CLONE_NEWUTS)] = 300;
	b[idx(CLONE_NEWUSER)] = 101, b[idx(CLONE_NEWNET)] = 201, b[idx(CLONE_NEWUTS)] = 301;
	f.add_process(kFakePid + 2, 1, 0, a);
	f.add_process(kFakePid + 5, kFakePid + 2, 7, a);
	f.add_process(kFakePid + 9, kFakePid + 5, 1000, b);
	return f;
}

} // namespace

TEST_CASE("discover: every listed namespace once, in type order, with its processes")
{
	auto [choice, f] = choose(two_containers());
	auto l = discover(choice, options(false));
	REQUIRE(l);
	REQUIRE(l->namespaces.size() == 6);
	// kNsTypes order (net before uts before user), then inode.
	std::vector<uint64_t> inodes;
	for (const auto &ns : l->namespaces)
		inodes.push_back(ns.inode);
	CHECK(inodes == std::vector<uint64_t>{200, 201, 300, 301, 100, 101});
	const Namespace *net = l->find(CLONE_NEWNET, 200);
	REQUIRE(net);
	CHECK(net->id == 2u);
	CHECK(net->owner_inode == 100u);
	CHECK(net->nprocs == 2);
	CHECK(net->pid == kFakePid + 2); // the lowest pid, with its ppid and uid
	CHECK(net->ppid == 1);
	CHECK(net->uid == 0u);
	CHECK(net->command == "cmd of " + std::to_string(kFakePid + 2) + " (p" + std::to_string(kFakePid + 2) + ")");
	CHECK(net->active == true);
	CHECK(l->find(CLONE_NEWUTS, 301)->pid == kFakePid + 9);
	CHECK(l->find(CLONE_NEWUSER, 101)->parent_inode == 100u);
	// One table read, one bulk facts read per type, one command line per process.
	CHECK(f->process_reads == 1);
	CHECK(f->facts_reads == int(kNsTypes.size()));
	auto reads = f->command_reads;
	std::sort(reads.begin(), reads.end());
	CHECK(reads == std::vector<pid_t>{kFakePid + 2, kFakePid + 9});
	CHECK(l->backend == BackendKind::module);
	CHECK(l->backend_reason == "fake");
}

TEST_CASE("discover: -t lists one type; an ID that died since listns is left out")
{
	FakeBackend fake = two_containers();
	fake.add_ns(7, 0, 0); // listed, then died: its facts say type 0
	auto [choice, f] = choose(std::move(fake));
	auto l = discover(choice, options(false, CLONE_NEWNET));
	REQUIRE(l);
	REQUIRE(l->namespaces.size() == 2);
	CHECK(l->namespaces[0].inode == 200);
	CHECK(l->namespaces[1].inode == 201);
	CHECK(f->facts_reads == 1);
}

TEST_CASE("discover: what holds a namespace no process is in: the namespaces it owns, its children")
{
	FakeBackend fake = two_containers();
	// A user namespace with no process, owning a net namespace with no process
	// either; a pid namespace with no process whose child has one.
	fake.add_ns(10, CLONE_NEWUSER, 102, 100, 100);
	fake.add_ns(11, CLONE_NEWNET, 202, 102);
	fake.add_ns(12, CLONE_NEWPID, 400, 100);
	fake.add_ns(13, CLONE_NEWPID, 401, 101, 400);
	fake.table.entries.back().ns[idx(CLONE_NEWPID)] = 401;
	auto [choice, f] = choose(std::move(fake));
	auto l = discover(choice, options(true));
	REQUIRE(l);
	const Namespace *user = l->find(CLONE_NEWUSER, 102);
	REQUIRE(user);
	CHECK(user->nprocs == 0);
	REQUIRE(user->holders.size() == 1);
	CHECK(user->holders[0].kind == Holder::Kind::owner);
	CHECK(user->holders[0].other_inode == 202);
	CHECK(user->holders[0].count == 1);
	const Namespace *pid = l->find(CLONE_NEWPID, 400);
	REQUIRE(pid);
	REQUIRE(pid->holders.size() == 1);
	CHECK(pid->holders[0].kind == Holder::Kind::parent);
	CHECK(pid->holders[0].other_inode == 401);
	// Nothing explains the net namespace: it is listed with no holder (it is active:
	// something the scans cannot see holds it, as a socket would).
	const Namespace *net = l->find(CLONE_NEWNET, 202);
	REQUIRE(net);
	CHECK(net->holders.empty());
	// Namespaces with processes get no holder entries.
	CHECK(l->find(CLONE_NEWNET, 200)->holders.empty());
}

TEST_CASE("discover: -p lists that process's namespaces from one table read")
{
	FakeBackend fake = two_containers();
	// This process, in its real namespaces, and a fake one sharing its net namespace.
	std::array<uint64_t, kNsTypes.size()> mine{};
	for (size_t t = 0; t < kNsTypes.size(); t++) {
		struct stat st;
		if (stat(("/proc/self/ns/" + std::string(kNsTypes[t].name)).c_str(), &st) == 0)
			mine[t] = st.st_ino;
	}
	REQUIRE(mine[idx(CLONE_NEWNET)]);
	fake.add_process(getpid(), getppid(), getuid(), mine);
	std::array<uint64_t, kNsTypes.size()> neighbour{};
	neighbour[idx(CLONE_NEWNET)] = mine[idx(CLONE_NEWNET)];
	fake.add_process(kFakePid + 20, 1, 0, neighbour);
	std::sort(fake.table.entries.begin(), fake.table.entries.end(),
		  [](const ProcEntry &a, const ProcEntry &b) { return a.pid < b.pid; });

	auto [choice, f] = choose(std::move(fake));
	auto l = discover(choice, options(true, 0, getpid()));
	REQUIRE(l);
	size_t types = size_t(std::count_if(mine.begin(), mine.end(), [](uint64_t i) { return i != 0; }));
	CHECK(l->namespaces.size() == types);
	for (const auto &ns : l->namespaces)
		CHECK(ns.inode == mine[idx(ns.type)]);
	const Namespace *net = l->find(CLONE_NEWNET, mine[idx(CLONE_NEWNET)]);
	REQUIRE(net);
	CHECK(net->nprocs == 2); // every process in it, not only the one asked about
	CHECK(f->process_reads == 1);
	CHECK(f->facts_reads == 0); // nothing listed: -p needs no list

	auto gone = discover(choice, options(true, 0, kFakePid + 1));
	REQUIRE(!gone);
	CHECK(gone.error().code == ESRCH);
}
