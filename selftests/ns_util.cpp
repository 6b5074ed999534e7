// SPDX-License-Identifier: GPL-2.0
#include "ns_util.hpp"

#include <cstdlib>

#include <catch2/catch_test_macros.hpp>
#include <dirent.h>
#include <linux/magic.h>
#include <mutex>
#include <optional>
#include <sys/vfs.h>

#include "harness.hpp"
#include "ns_facts.hpp"
#include "nstree.h"

#include <linux/sockios.h>
#include <sys/socket.h>
#include <sys/wait.h>

namespace selftest {

static std::optional<nstree::ModuleClient> client;
static std::mutex client_mutex; // tests call ctl() from several threads

void ctl_reset()
{
	std::lock_guard<std::mutex> lock(client_mutex);
	client.reset();
}

const nstree::ModuleClient &ctl()
{
	std::lock_guard<std::mutex> lock(client_mutex);
	if (!client) {
		auto c = nstree::ModuleClient::open();
		if (!c)
			FAIL(c.error().str());
		client.emplace(std::move(*c));
	}
	return *client;
}

static long fs_magic(int fd)
{
	struct statfs st;
	return fstatfs(fd, &st) == 0 ? long(st.f_type) : -1;
}

bool is_nstreefs(int fd)
{
	return fs_magic(fd) == NSTREEFS_MAGIC;
}

bool is_nsfs(int fd)
{
	return fs_magic(fd) == NSFS_MAGIC;
}

bool module_device()
{
	return access("/dev/nstree", F_OK) == 0;
}

uint64_t id_of(int fd)
{
	if (!module_device()) // a kernel with listns(2): the kernel's own NS_GET_ID
		return nstree::ns_get_id(fd).value_or(0);
	auto r = ctl().identify(fd);
	return r ? r->id : 0;
}

SocketHeldNet socket_held_net()
{
	SocketHeldNet n;
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0)
		return n;
	int peer = sp[1];
	Child c = fork_child(
		[&]() {
			int s = socket(AF_UNIX, SOCK_DGRAM, 0);
			return s >= 0 && send_fd(peer, s) ? 0 : 1;
		},
		CLONE_NEWNET);
	n.sock = recv_fd(sp[0]);
	close(sp[0]);
	close(sp[1]);
	if (!n.sock.valid() || WEXITSTATUS(c.wait()) != 0)
		return SocketHeldNet{};
	nstree::Fd nsfs(ioctl(n.sock.get(), SIOCGSKNS)); // active while this fd lives
	struct stat st;
	if (nsfs.valid() && fstat(nsfs.get(), &st) == 0) {
		n.id = id_of(nsfs.get());
		n.inum = uint32_t(st.st_ino);
	}
	return n;
}

std::vector<pid_t> list_pids()
{
	std::vector<pid_t> out;
	DIR *d = opendir("/proc");
	if (!d)
		return out;
	while (struct dirent *e = readdir(d))
		if (pid_t pid = pid_t(std::atoi(e->d_name)); pid > 0)
			out.push_back(pid);
	closedir(d);
	return out;
}

int open_fd_count()
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (struct dirent *e = readdir(d))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; // the DIR's own fd
}

} // namespace selftest
