// SPDX-License-Identifier: GPL-2.0
// Host unit tests: nstree ls options, columns, operands, handles and namespace links.
#include <catch2/catch_test_macros.hpp>
#include <cerrno>
#include <sched.h>
#include <string_view>
#include <vector>

#include "columns.hpp"
#include "common.hpp"
#include "enter_args.hpp"
#include "ls_options.hpp"
#include "ns_handle.hpp"
#include "ns_type.hpp"

using namespace nstree;
using namespace nstree::cli;

namespace {

Result<LsOptions> parse(std::vector<std::string_view> args)
{
	return parse_ls_options(args);
}

std::vector<std::string_view> names(const std::vector<const Column *> &cols)
{
	std::vector<std::string_view> v;
	for (auto *c : cols)
		v.push_back(c->name);
	return v;
}

} // namespace

TEST_CASE("ls options: lsns's spellings", "[cli][options]")
{
	auto o = parse({"-t", "net", "--type=uts", "-tipc", "-p", "42", "-n", "-u", "-W"});
	REQUIRE(o);
	CHECK(o->types == uint32_t(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC));
	CHECK(o->task == 42);
	CHECK(o->noheadings);
	CHECK(o->notruncate);
	CHECK(o->nowrap);
	CHECK(o->format == Format::table);

	CHECK(parse({"-J"})->format == Format::json);
	CHECK(parse({"--raw"})->format == Format::raw);
	CHECK(parse({"-Jn"})->noheadings);
	CHECK(parse({"-T"})->tree == Tree::owner);
	CHECK(parse({"--tree"})->tree == Tree::owner);
	CHECK(parse({"--tree=parent"})->tree == Tree::parent);
	CHECK(parse({"-T=process"})->tree == Tree::process);
	CHECK(parse({"-Tparent"})->tree == Tree::parent);
	CHECK(parse({"--backend", "proc"})->backend == BackendKind::proc);
	CHECK(parse({"--backend=module"})->backend == BackendKind::module);
}

TEST_CASE("ls options: bad input names what is wrong", "[cli][options]")
{
	struct {
		std::vector<std::string_view> args;
		std::string_view says;
	} cases[] = {
		{{"-t", "bogus"}, "unknown namespace type"},
		{{"-t"}, "needs a value"},
		{{"-p", "12x"}, "not a process ID"},
		{{"-p", "0"}, "not a process ID"},
		{{"-J", "-r"}, "mutually exclusive"},
		{{"-l", "-T"}, "mutually exclusive"},
		{{"--tree=sideways"}, "unknown tree relation"},
		{{"-o", "NS,BOGUS"}, "unknown column 'BOGUS'"},
		{{"-x"}, "unknown option"},
		{{"--json=1"}, "takes no value"},
		{{"stray"}, "unexpected argument"},
		{{"--backend", "magic"}, "unknown backend"},
	};
	for (const auto &c : cases) {
		INFO(c.args[0]);
		auto o = parse(c.args);
		REQUIRE_FALSE(o);
		CHECK(o.error().message.find(c.says) != std::string::npos);
	}
}

TEST_CASE("ls columns: defaults, -o, +LIST and --output-all", "[cli][columns]")
{
	CHECK(names(parse({})->columns) ==
	      std::vector<std::string_view>{"ID", "NS", "TYPE", "NPROCS", "PID", "USER", "HOLDER", "COMMAND"});
	CHECK(names(parse({"-t", "net"})->columns) ==
	      std::vector<std::string_view>{"ID", "NS", "TYPE", "NPROCS", "PID", "USER", "HOLDER", "NETNSID",
					    "NSFS", "COMMAND"});
	CHECK(names(parse({"-o", "ns,type"})->columns) == std::vector<std::string_view>{"NS", "TYPE"});
	auto plus = names(parse({"-o", "+PNS,ONS"})->columns);
	CHECK(plus.size() == 10);
	CHECK(plus.back() == "ONS");
	CHECK(parse({"--output-all"})->columns.size() == all_columns().size());
	CHECK(all_columns().size() == 17);
}

TEST_CASE("ls cells: numbers, missing values and multi-line holders", "[cli][columns]")
{
	Namespace ns;
	ns.type = CLONE_NEWNET;
	ns.inode = 4026532000;
	ns.id = 4100;
	Holder h(Holder::Kind::fd);
	h.pid = 812;
	h.fd = 3;
	ns.holders.push_back(h);
	Holder b(Holder::Kind::bind_mount);
	b.path = "/run/netns/a";
	b.mntns_inode = 4026531841;
	ns.holders.push_back(b);
	CHECK(cell(*find_column("NS"), ns) == std::vector<std::string>{"4026532000"});
	CHECK(cell(*find_column("ID"), ns) == std::vector<std::string>{"4100"});
	CHECK(cell(*find_column("TYPE"), ns) == std::vector<std::string>{"net"});
	CHECK(cell(*find_column("NPROCS"), ns) == std::vector<std::string>{"0"});
	CHECK_FALSE(cell(*find_column("PID"), ns));
	CHECK_FALSE(cell(*find_column("ACTIVE"), ns));
	CHECK(cell(*find_column("HOLDER"), ns) ==
	      std::vector<std::string>{"fd 3 of pid 812", "bind mount /run/netns/a in mnt:[4026531841]"});
	ns.active = true;
	CHECK(cell(*find_column("ACTIVE"), ns) == std::vector<std::string>{"true"});
}

