// SPDX-License-Identifier: GPL-2.0
#include "harness.hpp"

#include "module_stats.hpp"

#include <cerrno>
#include <dirent.h>
#include <sys/vfs.h>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <linux/capability.h>
#include <sys/mount.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace selftest {

Child &Child::operator=(Child &&o) noexcept
{
	if (this != &o) {
		this->~Child();
		pid_ = o.pid_;
		o.pid_ = -1;
	}
	return *this;
}

Child::~Child()
{
	if (pid_ > 0) {
		kill(pid_, SIGKILL);
		waitpid(pid_, nullptr, 0);
	}
}

int Child::reap_or_kill(const std::function<bool()> &keep_waiting)
{
	int status;
	for (;;) {
		if (waitpid(pid_, &status, WNOHANG) == pid_) {
			pid_ = -1;
			return status;
		}
		if (!keep_waiting()) {
			kill(pid_, SIGKILL);
			waitpid(pid_, nullptr, 0);
			pid_ = -1;
			return -1;
		}
	}
}

int Child::wait(std::chrono::milliseconds timeout)
{
	auto deadline = std::chrono::steady_clock::now() + timeout;
	return reap_or_kill([&]() {
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
		return std::chrono::steady_clock::now() < deadline;
	});
}

int Child::wait_while_progressing(int progress_fd, std::chrono::milliseconds stall, long *beats)
{
	auto deadline = std::chrono::steady_clock::now() + stall;
	*beats = 0;
	return reap_or_kill([&]() {
		struct pollfd pfd = { progress_fd, POLLIN, 0 };
		if (poll(&pfd, 1, 20) > 0 && (pfd.revents & POLLIN)) {
			char buf[256];
			ssize_t n = read(progress_fd, buf, sizeof(buf));
			if (n > 0) {
				*beats += n;
				deadline = std::chrono::steady_clock::now() + stall;
			}
		}
		if (std::chrono::steady_clock::now() < deadline)
			return true;
		// Where it stalled, on the console, before the evidence is killed.
		std::ifstream stack("/proc/" + std::to_string(pid_) + "/stack");
		std::string line;
		fprintf(stderr, "child %d made no progress for %lld ms; its kernel stack:\n", pid_,
			static_cast<long long>(stall.count()));
		while (std::getline(stack, line))
			fprintf(stderr, "  %s\n", line.c_str());
		return false;
	});
}

static bool write_file(const std::string &path, const std::string &text)
{
	int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = write(fd, text.data(), text.size()) == ssize_t(text.size());
	close(fd);
	return ok;
}

bool write_id_maps(pid_t pid, uid_t inside_uid, uid_t outside_uid, gid_t inside_gid, gid_t outside_gid)
{
	std::string base = "/proc/" + std::to_string(pid);
	return write_file(base + "/uid_map", std::to_string(inside_uid) + " " + std::to_string(outside_uid) + " 1") &&
	       write_file(base + "/setgroups", "deny") &&
	       write_file(base + "/gid_map", std::to_string(inside_gid) + " " + std::to_string(outside_gid) + " 1");
}

bool drop_capability(int cap)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {};
	if (syscall(SYS_capget, &hdr, data) != 0)
		return false;
	uint32_t bit = 1U << (cap % 32);
	data[cap / 32].effective &= ~bit;
	data[cap / 32].permitted &= ~bit;
	data[cap / 32].inheritable &= ~bit;
	return syscall(SYS_capset, &hdr, data) == 0;
}

bool leave_group_zero()
{
	return setgroups(0, nullptr) == 0 && setresgid(1, 1, 1) == 0;
}

bool mount_private_proc(const char *options)
{
	return unshare(CLONE_NEWNS) == 0 && mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
	       mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) == 0;
}

Child fork_child(const std::function<int()> &fn, int unshare_flags)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	pid_t pid = fork();
	if (pid < 0)
		return Child();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare_flags && unshare(unshare_flags) < 0)
			_exit(100);
		if ((unshare_flags & CLONE_NEWUSER) && !write_id_maps(getpid(), 0, uid, 0, gid))
			_exit(101);
		// A failed assertion throws: never let it unwind into the test runner,
		// which would go on running tests in this copy of the process.
		try {
			_exit(fn());
		} catch (...) {
			_exit(102);
		}
	}
	return Child(pid);
}

