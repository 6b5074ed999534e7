// SPDX-License-Identifier: GPL-2.0
// nstree doctor: what this machine offers and what the tool will use.
#include <cstdio>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.hpp"
#include "module_client.hpp"

namespace nstree::cli {

int cmd_doctor(std::span<const std::string_view> args)
{
	if (!args.empty()) {
		std::fprintf(stderr, "nstree doctor: takes no arguments\n");
		return kExitFailure;
	}
	struct utsname u;
	uname(&u);
	std::printf("kernel:  %s %s\n", u.sysname, u.release);
	std::printf("euid:    %u\n", unsigned(geteuid()));

	auto client = ModuleClient::open();
	if (!client) {
		std::printf("module:  not available (%s)\n", client.error().str().c_str());
		return kExitOk;
	}
	auto v = client->version();
	if (!v) {
		std::printf("module:  /dev/nstree present but unusable (%s)\n", v.error().str().c_str());
		return kExitFailure;
	}
	std::printf("module:  nstree %s, ABI %u, features 0x%llx\n", v->version.c_str(), v->abi,
		    static_cast<unsigned long long>(v->features));
	return kExitOk;
}

} // namespace nstree::cli
