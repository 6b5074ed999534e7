// SPDX-License-Identifier: GPL-2.0
#include "compat_filter.hpp"

#include <cerrno>
#include <cstddef>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "module_client.hpp"
#include "nstree.h"
#include "privilege.hpp"

namespace nstree {

namespace {

constexpr unsigned kNrListns = 470; // x86-64; the kernels this serves have no such call

} // namespace

Status trap_listns_for_module()
{
	// arch != x86-64: allow; nr == 470: trap with our data; else allow.
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kNrListns, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | NSTREE_COMPAT_SECCOMP_DATA),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = static_cast<unsigned short>(sizeof(code) / sizeof(code[0])), .filter = code};
	if (!read_privilege().cap_sys_admin && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return Error::from_errno(errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		return Error::from_errno(errno, "installing the seccomp filter that traps listns(2)");
	return Ok{};
}

Status module_answers_listns_traps()
{
	auto client = ModuleClient::open();
	if (!client)
		return client.error();
	auto v = client->version();
	if (!v)
		return v.error();
	if (!(v->features & NSTREE_FEATURE_UPSTREAM_API))
		return Error{ENOTSUP, "the nstree module was loaded with upstream_api=0: reload it without that "
				      "parameter for upstream's API"};
	return Ok{};
}

} // namespace nstree
