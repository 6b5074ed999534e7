// SPDX-License-Identifier: GPL-2.0
// An unprivileged user with rootless containers of its own (`unshare -U -r -- unshare
// -U -r -n sleep`): on every backend here, `nstree ls` shows at least what lsns
// shows that user, the outer user namespace no process is in included, and show
// and enter work on them. Runs on the module kernels and, with [native], on sid.
#include <catch2/catch_test_macros.hpp>
#include <chrono>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

#include "cli_util.hpp"
#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

uint64_t inode_of(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// The backends this kernel offers a caller: the module's, listns(2)'s, and /proc.
std::vector<std::string> backends_here()
{
	std::vector<std::string> b;
	if (module_loaded())
		b.push_back("module");
	struct ns_id_req req = {};
	req.size = sizeof(req);
	uint64_t id;
	if (syscall(470, &req, &id, 1, 0) >= 0)
		b.push_back("native");
	b.push_back("proc");
	return b;
}

// The containers, started by nobody: the pid of `sleep` once it is in a user and
// a net namespace of its own, inside a user namespace it is not in; 0 on failure.
pid_t start_containers(Child &box)
{
	box = fork_child([] {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			return 100;
		execl("/usr/bin/unshare", "unshare", "-U", "-r", "--", "/usr/bin/unshare", "-U", "-r", "-n",
		      "sleep", "1000", nullptr);
		return 127;
	});
	const uint64_t own_net = inode_of("/proc/self/ns/net");
	for (int i = 0; i < 200 && box.pid() > 0; i++) {
		uint64_t net = inode_of(ns_path(box.pid(), "net"));
		if (net && net != own_net)
			return box.pid();
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
	return 0;
}

std::string missing_from(const std::set<unsigned long long> &have, const std::set<unsigned long long> &want)
{
	std::string m;
	for (auto ino : want)
		if (!have.count(ino))
			m += " " + std::to_string(ino);
	return m;
}

} // namespace

TEST_CASE("nstree as a user with nested rootless containers: never less than lsns, on every backend",
	  "[cli][rootless][native]")
{
	REQUIRE_ROOT();
	Child box;
	pid_t sleeper = start_containers(box);
	REQUIRE(sleeper > 0);
	const uint64_t inner_user = inode_of(ns_path(sleeper, "user"));
	const uint64_t inner_net = inode_of(ns_path(sleeper, "net"));
	uint64_t outer_user = 0;
	{
		auto fd = open_path(ns_path(sleeper, "user"));
		nstree::Fd parent(ioctl(fd.get(), NS_GET_PARENT));
		struct stat st;
		if (parent && fstat(parent.get(), &st) == 0)
			outer_user = st.st_ino;
	}
	REQUIRE(outer_user);
	REQUIRE(outer_user != inode_of("/proc/self/ns/user"));

	for (const auto &backend : backends_here()) {
		INFO("backend " << backend);
		std::string failure = run_as(Caller::nobody, [&]() -> std::string {
			auto lsns = lsns_inode_set();
			if (lsns.empty())
				return "lsns listed nothing";
			if (!lsns.count(inner_net) || !lsns.count(inner_user))
				return "lsns does not show the container (the test's premise)";
			auto ls = run_nstree({"ls", "-J", "-o", "NS,TYPE,PID", "--backend", backend});
			if (ls.status != 0 && ls.status != 2)
				return "ls exit " + std::to_string(ls.status) + ": " + ls.err;
			auto shown = cli_inodes(ls.out);
			if (auto m = missing_from(shown, lsns); !m.empty())
				return "ls misses what lsns shows:" + m;
			if (!shown.count(outer_user))
				return "ls misses the outer user namespace no process is in";
			for (const std::string &what : {"net:[" + std::to_string(inner_net) + "]",
						       "user:[" + std::to_string(outer_user) + "]"}) {
				auto show = run_nstree({"show", "--backend", backend, what});
				if (show.status != 0)
					return "show " + what + ": exit " + std::to_string(show.status) + ": " + show.err;
			}
			auto show = run_nstree({"show", "-J", "--backend", backend, "net:[" + std::to_string(inner_net) + "]"});
			auto one = cli_namespaces(show.out);
			if (one.size() != 1 || one[0]["pid"] != sleeper)
				return "show does not name the sleeping process: " + show.out;
			// Its owner may enter its user namespace (nsenter -t PID -U does the same).
			const std::string user = "user:[" + std::to_string(inner_user) + "]";
			auto enter = run_nstree({"enter", "--backend", backend, user, "--", "readlink", "/proc/self/ns/user"});
			if (enter.status != 0 || enter.out != user + "\n")
				return "enter " + user + ": exit " + std::to_string(enter.status) + ", out '" + enter.out +
				       "', err " + enter.err;
			// nsenter -t PID -U -n --preserve-credentials, and -a (the namespaces it is
			// not in already): its user and net namespaces, as their owner.
			const std::string net = "net:[" + std::to_string(inner_net) + "]";
			const std::string pid = std::to_string(sleeper);
			for (const std::vector<std::string> &flags :
			     std::vector<std::vector<std::string>>{{"-U", "-n", "--preserve-credentials"}, {"-a"}}) {
				std::vector<std::string> argv = {"enter", "--backend", backend, "-t", pid};
				argv.insert(argv.end(), flags.begin(), flags.end());
				argv.insert(argv.end(), {"/bin/sh", "-c", "readlink /proc/self/ns/user; readlink /proc/self/ns/net"});
				auto r = run_nstree(argv);
				if (r.status != 0 || r.out != user + "\n" + net + "\n")
					return "enter -t " + pid + " " + flags.front() + ": exit " + std::to_string(r.status) +
					       ", out '" + r.out + "', err " + r.err;
			}
			return "";
		});
		CHECK(failure == "");
	}
}
