// SPDX-License-Identifier: GPL-2.0
// nstree watch: the module's event stream (NSTREE_IOC_WATCH) and the CLI over it.
// Births and deaths of every type in order and with listns's IDs, activity
// changes, a stream that alone rebuilds the state a listing shows, loss that is
// always counted, and readers who see only what listns would show them. The cases
// tagged [native] also run on the sid guest (listns(2), no module), where the
// events come from BPF (watch_native.hpp).
#include <catch2/catch_test_macros.hpp>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <linux/sockios.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sched.h>
#include <set>
#include <sstream>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "listns_util.hpp"
#include "watch_native.hpp"
#include "watch_stream.hpp"

using namespace selftest;
using nstree::WatchEvent;
using nstree::WatchEventKind;
using nstree::WatchOptions;
using nstree::WatchSource;
using nstree::WatchStream;

namespace {

WatchStream open_stream(WatchOptions o)
{
	auto s = WatchStream::open(ctl(), o);
	if (!s)
		FAIL("NSTREE_IOC_WATCH: " << s.error().message);
	return std::move(*s);
}

std::unique_ptr<WatchSource> open_native(WatchOptions o)
{
	auto s = nstree::open_native_watch(o);
	if (!s)
		FAIL("the native stream: " << s.error().message);
	return std::move(*s);
}

// The module's stream where the module is loaded, else the native one (BPF).
std::unique_ptr<WatchSource> open_source(WatchOptions o)
{
	if (module_device())
		return std::make_unique<WatchStream>(open_stream(o));
	return open_native(o);
}

// Reads events into @out until @done says so or @limit passes; true when done.
bool read_until(WatchSource &s, std::vector<WatchEvent> &out,
		const std::function<bool(const std::vector<WatchEvent> &)> &done,
		std::chrono::milliseconds limit = std::chrono::seconds(30))
{
	auto end = std::chrono::steady_clock::now() + limit;
	while (!done(out)) {
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
		if (left.count() <= 0)
			return false;
		auto ev = s.next(int(std::min<long long>(left.count(), 200)));
		if (!ev)
			return false;
		out.insert(out.end(), ev->begin(), ev->end());
	}
	return true;
}

// Reads until the stream has been quiet for @quiet.
void read_until_quiet(WatchSource &s, std::vector<WatchEvent> &out,
		      std::chrono::milliseconds quiet = std::chrono::milliseconds(500))
{
	auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
	while (std::chrono::steady_clock::now() < end) {
		auto ev = s.next(int(quiet.count()));
		if (!ev || ev->empty())
			return;
		out.insert(out.end(), ev->begin(), ev->end());
	}
}

// @children children that each clone into a new uts namespace and exit, one at a
// time, while a thread reads @fast; returns everything @fast said, read until quiet.
std::vector<WatchEvent> uts_churn_read_by(WatchSource &fast, int children)
{
	std::vector<WatchEvent> fast_ev;
	std::atomic<bool> done{false};
	std::thread reader([&]() {
		while (!done) {
			auto ev = fast.next(100);
			if (ev)
				fast_ev.insert(fast_ev.end(), ev->begin(), ev->end());
		}
	});
	for (int i = 0; i < children; i++) {
		pid_t pid = pid_t(syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, nullptr, 0) != pid) {
			done = true;
			reader.join();
			FAIL("clone(CLONE_NEWUTS) or its wait failed at child " << i << ": " << strerror(errno));
		}
		if (i % 500 == 0)
			heartbeat();
	}
	// Every death has reached the stream once the last one has.
	std::this_thread::sleep_for(std::chrono::seconds(1));
	done = true;
	reader.join();
	read_until_quiet(fast, fast_ev);
	return fast_ev;
}

std::optional<size_t> index_of(const std::vector<WatchEvent> &v, WatchEventKind k, uint64_t id)
{
	for (size_t i = 0; i < v.size(); i++)
		if (v[i].kind == k && v[i].id == id)
			return i;
	return std::nullopt;
}

bool has(const std::vector<WatchEvent> &v, WatchEventKind k, uint64_t id)
{
	return index_of(v, k, id).has_value();
}

