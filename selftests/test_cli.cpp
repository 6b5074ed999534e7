// SPDX-License-Identifier: GPL-2.0
// The nstree CLI in the guest with the module: enter for every type, handles that
// round-trip, show, the unprivileged view (exit 2) and bad input (exit 1).
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <cstring>
#include <functional>
#include <sstream>
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "nsfs_handles.hpp"
#include "listns_util.hpp"
#include "ns_handle.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

uint64_t id_of_path(const std::string &path)
{
	auto fd = open_path(path);
	auto who = ctl().identify(fd.get());
	return who ? who->id : 0;
}

std::string link_of(const std::string &path)
{
	char buf[64];
	ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
	return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

std::string trim(std::string s)
{
	while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
		s.pop_back();
	return s;
}

// Gives the network namespace of @ns_fd the nsid @nsid in ours, as `ip netns set`.
bool set_netnsid(int ns_fd, int32_t nsid)
{
	nstree::Fd sock(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct nlattr fd_attr;
		uint32_t fd;
		struct nlattr id_attr;
		int32_t id;
	} req;
	std::memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_NEWNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.g.rtgen_family = AF_UNSPEC;
	req.fd_attr = {NLA_HDRLEN + sizeof(uint32_t), NETNSA_FD};
	req.fd = uint32_t(ns_fd);
	req.id_attr = {NLA_HDRLEN + sizeof(int32_t), NETNSA_NSID};
	req.id = nsid;
	if (!sock || send(sock.get(), &req, sizeof(req), 0) != sizeof(req))
		return false;
	alignas(struct nlmsghdr) char buf[512];
	ssize_t n = recv(sock.get(), buf, sizeof(buf), 0);
	auto *nh = reinterpret_cast<struct nlmsghdr *>(buf);
	if (n < ssize_t(NLMSG_LENGTH(sizeof(struct nlmsgerr))) || nh->nlmsg_type != NLMSG_ERROR)
		return false;
	return reinterpret_cast<struct nlmsgerr *>(NLMSG_DATA(nh))->error == 0;
}

} // namespace

TEST_CASE("nstree ls: NETNSID of a network namespace no process is in (ip netns add, set)", "[cli][netnsid]")
{
	REQUIRE_ROOT();
	const char *target = "/tmp/nstree-netns-bind";
	nstree::Fd file(open(target, O_CREAT | O_RDONLY | O_CLOEXEC, 0600));
	REQUIRE(file);
	file.reset();
	uint64_t inode;
	{
		Child c = spawn_holder(CLONE_NEWNET);
		REQUIRE(mount(ns_path(c.pid(), "net").c_str(), target, nullptr, MS_BIND, nullptr) == 0);
		inode = ino_of(open_path(target).get());
	}
	REQUIRE(set_netnsid(open_path(target).get(), 42));
	for (const char *backend : {"module", "proc"}) {
		INFO("backend " << backend);
		auto r = run_nstree({"ls", "-J", "-t", "net", "-o", "NS,NETNSID,NSFS", "--backend", backend});
		REQUIRE(r.status == 0);
		bool seen = false;
		for (const auto &ns : cli_namespaces(r.out)) {
			if (ns["ns"] != inode)
				continue;
			seen = true;
			CHECK(ns["netnsid"] == 42);
		}
		CHECK(seen);
	}
	// lsns's -P and -Q find it too: no process in it, and that nsid.
	for (const std::vector<std::string> &select : std::vector<std::vector<std::string>>{
		     {"-P"}, {"-Q", "NETNSID == 42"}, {"--filter", "TYPE == 'net' && NPROCS == 0 && NSFS =~ \"bind\""}}) {
		auto args = select;
		args.insert(args.end(), {"ls", "-J", "-o", "NS,NPROCS"});
		std::rotate(args.begin(), args.end() - 4, args.end());
		auto r = run_nstree(args);
		INFO(select.back() << ": " << r.err);
		REQUIRE(r.status == 0);
		auto rows = cli_namespaces(r.out);
		CHECK(std::any_of(rows.begin(), rows.end(), [&](const auto &ns) { return ns["ns"] == inode; }));
		for (const auto &ns : rows)
			CHECK(ns["nprocs"] == 0);
	}
	CHECK(umount2(target, MNT_DETACH) == 0);
	unlink(target);
}