namespace {

int exit_code(Child c)
{
	int st = c.wait();
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Child fork_as_nobody(const std::function<int()> &fn)
{
	return fork_child([&]() {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			return 100;
		return fn();
	});
}

Child fork_in_new_pid_namespace(const std::function<int()> &fn)
{
	return fork_child(
		[&]() {
			pid_t pid = fork(); // the first process of the new pid namespace
			if (pid == 0) {
				// Dies with its parent, which dies with the test runner.
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				try {
					_exit(fn());
				} catch (...) {
					_exit(102);
				}
			}
			int st;
			if (pid < 0 || waitpid(pid, &st, 0) != pid)
				return 99;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
		},
		CLONE_NEWPID);
}

// The write end of the pipe run_as() waits on, in its child; -1 elsewhere.
int heartbeat_fd = -1;

// How long run_as() waits for a child that says nothing (heartbeat()).
constexpr std::chrono::seconds kRunAsStall{30};

} // namespace

int exit_code_of(const std::function<int()> &fn, int unshare_flags)
{
	return exit_code(fork_child(fn, unshare_flags));
}

int exit_code_as_nobody(const std::function<int()> &fn)
{
	return exit_code(fork_as_nobody(fn));
}

int exit_code_in_new_pid_namespace(const std::function<int()> &fn)
{
	return exit_code(fork_in_new_pid_namespace(fn));
}

void heartbeat()
{
	if (heartbeat_fd >= 0) {
		char beat = 1;
		// Non-blocking: a full pipe already says the child is alive.
		if (write(heartbeat_fd, &beat, 1) < 0 && errno != EAGAIN)
			heartbeat_fd = -1;
	}
}

const char *caller_name(Caller who)
{
	switch (who) {
	case Caller::root:
		return "root";
	case Caller::nobody:
		return "nobody";
	case Caller::userns_root:
		return "root of a user namespace";
	case Caller::pidns_root:
		return "root of a child pid namespace";
	}
	return "?";
}

std::string run_as(Caller who, const std::function<std::string()> &fn)
{
	int p[2], beat[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return "pipe failed";
	if (pipe2(beat, O_CLOEXEC | O_NONBLOCK) != 0) {
		close(p[0]);
		close(p[1]);
		return "pipe failed";
	}
	auto report = [&]() {
		close(p[0]);
		close(beat[0]);
		heartbeat_fd = beat[1];
		std::string msg = "ok " + fn();
		return write(p[1], msg.data(), msg.size()) == ssize_t(msg.size()) ? 0 : 1;
	};
	Child child;
	switch (who) {
	case Caller::root:
		child = fork_child(report);
		break;
	case Caller::nobody:
		child = fork_as_nobody(report);
		break;
	case Caller::userns_root:
		child = fork_child(report, CLONE_NEWUSER);
		break;
	default:
		child = fork_in_new_pid_namespace(report);
		break;
	}
	close(p[1]);
	close(beat[1]);
	const bool forked = child.pid() > 0;
	long beats = 0;
	int st = forked ? child.wait_while_progressing(beat[0], kRunAsStall, &beats) : -1;
	close(beat[0]);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	std::string msg;
	char buf[4096];
	ssize_t got;
	while ((got = read(p[0], buf, sizeof(buf))) > 0)
		msg.append(buf, size_t(got));
	close(p[0]);
	if (msg.rfind("ok ", 0) == 0)
		return msg.substr(3);
	if (!forked)
		return std::string(caller_name(who)) + ": fork failed";
	if (st == -1)
		return std::string(caller_name(who)) + ": killed after " + std::to_string(kRunAsStall.count()) +
		       " s without progress (" + std::to_string(beats) + " heartbeats before)";
	return std::string(caller_name(who)) + ": the child died (exit code " + std::to_string(code) + ")";
}

namespace {

// @c once it wrote its ready byte to @p (the write end is closed here), else none.
Child ready_or_empty(Child c, const int p[2])
{
	close(p[1]);
	char ok = 0;
	if (read(p[0], &ok, 1) != 1 || ok != 1)
		c = Child();
	close(p[0]);
	return c;
}

} // namespace

Child spawn_holder(int unshare_flags)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return Child();
	Child c = fork_child(
		[&]() {
			close(p[0]);
			// A new pid namespace only becomes visible (pid_for_children) once it
			// has its first process: give it one, which dies with us. We are ready
			// only once it has asked for that (PR_SET_PDEATHSIG), so that whoever
			// kills us after our ready byte kills it too.
			if (unshare_flags & CLONE_NEWPID) {
				int q[2];
				if (pipe2(q, O_CLOEXEC) < 0)
					return 1;
				pid_t init = fork();
				if (init < 0)
					return 1;
				if (init == 0) {
					prctl(PR_SET_PDEATHSIG, SIGKILL);
					char armed = 1;
					if (write(q[1], &armed, 1) != 1)
						_exit(1);
					// Hold no fd (no /dev/nstree, no namespace file).
					close_range(3, ~0U, 0);
					for (;;)
						pause();
				}
				close(q[1]);
				char armed = 0;
				if (read(q[0], &armed, 1) != 1)
					return 1;
				close(q[0]);
			}
			char ok = 1;
			if (write(p[1], &ok, 1) != 1)
				return 1;
			for (;;)
				pause();
		},
		unshare_flags);
	return ready_or_empty(std::move(c), p);
}

Child spawn_nobody()
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return Child();
	Child c = fork_child([&]() {
		close(p[0]);
		char ok = 1;
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534) || write(p[1], &ok, 1) != 1)
			return 1;
		for (;;)
			pause();
	});
	return ready_or_empty(std::move(c), p);
}