// The namespace IDs of a process, by type name (child entries for pid and time).
std::map<std::string, uint64_t> ids_of(pid_t pid)
{
	std::map<std::string, uint64_t> ids;
	for (const auto &t : kNsTypes)
		ids[t.name] = ns_id_of(pid, t.child_name);
	return ids;
}

bool debug_kernel()
{
	return access("/sys/kernel/debug/kmemleak", F_OK) == 0;
}

std::string describe(const std::vector<WatchEvent> &v)
{
	std::ostringstream o;
	for (const auto &e : v)
		o << nstree::watch_event_name(e.kind) << " " << e.id << " type " << e.type << " seq " << e.seq
		  << " pid " << (e.pid ? std::to_string(*e.pid) : "-")
		  << (e.kind == WatchEventKind::lost ? " lost " + std::to_string(e.lost) : "") << "\n";
	return o.str();
}

constexpr int kAllTypes = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			  CLONE_NEWCGROUP | CLONE_NEWPID | CLONE_NEWTIME;

} // namespace

TEST_CASE("watch: every type's birth and death, in order, with the IDs listns reports", "[watch][native]")
{
	REQUIRE_ROOT();
	auto src = open_source({.activity = false, .initial = false});
	auto &s = *src;
	std::vector<WatchEvent> ev;
	std::map<std::string, uint64_t> ids;
	pid_t holder_pid;
	{
		Child holder = spawn_holder(kAllTypes);
		REQUIRE(holder.pid() > 0);
		holder_pid = holder.pid();
		ids = ids_of(holder.pid());
		auto listed_now = id_set();
		for (const auto &[name, id] : ids) {
			INFO(name);
			REQUIRE(id > 8);
			CHECK(listed_now.count(id));
		}
		REQUIRE(read_until(s, ev, [&](const auto &v) {
			for (const auto &[name, id] : ids)
				if (!has(v, WatchEventKind::created, id))
					return false;
			return true;
		}));
	}
	// The holder is killed and reaped; the pid namespace dies with its first process,
	// the network namespace in the kernel's cleanup work.
	INFO(describe(ev));
	REQUIRE(read_until(s, ev, [&](const auto &v) {
		for (const auto &[name, id] : ids)
			if (!has(v, WatchEventKind::died, id))
				return false;
		return true;
	}));
	for (const auto &t : kNsTypes) {
		uint64_t id = ids[t.name];
		INFO(t.name << " " << id);
		auto born = index_of(ev, WatchEventKind::created, id);
		auto died = index_of(ev, WatchEventKind::died, id);
		REQUIRE((born && died));
		CHECK(*born < *died);
		CHECK(ev[*born].type == uint32_t(t.flag));
		CHECK(ev[*died].type == uint32_t(t.flag));
		CHECK(ev[*born].inum == ev[*died].inum);
		CHECK(ev[*born].seq < ev[*died].seq);
		// Made by the holder's unshare(): its pid and command are named.
		REQUIRE(ev[*born].pid.has_value());
		CHECK(*ev[*born].pid == holder_pid);
		// Every namespace but the user namespace is owned by the new user namespace,
		// whose entry (and event) came first.
		if (t.flag != CLONE_NEWUSER) {
			CHECK(ev[*born].owner == ids["user"]);
			CHECK(*index_of(ev, WatchEventKind::created, ids["user"]) < *born);
		} else {
			CHECK(ev[*born].owner == 3);
			CHECK(ev[*born].parent == 3);
		}
	}
	CHECK(ev[*index_of(ev, WatchEventKind::created, ids["pid"])].parent == 4);
	for (size_t i = 1; i < ev.size(); i++)
		CHECK(ev[i - 1].seq < ev[i].seq);
}

