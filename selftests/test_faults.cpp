// SPDX-License-Identifier: GPL-2.0
// Fault injection (the debug kernel: failslab and fail_page_alloc). Allocations
// whose call chain passes through nstree.ko's text fail at random while a child
// runs every kind of request; every error path must unwind (no leak, no splat:
// kmemleak, KASAN and lockdep judge at the end of the run) and the caller sees
// ENOMEM or a correct answer, never garbage. Kernels without fault injection
// (Debian's) skip it.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <chrono>
#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "harness.hpp"
#include "listns_util.hpp"
#include "ns_handle.hpp"

using namespace selftest;

namespace {

bool put(const std::string &path, const std::string &value)
{
	std::ofstream f(path);
	f << value;
	f.flush();
	return bool(f);
}

// [start, end) of nstree.ko's code, from /proc/kallsyms (root sees addresses).
std::pair<unsigned long, unsigned long> module_text()
{
	std::ifstream f("/proc/kallsyms");
	std::string line;
	unsigned long lo = ~0UL, hi = 0;
	while (std::getline(f, line)) {
		if (line.find("[nstree]") == std::string::npos)
			continue;
		std::istringstream in(line);
		std::string addr, type;
		in >> addr >> type;
		if (type != "t" && type != "T")
			continue;
		unsigned long a = std::stoul(addr, nullptr, 16);
		lo = std::min(lo, a);
		hi = std::max(hi, a);
	}
	return {lo, hi ? hi + 4096 : 0}; // the last function: less than a page past its start
}

// Arms failslab and fail_page_alloc for tasks that asked (make-it-fail), on call
// chains through the module; disarms them when it goes.
class FaultInjection {
public:
	explicit FaultInjection(int percent)
	{
		auto [lo, hi] = module_text();
		if (!hi)
			return;
		for (const char *dir : {"/sys/kernel/debug/failslab", "/sys/kernel/debug/fail_page_alloc"}) {
			std::string d = dir;
			bool ok = put(d + "/task-filter", "Y") && put(d + "/ignore-gfp-wait", "N") &&
				  put(d + "/require-start", std::to_string(lo)) &&
				  put(d + "/require-end", std::to_string(hi)) && put(d + "/stacktrace-depth", "32") &&
				  put(d + "/interval", "1") && put(d + "/times", "-1") && put(d + "/space", "0") &&
				  put(d + "/verbose", "0") && put(d + "/probability", std::to_string(percent));
			if (d.find("page") != std::string::npos)
				ok = ok && put(d + "/ignore-gfp-highmem", "N") && put(d + "/min-order", "0");
			armed_ = armed_ + ok;
		}
	}
	~FaultInjection()
	{
		for (const char *dir : {"/sys/kernel/debug/failslab", "/sys/kernel/debug/fail_page_alloc"})
			put(std::string(dir) + "/probability", "0");
	}
	bool armed() const { return armed_ == 2; }

private:
	int armed_ = 0;
};

// Runs the requests in this process (which makes its allocations fail); returns
// what went wrong, or "".
// Writes a byte to @beat_fd after every round, for the parent's stall detector.
std::string requests_under_faults(const std::vector<uint64_t> &ids, long rounds, long *enomem, int beat_fd)
{
	if (!put("/proc/self/make-it-fail", "1"))
		return "cannot write /proc/self/make-it-fail";
	std::string bad;
	auto expect = [&](bool ok, int err, const std::string &what) {
		if (ok)
			return true;
		if (err == ENOMEM) {
			(*enomem)++;
			return false;
		}
		if (bad.size() < 1500)
			bad += what + ": errno " + std::to_string(err) + "; ";
		return false;
	};
	for (long r = 0; r < rounds; r++) {
		(void)!write(beat_fd, "r", 1);
		auto ctl_r = nstree::ModuleClient::open();
		if (!expect(ctl_r.ok(), ctl_r ? 0 : ctl_r.error().code, "open /dev/nstree"))
			continue;
		auto &ctl = *ctl_r;
		uint64_t id = ids[size_t(r) % ids.size()];
		for (auto kind : {nstree::NsFdKind::nstreefs, nstree::NsFdKind::nsfs}) {
			auto fd = ctl.open_id(id, kind);
			if (expect(fd.ok(), fd ? 0 : fd.error().code, "open " + std::to_string(id))) {
				auto who = ctl.identify(fd->get());
				if (expect(who.ok(), who ? 0 : who.error().code, "identify") && who->id != id)
					bad += "open " + std::to_string(id) + " gave " + std::to_string(who->id) + "; ";
				if (kind == nstree::NsFdKind::nstreefs) {
					nstree::Fd owner(ioctl(fd->get(), NS_GET_USERNS));
					if (!owner.valid() && errno != EPERM) // EPERM: above the caller
						expect(false, errno, "NS_GET_USERNS");
				}
			}
			auto h = ctl.open_handle(nstree::NsHandle{id, 0, 0}, kind);
			if (!h && h.error().code != ESTALE)
				expect(false, h.error().code, "handle " + std::to_string(id));
		}
		auto listing = ctl.list_all(nstree::ListRequest{}, 1 + size_t(r % 50));
		if (expect(listing.ok(), listing ? 0 : listing.error().code, "listns") &&
		    !std::is_sorted(listing->begin(), listing->end()))
			bad += "listns: not ascending; ";
		auto infos = ctl.ns_info(ids);
		if (expect(infos.ok(), infos ? 0 : infos.error().code, "NS_INFO"))
			for (size_t i = 0; i < infos->size(); i++)
				if ((*infos)[i].ns_type && (*infos)[i].ns_id != ids[i])
					bad += "NS_INFO: wrong ID; ";
		auto procs = ctl.procs();
		if (expect(procs.ok(), procs ? 0 : procs.error().code, "PROCS")) {
			std::vector<pid_t> pids;
			for (const auto &p : *procs) {
				if (!p.pid)
					bad += "PROCS: a row without a pid; ";
				pids.push_back(pid_t(p.pid));
			}
			auto lines = ctl.cmdlines(pids, 128);
			if (expect(lines.ok(), lines ? 0 : lines.error().code, "CMDLINES") && lines->size() != pids.size())
				bad += "CMDLINES: wrong count; ";
		}
		nstree::Fd root(ioctl(ctl.fd(), NSTREE_IOC_ROOT, 0));
		if (!root.valid())
			expect(false, errno, "NSTREE_IOC_ROOT");
		// A namespace the registry has not seen: registration allocates.
		if (r % 10 == 0) {
			Child c = spawn_holder(CLONE_NEWUTS);
			if (c.pid() > 0) {
				auto nsfs = open_path(ns_path(c.pid(), "uts"));
				auto who = ctl.identify(nsfs.get());
				if (who)
					expect(who->id > 8, 0, "identify a new namespace");
				else
					expect(false, who.error().code, "identify a new namespace");
			}
		}
	}
	put("/proc/self/make-it-fail", "0");
	return bad;
}

} // namespace