TEST_CASE("nstree enter runs a command in a namespace of every type", "[cli][enter]")
{
	REQUIRE_ROOT();
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		Child c = spawn_holder(t.flag);
		REQUIRE(c.pid() > 0);
		std::string path = ns_path(c.pid(), t.name);
		uint64_t id = id_of_path(path);
		REQUIRE(id != 0);
		// readlink of our own link from inside: pid and time enter in a child, as nsenter.
		auto r = run_nstree({"enter", std::to_string(id), "--type", t.name, "--", "/bin/busybox", "readlink",
				     std::string("/proc/self/ns/") + t.name});
		INFO("stderr: " << r.err);
		CHECK(r.status == 0);
		CHECK(trim(r.out) == link_of(path));
	}
}

TEST_CASE("nstree enter passes on the command's exit status and rejects a wrong type", "[cli][enter]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS);
	uint64_t id = id_of_path(ns_path(c.pid(), "uts"));
	CHECK(run_nstree({"enter", std::to_string(id), "--", "/bin/busybox", "sh", "-c", "exit 7"}).status == 7);
	auto wrong = run_nstree({"enter", std::to_string(id), "--type", "net", "--", "/bin/busybox", "true"});
	CHECK(wrong.status == 1);
	// Checked before setns(), and said in words.
	CHECK(wrong.err.find("that is a uts namespace, not net") != std::string::npos);
}

TEST_CASE("nstree enter takes an ID, type:[inode] or a path, and a command without --", "[cli][enter]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET);
	REQUIRE(c.pid() > 0);
	for (const char *type : {"uts", "net"}) {
		std::string path = ns_path(c.pid(), type);
		const std::string link = link_of(path);
		for (const std::string &target : {std::to_string(id_of_path(path)), link, path}) {
			INFO(type << " as " << target);
			auto r = run_nstree({"enter", "--type", type, target, "/bin/busybox", "readlink",
					     std::string("/proc/self/ns/") + type});
			INFO("stderr: " << r.err);
			CHECK(r.status == 0);
			CHECK(trim(r.out) == link);
		}
	}
	// The command's own options stay its own.
	auto r = run_nstree({"enter", ns_path(c.pid(), "uts"), "/bin/busybox", "echo", "-t", "--help"});
	CHECK(r.status == 0);
	CHECK(trim(r.out) == "-t --help");
	auto gone = run_nstree({"enter", "uts:[1]", "/bin/busybox", "true"});
	CHECK(gone.status == 1);
	CHECK(gone.err.find("no namespace uts:[1]") != std::string::npos);
}

TEST_CASE("nstree enter -t PID: nsenter's flags give what nsenter gives", "[cli][enter]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS);
	REQUIRE(c.pid() > 0);
	const std::string pid = std::to_string(c.pid());
	// What the command sees of its namespaces, by nstree and by nsenter.
	const std::vector<std::string> show = {"/bin/sh", "-c",
					       "for t in mnt uts ipc net user pid; do readlink /proc/self/ns/$t; done"};
	for (const std::vector<std::string> &flags :
	     std::vector<std::vector<std::string>>{{"-n"}, {"-u", "-i"}, {"--net", "--uts"}, {"-m", "-n"}, {"-a"}, {"-n" + ns_path(c.pid(), "net"), "-u"}}) {
		std::vector<std::string> ours = {"enter", "-t", pid}, theirs = {"/usr/bin/nsenter", "-t", pid};
		for (auto *argv : {&ours, &theirs}) {
			argv->insert(argv->end(), flags.begin(), flags.end());
			argv->insert(argv->end(), show.begin(), show.end());
		}
		auto r = run_nstree(ours);
		auto n = run_program(theirs);
		INFO("flags " << flags.front() << ": nstree " << r.err << ", nsenter " << n.err);
		CHECK(r.status == 0);
		CHECK(n.status == 0);
		CHECK(r.out == n.out);
		CHECK(r.out.find(link_of(ns_path(c.pid(), flags.front() == "-u" ? "uts" : "net"))) != std::string::npos);
	}
	// What cannot be joined says which and why; a process that is not there too.
	auto gone = run_nstree({"enter", "-t", "999999", "-n", "true"});
	CHECK(gone.status == 1);
	CHECK(gone.err.find("/proc/999999/ns/net") != std::string::npos);
	auto both = run_nstree({"enter", "-t", pid, "-n", "--type", "net", "true"});
	CHECK(both.status == 1);
	CHECK(both.err.find("--type checks") != std::string::npos);
}