TEST_CASE("watch: a pid namespace dies once its last pid is reaped, not before", "[watch][native]")
{
	REQUIRE_ROOT();
	auto src = open_source({.types = CLONE_NEWPID, .activity = false, .initial = false});
	auto &s = *src;
	// The first process of a new pid namespace exits at once and stays a zombie:
	// its pid is all that holds the namespace.
	pid_t init = pid_t(syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
	if (init == 0)
		_exit(0);
	REQUIRE(init > 0);
	std::vector<WatchEvent> ev;
	uint64_t id = 0;
	REQUIRE(read_until(s, ev, [&](const auto &v) {
		for (const auto &e : v)
			if (e.kind == WatchEventKind::created && e.pid && *e.pid == getpid())
				id = e.id;
		return id != 0;
	}));
	siginfo_t si;
	REQUIRE(waitid(P_PID, init, &si, WEXITED | WNOWAIT) == 0); // a zombie now, unreaped
	read_until(s, ev, [&](const auto &v) { return has(v, WatchEventKind::died, id); },
		   std::chrono::milliseconds(500));
	CHECK_FALSE(has(ev, WatchEventKind::died, id));
	REQUIRE(waitpid(init, nullptr, 0) == init);
	CHECK(read_until(s, ev, [&](const auto &v) { return has(v, WatchEventKind::died, id); }));
}

TEST_CASE("watch: a socket-held network namespace goes inactive, and active again through SIOCGSKNS",
	  "[watch][active][native]")
{
	REQUIRE_ROOT();
	auto src = open_source({.types = CLONE_NEWNET, .activity = true, .initial = false});
	auto &s = *src;
	SocketHeldNet net = socket_held_net(); // its maker has exited: only the socket holds it
	REQUIRE(net.id > 8);
	std::vector<WatchEvent> ev;
	auto last_is = [&](WatchEventKind k) {
		return [&, k](const std::vector<WatchEvent> &v) {
			for (auto it = v.rbegin(); it != v.rend(); ++it)
				if (it->id == net.id && (it->kind == WatchEventKind::active ||
							 it->kind == WatchEventKind::inactive))
					return it->kind == k;
			return false;
		};
	};
	REQUIRE(read_until(s, ev, [&](const auto &v) { return has(v, WatchEventKind::created, net.id); }));
	INFO(describe(ev));
	REQUIRE(read_until(s, ev, last_is(WatchEventKind::inactive)));
	CHECK_FALSE(listed(net.id));
	{
		nstree::Fd nsfs(ioctl(net.sock.get(), SIOCGSKNS));
		REQUIRE(nsfs.valid());
		CHECK(read_until(s, ev, last_is(WatchEventKind::active)));
		CHECK(listed(net.id));
	}
	CHECK(read_until(s, ev, last_is(WatchEventKind::inactive)));
	CHECK_FALSE(listed(net.id));
	net.sock.reset();
	CHECK(read_until(s, ev, [&](const auto &v) { return has(v, WatchEventKind::died, net.id); }));
}

TEST_CASE("watch: --initial then churn: the state built from the stream equals a listing", "[watch][active][native]")
{
	REQUIRE_ROOT();
	std::vector<Child> keep;
	keep.push_back(spawn_holder(CLONE_NEWUTS | CLONE_NEWNET)); // alive before the stream began
	auto src = open_source({.activity = true, .initial = true});
	auto &s = *src;
	std::vector<WatchEvent> ev;
	{
		std::vector<Child> churn;
		for (int i = 0; i < 12; i++) {
			churn.push_back(spawn_holder(i % 3 == 0 ? CLONE_NEWUTS : i % 3 == 1 ? CLONE_NEWIPC | CLONE_NEWNET
										 : CLONE_NEWUSER | CLONE_NEWNS));
			if (i % 2)
				keep.push_back(std::move(churn.back()));
		}
		SocketHeldNet net = socket_held_net(); // lives on, inactive
		keep.push_back(spawn_holder(CLONE_NEWPID));
		REQUIRE(net.id > 8);
		read_until_quiet(s, ev);
		// churn's holders die here, with the socket
	}
	list_ids(); // a listing may register what the stream had not met; it says so
	// The activity work coalesces changes (a second or more with the module): read
	// until the state the stream describes is the listing's, or 60 s pass.
	std::map<uint64_t, bool> state; // ID -> active
	size_t present = 0;
	std::set<uint64_t> active_from_stream, listing;
	auto apply = [&](const WatchEvent &e) {
		switch (e.kind) {
		case WatchEventKind::present:
			present++;
			[[fallthrough]];
		case WatchEventKind::created:
			if (!state.count(e.id))
				state[e.id] = e.active;
			break;
		case WatchEventKind::active:
			state[e.id] = true;
			break;
		case WatchEventKind::inactive:
			state[e.id] = false;
			break;
		case WatchEventKind::died:
			state.erase(e.id);
			break;
		case WatchEventKind::lost:
			FAIL("lost " << e.lost);
		}
	};
	for (const auto &e : ev)
		apply(e);
	auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
	for (;;) {
		active_from_stream.clear();
		for (const auto &[id, active] : state)
			if (active)
				active_from_stream.insert(id);
		listing = id_set();
		if (active_from_stream == listing || std::chrono::steady_clock::now() > end)
			break;
		auto more = s.next(200);
		REQUIRE(more);
		for (const auto &e : *more) {
			ev.push_back(e);
			apply(e);
		}
	}
	// Equal by chance, with events still to come? They must keep it equal.
	std::vector<WatchEvent> tail;
	read_until_quiet(s, tail, std::chrono::milliseconds(2500));
	for (const auto &e : tail) {
		ev.push_back(e);
		apply(e);
	}
	active_from_stream.clear();
	for (const auto &[id, active] : state)
		if (active)
			active_from_stream.insert(id);
	listing = id_set();
	INFO(describe(ev));
	CHECK(present > 8);
	CHECK(active_from_stream == listing);
	for (uint64_t init = 1; init <= 8; init++)
		CHECK(state.count(init));
}

TEST_CASE("watch: a stalled reader gets lost records that add up; a fast reader loses nothing", "[watch][lost]")
{
	REQUIRE_ROOT();
	const int children = debug_kernel() ? 1000 : 5000; // 2 events each: a birth and a death
	auto fast = open_stream({.types = CLONE_NEWUTS, .activity = false, .initial = false,
				 .capacity = NSTREE_WATCH_MAX_CAPACITY});
	auto slow = open_stream({.types = CLONE_NEWUTS, .activity = false, .initial = false, .capacity = 64});
	std::vector<WatchEvent> fast_ev = uts_churn_read_by(fast, children);
	std::vector<WatchEvent> slow_ev;
	read_until_quiet(slow, slow_ev);

	size_t fast_lost = 0, born = 0, died = 0;
	for (const auto &e : fast_ev) {
		fast_lost += e.kind == WatchEventKind::lost;
		born += e.kind == WatchEventKind::created && e.pid && *e.pid == getpid();
		died += e.kind == WatchEventKind::died;
	}
	CHECK(fast_lost == 0);
	CHECK(born == size_t(children));
	CHECK(died >= size_t(children));

	REQUIRE_FALSE(slow_ev.empty());
	uint64_t slow_received = 0, slow_lost = 0, lost_records = 0;
	for (const auto &e : slow_ev) {
		if (e.kind == WatchEventKind::lost) {
			slow_lost += e.lost;
			lost_records++;
		} else {
			slow_received++;
		}
	}
	uint64_t first_seq = slow_ev.front().seq;
	uint64_t fast_since = 0;
	for (const auto &e : fast_ev)
		fast_since += e.kind != WatchEventKind::lost && e.seq >= first_seq;
	INFO("slow: " << slow_received << " received, " << slow_lost << " lost in " << lost_records
		      << " records; fast: " << fast_since << " since seq " << first_seq);
	CHECK(lost_records >= 1);
	CHECK(slow_lost > 0);
	CHECK(slow_received + slow_lost == fast_since);
	for (size_t i = 1; i < slow_ev.size(); i++)
		CHECK(slow_ev[i - 1].seq < slow_ev[i].seq);
}

// The native stream's `lost` counts BPF records, not events (a record may be a
// recheck that would have made no event), so here the counts add up to at least
// what the stalled reader missed, where the module's add up exactly.
TEST_CASE("watch (native): a stalled reader's lost records cover what it missed; a fast reader loses nothing",
	  "[.native]")
{
	REQUIRE_ROOT();
	const int children = 3000; // a birth and a death each, and their rechecks
	auto fast = open_native({.types = CLONE_NEWUTS, .activity = true, .initial = false,
				 .capacity = NSTREE_WATCH_MAX_CAPACITY});
	auto slow = open_native({.types = CLONE_NEWUTS, .activity = true, .initial = false, .capacity = 64});
	std::vector<WatchEvent> fast_ev = uts_churn_read_by(*fast, children);
	std::vector<WatchEvent> slow_ev;
	read_until_quiet(*slow, slow_ev);

	auto lifecycle = [](const WatchEvent &e) {
		return e.kind == WatchEventKind::created || e.kind == WatchEventKind::died;
	};
	std::set<std::pair<int, uint64_t>> fast_seen;
	size_t fast_lost = 0, born = 0;
	for (const auto &e : fast_ev) {
		fast_lost += e.kind == WatchEventKind::lost;
		born += e.kind == WatchEventKind::created && e.pid && *e.pid == getpid();
		if (lifecycle(e))
			fast_seen.insert({int(e.kind), e.id});
	}
	CHECK(fast_lost == 0);
	CHECK(born == size_t(children));
	uint64_t slow_received = 0, slow_lost = 0, lost_records = 0, not_in_fast = 0;
	for (const auto &e : slow_ev) {
		if (e.kind == WatchEventKind::lost) {
			slow_lost += e.lost;
			lost_records++;
		} else if (lifecycle(e)) {
			slow_received++;
			not_in_fast += !fast_seen.count({int(e.kind), e.id});
		}
	}
	INFO("slow: " << slow_received << " births and deaths received, " << slow_lost << " records lost in "
		      << lost_records << " lost events; fast: " << fast_seen.size());
	CHECK(lost_records >= 1);
	CHECK(not_in_fast == 0);
	CHECK(slow_received + slow_lost >= fast_seen.size());
	CHECK(slow_received < fast_seen.size());
	for (size_t i = 1; i < slow_ev.size(); i++)
		CHECK(slow_ev[i - 1].seq < slow_ev[i].seq);
}

TEST_CASE("watch: readers who may not see all namespaces get events of their own ones only", "[watch][privilege]")
{
	REQUIRE_ROOT();
	auto root_stream = open_stream({.activity = true, .initial = true});
	std::atomic<bool> stop{false};
	std::thread churn([&]() {
		while (!stop) {
			Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET);
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
		}
	});
	for (Caller who : {Caller::nobody, Caller::userns_root, Caller::pidns_root}) {
		INFO(caller_name(who));
		std::string err = run_as(who, [&]() -> std::string {
			auto s = WatchStream::open(ctl(), {.activity = true, .initial = true, .nonblock = true});
			if (!s)
				return "open: " + s.error().message;
			std::set<uint64_t> own;
			// /proc/self, not getpid(): in a child pid namespace the two differ.
			for (const auto &t : kNsTypes) {
				auto fd = open_path(std::string("/proc/self/ns/") + t.name);
				if (uint64_t id = fd.valid() ? id_of(fd.get()) : 0)
					own.insert(id);
			}
			if (own.empty())
				return "no own IDs";
			std::vector<WatchEvent> ev;
			for (int i = 0; i < 10; i++) {
				auto got = s->next(100);
				if (got)
					ev.insert(ev.end(), got->begin(), got->end());
				heartbeat();
			}
			size_t present = 0;
			for (const auto &e : ev) {
				if (e.kind == WatchEventKind::lost)
					return "lost " + std::to_string(e.lost);
				if (!own.count(e.id))
					return "saw " + std::string(nstree::watch_event_name(e.kind)) + " of " +
					       std::to_string(e.id) + ", not its own";
				present += e.kind == WatchEventKind::present;
			}
			// Its own namespaces are listed to it, so they are present to it.
			return present ? "" : "no present event of its own namespaces";
		});
		CHECK(err == "");
	}
	stop = true;
	churn.join();
	// The churn was there to be seen: root saw it.
	std::vector<WatchEvent> ev;
	read_until_quiet(root_stream, ev, std::chrono::milliseconds(300));
	size_t created = 0;
	for (const auto &e : ev)
		created += e.kind == WatchEventKind::created;
	CHECK(created > 0);
}