TEST_CASE("namespace links parse as readlink and mountinfo print them", "[cli][links]")
{
	auto l = parse_ns_link("net:[4026531840]");
	REQUIRE(l);
	CHECK(l->type == uint32_t(CLONE_NEWNET));
	CHECK(l->inode == 4026531840ULL);
	CHECK(parse_ns_link("/uts:[4026531838]")->type == uint32_t(CLONE_NEWUTS));
	for (auto bad : {"net:[]", "net:[12", "bogus:[1]", "net:[0]", "net:[1x]", "pipe:[123]", "", "net"})
		CHECK_FALSE(parse_ns_link(bad));
}

TEST_CASE("handles print and parse back; malformed ones are refused", "[cli][handles]")
{
	NsHandle h{7, CLONE_NEWNET, 4026531840U};
	auto s = h.str();
	CHECK(s.size() == 3 + 32);
	CHECK(s.rfind("f1:", 0) == 0);
	auto back = NsHandle::parse(s);
	REQUIRE(back);
	CHECK(back->id == 7);
	CHECK(back->type == uint32_t(CLONE_NEWNET));
	CHECK(back->inum == 4026531840U);
	for (auto bad : {"", "f1:", "f2:07000000000000004000000000f0ffef", "f1:zz000000000000004000000000f0ffef",
			 "f1:0700000000000000400000000000f0ffef"})
		CHECK_FALSE(NsHandle::parse(bad));
}

TEST_CASE("show, handle, enter and open read their operand and options alike", "[cli][operands]")
{
	auto parse_ops = [](std::vector<std::string_view> args, OperandOptions accepted = {}) {
		return parse_operand_args(args, accepted, "usage");
	};
	auto a = parse_ops({"4097", "--backend", "module"});
	REQUIRE(a.ok());
	CHECK(a->operand == "4097");
	CHECK(a->backend == BackendKind::module);
	CHECK(!a->json);

	a = parse_ops({"--backend=proc", "/proc/self/ns/net"});
	REQUIRE(a.ok());
	CHECK(a->backend == BackendKind::proc);
	CHECK(a->operand == "/proc/self/ns/net");

	a = parse_ops({"-J", "net:[4026531840]"}, {.json = true});
	REQUIRE(a.ok());
	CHECK(a->json);

	// What a command does not take is a usage error, as are a missing and a second operand.
	CHECK(parse_ops({"-J", "7"}).error().message == "usage");
	CHECK(parse_ops({"-t", "net", "7"}).error().message == "usage");
	CHECK(parse_ops({}).error().message == "usage");
	CHECK(parse_ops({"7", "8"}).error().message == "usage");
	CHECK(parse_ops({"--backend"}).error().message == "usage");
	// Bad values name themselves.
	auto bad = parse_ops({"7", "--backend", "kvm"});
	REQUIRE(!bad.ok());
	CHECK(bad.error().code == EINVAL);
	CHECK(bad.error().message.find("'kvm'") != std::string::npos);
}

