// SPDX-License-Identifier: GPL-2.0
// nstree watch: namespace births, activations, deactivations and deaths as they
// happen, one per line (Documentation/watch.md).
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "backend.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "module_client.hpp"
#include "ns_type.hpp"
#include "privilege.hpp"
#include "render.hpp"
#include "watch_native.hpp"
#include "watch_stream.hpp"

namespace nstree::cli {

namespace {

constexpr char kUsage[] = "usage: nstree watch [-J] [-t TYPE]... [--owner ID] [--count N] [--timeout S] "
			  "[--initial] [-n]";
// The JSON lines' schema version (Documentation/nstree-watch.schema.json).
constexpr int kSchema = 1;

struct WatchArgs {
	bool json = false;
	bool initial = false;
	bool noheadings = false;
	uint32_t types = 0;
	std::optional<uint64_t> owner;
	std::optional<uint64_t> count;
	std::optional<double> timeout;
};

template <typename T> std::optional<T> parse_number(std::string_view s)
{
	T v{};
	auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
	if (ec != std::errc() || p != s.data() + s.size())
		return std::nullopt;
	return v;
}

Result<WatchArgs> parse(std::span<const std::string_view> args)
{
	WatchArgs a;
	for (size_t i = 0; i < args.size(); i++) {
		std::string_view arg = args[i];
		auto is = [&](std::string_view shortopt, std::string_view name) {
			return (!shortopt.empty() && arg == shortopt) || arg == name ||
			       (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
		};
		auto value = [&](std::string_view name) -> Result<std::string_view> {
			if (arg.size() > name.size() && arg.starts_with(name) && arg[name.size()] == '=')
				return arg.substr(name.size() + 1);
			if (i + 1 >= args.size())
				return Error{EINVAL, std::string(name) + " needs a value\n" + kUsage};
			return args[++i];
		};
		if (arg == "-J" || arg == "--json") {
			a.json = true;
		} else if (arg == "-n" || arg == "--noheadings") {
			a.noheadings = true;
		} else if (arg == "--initial") {
			a.initial = true;
		} else if (is("-t", "--type")) {
			auto v = value("--type");
			if (!v)
				return v.error();
			std::string_view rest = *v;
			while (!rest.empty()) {
				auto comma = rest.find(',');
				std::string_view name = rest.substr(0, comma);
				auto idx = ns_type_index(name);
				if (!idx)
					return Error{EINVAL, "unknown namespace type '" + std::string(name) +
								     "': mnt, net, pid, uts, ipc, user, cgroup or time"};
				a.types |= kNsTypes[*idx].flag;
				rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
			}
		} else if (is("", "--owner")) {
			auto v = value("--owner");
			if (!v)
				return v.error();
			a.owner = parse_number<uint64_t>(*v);
			if (!a.owner)
				return Error{EINVAL, "--owner takes a user namespace ID (a number), not '" +
							     std::string(*v) + "'"};
		} else if (is("", "--count")) {
			auto v = value("--count");
			if (!v)
				return v.error();
			a.count = parse_number<uint64_t>(*v);
			if (!a.count || !*a.count)
				return Error{EINVAL, "--count takes a positive number of events"};
		} else if (is("", "--timeout")) {
			auto v = value("--timeout");
			if (!v)
				return v.error();
			a.timeout = parse_number<double>(*v);
			if (!a.timeout || *a.timeout < 0)
				return Error{EINVAL, "--timeout takes a number of seconds"};
		} else {
			return Error{EINVAL, "unknown argument '" + std::string(arg) + "'\n" + kUsage};
		}
	}
	return a;
}

// What the stream has said of a namespace: its owner and parent, which only its
// present or created event carries.
struct Known {
	uint64_t owner = 0;
	uint64_t parent = 0;
};

std::string iso_time(uint64_t ns)
{
	time_t s = time_t(ns / 1000000000);
	struct tm tm;
	gmtime_r(&s, &tm);
	char buf[64];
	size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	std::snprintf(buf + n, sizeof(buf) - n, ".%06" PRIu64 "Z", (ns % 1000000000) / 1000);
	return buf;
}

std::string id_or_dash(uint64_t id)
{
	return id ? std::to_string(id) : "-";
}

// Whether to print @e, whose namespace the stream described as @k: present events
// only with --initial; never a second event announcing one namespace (the present
// walk may report one that is then announced as it gets its entry); with --owner,
// only that owner's namespaces.
bool wanted(const WatchArgs &a, const WatchEvent &e, const Known &k, bool repeated)
{
	if (e.kind == WatchEventKind::lost)
		return true;
	if ((e.kind == WatchEventKind::present && !a.initial) || repeated)
		return false;
	return !a.owner || k.owner == *a.owner;
}

void print_header()
{
	std::printf("%-27s %-8s %6s %-6s %10s %6s %6s %7s %s\n", "TIME", "EVENT", "ID", "TYPE", "INODE", "OWNER",
		    "PARENT", "PID", "COMMAND");
}

void print_line(const WatchEvent &e, const Known &k)
{
	if (e.kind == WatchEventKind::lost) {
		std::printf("%-27s %-8s %" PRIu64 " events were dropped: the reader fell behind\n",
			    iso_time(e.time_ns).c_str(), "lost", e.lost);
		return;
	}
	std::string pid = e.pid ? (*e.pid ? std::to_string(*e.pid) : "?") : "-";
	std::printf("%-27s %-8s %6" PRIu64 " %-6s %10u %6s %6s %7s %s\n", iso_time(e.time_ns).c_str(),
		    std::string(watch_event_name(e.kind)).c_str(), e.id, std::string(ns_type_name(e.type)).c_str(),
		    e.inum, id_or_dash(k.owner).c_str(), id_or_dash(k.parent).c_str(), pid.c_str(),
		    e.pid ? e.comm.c_str() : "-");
}

void print_json(const WatchEvent &e, const Known &k)
{
	std::string line = "{\"schema\":" + std::to_string(kSchema) + ",\"seq\":" + std::to_string(e.seq) +
			   ",\"time\":" + json_quote(iso_time(e.time_ns)) + ",\"event\":\"" +
			   std::string(watch_event_name(e.kind)) + "\"";
	if (e.kind == WatchEventKind::lost) {
		line += ",\"count\":" + std::to_string(e.lost);
	} else {
		auto id_or_null = [](uint64_t id) { return id ? std::to_string(id) : std::string("null"); };
		line += ",\"id\":" + std::to_string(e.id) + ",\"type\":\"" + std::string(ns_type_name(e.type)) +
			"\",\"inode\":" + std::to_string(e.inum) + ",\"owner\":" + id_or_null(k.owner) +
			",\"parent\":" + id_or_null(k.parent);
		if (e.kind == WatchEventKind::present || e.kind == WatchEventKind::created)
			line += std::string(",\"active\":") + (e.active ? "true" : "false");
		if (e.pid)
			line += ",\"pid\":" + (*e.pid ? std::to_string(*e.pid) : std::string("null")) +
				",\"command\":" + json_quote(e.comm);
	}
	line += "}\n";
	std::fputs(line.c_str(), stdout);
}

// The module's stream where the module is loaded; else, on a kernel with
// listns(2), BPF on the kernel's namespace tree. The present walk is always asked
// for: it tells the owner and parent of the namespaces that die later. It is
// printed only with --initial.
Result<std::unique_ptr<WatchSource>> open_source(const WatchArgs &a)
{
	const WatchOptions opts{.types = a.types, .initial = true};
	auto module = ModuleClient::open();
	if (module) {
		auto stream = WatchStream::open(*module, opts);
		if (!stream)
			return stream.error();
		return std::unique_ptr<WatchSource>(std::make_unique<WatchStream>(std::move(*stream)));
	}
	if (kernel_has_listns())
		return open_native_watch(opts);
	Error e = module.error();
	e.message += "; nstree watch needs it: on this kernel no other source of namespace events exists";
	return e;
}

} // namespace

int cmd_watch(std::span<const std::string_view> args)
{
	auto parsed = parse(args);
	if (!parsed) {
		print_error("watch", parsed.error());
		return kExitFailure;
	}
	const WatchArgs &a = *parsed;
	auto stream = open_source(a);
	if (!stream) {
		print_error("watch", stream.error());
		return kExitFailure;
	}
	Privilege priv = read_privilege();
	if (!priv.may_see_all())
		std::fprintf(stderr, "nstree: watch: only events of your own namespaces are shown: %s\n",
			     priv.missing().c_str());
	if (!a.json && !a.noheadings)
		print_header();
	std::fflush(stdout);

	using Clock = std::chrono::steady_clock;
	const auto deadline = a.timeout ? std::optional(Clock::now() + std::chrono::duration_cast<Clock::duration>(
									  std::chrono::duration<double>(*a.timeout)))
					: std::nullopt;
	std::unordered_map<uint64_t, Known> known;
	uint64_t printed = 0;
	for (;;) {
		int wait_ms = -1;
		if (deadline) {
			auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
			if (left <= 0)
				break;
			wait_ms = int(std::min<long long>(left, 1 << 30));
		}
		auto events = (*stream)->next(wait_ms);
		if (!events) {
			print_error("watch", events.error());
			return kExitFailure;
		}
		for (const auto &e : *events) {
			Known k;
			bool repeated = false;
			if (e.kind == WatchEventKind::present || e.kind == WatchEventKind::created) {
				auto [it, inserted] = known.try_emplace(e.id, Known{e.owner, e.parent});
				repeated = !inserted;
				k = it->second;
			} else if (auto it = known.find(e.id); it != known.end()) {
				k = it->second;
			} else {
				// Never announced to us (inactive when the stream began): what
				// the event itself says, where the source records it.
				k = Known{e.owner, e.parent};
			}
			if (e.kind == WatchEventKind::died)
				known.erase(e.id);
			if (!wanted(a, e, k, repeated))
				continue;
			if (a.json)
				print_json(e, k);
			else
				print_line(e, k);
			if (e.kind != WatchEventKind::present && a.count && ++printed >= *a.count) {
				std::fflush(stdout);
				return priv.may_see_all() ? kExitOk : kExitPartial;
			}
		}
		if (std::fflush(stdout) != 0)
			return kExitFailure;
	}
	return priv.may_see_all() ? kExitOk : kExitPartial;
}

} // namespace nstree::cli
