// SPDX-License-Identifier: GPL-2.0
// The module backend: /dev/nstree of nstree.ko on kernels without listns(2).
#include "backend.hpp"
#include "module_client.hpp"
#include "nstree.h"

namespace nstree {

namespace {

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