TEST_CASE("watch: bad requests are refused and change nothing", "[watch][fuzz]")
{
	REQUIRE_ROOT();
	auto watch_errno = [](nstree_watch w, size_t size = sizeof(nstree_watch)) {
		w.size = uint32_t(size);
		int fd = ioctl(ctl().fd(), NSTREE_IOC_WATCH, &w);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		return errno;
	};
	nstree_watch w{};
	CHECK(watch_errno(w) == 0);
	CHECK(watch_errno(w, NSTREE_WATCH_SIZE_VER0 - 1) == EINVAL);
	CHECK(watch_errno(w, 4096 + 1) == E2BIG);
	{
		nstree_watch x = w;
		x.flags = 1U << 7;
		CHECK(watch_errno(x) == EINVAL);
	}
	{
		nstree_watch x = w;
		x.reserved[1] = 1;
		CHECK(watch_errno(x) == EINVAL);
	}
	for (uint32_t cap : {1U, uint32_t(NSTREE_WATCH_MIN_CAPACITY - 1), uint32_t(NSTREE_WATCH_MAX_CAPACITY + 1)}) {
		nstree_watch x = w;
		x.capacity = cap;
		CHECK(watch_errno(x) == EINVAL);
	}
	{
		nstree_watch x = w;
		x.ns_type = 1; // no namespace type
		CHECK(watch_errno(x) == EOPNOTSUPP);
	}
	// Bytes past the struct this module knows must be zero.
	{
		alignas(8) unsigned char big[sizeof(nstree_watch) + 8] = {};
		auto *x = reinterpret_cast<nstree_watch *>(big);
		x->size = sizeof(big);
		big[sizeof(nstree_watch) + 3] = 1;
		errno = 0;
		CHECK(ioctl(ctl().fd(), NSTREE_IOC_WATCH, x) < 0);
		CHECK(errno == E2BIG);
	}
	CHECK(ioctl(ctl().fd(), NSTREE_IOC_WATCH, reinterpret_cast<void *>(8)) < 0);
	CHECK(errno == EFAULT);
	// A caller who may not see all namespaces gets no ring above the default size.
	std::string err = run_as(Caller::nobody, [&]() -> std::string {
		nstree_watch x{};
		x.capacity = NSTREE_WATCH_DEFAULT_CAPACITY * 2;
		if (watch_errno(x) != EPERM)
			return "a large ring was not refused";
		x.capacity = NSTREE_WATCH_DEFAULT_CAPACITY;
		return watch_errno(x) == 0 ? "" : "the default ring was refused";
	});
	CHECK(err == "");

	// read(): a buffer smaller than a record, and one the reader cannot write.
	auto s = open_stream({.activity = false, .initial = true, .nonblock = true});
	char small[NSTREE_WATCH_EVENT_SIZE_VER0 - 1];
	CHECK(read(s.fd(), small, sizeof(small)) < 0);
	CHECK(errno == EINVAL);
	void *ro = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(ro != MAP_FAILED);
	CHECK(read(s.fd(), ro, 4096) < 0);
	CHECK(errno == EFAULT);
	munmap(ro, 4096);
	// Nothing was consumed: the first present record is still the first.
	alignas(8) unsigned char buf[sizeof(nstree_watch_event)];
	REQUIRE(read(s.fd(), buf, sizeof(buf)) == ssize_t(sizeof(buf)));
	auto parsed = nstree::parse_watch_records(buf, sizeof(buf));
	REQUIRE(parsed);
	REQUIRE(parsed->size() == 1);
	CHECK((*parsed)[0].kind == WatchEventKind::present);
	CHECK((*parsed)[0].id == 1);
}