TEST_CASE("enter: one namespace, or a process's as nsenter takes them", "[cli][enter]")
{
	auto parse = [](std::vector<std::string_view> args) { return parse_enter_args(args, true, "usage"); };
	using V = std::vector<std::string_view>;
	// A namespace, the command with or without "--", its options its own.
	auto e = parse({"--type", "net", "4", "ip", "-br", "a"});
	REQUIRE(e.ok());
	CHECK(e->what == "4");
	CHECK(e->type == CLONE_NEWNET);
	CHECK(!e->target);
	CHECK(e->command == V{"ip", "-br", "a"});
	e = parse({"net:[4026531840]", "--type=net", "--backend", "proc", "--", "sh", "-c", "x"});
	REQUIRE(e.ok());
	CHECK(e->type == CLONE_NEWNET);
	CHECK(e->backend == BackendKind::proc);
	CHECK(e->command == V{"sh", "-c", "x"});
	// A process: nsenter's flags, long and short, combined as getopt takes them.
	e = parse({"-t", "812", "-n", "-U", "--preserve-credentials", "ip", "a"});
	REQUIRE(e.ok());
	CHECK(e->target == 812);
	CHECK(e->types == (CLONE_NEWNET | CLONE_NEWUSER));
	CHECK(e->preserve_credentials);
	CHECK(e->what.empty());
	CHECK(e->command == V{"ip", "a"});
	e = parse({"-m", "-u", "-i", "-n", "-p", "-U", "-C", "-T", "--target=9"});
	REQUIRE(e.ok());
	CHECK(e->types == (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWUSER |
			   CLONE_NEWCGROUP | CLONE_NEWTIME));
	CHECK(e->command.empty());
	e = parse({"-at5", "--", "true"});
	REQUIRE(e.ok());
	CHECK(e->target == 5);
	CHECK(e->types == 0);
	// A type flag's optional file, as nsenter's: the rest of the word, or --net=FILE.
	e = parse({"-n/run/netns/a", "ip", "a"});
	REQUIRE(e.ok());
	CHECK(!e->target);
	REQUIRE(e->files.size() == 1);
	CHECK(e->files[0] == std::pair<uint32_t, std::string_view>{CLONE_NEWNET, "/run/netns/a"});
	CHECK(e->command == V{"ip", "a"});
	e = parse({"-nui"}); // nsenter reads this as the net namespace file "ui" too
	REQUIRE(e.ok());
	REQUIRE(e->files.size() == 1);
	CHECK(e->files[0].second == "ui");
	e = parse({"--uts=/x", "-t", "5", "-U"});
	REQUIRE(e.ok());
	CHECK(e->target == 5);
	CHECK(e->types == CLONE_NEWUSER);
	REQUIRE(e->files.size() == 1);
	CHECK(e->files[0] == std::pair<uint32_t, std::string_view>{CLONE_NEWUTS, "/x"});
	e = parse({"--target", "5", "--net", "--mount", "-a", "true"});
	REQUIRE(e.ok());
	CHECK(e->types == 0); // -a: all of them
	e = parse({"-t", "5", "--all"});
	REQUIRE(e.ok());
	CHECK(e->types == 0);

	// What does not go together says so; bad values name themselves.
	auto message = [&](std::vector<std::string_view> args) {
		auto r = parse(args);
		return r.ok() ? std::string("accepted") : r.error().message;
	};
	CHECK(message({}) == "usage");
	CHECK(message({"--type", "net"}) == "usage");
	CHECK(message({"-t", "5", "4"}).find("not both") == std::string::npos); // 4 is the command
	CHECK(message({"4", "-t", "5", "--", "x"}).find("not both") != std::string::npos);
	CHECK(message({"-t", "5", "--", "x"}) == "accepted");
	CHECK(message({"-n", "4"}).find("--target PID") != std::string::npos);
	CHECK(message({"-n/x", "4", "--", "y"}) == "usage");
	CHECK(message({"-t", "5", "--type", "net"}).find("--type checks") != std::string::npos);
	CHECK(message({"-t", "0"}).find("'0'") != std::string::npos);
	CHECK(message({"-t", "x5"}).find("'x5'") != std::string::npos);
	CHECK(message({"-t"}) == "usage");
	CHECK(message({"-q", "-t", "5"}).find("'-q'") != std::string::npos);
	CHECK(message({"--bogus", "4"}).find("'--bogus'") != std::string::npos);
	CHECK(message({"--type", "nett", "4"}).find("'nett'") != std::string::npos);
	CHECK(message({"4", "--type", "net", "--", "x"}) == "accepted");

	// open: a handle and --backend, nothing of enter's.
	auto o = parse_enter_args(V{"f1:00", "--", "true"}, false, "usage");
	REQUIRE(o.ok());
	CHECK(o->what == "f1:00");
	CHECK(!parse_enter_args(V{"-n", "f1:00"}, false, "usage").ok());
}

TEST_CASE("ls options: lsns's -Q/--filter and -P/--persistent", "[cli][options][filter]")
{
	auto o = parse({"-Q", "NPROCS > 1"});
	REQUIRE(o.ok());
	REQUIRE(o->filter);
	CHECK_FALSE(o->persistent);
	o = parse({"--filter=TYPE == \"net\"", "-P"});
	REQUIRE(o.ok());
	CHECK(o->filter);
	CHECK(o->persistent);
	o = parse({"-PQNPROCS"});
	REQUIRE(o.ok());
	CHECK(o->persistent);
	CHECK(o->filter);
	auto bad = parse({"-Q", "NOPE > 1"});
	REQUIRE(!bad.ok());
	CHECK(bad.error().message.find("unknown column 'NOPE'") != std::string::npos);
	bad = parse({"-P", "-p", "1"});
	REQUIRE(!bad.ok());
	CHECK(bad.error().message.find("mutually exclusive") != std::string::npos);
	CHECK(!parse({"-Q"}).ok());
}
