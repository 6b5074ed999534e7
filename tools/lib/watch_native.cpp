// SPDX-License-Identifier: GPL-2.0
// NativeWatch: the stream of Documentation/watch.md made in user space from the
// records of bpf/ns_events.bpf.c and from listns(2).
//  - _ADDED becomes `created`, _REMOVED `died`; a namespace the starting listing
//    showed is not announced twice.
//  - _RECHECK says a namespace's active count changed. After each batch of records
//    the IDs to check leave the programs' pending map and then listns(2) says
//    which are active; an event is made where that differs from what the stream
//    said last. The question follows every change it answers for (the .bpf.c file
//    argues it), so the last answer is the namespace's state.
//  - A namespace is taken to be active when it is created, as the module's stream
//    says (its maker installs it at once); the check that follows the install
//    then finds nothing to report.
#include "watch_native.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

#include <linux/nsfs.h>

#include "bpf_ringbuf.hpp"
#include "listns_pages.hpp"
#include "ns_facts.hpp"
#include "nsfs_handles.hpp"
#include "privilege.hpp"

#ifdef NSTREE_HAVE_BPF
#include "bpf/ns_events_loader.h"
#include "bpf/ns_events_record.h"
#endif

namespace nstree {

#ifdef NSTREE_HAVE_BPF

namespace {

// Above this many namespaces to check, one listing of all is cheaper than one
// listns(2) call each.
constexpr size_t kCheckOneByOne = 32;
// Records taken from the ring buffer in one read: under a burst the checks still
// run, and a read's events stay bounded.
constexpr size_t kRecordsPerRead = 65536;
// The longest a read waits before it looks for losses again.
constexpr int kLossPollMs = 1000;

struct ProgramsUnload {
	void operator()(nstree_ns_events *ev) const { nstree_ns_events_unload(ev); }
};
using Programs = std::unique_ptr<nstree_ns_events, ProgramsUnload>;

// What a record or the starting listing says of a namespace.
struct NsState {
	uint32_t type = 0;
	uint32_t inum = 0;
	uint64_t owner = 0;
	uint64_t parent = 0;
};

NsState state_of(const nstree_ns_record &r)
{
	return NsState{r.ns_type, r.ns_inum, r.owner_id, r.parent_id};
}

uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return uint64_t(ts.tv_sec) * 1000000000ULL + uint64_t(ts.tv_nsec);
}

// The ID of the namespace a relation ioctl (NS_GET_USERNS, NS_GET_PARENT) of @fd
// names, 0 if none or hidden.
uint64_t related_id(int fd, unsigned long request)
{
	Fd rel(ioctl(fd, request));
	return rel ? ns_get_id(rel.get()).value_or(0) : 0;
}

// A namespace of the starting listing, opened to learn its type, owner and parent;
// empty when it died meanwhile (its _REMOVED follows).
std::optional<NsState> describe(uint64_t id)
{
	auto fd = open_nsfs_id(id);
	if (!fd)
		return std::nullopt;
	auto facts = read_ns_facts(fd->get(), FactsWanted{.type = true, .relations = false, .id = false});
	if (!facts)
		return std::nullopt;
	NsState s{facts->type, uint32_t(facts->inode), related_id(fd->get(), NS_GET_USERNS), 0};
	if (s.type == CLONE_NEWPID || s.type == CLONE_NEWUSER)
		s.parent = related_id(fd->get(), NS_GET_PARENT);
	return s;
}

// Every namespace listns(2) shows now.
Result<std::vector<uint64_t>> listed_now()
{
	return list_all_pages(ListRequest{}, 4096, listns_syscall_page);
}

// A namespace to ask listns(2) about: a record said its active count changed.
struct Check {
	NsState state;    // as the record read it
	uint64_t time_ns; // CLOCK_MONOTONIC of the first change since the last check
};

// Which of @ids listns(2) shows now.
Result<std::unordered_set<uint64_t>> active_now(const std::map<uint64_t, Check> &ids)
{
	std::unordered_set<uint64_t> active;
	if (ids.size() > kCheckOneByOne) {
		auto all = listed_now();
		if (!all)
			return all.error();
		for (uint64_t id : *all)
			if (ids.contains(id))
				active.insert(id);
		return active;
	}
	for (const auto &[id, c] : ids) {
		// The first active namespace of its type from @id on: @id itself if active.
		auto page = listns_syscall_page(ListRequest{.types = c.state.type, .owner = 0, .after = id - 1}, 1);
		if (!page)
			return page.error();
		if (!page->empty() && page->front() == id)
			active.insert(id);
	}
	return active;
}

class NativeWatch final : public WatchSource {
public:
	NativeWatch(Programs progs, BpfRingbuf ring, const WatchOptions &opts)
		: progs_(std::move(progs)), ring_(std::move(ring)), opts_(opts),
		  mono_to_real_(int64_t(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC)))
	{
	}

