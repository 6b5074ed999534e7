// SPDX-License-Identifier: GPL-2.0
// Host unit tests: the BPF task iterator's records (bpf/task_ns_record.h) as
// parse_task_records() reads them, from one reader or several.
#include <catch2/catch_test_macros.hpp>
#include <cerrno>
#include <cstring>
#include <sched.h>
#include <string>
#include <vector>

#include "bpf/task_ns_record.h"
#include "ns_type.hpp"
#include "task_iter.hpp"

using namespace nstree;

namespace {

constexpr uint32_t kInitUser = 4026531837;

// A process in the initial namespaces except uts, whose inode is @uts.
std::string record(uint32_t pid, uint32_t uts, const std::string &cmdline, uint32_t flags = 0)
{
	nstree_task_ns_record r;
	std::memset(&r, 0, sizeof(r));
	r.version = NSTREE_TASK_NS_VERSION;
	r.pid = pid;
	r.ppid = 1;
	r.euid = 1000;
	std::strcpy(r.comm, "holder");
	for (size_t t = 0; t < kNsTypes.size(); t++) {
		r.inum[t] = kNsTypes[t].flag == CLONE_NEWUTS ? uts : 4026531835 + uint32_t(t);
		r.ns_id[t] = r.inum[t] - 4026531000;
		r.owner_inum[t] = kInitUser;
	}
	r.flags = flags;
	r.cmdline_len = uint32_t(cmdline.size());
	return std::string(reinterpret_cast<const char *>(&r), sizeof(r)) + cmdline;
}

} // namespace

TEST_CASE("task records: entries in pid order, each namespace once", "[task_iter]")
{
	// Two readers, each in pid order; the parse merges them.
	std::string even = record(2, 4026532000, std::string("sleep\0" "100\0", 10)) + record(4, 4026532001, "");
	std::string odd = record(1, 4026532000, std::string("init\0", 5)) + record(3, 4026532002, "x");
	std::vector<std::string_view> chunks{even, odd};
	auto scan = parse_task_records(chunks);
	REQUIRE(scan);
	REQUIRE(scan->entries.size() == 4);
	for (size_t i = 0; i < 4; i++)
		CHECK(scan->entries[i].pid == pid_t(i + 1));
	CHECK(scan->entries[1].command == "sleep 100");
	CHECK(scan->entries[3].command == "[holder]"); // no arguments: lsns shows [comm]
	CHECK(scan->entries[0].uid == 1000);
	CHECK(scan->entries[0].comm == "holder");
	// Seven shared namespaces plus three uts namespaces.
	CHECK(scan->namespaces.size() == 10);
	size_t uts = 0;
	for (const auto &f : scan->namespaces) {
		CHECK(f.owner_inode == kInitUser);
		CHECK(f.id == f.inode - 4026531000);
		uts += f.type == CLONE_NEWUTS;
	}
	CHECK(uts == 3);
}

TEST_CASE("task records: after setproctitle(3) the command line ends at its first NUL", "[task_iter]")
{
	std::string bytes = record(7, 4026532000, std::string("title\0" "env=1\0", 12), NSTREE_TASK_NS_TITLE);
	std::vector<std::string_view> chunks{bytes};
	auto scan = parse_task_records(chunks);
	REQUIRE(scan);
	CHECK(scan->entries.at(0).command == "title");
}

TEST_CASE("task records: a partial or malformed record is an error, not a guess", "[task_iter]")
{
	std::string good = record(1, 4026532000, "a");
	std::string cut = good.substr(0, good.size() - 2);
	std::vector<std::string_view> partial{cut};
	auto r = parse_task_records(partial);
	REQUIRE(!r);
	CHECK(r.error().code == EPROTO);

	std::string wrong = good;
	wrong[0] = char(NSTREE_TASK_NS_VERSION + 1);
	std::vector<std::string_view> version{wrong};
	r = parse_task_records(version);
	REQUIRE(!r);
	CHECK(r.error().code == EPROTO);

	std::string backwards = record(2, 4026532000, "a") + good;
	std::vector<std::string_view> order{backwards};
	r = parse_task_records(order);
	REQUIRE(!r);
	CHECK(r.error().code == EPROTO);

	std::vector<std::string_view> none;
	auto empty = parse_task_records(none);
	REQUIRE(empty);
	CHECK(empty->entries.empty());
}
