// SPDX-License-Identifier: GPL-2.0
// The module backend: /dev/nstree of nstree.ko on kernels without listns(2).
#include "backend.hpp"

#include <algorithm>
#include <cstring>
#include <sched.h>

#include "module_client.hpp"
#include "parallel.hpp"
#include "nstree.h"
#include "ns_type.hpp"

namespace nstree {

namespace {

// struct nstree_proc's ns_inum[] order (NSTREE_PROC_NS_*).
constexpr uint32_t kModuleTypeOrder[NSTREE_PROC_NR_NS] = {
	CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWUSER, CLONE_NEWPID,
	CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWNET, CLONE_NEWNS,
};

// What NSTREE_IOC_NS_INFO says of one namespace (type 0: the ID names none).
NsFacts to_facts(const nstree_ns_info &in)
{
	NsFacts f;
	f.type = in.ns_type;
	f.inode = in.ns_inum;
	f.id = in.ns_id;
	if (in.owner_inum)
		f.owner_inode = in.owner_inum;
	if (in.parent_inum)
		f.parent_inode = in.parent_inum;
	if (in.flags & NSTREE_NS_INFO_OWNER_UID)
		f.owner_uid = uid_t(in.owner_uid);
	return f;
}

class ModuleBackend : public Backend {
public:
	explicit ModuleBackend(ModuleClient client) : client_(std::move(client)) {}
	BackendKind kind() const override { return BackendKind::module; }
	bool lists_all() const override { return true; }

	Result<std::vector<uint64_t>> list(uint32_t types) const override
	{
		ListRequest req;
		req.types = types;
		return client_.list_all(req, 4096);
	}

	// The bridged kernel nsfs fd: setns() takes only those.
	Result<Fd> open_id(uint64_t id) const override { return client_.open_id(id, NsFdKind::nsfs); }

	std::optional<uint64_t> id_of(int ns_fd) const override
	{
		auto who = client_.identify(ns_fd);
		return who ? std::optional<uint64_t>(who->id) : std::nullopt;
	}

	// Encoded by nstreefs's own export operations, as upstream's nsfs would.
	Result<NsHandle> handle_of(int ns_fd) const override
	{
		auto tree = client_.reopen(ns_fd, NsFdKind::nstreefs);
		if (!tree)
			return tree.error();
		return NsHandle::of_fd(tree->get());
	}

	Result<Fd> open_handle(const NsHandle &h) const override { return client_.open_handle(h, NsFdKind::nsfs); }

	// NSTREE_IOC_NS_INFO when the module has it and the caller may see everything:
	// one call per CPU for many IDs, each for a contiguous share.
	std::optional<std::vector<NsFacts>> facts_of(const std::vector<uint64_t> &ids) const override
	{
		size_t parts = parallel_parts(ids.size(), 1024);
		std::vector<Result<std::vector<nstree_ns_info>>> infos(parts, Error{0, ""});
		run_parts(parts, [&](size_t p) {
			auto [first, last] = part_range(ids.size(), p, parts);
			infos[p] = client_.ns_info(std::vector<uint64_t>(ids.begin() + ptrdiff_t(first),
									 ids.begin() + ptrdiff_t(last)));
		});
		std::vector<NsFacts> out;
		out.reserve(ids.size());
		for (const auto &part : infos) {
			if (!part)
				return std::nullopt;
			for (const nstree_ns_info &in : *part)
				out.push_back(to_facts(in));
		}
		return out;
	}

	// NSTREE_IOC_CMDLINES: one call per CPU (reading another process's memory is
	// most of the cost, in the kernel), each for a contiguous share; the /proc
	// reads if the module refuses.
	std::vector<std::string> commands(const std::vector<std::pair<pid_t, std::string>> &procs) const override
	{
		std::vector<std::string> out(procs.size());
		size_t parts = parallel_parts(procs.size(), 256);
		std::vector<char> refused(parts);
		run_parts(parts, [&](size_t p) {
			auto [first, last] = part_range(procs.size(), p, parts);
			std::vector<pid_t> pids;
			pids.reserve(last - first);
			for (size_t i = first; i < last; i++)
				pids.push_back(procs[i].first);
			auto raw = client_.cmdlines(pids, kCommandBytes);
			if (!raw) {
				refused[p] = 1;
				return;
			}
			for (size_t i = first; i < last; i++)
				out[i] = command_from_cmdline(std::move((*raw)[i - first]), procs[i].second);
		});
		if (std::count(refused.begin(), refused.end(), 1))
			return read_commands(procs);
		return out;
	}

	std::string process_source() const override { return "NSTREE_IOC_PROCS (one ioctl per CPU)"; }

	// NSTREE_IOC_PROCS when the module has it and lets the caller see everything;
	// otherwise (an unprivileged caller) the /proc walk. One call per CPU, each for
	// a shard of the pids (the module's /proc checks are a path walk per process);
	// one call for the whole table when the module is older than shards.
	ProcessTable processes() const override
	{
		auto table = sharded_procs();
		if (!table && table.error().code == EINVAL)
			table = client_.procs();
		if (!table)
			return scan_processes();
		// In task-list order: sort the small rows by pid, not the entries.
		std::sort(table->begin(), table->end(),
			  [](const nstree_proc &a, const nstree_proc &b) { return a.pid < b.pid; });
		ProcessTable scan;
		scan.entries.reserve(table->size());
		for (const nstree_proc &p : *table) {
			ProcEntry e;
			e.pid = e.tgid = pid_t(p.pid);
			e.ppid = pid_t(p.ppid);
			e.uid = uid_t(p.uid);
			e.comm.assign(p.comm, strnlen(p.comm, sizeof(p.comm)));
			bool any = false;
			for (size_t i = 0; i < NSTREE_PROC_NR_NS; i++) {
				if (auto t = ns_type_index(kModuleTypeOrder[i]))
					e.ns[*t] = p.ns_inum[i];
				any |= p.ns_inum[i] != 0;
			}
			if (!any) // /proc shows the process but refuses its ns links, as the walk records
				scan.refused.insert(e.pid);
			scan.entries.push_back(std::move(e));
		}
		return scan;
	}

private:
	Result<std::vector<nstree_proc>> sharded_procs() const
	{
		const size_t parts = cpu_parts();
		if (parts == 1)
			return client_.procs();
		std::vector<Result<std::vector<nstree_proc>>> shards(parts, Error{0, ""});
		run_parts(parts, [&](size_t p) { shards[p] = client_.procs(uint32_t(p), uint32_t(parts)); });
		std::vector<nstree_proc> all;
		for (auto &shard : shards) {
			if (!shard)
				return shard.error();
			all.insert(all.end(), shard->begin(), shard->end());
		}
		return all;
	}

	ModuleClient client_;
};

} // namespace

Result<std::unique_ptr<Backend>> make_module_backend()
{
	auto client = ModuleClient::open();
	if (!client)
		return client.error();
	auto v = client->version();
	if (!v)
		return v.error();
	if (!(v->features & NSTREE_FEATURE_LISTNS) || !(v->features & NSTREE_FEATURE_HANDLES))
		return Error{ENOTSUP, "the loaded nstree module " + v->version +
					      " lacks listns or handles: load a newer module/nstree.ko"};
	return std::unique_ptr<Backend>(std::make_unique<ModuleBackend>(std::move(*client)));
}

} // namespace nstree