TEST_CASE("watch: many readers at once, a reader killed mid-read, and rmmod while one reads", "[watch][unload]")
{
	REQUIRE_ROOT();
	long base = module_refcount();
	{
		std::vector<WatchStream> many;
		for (int i = 0; i < 8; i++)
			many.push_back(open_stream({.types = CLONE_NEWIPC, .activity = false, .initial = false}));
		Child c = spawn_holder(CLONE_NEWIPC);
		uint64_t id = ns_id_of(c.pid(), "ipc");
		REQUIRE(id > 8);
		for (auto &s : many) {
			std::vector<WatchEvent> ev;
			CHECK(read_until(s, ev, [&](const auto &v) { return has(v, WatchEventKind::created, id); }));
		}
	}
	// A reader blocked in read() is killed: its stream goes with it.
	{
		int ready[2];
		REQUIRE(pipe2(ready, O_CLOEXEC) == 0);
		Child r = fork_child([&]() {
			auto s = WatchStream::open(ctl(), {.types = CLONE_NEWTIME, .activity = false, .initial = false});
			char ok = s ? 1 : 0;
			if (write(ready[1], &ok, 1) != 1 || !s)
				return 1;
			char buf[sizeof(nstree_watch_event)];
			return int(read(s->fd(), buf, sizeof(buf))); // blocks: no time namespace is born
		});
		close(ready[1]);
		char ok = 0;
		REQUIRE(read(ready[0], &ok, 1) == 1);
		close(ready[0]);
		REQUIRE(ok == 1);
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
		kill(r.pid(), SIGKILL);
		r.wait();
	}
	for (int i = 0; i < 100 && module_refcount() != base; i++)
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	CHECK(module_refcount() == base);
	// With /dev/nstree closed, an open stream alone keeps the module in.
	auto s = open_stream({.activity = true, .initial = false});
	ctl_reset();
	CHECK(module_unload() != 0);
	CHECK(module_loaded());
}