TEST_CASE("nstree handle and nstree open round-trip for every type", "[cli][handles]")
{
	REQUIRE_ROOT();
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		Child c = spawn_holder(t.flag);
		std::string path = ns_path(c.pid(), t.name);
		uint64_t id = id_of_path(path);
		auto by_id = run_nstree({"handle", std::to_string(id)});
		auto by_path = run_nstree({"handle", path});
		REQUIRE(by_id.status == 0);
		CHECK(by_id.out == by_path.out);
		auto h = nstree::NsHandle::parse(trim(by_id.out));
		REQUIRE(h);
		CHECK(h->id == id);
		CHECK(h->type == uint32_t(t.flag));
		CHECK(h->inum == ino_of(path));
		auto r = run_nstree({"open", trim(by_id.out), "--", "/bin/busybox", "readlink",
				     std::string("/proc/self/ns/") + t.name});
		INFO("stderr: " << r.err);
		CHECK(r.status == 0);
		CHECK(trim(r.out) == link_of(path));
	}
}

TEST_CASE("nstree show names the holders of a namespace no process is in", "[cli][show]")
{
	REQUIRE_ROOT();
	nstree::Fd held;
	{
		Child c = spawn_holder(CLONE_NEWNET);
		held = open_path(ns_path(c.pid(), "net"));
	}
	uint64_t id = ctl().identify(held.get())->id;
	auto r = run_nstree({"show", std::to_string(id)});
	INFO(r.out << r.err);
	REQUIRE(r.status == 0);
	std::string want = "fd " + std::to_string(held.get()) + " of pid " + std::to_string(getpid());
	CHECK(r.out.find(want) != std::string::npos);
	CHECK(r.out.find("processes:  0") != std::string::npos);
	CHECK(r.out.find("owners:     user:[") != std::string::npos);
	// The same by type:[inode] and by path, and as JSON.
	std::string name = "net:[" + std::to_string(ino_of(held.get())) + "]";
	CHECK(run_nstree({"show", name}).out == r.out);
	auto j = run_nstree({"show", "-J", name});
	REQUIRE(j.status == 0);
	auto list = cli_namespaces(j.out);
	REQUIRE(list.size() == 1);
	CHECK(list[0]["id"] == id);
	CHECK(list[0]["nprocs"] == 0);
	CHECK(list[0]["active"] == true);
	CHECK(list[0]["pid"].is_null());
}

TEST_CASE("nstree ls as root of a child user namespace: what listns shows, exit 2", "[cli][permissions]")
{
	REQUIRE_ROOT();
	std::string failure = run_as(Caller::userns_root, []() -> std::string {
		auto r = run_nstree({"ls", "-J", "-o", "ID"});
		if (r.status != 2)
			return "exit " + std::to_string(r.status) + ": " + r.err;
		// Notices only, each saying what was hidden and which privilege would show it.
		if (r.err.find("the kernel lists only the namespaces you are in: seeing all needs CAP_SYS_ADMIN") ==
		    std::string::npos)
			return "no notice names CAP_SYS_ADMIN: " + r.err;
		std::istringstream lines(r.err);
		for (std::string line; std::getline(lines, line);)
			if (!line.starts_with("nstree: partial output: ") ||
			    (line.find("/proc refused") != std::string::npos &&
			     line.find("need CAP_SYS_PTRACE in the initial user namespace") == std::string::npos))
				return "a notice that does not say what would show more: " + line;
		std::set<uint64_t> shown;
		for (const auto &ns : cli_namespaces(r.out))
			if (!ns["id"].is_null())
				shown.insert(ns["id"].get<uint64_t>());
		auto listed = ctl().list_all({});
		if (!listed)
			return "listns failed: " + listed.error().str();
		std::set<uint64_t> want(listed->begin(), listed->end());
		return shown == want ? "" : "ls shows " + std::to_string(shown.size()) + " IDs, listns " +
						    std::to_string(want.size());
	});
	CHECK(failure == "");
}