Child spawn_retitled()
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return Child();
	Child c = fork_child([&]() {
		close(p[0]);
		// /proc/self/stat fields 48 and 49: arg_start and arg_end.
		std::ifstream f("/proc/self/stat");
		std::string stat;
		std::getline(f, stat);
		std::istringstream rest(stat.substr(stat.rfind(')') + 2));
		std::string field;
		unsigned long arg_end = 0;
		for (int i = 3; i <= 49 && rest >> field; i++)
			if (i == 49)
				arg_end = std::strtoul(field.c_str(), nullptr, 10);
		if (!arg_end)
			return 1;
		*reinterpret_cast<char *>(arg_end - 1) = 'X';
		char ok = 1;
		if (write(p[1], &ok, 1) != 1)
			return 1;
		for (;;)
			pause();
	});
	return ready_or_empty(std::move(c), p);
}

bool send_fd(int sock, int fd)
{
	char data = 'F';
	struct iovec iov = {&data, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	std::memset(&u, 0, sizeof(u));
	struct msghdr msg = {};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1;
}

nstree::Fd recv_fd(int sock)
{
	char data;
	struct iovec iov = {&data, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return nstree::Fd();
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return nstree::Fd();
	int fd;
	std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return nstree::Fd(fd);
}

std::string module_path()
{
	const char *p = getenv("NSTREE_KO");
	return p ? p : "";
}

bool module_loaded()
{
	std::ifstream f("/proc/modules");
	std::string line;
	while (std::getline(f, line))
		if (line.rfind("nstree ", 0) == 0)
			return true;
	return false;
}

int module_load()
{
	return module_load_with("");
}

int module_load_with(const char *params)
{
	int fd = open(module_path().c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = syscall(SYS_finit_module, fd, params, 0);
	int err = errno;
	close(fd);
	return r < 0 ? -err : 0;
}

int module_unload()
{
	return syscall(SYS_delete_module, "nstree", O_NONBLOCK) < 0 ? -errno : 0;
}

long module_refcount()
{
	std::ifstream f("/sys/module/nstree/refcnt");
	long n = -1;
	f >> n;
	return n;
}

std::string module_holders()
{
	std::string out;
	DIR *procs = opendir("/proc");
	if (!procs)
		return out;
	while (struct dirent *p = readdir(procs)) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		std::string fddir = std::string("/proc/") + p->d_name + "/fd";
		DIR *fds = opendir(fddir.c_str());
		if (!fds)
			continue;
		while (struct dirent *f = readdir(fds)) {
			if (f->d_name[0] == '.')
				continue;
			std::string path = fddir + "/" + f->d_name;
			struct statfs sfs;
			char target[256] = {};
			if (readlink(path.c_str(), target, sizeof(target) - 1) < 0)
				continue;
			bool pins = std::string(target) == "/dev/nstree" ||
				    (statfs(path.c_str(), &sfs) == 0 && sfs.f_type == 0x6e737472);
			if (pins)
				out += std::string("pid ") + p->d_name +
				       (std::to_string(getpid()) == p->d_name ? " (this test process)" : "") +
				       " fd " + f->d_name + ": " + target + "; ";
		}
		closedir(fds);
	}
	closedir(procs);
	return out;
}

int module_unload_settled(int seconds)
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
	for (;;) {
		int r = module_unload();
		if (r != -EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline)
			return r;
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
	}
}

long campaign_count(long bounded, long long_count)
{
	const char *c = getenv("NSTREE_CAMPAIGN");
	return c && std::string(c) == "long" ? long_count : bounded;
}

long long module_stat(const std::string &name)
{
	return nstree::module_stat(name);
}

Baseline::Baseline()
	: dentries_(module_stat("dentries")), tracked_(module_stat("tracked")),
	  pidns_(module_stat("init_pid_ns_count"))
{
}

std::string Baseline::settle(int seconds) const
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
	for (;;) {
		// One sample decides and is reported: a net namespace of a killed child
		// dies from a work item whenever that runs, so a second read could see a
		// death the first did not and report a state that never failed the test.
		long long d = module_stat("dentries"), t = module_stat("tracked");
		long long pidns = module_stat("init_pid_ns_count"), dead = module_stat("dead_pending");
		long long missed = module_stat("death_hook_missed");
		// A namespace that died a moment ago is retired by a work item: wait for
		// it too, so that "dead_pending" below means a reap that never came.
		bool back = d == dentries_ && t <= tracked_ + 8 && dead == 0 && pidns == pidns_ && missed == 0;
		if (back || std::chrono::steady_clock::now() >= deadline) {
			std::string what;
			if (d != dentries_)
				what += "dentries " + std::to_string(dentries_) + " -> " + std::to_string(d) + "; ";
			if (t > tracked_ + 8)
				what += "tracked " + std::to_string(tracked_) + " -> " + std::to_string(t) + "; ";
			if (pidns != pidns_)
				what += "init_pid_ns_count " + std::to_string(pidns_) + " -> " + std::to_string(pidns) + "; ";
			if (dead)
				what += "dead_pending " + std::to_string(dead) + "; ";
			if (missed)
				what += "death_hook_missed " + std::to_string(missed) + "; ";
			return what;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
}

} // namespace selftest
