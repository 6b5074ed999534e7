// SPDX-License-Identifier: GPL-2.0
// nstree orphans against the way people look for holders today: `lsof -n` for the
// whole system plus `findmnt` in each mount namespace, at 5,000 processes with 20
// orphaned tmpfs planted (each held by one fd of this process after its mount
// namespace died). Goal: >= 20x faster. It also counts the planted orphans nstree
// names; lsof lists their fds too, but nothing in its output or findmnt's tells
// that their filesystem is reachable from no namespace.
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sched.h>
#include <set>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "bench.hpp"
#include "fd.hpp"

namespace bench {
namespace {

constexpr int kOrphans = 20;

// A child in a new mount namespace mounts kOrphans tmpfs with one file each; this
// process opens every file, then lets the child exit: the namespace dies and the
// fds are all that hold the filesystems.
std::vector<nstree::Fd> plant_orphans()
{
	std::vector<nstree::Fd> held;
	int ready[2], go[2];
	if (pipe(ready) || pipe(go))
		return held;
	pid_t child = fork();
	if (child == 0) {
		close(ready[0]);
		close(go[1]);
		if (unshare(CLONE_NEWNS) || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr))
			_exit(1);
		for (int i = 0; i < kOrphans; i++) {
			std::string dir = "/tmp/bench-orphan-" + std::to_string(i);
			mkdir(dir.c_str(), 0755);
			if (mount("bench", dir.c_str(), "tmpfs", 0, "size=1m"))
				_exit(2);
			close(open((dir + "/f").c_str(), O_CREAT | O_WRONLY, 0644));
		}
		char c = 1;
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(3);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	char c;
	if (read(ready[0], &c, 1) == 1)
		for (int i = 0; i < kOrphans; i++) {
			std::string f = "/proc/" + std::to_string(child) + "/root/tmp/bench-orphan-" + std::to_string(i) + "/f";
			held.emplace_back(open(f.c_str(), O_RDONLY | O_CLOEXEC));
		}
	c = 1;
	if (write(go[1], &c, 1) != 1)
		std::perror("bench: orphans");
	close(go[1]);
	close(ready[0]);
	waitpid(child, nullptr, 0);
	return held;
}

// One pid per mount namespace, as a person would pick them for findmnt -N.
std::vector<pid_t> one_pid_per_mntns()
{
	std::set<ino_t> seen;
	std::vector<pid_t> out;
	for (pid_t pid = 1; pid < 4194304; pid++) {
		struct stat st;
		std::string p = "/proc/" + std::to_string(pid) + "/ns/mnt";
		if (stat(p.c_str(), &st) == 0 && seen.insert(st.st_ino).second)
			out.push_back(pid);
		if (pid > 100000)
			break;
	}
	return out;
}

// What `nstree orphans -J` prints.
std::string orphans_json()
{
	std::string out;
	FILE *f = popen("/nstree/bin/nstree orphans -J", "r");
	if (!f)
		return out;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		out.append(buf, n);
	pclose(f);
	return out;
}

} // namespace

int bench_orphans()
{
	std::printf("orphans: nstree orphans against lsof -n plus findmnt per mount namespace, "
		    "5,000 processes, %d orphans planted\n", kOrphans);
	if (access("/usr/bin/lsof", X_OK) || access("/usr/bin/findmnt", X_OK)) {
		std::printf("  lsof or findmnt missing from the guest: not measured\n");
		return 1;
	}
	Holders holders(5000);
	auto held = plant_orphans();
	if (held.size() != size_t(kOrphans)) {
		std::printf("  could not plant the orphans\n");
		return 1;
	}
	std::vector<std::string> devs;
	for (const auto &fd : held) {
		struct stat st;
		fstat(fd.get(), &st);
		devs.push_back(std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev)));
	}
	auto pids = one_pid_per_mntns();
	double peer = best_ns_per_op(1, 3, [&]() {
		run_quiet({"/usr/bin/lsof", "-n"});
		for (pid_t p : pids)
			run_quiet({"/usr/bin/findmnt", "-N", std::to_string(p)});
	});
	double ours = best_ns_per_op(1, 3, [&]() { run_quiet({"/nstree/bin/nstree", "orphans"}); });
	row("lsof -n + findmnt -N per mount namespace (" + std::to_string(pids.size()) + ")", peer / 1e6, "ms");
	row("nstree orphans", ours / 1e6, "ms");
	double speedup = peer / ours;
	std::printf("  %-58s %12.1fx  (goal >= 20x: %s)\n", "(lsof + findmnt) / nstree orphans", speedup,
		    speedup >= 20 ? "met" : "NOT met");
	// One more run that prints where its time goes (stderr), for whoever reads the log.
	setenv("NSTREE_DEBUG", "timing", 1);
	run_quiet({"/nstree/bin/nstree", "orphans"});
	unsetenv("NSTREE_DEBUG");
	std::string out = orphans_json();
	int found = 0;
	for (const auto &d : devs)
		found += out.find("\"dev\": \"" + d + "\"") != std::string::npos;
	std::printf("  %-58s %9d of %d\n", "planted orphans nstree names", found, kOrphans);
	std::printf("RESULT orphans speedup %.1f\nRESULT orphans found %d\n", speedup, found);
	return found == kOrphans ? 0 : 1;
}

} // namespace bench
