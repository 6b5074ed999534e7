// SPDX-License-Identifier: GPL-2.0
// The module backend: /dev/nstree of nstree.ko on kernels without listns(2).
#include "backend.hpp"

#include <algorithm>
#include <cstring>
#include <sched.h>

#include "module_client.hpp"
#include "nstree.h"
#include "ns_type.hpp"

namespace nstree {

namespace {

// struct nstree_proc's ns_inum[] order (NSTREE_PROC_NS_*).
constexpr uint32_t kModuleTypeOrder[NSTREE_PROC_NR_NS] = {
	CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWUSER, CLONE_NEWPID,
	CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWNET, CLONE_NEWNS,
};

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

	// NSTREE_IOC_NS_INFO when the module has it and the caller may see everything.
	std::optional<std::vector<NsFacts>> facts_of(const std::vector<uint64_t> &ids) const override
	{
		auto infos = client_.ns_info(ids);
		if (!infos)
			return std::nullopt;
		std::vector<NsFacts> out(infos->size());
		for (size_t i = 0; i < infos->size(); i++) {
			const nstree_ns_info &in = (*infos)[i];
			NsFacts &f = out[i];
			f.type = in.ns_type;
			f.inode = in.ns_inum;
			f.id = in.ns_id;
			if (in.owner_inum)
				f.owner_inode = in.owner_inum;
			if (in.parent_inum)
				f.parent_inode = in.parent_inum;
			if (in.flags & NSTREE_NS_INFO_OWNER_UID)
				f.owner_uid = uid_t(in.owner_uid);
		}
		return out;
	}

	// NSTREE_IOC_PROCS when the module has it and lets the caller see everything;
	// otherwise (an older module, an unprivileged caller) the /proc walk.
	// One NSTREE_IOC_CMDLINES call for 5,000 processes instead of 15,000 system calls.
	std::vector<std::string> commands(const std::vector<std::pair<pid_t, std::string>> &procs) const override
	{
		std::vector<pid_t> pids;
		for (const auto &p : procs)
			pids.push_back(p.first);
		auto raw = client_.cmdlines(pids, kCommandBytes);
		if (!raw)
			return read_commands(procs);
		std::vector<std::string> out;
		for (size_t i = 0; i < procs.size(); i++)
			out.push_back(command_from_cmdline(std::move((*raw)[i]), procs[i].second));
		return out;
	}

	std::string process_source() const override { return "NSTREE_IOC_PROCS (one ioctl)"; }

	ProcScan processes() const override
	{
		auto table = client_.procs();
		if (!table)
			return scan_processes();
		ProcScan scan;
		for (const nstree_proc &p : *table) {
			ProcEntry e;
			e.pid = e.tgid = pid_t(p.pid);
			e.ppid = pid_t(p.ppid);
			e.uid = uid_t(p.uid);
			e.comm.assign(p.comm, strnlen(p.comm, sizeof(p.comm)));
			for (size_t i = 0; i < NSTREE_PROC_NR_NS; i++)
				if (auto t = ns_type_index(kModuleTypeOrder[i]))
					e.ns[*t] = p.ns_inum[i];
			scan.entries.push_back(std::move(e));
		}
		std::sort(scan.entries.begin(), scan.entries.end(),
			  [](const ProcEntry &a, const ProcEntry &b) { return a.pid < b.pid; });
		return scan;
	}

private:
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
