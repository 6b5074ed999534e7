// SPDX-License-Identifier: GPL-2.0
// Host unit tests: nstree ls -Q, lsns's filter language, on namespaces built here.
#include <catch2/catch_test_macros.hpp>
#include <sched.h>
#include <string>

#include "filter.hpp"

using namespace nstree;
using namespace nstree::cli;

namespace {

Namespace net(uint32_t nprocs, std::string command)
{
	Namespace ns;
	ns.type = CLONE_NEWNET;
	ns.inode = 4026531833;
	ns.id = 3;
	ns.nprocs = nprocs;
	if (nprocs) {
		ns.pid = 10;
		ns.uid = 0;
		ns.command = std::move(command);
	}
	return ns;
}

bool accepts(const char *expr, const Namespace &ns)
{
	auto f = Filter::parse(expr);
	INFO(expr << (f ? "" : ": " + f.error().message));
	REQUIRE(f.ok());
	return f->matches(ns);
}

std::string refusal(const char *expr)
{
	auto f = Filter::parse(expr);
	return f ? "accepted" : f.error().message;
}

} // namespace

TEST_CASE("filter: lsns's comparisons, numbers as numbers, text as text", "[cli][filter]")
{
	Namespace ns = net(10, "/usr/sbin/sshd -D");
	CHECK(accepts("NPROCS > 9", ns)); // 10 > 9, though "10" < "9"
	CHECK_FALSE(accepts("NPROCS < 9", ns));
	CHECK(accepts("NPROCS >= 10 && NPROCS <= 10", ns));
	CHECK(accepts("nprocs == 10", ns)); // column names in any case
	CHECK(accepts("TYPE == \"net\"", ns));
	CHECK(accepts("type eq 'net'", ns));
	CHECK(accepts("TYPE != \"uts\"", ns));
	CHECK(accepts("TYPE ne 'uts' and NPROCS gt 1", ns));
	CHECK(accepts("USER == \"root\"", ns));
	CHECK(accepts("ID == 3", ns));
	CHECK(accepts("NS == 4026531833", ns));
	CHECK(accepts("COMMAND =~ \"^/usr/sbin/\"", ns));
	CHECK(accepts("COMMAND !~ \"^\\[kworker\"", ns));
	CHECK_FALSE(accepts("COMMAND =~ \"^sshd\"", ns));
}

TEST_CASE("filter: and before or, not, parentheses", "[cli][filter]")
{
	Namespace ns = net(3, "sleep 1");
	CHECK(accepts("TYPE == \"uts\" || TYPE == \"net\" && NPROCS == 3", ns));
	CHECK_FALSE(accepts("(TYPE == \"uts\" || TYPE == \"net\") && NPROCS == 4", ns));
	CHECK(accepts("TYPE == \"net\" or TYPE == \"uts\" and NPROCS == 4", ns)); // and binds tighter
	CHECK(accepts("!(NPROCS == 4)", ns));
	CHECK(accepts("not NPROCS == 4", ns));
	CHECK_FALSE(accepts("not not NPROCS == 4", ns));
}

TEST_CASE("filter: a cell without data equals nothing", "[cli][filter]")
{
	Namespace held = net(0, "");
	Holder bind(Holder::Kind::bind_mount);
	bind.path = "/run/netns/a";
	bind.mntns_inode = 4026531832;
	held.holders.push_back(bind);
	CHECK_FALSE(accepts("PID == 10", held));
	CHECK(accepts("PID != 10", held));
	CHECK_FALSE(accepts("PID", held));  // a column alone: it has data
	CHECK(accepts("!PID", held));
	CHECK(accepts("HOLDER", held));
	CHECK(accepts("HOLDER =~ \"/run/netns/\"", held));
	CHECK_FALSE(accepts("NPROCS", held)); // a number alone: not zero
	CHECK(accepts("PID", net(1, "x")));
}

TEST_CASE("filter: bad expressions say where and what", "[cli][filter]")
{
	CHECK(refusal("NPROCS >").find("expected a column, a number or a \"string\" at 9") != std::string::npos);
	CHECK(refusal("FOO == 1").find("unknown column 'FOO'") != std::string::npos);
	CHECK(refusal("TYPE == \"net").find("no closing \"") != std::string::npos);
	CHECK(refusal("(TYPE == \"net\"").find("expected ')'") != std::string::npos);
	CHECK(refusal("TYPE == \"net\" TYPE").find("expected an operator or the end") != std::string::npos);
	CHECK(refusal("COMMAND =~ 5").find("take a \"regular expression\"") != std::string::npos);
	CHECK(refusal("COMMAND =~ \"(\"").find("bad regular expression") != std::string::npos);
	CHECK(refusal("NPROCS > 1.2.3").find("bad number") != std::string::npos);
	CHECK(refusal("TYPE = \"net\"").find("unexpected '='") != std::string::npos);
	CHECK(refusal("") .find("expected a column") != std::string::npos);
	auto f = Filter::parse("NETNSID == 1 || HOLDER");
	REQUIRE(f.ok());
	REQUIRE(f->columns().size() == 2);
	CHECK(f->columns()[0]->name == "NETNSID");
	CHECK(f->columns()[1]->name == "HOLDER");
}
