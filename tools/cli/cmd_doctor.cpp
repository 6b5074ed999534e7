// SPDX-License-Identifier: GPL-2.0
// nstree doctor: what this machine offers and what the tool will use.
#include <cstdio>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.hpp"
#include "common.hpp"
#include "module_client.hpp"
#include "nsfs_handles.hpp"
#include "privilege.hpp"
#include "statx_batch.hpp"

namespace nstree::cli {

int cmd_doctor(std::span<const std::string_view> args)
{
	if (!args.empty()) {
		std::fprintf(stderr, "nstree doctor: takes no arguments\n");
		return kExitFailure;
	}
	struct utsname u;
	uname(&u);
	std::printf("kernel:     %s %s\n", u.sysname, u.release);
	auto client = ModuleClient::open();
	auto version = client ? client->version() : Result<ModuleVersion>(client.error());
	const bool layer = version && (version->features & NSTREE_FEATURE_UPSTREAM_API);
	if (kernel_has_listns())
		std::printf("listns(2):  yes\n");
	else if (layer)
		std::printf("listns(2):  no; the nstree module answers it for commands run under 'nstree compat'\n");
	else
		std::printf("listns(2):  no (Linux >= 6.19 has it)\n");
	if (kernel_has_nsfs_handles())
		std::printf("handles:    yes, nsfs file handles and NS_GET_ID%s\n",
			    layer ? ", from the nstree module (upstream API layer), for every program" : "");
	else
		std::printf("handles:    no nsfs file handles (Linux >= 6.18 has them)\n");

	if (!client) {
		std::printf("module:     not available (%s)\n", client.error().str().c_str());
	} else if (const auto &v = version; !v) {
		std::printf("module:     /dev/nstree present but unusable (%s)\n", v.error().str().c_str());
	} else {
		std::printf("module:     nstree %s, ABI %u, features 0x%llx\n", v->version.c_str(), v->abi,
			    static_cast<unsigned long long>(v->features));
		// What a build without the kernel's private headers, or a kernel without the
		// io_uring layout the module knows, leaves out (Documentation/admin-guide.md).
		if (!(v->features & NSTREE_FEATURE_MNT_NS_INFO))
			std::printf("            without NS_MNT_GET_INFO and detached-mount holders: built without the "
				    "kernel's private fs/mount.h (install linux-source-SERIES of the kernel's version "
				    "and rebuild with dkms)\n");
		if (v->features & NSTREE_FEATURE_UPSTREAM_API)
			std::printf("            upstream API layer: on (every program gets NS_GET_ID and nsfs file "
				    "handles, 'nstree compat' commands listns(2); Documentation/compat.md)\n");
		else
			std::printf("            upstream API layer: off (module parameter upstream_api=0)\n");
		if (!(v->features & NSTREE_FEATURE_HOLDERS_IO_URING))
			std::printf("            without io_uring holders: this kernel's io_uring is not one the module "
				    "knows (nstree orphans counts those files as unexplained)\n");
	}
	auto backend = pick_backend(std::nullopt);
	if (backend) {
		std::printf("backend:    %s (%s)\n", backend_name(backend->backend->kind()), backend->reason.c_str());
		std::printf("processes:  %s\n", backend->backend->process_source().c_str());
	} else
		std::printf("backend:    none usable (%s)\n", backend.error().str().c_str());
	StatxBatch batch;
	std::printf("io_uring:   %s\n", batch.uses_io_uring() ? "yes (batched /proc statx)" : "no (one statx at a time)");

	Privilege p = read_privilege();
	std::printf("euid:       %u\n", unsigned(geteuid()));
	std::printf("privilege:  %s\n", p.describe().c_str());
	return backend ? kExitOk : kExitFailure;
}

} // namespace nstree::cli
