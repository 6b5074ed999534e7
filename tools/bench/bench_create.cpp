// SPDX-License-Identifier: GPL-2.0
// What the loaded module costs namespace creation: the rate of a child that
// unshares CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC and exits (its namespaces
// die with it), with the module unloaded and loaded, in the same guest. The module
// hooks namespace births (its activity hooks) and deaths (proc_free_inum).
#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.hpp"
#include "fd.hpp"

namespace bench {
namespace {

constexpr int kChildren = 200;

// Children per second, each unsharing three namespaces and exiting, one at a time.
double rate()
{
	double ns = best_ns_per_op(kChildren, 3, []() {
		pid_t pid = fork();
		if (pid == 0)
			_exit(unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC) ? 1 : 0);
		int st;
		waitpid(pid, &st, 0);
	});
	return 1e9 / ns;
}

// The guest's module (NSTREE_KO, as its init loads it): loaded, or unloaded.
bool module_set(bool loaded)
{
	if (loaded) {
		const char *ko = std::getenv("NSTREE_KO");
		nstree::Fd fd(open(ko ? ko : "/lib/modules/nstree.ko", O_RDONLY | O_CLOEXEC));
		return fd.valid() && (syscall(SYS_finit_module, fd.get(), "", 0) == 0 || errno == EEXIST);
	}
	for (int i = 0; i < 50; i++) {
		if (syscall(SYS_delete_module, "nstree", O_NONBLOCK) == 0 || errno == ENOENT)
			return true;
		usleep(100 * 1000); // a namespace's death may still be on its way through the module
	}
	return false;
}

} // namespace

int bench_create()
{
	std::printf("create: unshare(NET|UTS|IPC) + exit, children per second, module unloaded and loaded\n");
	if (!module_set(false)) {
		std::fprintf(stderr, "bench create: cannot unload nstree (something holds it)\n");
		return 1;
	}
	double unloaded = rate();
	if (!module_set(true)) {
		std::fprintf(stderr, "bench create: cannot load nstree again\n");
		return 1;
	}
	double loaded = rate();
	row("module unloaded", unloaded, "/s");
	row("module loaded", loaded, "/s");
	std::printf("  %-58s %12.2fx  (goal >= 0.95x, issue 20's with one watcher: %s)\n", "loaded / unloaded",
		    loaded / unloaded, loaded / unloaded >= 0.95 ? "met" : "NOT met");
	std::printf("RESULT create loaded_over_unloaded %.3f\n", loaded / unloaded);
	return 0;
}

} // namespace bench