TEST_CASE("allocations failing inside the module: every path unwinds, callers see ENOMEM", "[faults]")
{
	REQUIRE_ROOT();
	if (access("/sys/kernel/debug/failslab", F_OK) != 0)
		SKIP("no fault injection in this kernel (the debug kernel has it)");
	Baseline base;
	Child other = spawn_holder(CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWIPC);
	REQUIRE(other.pid() > 0);
	std::vector<uint64_t> ids = list_ids();
	REQUIRE(ids.size() > 8);
	const long rounds = campaign_count(200, 5000);
	for (int percent : {5, 30}) {
		FaultInjection faults(percent);
		REQUIRE(faults.armed());
		int p[2], beat[2];
		REQUIRE(pipe2(p, O_CLOEXEC) == 0);
		REQUIRE(pipe2(beat, O_CLOEXEC | O_NONBLOCK) == 0);
		Child child = fork_child([&]() {
			long enomem = 0;
			std::string bad = requests_under_faults(ids, rounds, &enomem, beat[1]);
			std::string msg = std::to_string(enomem) + " " + bad;
			return write(p[1], msg.data(), msg.size()) == ssize_t(msg.size()) ? 0 : 1;
		});
		close(p[1]);
		close(beat[1]);
		// How long the rounds take is the machine's business; a round that takes
		// more than 30 s is a stall, and the child's kernel stack (on the console) says where.
		long beats = 0;
		int st = child.wait_while_progressing(beat[0], std::chrono::seconds(30), &beats);
		close(beat[0]);
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (st == -1)
			UNSCOPED_INFO("killed in round " << beats << " of " << rounds << ": 30 s without progress");
		char buf[4096];
		ssize_t n = read(p[0], buf, sizeof(buf) - 1);
		close(p[0]);
		std::string msg(buf, size_t(n > 0 ? n : 0));
		INFO(percent << "% of the module's allocations failing: " << msg);
		CHECK(code == 0);
		REQUIRE(msg.find(' ') != std::string::npos);
		CHECK(std::stol(msg) > 0); // faults were injected, and reported as ENOMEM
		CHECK(msg.substr(msg.find(' ') + 1).empty());
	}
	// With faults off again: everything works and the counts come back.
	CHECK(list_ids().size() >= ids.size() - 1);
	other = Child();
	CHECK(base.settle() == "");
}