	// The listing the stream starts from (taken after the programs are attached,
	// so nothing born or changed after it is missed): `present` events.
	Status start()
	{
		auto ids = listed_now();
		if (!ids)
			return ids.error();
		const uint64_t now = clock_ns(CLOCK_REALTIME);
		for (uint64_t id : *ids)
			meet(id, WatchEventKind::present, now, opts_.initial ? &backlog_ : nullptr);
		number(backlog_);
		return Ok{};
	}

	Result<std::vector<WatchEvent>> next(int timeout_ms) override
	{
		std::vector<WatchEvent> out = std::exchange(backlog_, {});
		if (!out.empty())
			return out;
		using Clock = std::chrono::steady_clock;
		const auto end = Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
		for (;;) {
			auto st = drain(out);
			if (!st)
				return st.error();
			if (!out.empty())
				return out;
			// At most a second at a time: a loss (which wakes no one) is reported
			// within a second.
			int wait = kLossPollMs;
			if (timeout_ms >= 0) {
				auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
				if (left.count() <= 0)
					return out;
				wait = int(std::min<long long>(left.count(), kLossPollMs));
			}
			auto ready = ring_.wait(wait);
			if (!ready)
				return ready.error();
		}
	}

private:
	bool wanted(uint32_t type) const { return !opts_.types || (opts_.types & type); }

	WatchEvent event(WatchEventKind kind, uint64_t id, const NsState &s, uint64_t real_ns)
	{
		WatchEvent e;
		e.kind = kind;
		e.time_ns = real_ns;
		e.id = id;
		e.type = s.type;
		e.inum = s.inum;
		e.owner = s.owner;
		e.parent = s.parent;
		e.active = kind == WatchEventKind::present || kind == WatchEventKind::created;
		return e;
	}

	// A listed namespace the stream did not know: opened to learn what it is,
	// known from now on, and announced as @kind in @out (if @out). Nothing when it
	// died meanwhile (its removal follows).
	void meet(uint64_t id, WatchEventKind kind, uint64_t real_ns, std::vector<WatchEvent> *out)
	{
		auto s = describe(id);
		if (!s)
			return;
		known_[id] = *s;
		if (out && wanted(s->type))
			out->push_back(event(kind, id, *s, real_ns));
	}

	void number(std::vector<WatchEvent> &v)
	{
		for (auto &e : v)
			e.seq = ++seq_;
	}

	uint64_t real_time(uint64_t mono_ns) const { return uint64_t(int64_t(mono_ns) + mono_to_real_); }

	void on_record(const nstree_ns_record &r, std::vector<WatchEvent> &out)
	{
		switch (r.kind) {
		case NSTREE_NS_RECORD_ADDED: {
			NsState s = state_of(r);
			// Born between the attach and the starting listing: already `present`.
			if (!known_.try_emplace(r.ns_id, s).second || !wanted(s.type))
				return;
			WatchEvent e = event(WatchEventKind::created, r.ns_id, s, real_time(r.time_ns));
			e.pid = r.pid;
			e.comm.assign(r.comm, strnlen(r.comm, sizeof(r.comm)));
			out.push_back(std::move(e));
			return;
		}
		case NSTREE_NS_RECORD_REMOVED: {
			NsState s = state_of(r);
			if (auto it = known_.find(r.ns_id); it != known_.end()) {
				s = it->second;
				known_.erase(it);
			}
			to_check_.erase(r.ns_id);
			if (wanted(s.type))
				out.push_back(event(WatchEventKind::died, r.ns_id, s, real_time(r.time_ns)));
			return;
		}
		case NSTREE_NS_RECORD_RECHECK:
			to_check_.try_emplace(r.ns_id, Check{state_of(r), r.time_ns});
			return;
		}
	}

	// Asks listns(2) about every namespace a record said changed.
	Status check(std::vector<WatchEvent> &out)
	{
		if (to_check_.empty())
			return Ok{};
		// Out of the pending map first: a change from here on sends a new record.
		for (const auto &[id, c] : to_check_)
			nstree_ns_events_unpend(progs_.get(), id);
		auto active = active_now(to_check_);
		if (!active)
			return active.error();
		for (const auto &[id, c] : to_check_) {
			bool now = active->contains(id);
			auto it = known_.find(id);
			if ((it != known_.end()) == now)
				continue; // the stream knows exactly the active ones
			if (now)
				it = known_.emplace(id, c.state).first;
			if (wanted(it->second.type))
				out.push_back(event(now ? WatchEventKind::active : WatchEventKind::inactive, id,
						    it->second, real_time(c.time_ns)));
			// An inactive namespace is forgotten: it may die with its record
			// lost, and a record of it (active again, or removed) says all
			// an event needs.
			if (!now)
				known_.erase(it);
		}
		to_check_.clear();
		return Ok{};
	}

