// SPDX-License-Identifier: GPL-2.0
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <vector>

#include "nstree.h"
#include "watch_stream.hpp"

using nstree::parse_watch_records;
using nstree::WatchEventKind;

namespace {

nstree_watch_event record(uint16_t event, uint64_t id)
{
	nstree_watch_event r;
	std::memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.event = event;
	r.ns_id = id;
	return r;
}

std::vector<unsigned char> bytes(const std::vector<nstree_watch_event> &v, size_t extra_per_record = 0)
{
	std::vector<unsigned char> out;
	for (auto r : v) {
		r.size = uint32_t(sizeof(r) + extra_per_record);
		const auto *p = reinterpret_cast<const unsigned char *>(&r);
		out.insert(out.end(), p, p + sizeof(r));
		out.insert(out.end(), extra_per_record, 0);
	}
	return out;
}

} // namespace

TEST_CASE("watch records: kinds, the creator, lost counts", "[watch]")
{
	auto created = record(NSTREE_EVENT_CREATED, 12);
	created.flags = NSTREE_EVENT_F_ACTIVE | NSTREE_EVENT_F_CREATOR;
	created.pid = 77;
	std::memcpy(created.comm, "unshare\0garbage", 15);
	created.owner_id = 3;
	auto lost = record(NSTREE_EVENT_LOST, 0);
	lost.lost = 41;
	auto died = record(NSTREE_EVENT_DIED, 12);
	auto b = bytes({created, lost, died});
	auto ev = parse_watch_records(b.data(), b.size());
	REQUIRE(ev);
	REQUIRE(ev->size() == 3);
	CHECK((*ev)[0].kind == WatchEventKind::created);
	CHECK((*ev)[0].active);
	CHECK((*ev)[0].pid == 77);
	CHECK((*ev)[0].comm == "unshare");
	CHECK((*ev)[0].owner == 3);
	CHECK((*ev)[1].kind == WatchEventKind::lost);
	CHECK((*ev)[1].lost == 41);
	CHECK((*ev)[2].kind == WatchEventKind::died);
	CHECK_FALSE((*ev)[2].pid.has_value());
}

TEST_CASE("watch records: a later module's longer records and unknown events are stepped over", "[watch]")
{
	auto b = bytes({record(99, 5), record(NSTREE_EVENT_ACTIVE, 6)}, 16);
	auto ev = parse_watch_records(b.data(), b.size());
	REQUIRE(ev);
	REQUIRE(ev->size() == 1);
	CHECK((*ev)[0].kind == WatchEventKind::active);
	CHECK((*ev)[0].id == 6);
}

TEST_CASE("watch records: truncated or undersized records are an error, not garbage", "[watch]")
{
	auto b = bytes({record(NSTREE_EVENT_DIED, 5)});
	CHECK_FALSE(parse_watch_records(b.data(), b.size() - 1));
	auto small = record(NSTREE_EVENT_DIED, 5);
	small.size = 8;
	const auto *p = reinterpret_cast<const unsigned char *>(&small);
	auto r = parse_watch_records(p, sizeof(small));
	REQUIRE_FALSE(r);
	CHECK(r.error().message.find("8 bytes") != std::string::npos);
	CHECK(parse_watch_records(p, 2).error().code == EPROTO);
}