TEST_CASE("nstree ls and doctor name the privilege that would show more, and a sandbox that refuses root",
	  "[cli][permissions]")
{
	REQUIRE_ROOT();
	std::string failure = run_as(Caller::nobody, []() -> std::string {
		auto doctor = run_nstree({"doctor"});
		for (const char *says : {"seeing all needs CAP_SYS_ADMIN", "other users' need CAP_SYS_PTRACE"})
			if (doctor.out.find(says) == std::string::npos)
				return std::string("doctor does not say '") + says + "': " + doctor.out;
		for (const char *backend : {"module", "proc"}) {
			auto ls = run_nstree({"ls", "--backend", backend});
			if (ls.status != 2)
				return std::string(backend) + ": exit " + std::to_string(ls.status);
			for (const char *says : {"seeing all needs CAP_SYS_ADMIN", "another user's need CAP_SYS_PTRACE"})
				if (ls.err.find(says) == std::string::npos)
					return std::string(backend) + ": ls does not say '" + says + "': " + ls.err;
		}
		return "";
	});
	CHECK(failure == "");

	// Root in a Landlock domain: /proc refuses it every process outside the domain,
	// CAP_SYS_PTRACE notwithstanding; ls says a security module did, and names some.
	Child sandboxed = fork_child([] {
		struct landlock_ruleset_attr attr = {};
		attr.handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_FIFO; // restricts nothing nstree does
		int ruleset = int(syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0));
		if (ruleset < 0)
			return 77; // no Landlock in this kernel
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_landlock_restrict_self, ruleset, 0))
			return 78;
		for (const char *backend : {"module", "proc"}) {
			auto ls = run_nstree({"ls", "--backend", backend, "-o", "NS,HOLDER"});
			if (ls.status != 2 || ls.err.find("although you have CAP_SYS_PTRACE: a security module") ==
						      std::string::npos ||
			    ls.err.find(" 1 (") == std::string::npos)
				return 1;
		}
		return 0;
	});
	int st = sandboxed.wait();
	REQUIRE(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		WARN("no Landlock in this kernel: the sandbox case is not checked");
	else
		CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("nstree rejects bad input with exit 1 and a message", "[cli][errors]")
{
	struct {
		std::vector<std::string> args;
		const char *says;
	} cases[] = {
		{{"ls", "-t", "bogus"}, "unknown namespace type"},
		{{"ls", "-o", "NS,NOPE"}, "unknown column"},
		{{"ls", "-J", "-r"}, "mutually exclusive"},
		{{"ls", "-l", "-T"}, "mutually exclusive"},
		{{"ls", "--backend", "bogus"}, "unknown backend"},
		{{"show", "999999999"}, "not found"},
		{{"enter", "999999999", "--", "/bin/busybox", "true"}, "cannot open namespace"},
		{{"open", "f1:zz"}, "not an nsfs handle"},
		{{"enter", "-t", "1", "-n", "--type", "net"}, "--type checks"},
		{{"handle", "/etc/passwd"}, "not a namespace file"},
		{{"frobnicate"}, "unknown command"},
	};
	std::vector<std::remove_reference_t<decltype(cases[0])>> all(std::begin(cases), std::end(cases));
	// 6.1 and 6.12 alone have no nsfs file handles: the proc backend says what would
	// do. With the module's upstream API layer they have (test_upstream_api.cpp).
	if (!nstree::kernel_has_nsfs_handles()) {
		all.push_back({{"open", "--backend", "proc", "f1:010000000000000000000004feffffef"},
			       "nsfs file handles (Linux >= 6.18)"});
		all.push_back({{"enter", "--backend", "proc", "1", "true"}, "nsfs file handles (Linux >= 6.18)"});
	}
	for (const auto &c : all) {
		INFO(c.args[0] << " " << (c.args.size() > 1 ? c.args[1] : ""));
		auto r = run_nstree(c.args);
		CHECK(r.status == 1);
		CHECK(r.err.find(c.says) != std::string::npos);
		CHECK(r.out.empty());
		// Messages are for people: no ioctl names.
		CHECK(r.err.find("NSTREE_IOC") == std::string::npos);
		CHECK(r.err.find("NS_GET_") == std::string::npos);
	}
}

TEST_CASE("nstree open: a handle whose namespace died says so, in words", "[cli][errors][handles]")
{
	REQUIRE_ROOT();
	std::string handle;
	{
		Child c = spawn_holder(CLONE_NEWUTS);
		REQUIRE(c.pid() > 0);
		auto h = run_nstree({"handle", "/proc/" + std::to_string(c.pid()) + "/ns/uts"});
		REQUIRE(h.status == 0);
		handle = h.out.substr(0, h.out.find('\n'));
	}
	auto r = run_nstree({"open", handle, "--", "/bin/busybox", "true"});
	INFO(r.err);
	CHECK(r.status == 1);
	CHECK(r.err.find("no such namespace") != std::string::npos);
	CHECK(r.err.find("NSTREE_IOC") == std::string::npos);
}

TEST_CASE("nstree ls -T owner nests every namespace under its owner", "[cli][tree]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUSER | CLONE_NEWUTS);
	auto r = run_nstree({"ls", "-J", "-T", "-o", "NS,TYPE,ONS"});
	REQUIRE(r.status == 0);
	auto j = nlohmann::json::parse(r.out);
	size_t checked = 0;
	std::function<void(const nlohmann::json &, unsigned long long)> walk = [&](const nlohmann::json &list,
										   unsigned long long owner) {
		for (const auto &ns : list) {
			if (owner) {
				CHECK(ns["ons"] == owner);
				checked++;
			}
			if (ns.contains("children"))
				walk(ns["children"], ns["ns"].get<unsigned long long>());
		}
	};
	walk(j["namespaces"], 0);
	CHECK(checked > 8);
	// The child's uts namespace sits under the child's user namespace.
	CHECK(r.out.find(std::to_string(ino_of(ns_path(c.pid(), "uts")))) != std::string::npos);
}

TEST_CASE("nstree ls leaves the module's active set valid: the next listing does not scan", "[cli][activity]")
{
	REQUIRE_ROOT();
	// An nsfs inode made or evicted counts as a change (module/active.c): a listing
	// that stat()ed /proc/self/ns/* would make every following listing scan again.
	// Something else in the guest may change namespaces meanwhile (a child of an
	// earlier test dying late): a few tries, one quiet pair of runs is enough.
	bool quiet = false;
	for (int attempt = 0; attempt < 5 && !quiet; attempt++) {
		REQUIRE(run_nstree({"ls", "--backend", "module"}).status == 0); // scans if stale
		long long before = module_stat("scans");
		REQUIRE(before >= 0);
		REQUIRE(run_nstree({"ls", "--backend", "module"}).status == 0);
		REQUIRE(run_nstree({"ls", "--backend", "module", "-o", "NS,NSFS,HOLDER"}).status == 0);
		quiet = module_stat("scans") == before;
		if (!quiet)
			usleep(200000);
	}
	CHECK(quiet);
}

TEST_CASE("nstree ls --format dot: the owner and parent trees of a container's namespaces", "[cli][dot][native]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWPID);
	auto ino = [&](const char *type) {
		struct stat st;
		REQUIRE(stat(("/proc/" + std::to_string(c.pid()) + "/ns/" + type).c_str(), &st) == 0);
		return std::to_string(st.st_ino);
	};
	auto self_ino = [](const char *type) {
		struct stat st;
		REQUIRE(stat((std::string("/proc/self/ns/") + type).c_str(), &st) == 0);
		return std::to_string(st.st_ino);
	};
	std::string user = ino("user"), net = ino("net"), pid = ino("pid_for_children");
	auto run = run_nstree({"ls", "--format", "dot"});
	INFO(run.out << run.err);
	REQUIRE(run.status == 0);
	CHECK(run.out.starts_with("digraph nstree {"));
	// The child user namespace owns the container's network and pid namespaces...
	CHECK(run.out.find("\"user:" + user + "\" -> \"net:" + net + "\" [style=dashed") != std::string::npos);
	CHECK(run.out.find("\"user:" + user + "\" -> \"pid:" + pid + "\" [style=dashed") != std::string::npos);
	// ...and is the initial user namespace's child, as the pid namespace is the initial one's.
	CHECK(run.out.find("\"user:" + self_ino("user") + "\" -> \"user:" + user + "\" [label=\"parent of\"]") !=
	      std::string::npos);
	CHECK(run.out.find("\"pid:" + self_ino("pid") + "\" -> \"pid:" + pid + "\" [label=\"parent of\"]") !=
	      std::string::npos);
	// Each listed namespace is one node.
	auto json = run_nstree({"ls", "-J"});
	for (unsigned long long n : cli_inodes(json.out))
		CHECK(run.out.find(":" + std::to_string(n) + "\" [label=") != std::string::npos);
	CHECK(run_nstree({"ls", "--format", "svg"}).status == 1);
}