TEST_CASE("nstree watch: one line per event, JSON lines, filters and bounds", "[watch][cli][native]")
{
	REQUIRE_ROOT();
	std::atomic<bool> stop{false};
	std::thread churn([&]() {
		std::this_thread::sleep_for(std::chrono::milliseconds(500));
		while (!stop) {
			Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC);
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
		}
	});
	auto json = run_nstree({"watch", "-J", "-t", "uts", "--count", "3", "--timeout", "60"});
	auto text = run_nstree({"watch", "--type=ipc", "--count", "2", "--timeout", "60"});
	auto initial = run_nstree({"watch", "-J", "--initial", "--timeout", "0.5"});
	stop = true;
	churn.join();
	INFO(json.err << text.err << initial.err);
	REQUIRE(json.status == 0);
	std::istringstream lines(json.out);
	std::string line;
	int n = 0;
	while (std::getline(lines, line)) {
		auto j = nlohmann::json::parse(line);
		CHECK(j["schema"] == 1);
		CHECK(j["type"] == "uts");
		// A holder's uts namespace may be seen inactive (its holder exited) before it dies.
		CHECK((j["event"] == "created" || j["event"] == "inactive" || j["event"] == "died"));
		if (j["event"] == "created") {
			CHECK(j["pid"].is_number());
			CHECK(j["owner"] == 3);
		}
		CHECK(j["id"].get<uint64_t>() > 8);
		n++;
	}
	CHECK(n == 3);
	REQUIRE(text.status == 0);
	CHECK(text.out.starts_with("TIME"));
	CHECK(text.out.find(" ipc ") != std::string::npos);
	REQUIRE(initial.status == 0);
	std::set<uint64_t> present;
	std::istringstream il(initial.out);
	while (std::getline(il, line)) {
		auto j = nlohmann::json::parse(line);
		if (j["event"] == "present")
			present.insert(j["id"].get<uint64_t>());
	}
	for (uint64_t init = 1; init <= 8; init++)
		CHECK(present.count(init));
	auto bad = run_nstree({"watch", "--type", "bogus"});
	CHECK(bad.status == 1);
	CHECK(bad.err.find("unknown namespace type") != std::string::npos);
}
