// SPDX-License-Identifier: GPL-2.0
// The seccomp filter under which the nstree module answers listns(2) on kernels
// without it (module/upstream_api.c, Documentation/compat.md).
#pragma once

#include "error.hpp"

namespace nstree {

// Makes the calling thread, and every process it then starts or execs, trap
// x86-64 system call 470 with SECCOMP_RET_TRAP and NSTREE_COMPAT_SECCOMP_DATA,
// which the module's upstream API layer turns into listns(2). Every other system
// call is allowed. Sets no_new_privs first unless the caller has CAP_SYS_ADMIN
// (seccomp's rule): setuid programs then run without their privilege.
// Irreversible for this process; call it in the child that will exec.
Status trap_listns_for_module();

// Whether the loaded module answers such traps (NSTREE_FEATURE_UPSTREAM_API).
// The error says what is missing.
Status module_answers_listns_traps();

} // namespace nstree
