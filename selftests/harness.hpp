// SPDX-License-Identifier: GPL-2.0
// Helpers for the common moves of the nstree selftests: children in new namespaces,
// user-namespace maps, waiting with a timeout, fds over a socketpair, the module.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <sys/types.h>

#include "fd.hpp"

namespace selftest {

// A forked child, killed and reaped when the Child goes away unless wait()ed for.
class Child {
public:
	Child() = default;
	explicit Child(pid_t pid) : pid_(pid) {}
	Child(const Child &) = delete;
	Child &operator=(const Child &) = delete;
	Child(Child &&o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
	Child &operator=(Child &&o) noexcept;
	~Child();

	pid_t pid() const { return pid_; }
	// Waits up to @timeout; returns the wait status, or -1 (child killed) on timeout.
	int wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
	// For a child whose work takes as long as the machine makes it (TCG on a debug
	// kernel varies several-fold between runs): waits for as long as the child
	// writes to @progress_fd (the read end of its pipe) at least once every
	// @stall; kills it after @stall without a byte. Returns the wait status, or -1
	// (killed for stalling); *@beats counts the bytes seen.
	int wait_while_progressing(int progress_fd, std::chrono::milliseconds stall, long *beats);

private:
	// Reaps the child if it has exited, else asks @keep_waiting (which paces the
	// loop); kills and reaps it once that says no. Returns the status, or -1.
	int reap_or_kill(const std::function<bool()> &keep_waiting);

	pid_t pid_ = -1;
};

// Forks a child that runs @fn and exits with its return value. The child first
// unshares @unshare_flags (CLONE_NEW*; with CLONE_NEWUSER it maps root to the
// parent's uid and gid). The child is dead-on-parent-death.
Child fork_child(const std::function<int()> &fn, int unshare_flags = 0);

// Runs @fn in a child (unsharing @unshare_flags as fork_child() does) and returns
// its exit code (-1 if it did not exit normally).
int exit_code_of(const std::function<int()> &fn, int unshare_flags = 0);

// Runs @fn in a child and returns its exit code (-1 if it did not exit normally).
// As nobody (uid and gid 65534; 100 when the switch fails), or as the first
// process of a new pid namespace: the two callers upstream's may_see_all refuses.
int exit_code_as_nobody(const std::function<int()> &fn);
int exit_code_in_new_pid_namespace(const std::function<int()> &fn);

// The callers upstream's may_see_all_namespaces() tells apart, for privilege tests.
enum class Caller {
	root,	     // in the initial namespaces: may see all
	nobody,	     // uid and gid 65534
	userns_root, // root of a user namespace of its own
	pidns_root,  // root, as the first process of a child pid namespace
};
inline constexpr Caller kCallers[] = {Caller::root, Caller::nobody, Caller::userns_root, Caller::pidns_root};
const char *caller_name(Caller who);

// Runs @fn as @who in a child and returns what it returned ("" for all well), or
// a line saying how the child died. The child is killed after 30 s without a
// heartbeat(): a long @fn beats as it goes, and then takes as long as the
// machine makes it (a debug kernel under TCG is several times slower).
std::string run_as(Caller who, const std::function<std::string()> &fn);

// In the child of a run_as(): tells the parent it is still making progress.
// Elsewhere it does nothing.
void heartbeat();

// Like fork_child, but the child signals readiness and then sleeps until killed:
// a process that holds its namespaces for as long as the Child lives. With
// CLONE_NEWPID it also forks the new pid namespace's first process.
Child spawn_holder(int unshare_flags);

// A child that has become uid and gid 65534 and sleeps until killed (ready once it
// has switched): a process of another user. An empty Child when that failed.
Child spawn_nobody();

// A child that wrote over the NUL ending its last argument, as setproctitle(3) may,
// and sleeps until killed: /proc/PID/cmdline then shows its first argument only.
// An empty Child when that failed.
Child spawn_retitled();

// Drops @cap (CAP_*) from this process's effective, permitted and inheritable sets.
bool drop_capability(int cap);

// Leaves gid 0 and every supplementary group (uid and capabilities stay): procfs's
// gid= option defaults to 0, whose members hidepid= never hides anything from.
bool leave_group_zero();

// In a mount namespace of this process's own (it unshares one), mounts a new procfs
// on /proc with @options ("hidepid=invisible"...). For a child that then asks /proc.
bool mount_private_proc(const char *options);

// Writes uid_map/gid_map of @pid (setgroups deny) mapping @inside to @outside.
bool write_id_maps(pid_t pid, uid_t inside_uid, uid_t outside_uid, gid_t inside_gid, gid_t outside_gid);

// Sends or receives one fd over a unix socket (SCM_RIGHTS).
bool send_fd(int sock, int fd);
nstree::Fd recv_fd(int sock);

// The module under test (path from $NSTREE_KO).
bool module_loaded();
int module_load();   // 0 or -errno
int module_load_with(const char *params); // with module parameters: 0 or -errno
int module_unload(); // 0 or -errno (never waits)
// Like module_unload(), but gives exiting processes up to @seconds to let go of
// module references (files of an exiting task are released by a deferred fput).
int module_unload_settled(int seconds = 10);
long module_refcount(); // /sys/module/nstree/refcnt, or -1
// "pid N fd M: what" for every fd in the guest that pins the module (diagnostics).
std::string module_holders();
std::string module_path();

// @bounded in the test command, @long_count under `make campaign` (NSTREE_CAMPAIGN=long).
long campaign_count(long bounded, long long_count);

// Current value of a counter in /sys/kernel/debug/nstree/stats, or -1.
long long module_stat(const std::string &name);

// The module's counts that must come back after a test: live dentries, tracked
// entries (within a few: the initial namespaces' children of other tests), the
// initial pid namespace's count; and no dead entry pending, no death missed.
class Baseline {
public:
	Baseline();
	// Waits up to @seconds (exited children's files go through a deferred fput,
	// and net and user namespaces die from work items, slowly under TCG), then
	// says what did not come back, or "".
	std::string settle(int seconds = 20) const;

private:
	long long dentries_, tracked_, pidns_;
};

} // namespace selftest

// SKIP unless running as root (the guest runs tests as root; a host run may not).
#define REQUIRE_ROOT()                                  \
	do {                                            \
		if (geteuid() != 0)                     \
			SKIP("needs root");             \
	} while (0)
