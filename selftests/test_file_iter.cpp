// SPDX-License-Identifier: GPL-2.0
// The BPF file iterators (tools/lib/bpf/file_refs.bpf.c): on the sid guest, where
// nstree orphans takes what processes hold from them, the report must be the one
// the /proc scan gives (NSTREE_NO_BPF=1) for every kind of holder they cover: an
// fd, a mapping, a cwd, an fd on a lazily detached mount, a namespace held by an
// nsfs fd; and a caller that may not load BPF falls back to /proc.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "orphan_kit.hpp"

using namespace selftest;
using nlohmann::json;

namespace {

struct OrphansRun {
	json report;
	std::string timing;
};

OrphansRun orphans_with(const std::vector<std::string> &env)
{
	auto run = run_nstree({"orphans", "-J"}, env);
	INFO(run.err);
	REQUIRE((run.status == 0 || run.status == 2));
	return {json::parse(run.out), run.err};
}

// The holders of every orphan, as "dev what pid fd path" lines, sorted: what the
// two scans must agree on (the texts and remedies follow from them).
std::vector<std::string> holder_lines(const json &report)
{
	std::vector<std::string> out;
	for (const auto &o : report["orphans"])
		for (const auto &h : o["holders"])
			out.push_back(o["kind"].get<std::string>() + " " + o["dev"].get<std::string>() + " " +
				      h["what"].get<std::string>() + " " + h["pid"].dump() + " " + h["fd"].dump() + " " +
				      h["path"].get<std::string>() + " " + h["access"].dump());
	std::sort(out.begin(), out.end());
	return out;
}

} // namespace

TEST_CASE("native backend: nstree orphans from the BPF file iterators equals the /proc scan", "[.native][bpf]")
{
	REQUIRE_ROOT();
	Planted fd_held("/tmp/fileiter-fd", {.big_mib = 2});
	Planted map_held("/tmp/fileiter-map", {.big_mib = 2});
	Planted cwd_held("/tmp/fileiter-cwd", {.big_mib = 2});
	Planted detached("/tmp/fileiter-detached", {.big_mib = 2, .hold_and_detach = true});
	nstree::Fd f(open(fd_held.path("small").c_str(), O_RDWR | O_CLOEXEC));
	nstree::Fd m(open(map_held.path("small").c_str(), O_RDONLY | O_CLOEXEC));
	REQUIRE(f.valid());
	REQUIRE(m.valid());
	void *map = mmap(nullptr, 4096, PROT_READ, MAP_SHARED, m.get(), 0);
	REQUIRE(map != MAP_FAILED);
	m.reset();
	Child in_cwd = fork_child([&]() {
		if (chdir(cwd_held.path("").c_str()) != 0)
			return 1;
		pause();
		return 0;
	});
	REQUIRE(fd_held.finish() == 0);
	REQUIRE(map_held.finish() == 0);
	// The cwd holder entered before the namespace died; give it a moment to chdir.
	usleep(200 * 1000);
	REQUIRE(cwd_held.finish() == 0);

	auto bpf = orphans_with({"NSTREE_DEBUG=timing"});
	auto proc = orphans_with({"NSTREE_DEBUG=timing", "NSTREE_NO_BPF=1"});
	INFO(bpf.timing << proc.timing);
	CHECK(bpf.timing.find("file refs (bpf)") != std::string::npos);
	CHECK(proc.timing.find("file refs (proc)") != std::string::npos);
	auto a = holder_lines(bpf.report), b = holder_lines(proc.report);
	INFO(bpf.report.dump(1));
	CHECK(a == b);
	CHECK(has_holder(orphan_with_dev(bpf.report, fd_held.dev()), {{"what", "fd"}, {"pid", getpid()}, {"fd", f.get()}}));
	CHECK(has_holder(orphan_with_dev(bpf.report, map_held.dev()), {{"what", "map"}, {"pid", getpid()}}));
	CHECK(has_holder(orphan_with_dev(bpf.report, cwd_held.dev()), {{"what", "cwd"}, {"pid", in_cwd.pid()}}));
	bool detached_seen = false;
	for (const auto &o : bpf.report["orphans"])
		detached_seen = detached_seen || (o["dev"] == detached.dev() && has_holder(o, {{"pid", detached.pid()}}));
	CHECK(detached_seen);

	// A caller that may not load BPF is not refused: it gets the /proc scan.
	int code = exit_code_as_nobody([&]() {
		auto run = run_nstree({"orphans", "-J"}, {"NSTREE_DEBUG=timing"});
		return run.err.find("file refs (proc)") != std::string::npos && (run.status == 0 || run.status == 2) ? 0
														       : 1;
	});
	CHECK(code == 0);
	munmap(map, 4096);

}