	// Records lost (no room in the ring buffer, or runs the kernel skipped): a
	// `lost` event with their count, and the stream brought up to date from one
	// listing: the pending map emptied first (a lost recheck's ID would stay in it),
	// then every known namespace the listing does not show is `inactive`, and every
	// one it shows that the stream did not know is `created` (without a maker: its
	// birth may have been among the lost).
	Status note_loss(std::vector<WatchEvent> &out)
	{
		uint64_t dropped = nstree_ns_events_dropped(progs_.get());
		if (dropped == dropped_seen_)
			return Ok{};
		const uint64_t now = clock_ns(CLOCK_REALTIME);
		WatchEvent lost;
		lost.kind = WatchEventKind::lost;
		lost.time_ns = now;
		lost.lost = dropped - dropped_seen_;
		out.push_back(lost);
		dropped_seen_ = dropped;
		nstree_ns_events_unpend_all(progs_.get());
		to_check_.clear();
		auto ids = listed_now();
		if (!ids)
			return ids.error();
		std::unordered_set<uint64_t> listed(ids->begin(), ids->end());
		for (auto it = known_.begin(); it != known_.end();) {
			if (listed.contains(it->first)) {
				++it;
				continue;
			}
			if (wanted(it->second.type))
				out.push_back(event(WatchEventKind::inactive, it->first, it->second, now));
			it = known_.erase(it);
		}
		for (uint64_t id : *ids)
			if (!known_.contains(id))
				meet(id, WatchEventKind::created, now, &out);
		return Ok{};
	}

	Status drain(std::vector<WatchEvent> &out)
	{
		bool bad = false;
		ring_.consume(kRecordsPerRead, [&](std::span<const unsigned char> rec) {
			nstree_ns_record r;
			if (rec.size() < sizeof(r)) {
				bad = true;
				return;
			}
			std::memcpy(&r, rec.data(), sizeof(r));
			on_record(r, out);
		});
		if (bad)
			return Error{EPROTO, "a short record from nstree's BPF programs"};
		auto st = check(out);
		if (st)
			st = note_loss(out);
		if (!st)
			return st;
		// The checks' events carry the time of the change they report, which may
		// precede another namespace's birth or death in this batch: in time order,
		// then numbered.
		std::stable_sort(out.begin(), out.end(),
				 [](const WatchEvent &a, const WatchEvent &b) { return a.time_ns < b.time_ns; });
		number(out);
		return Ok{};
	}

	Programs progs_;
	BpfRingbuf ring_;
	WatchOptions opts_;
	int64_t mono_to_real_;
	std::unordered_map<uint64_t, NsState> known_; // what the stream reported active, and as what
	std::map<uint64_t, Check> to_check_;
	std::vector<WatchEvent> backlog_;
	uint64_t seq_ = 0;
	uint64_t dropped_seen_ = 0;
};

// The ring buffer for a reader who asked for room for @capacity events (0: the
// default): a record and its 8-byte header each; a power of two, at least a page.
uint32_t ring_bytes_for(uint32_t capacity)
{
	if (!capacity)
		return NSTREE_NS_EVENTS_RING_BYTES;
	const uint64_t want = uint64_t(std::min<uint32_t>(capacity, 1U << 20)) * (sizeof(nstree_ns_record) + 8);
	uint64_t bytes = uint64_t(sysconf(_SC_PAGESIZE));
	while (bytes < want)
		bytes <<= 1;
	return uint32_t(bytes);
}

Error load_error(int err)
{
	if (err == -EPERM || err == -EACCES)
		return Error{-err, "nstree watch without the module loads BPF programs on the kernel's namespace "
				   "tree: that needs CAP_BPF and CAP_PERFMON (run it as root)"};
	return Error::from_errno(-err, "loading nstree's BPF programs on __ns_tree_add_raw(), "
				      "__ns_tree_remove() and __ns_ref_active_get()/put() (the kernel needs "
				      "BTF, CONFIG_DEBUG_INFO_BTF, and fentry)");
}

} // namespace

Result<std::unique_ptr<WatchSource>> open_native_watch(const WatchOptions &opts)
{
	if (std::getenv("NSTREE_NO_BPF"))
		return Error{EPERM, "nstree watch without the module needs BPF, and NSTREE_NO_BPF is set"};
	Privilege priv = read_privilege();
	if (!priv.may_see_all())
		return Error{EPERM, "nstree watch without the module needs a caller listns(2) shows every "
				    "namespace to, and " + priv.missing()};
	const uint32_t ring_bytes = ring_bytes_for(opts.capacity);
	nstree_ns_events *raw = nullptr;
	int err = nstree_ns_events_load(&raw, ring_bytes, opts.activity);
	if (err < 0)
		return load_error(err);
	Programs progs(raw);
	auto ring = BpfRingbuf::map(nstree_ns_events_ring_fd(progs.get()), ring_bytes);
	if (!ring)
		return ring.error();
	auto watch = std::make_unique<NativeWatch>(std::move(progs), std::move(*ring), opts);
	auto st2 = watch->start();
	if (!st2)
		return st2.error();
	return std::unique_ptr<WatchSource>(std::move(watch));
}

#else

Result<std::unique_ptr<WatchSource>> open_native_watch(const WatchOptions &)
{
	return Error{ENOSYS, "this nstree was built without BPF (clang, bpftool and libbpf-dev at build time), "
			     "and nstree watch without the module needs it"};
}

#endif

} // namespace nstree
