// SPDX-License-Identifier: GPL-2.0
// Namespace file handles on nstreefs: name_to_handle_at() and open_by_handle_at()
// with upstream's nsfs rules (file_handle_test, the handle side of ns_active_ref_test
// and siocgskns_test), and NSTREE_IOC_OPEN_HANDLE, which applies them without the
// CAP_DAC_READ_SEARCH that 6.1 and 6.12 demand of the syscall.
#include <catch2/catch_test_macros.hpp>
#include <atomic>
#include <cstring>
#include <linux/sockios.h>
#include <mutex>
#include <random>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

struct Handle {
	struct file_handle hdr;
	unsigned char bytes[128];
};

nstree_open_handle handle_req(const Handle &h, uint32_t open_flags = O_RDONLY, uint32_t flags = 0)
{
	nstree_open_handle r;
	std::memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.flags = flags;
	r.handle = reinterpret_cast<uintptr_t>(&h);
	r.open_flags = open_flags;
	return r;
}

Handle encode(int fd)
{
	Handle h;
	std::memset(&h, 0, sizeof(h));
	h.hdr.handle_bytes = sizeof(h.bytes);
	int mnt;
	REQUIRE(name_to_handle_at(fd, "", &h.hdr, &mnt, AT_EMPTY_PATH) == 0);
	return h;
}

nsfs_file_handle *fields(Handle &h)
{
	return reinterpret_cast<nsfs_file_handle *>(h.hdr.f_handle);
}

// open_by_handle_at() through @mount_fd: the new fd, or -errno.
int open_handle(int mount_fd, Handle &h, int flags = O_RDONLY)
{
	int fd = open_by_handle_at(mount_fd, &h.hdr, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

// NSTREE_IOC_OPEN_HANDLE: the new fd, or -errno.
int ioctl_open_handle(int ctl_fd, const Handle &h, uint32_t open_flags = O_RDONLY, uint32_t flags = 0)
{
	auto r = handle_req(h, open_flags, flags);
	int fd = ioctl(ctl_fd, NSTREE_IOC_OPEN_HANDLE, &r);
	return fd < 0 ? -errno : fd;
}

nstree::Fd tree_fd(pid_t pid, const char *name)
{
	auto proc = open_path(ns_path(pid, name));
	auto r = ctl().reopen(proc.get(), nstree::NsFdKind::nstreefs);
	return r ? std::move(*r) : nstree::Fd();
}

} // namespace

TEST_CASE("name_to_handle_at gives upstream's 16-byte FILEID_NSFS handle for every type", "[handles]")
{
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		auto tree = tree_fd(getpid(), t.name);
		REQUIRE(tree.valid());
		Handle h = encode(tree.get());
		CHECK(h.hdr.handle_type == NSTREE_FILEID_NSFS);
		CHECK(h.hdr.handle_bytes == NSFS_FILE_HANDLE_SIZE_VER0);
		CHECK(fields(h)->ns_id == t.init_id);
		CHECK(fields(h)->ns_type == uint32_t(t.flag));
		CHECK(fields(h)->ns_inum == ino_of(tree.get()));
	}
}

TEST_CASE("a handle buffer too small: EOVERFLOW with the size needed", "[handles]")
{
	auto tree = tree_fd(getpid(), "net");
	for (unsigned small : {0U, 8U, 15U}) {
		Handle h;
		std::memset(&h, 0, sizeof(h));
		h.hdr.handle_bytes = small;
		int mnt;
		CHECK(name_to_handle_at(tree.get(), "", &h.hdr, &mnt, AT_EMPTY_PATH) < 0);
		CHECK(errno == EOVERFLOW);
		CHECK(h.hdr.handle_bytes == 16);
	}
}

TEST_CASE("open_by_handle_at opens the namespace through any nstreefs fd or the root fd", "[handles]")
{
	REQUIRE_ROOT();
	Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC);
	nstree::Fd root(ioctl(ctl().fd(), NSTREE_IOC_ROOT, 0));
	REQUIRE(root.valid());
	auto other_mount = tree_fd(getpid(), "mnt");
	for (const char *name : {"uts", "net", "ipc"}) {
		INFO(name);
		auto tree = tree_fd(c.pid(), name);
		Handle h = encode(tree.get());
		for (int mount_fd : {tree.get(), root.get(), other_mount.get()}) {
			nstree::Fd fd(open_handle(mount_fd, h));
			REQUIRE(fd.valid());
			CHECK(ino_of(fd.get()) == ino_of(tree.get()));
			CHECK(is_nstreefs(fd.get()));
			CHECK((fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) != 0);
		}
		// Type and inode number zero: looked up by ID in all types.
		Handle any = h;
		fields(any)->ns_type = 0;
		fields(any)->ns_inum = 0;
		nstree::Fd fd(open_handle(root.get(), any));
		CHECK(ino_of(fd.get()) == ino_of(tree.get()));
		// The ioctl, and its bridge to a kernel nsfs fd.
		nstree::Fd via_ioctl(ioctl_open_handle(ctl().fd(), h));
		CHECK(ino_of(via_ioctl.get()) == ino_of(tree.get()));
		nstree::Fd bridged(ioctl_open_handle(ctl().fd(), h, O_RDONLY, NSTREE_OPEN_NSFS));
		REQUIRE(bridged.valid());
		CHECK(is_nsfs(bridged.get()));
		CHECK(ino_of(bridged.get()) == ino_of(tree.get()));
	}
}

TEST_CASE("open flags nsfs refuses get nsfs's errors", "[handles][errors]")
{
	REQUIRE_ROOT();
	nstree::Fd root(ioctl(ctl().fd(), NSTREE_IOC_ROOT, 0));
	auto tree = tree_fd(getpid(), "uts");
	Handle h = encode(tree.get());
	struct {
		int flags;
		int err;
	} cases[] = {{O_WRONLY, EPERM}, {O_RDWR, EPERM}, {O_RDONLY | O_TRUNC, EPERM}, {O_DIRECT, EINVAL},
		     {O_TMPFILE, EINVAL}, {O_TMPFILE | O_RDWR, ENOTDIR}, {O_DIRECTORY, ENOTDIR}};
	for (auto c : cases) {
		INFO("flags " << std::hex << c.flags);
		CHECK(open_handle(root.get(), h, c.flags) == -c.err);
		CHECK(ioctl_open_handle(ctl().fd(), h, uint32_t(c.flags)) == -c.err);
	}
}

TEST_CASE("a caller opens its own namespaces by handle, others only with may_see_all", "[handles][permissions]")
{
	REQUIRE_ROOT();
	Child other = spawn_holder(CLONE_NEWUTS);
	auto mine = tree_fd(getpid(), "uts");
	auto theirs = tree_fd(other.pid(), "uts");
	Handle own = encode(mine.get()), foreign = encode(theirs.get());
	int ctl_fd = ctl().fd();
	SECTION("nobody in the initial namespaces")
	{
		Child c = fork_child([&]() {
			if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
				return 100;
			int a = ioctl_open_handle(ctl_fd, own);
			int b = ioctl_open_handle(ctl_fd, foreign);
			return (a >= 0 ? 0 : 1) | (b == -ESTALE ? 0 : 2);
		});
		int st = c.wait();
		REQUIRE(WIFEXITED(st));
		CHECK(WEXITSTATUS(st) == 0);
	}
	SECTION("root of a child user namespace")
	{
		Child c = fork_child(
			[&]() {
				int a = ioctl_open_handle(ctl_fd, own); // no longer its user ns, but its uts
				int b = ioctl_open_handle(ctl_fd, foreign);
				return (a >= 0 ? 0 : 1) | (b == -ESTALE ? 0 : 2);
			},
			CLONE_NEWUSER);
		int st = c.wait();
		REQUIRE(WIFEXITED(st));
		CHECK(WEXITSTATUS(st) == 0);
	}
}

// Upstream checks activity before permission; both end in ESTALE, but here the
// activity check may be a scan of every task, which a caller who may not have the
// namespace must not be able to cause at will (module 0.3.0 scanned first), and
// one that uses the namespace needs none (using it makes it active).
TEST_CASE("decoding a handle never makes the module scan for a caller that may not have it",
	  "[handles][permissions][privilege]")
{
	REQUIRE_ROOT();
	Child other = spawn_holder(CLONE_NEWUTS | CLONE_NEWNET);
	auto theirs = tree_fd(other.pid(), "net");
	auto mine = tree_fd(getpid(), "net");
	Handle foreign = encode(theirs.get()), own = encode(mine.get());
	int ctl_fd = ctl().fd();
	for (int round = 0; round < 3; round++) {
		{
			Child change = spawn_holder(CLONE_NEWIPC); // the active set is stale now
		}
		long long scans = module_stat("scans");
		int code = exit_code_as_nobody([&]() {
			int bad = 0;
			for (int i = 0; i < 20; i++) {
				bad |= ioctl_open_handle(ctl_fd, foreign) != -ESTALE;
				int fd = ioctl_open_handle(ctl_fd, own);
				bad |= (fd < 0) << 1;
				if (fd >= 0)
					close(fd);
			}
			return bad;
		});
		CHECK(code == 0);
		CHECK(module_stat("scans") == scans);
	}
}

// file_handle_test's nsfs_<type>_handle, all eight: nobody encodes and opens each of
// its own namespaces. Through the ioctl: the 6.1 and 6.12 syscall wants
// CAP_DAC_READ_SEARCH, which upstream waives for nsfs.
TEST_CASE("nobody opens each of its own namespaces by handle", "[handles][permissions]")
{
	REQUIRE_ROOT();
	int ctl_fd = ctl().fd();
	for (const auto &t : kNsTypes) {
		INFO("type " << t.name);
		auto tree = tree_fd(getpid(), t.name);
		REQUIRE(tree.valid());
		Handle h = encode(tree.get());
		ino_t want = ino_of(tree.get());
		Child c = fork_child([&]() {
			if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
				return 100;
			// nobody encodes its own handle too: encoding needs no privilege.
			auto own = open_path(ns_path(getpid(), t.name));
			auto again = ctl().reopen(own.get(), nstree::NsFdKind::nstreefs);
			if (!again)
				return 1;
			Handle mine = encode(again->get());
			if (std::memcmp(&mine, &h, sizeof(h)) != 0)
				return 2;
			nstree::Fd fd(ioctl_open_handle(ctl_fd, mine));
			if (!fd.valid())
				return 3;
			return ino_of(fd.get()) == want ? 0 : 4;
		});
		int st = c.wait();
		REQUIRE(WIFEXITED(st));
		CHECK(WEXITSTATUS(st) == 0);
	}
}

// file_handle_test's nsfs_user_<type>_namespace_isolation, all seven: after
// unshare(CLONE_NEWUSER) and then of the type itself (a fork for pid and time),
// the handle of the namespace left behind is ESTALE.
TEST_CASE("after unsharing a user namespace and a type, the old namespace's handle is ESTALE",
	  "[handles][permissions]")
{
	REQUIRE_ROOT();
	int ctl_fd = ctl().fd();
	for (const auto &t : kNsTypes) {
		if (t.flag == CLONE_NEWUSER)
			continue;
		INFO("type " << t.name);
		auto tree = tree_fd(getpid(), t.name);
		REQUIRE(tree.valid());
		Handle h = encode(tree.get());
		Child c = fork_child(
			[&]() {
				if (unshare(t.flag) < 0)
					return 100;
				auto attempt = [&]() {
					int fd = ioctl_open_handle(ctl_fd, h);
					if (fd >= 0) {
						close(fd);
						return 1; // must not open
					}
					return fd == -ESTALE ? 0 : 2;
				};
				if (t.flag != CLONE_NEWPID && t.flag != CLONE_NEWTIME)
					return attempt();
				// Only a child enters the new pid or time namespace.
				Child inner = fork_child(attempt);
				int st = inner.wait();
				return WIFEXITED(st) ? WEXITSTATUS(st) : 101;
			},
			CLONE_NEWUSER);
		int st = c.wait();
		REQUIRE(WIFEXITED(st));
		CHECK(WEXITSTATUS(st) == 0);
	}
}

TEST_CASE("forged handles never open anything they should not and never splat", "[handles][fuzz]")
{
	REQUIRE_ROOT();
	nstree::Fd root(ioctl(ctl().fd(), NSTREE_IOC_ROOT, 0));
	auto tree = tree_fd(getpid(), "net");
	const Handle good = encode(tree.get());
	const ino_t want = ino_of(tree.get());

	SECTION("every length from 0 to 128 bytes, with and without junk after the handle")
	{
		for (unsigned len = 0; len <= 128; len++) {
			for (bool junk : {false, true}) {
				INFO("len " << len << " junk " << junk);
				Handle h = good;
				h.hdr.handle_bytes = len;
				// The VFS hands the decoder len / 4 whole words: junk counts in the
				// last whole word past the 16-byte handle, not in a partial one.
				unsigned words = len / 4;
				bool junk_seen = junk && words > 4;
				if (junk_seen)
					h.bytes[words * 4 - 1] = 0x5a;
				else if (junk && len > 16)
					h.bytes[len - 1] = 0x5a; // in the partial word: ignored
				int fd = open_handle(root.get(), h);
				int via = ioctl_open_handle(ctl().fd(), h);
				int expect_err = len == 0 ? EINVAL : len < 16 ? ESTALE : junk_seen ? ESTALE : 0;
				if (expect_err) {
					CHECK(fd == -expect_err);
					CHECK(via == -expect_err);
				} else {
					CHECK(ino_of(fd) == want);
					CHECK(ino_of(via) == want);
				}
				if (fd >= 0)
					close(fd);
				if (via >= 0)
					close(via);
			}
		}
		Handle h = good;
		h.hdr.handle_bytes = 129;
		CHECK(open_handle(root.get(), h) == -EINVAL);
		CHECK(ioctl_open_handle(ctl().fd(), h) == -EINVAL);
	}
	SECTION("every combination of wrong fields")
	{
		auto stale = [&](Handle h) {
			CHECK(open_handle(root.get(), h) == -ESTALE);
			CHECK(ioctl_open_handle(ctl().fd(), h) == -ESTALE);
		};
		Handle h = good;
		fields(h)->ns_id = 0;
		stale(h);
		h = good;
		fields(h)->ns_type = 0; // inode without type
		stale(h);
		h = good;
		fields(h)->ns_inum = 0; // type without inode
		stale(h);
		h = good;
		fields(h)->ns_type = CLONE_NEWUTS; // wrong type
		stale(h);
		h = good;
		fields(h)->ns_type = 3; // not a type
		stale(h);
		h = good;
		fields(h)->ns_inum += 1; // wrong inode
		stale(h);
		h = good;
		h.hdr.handle_type = 0xf0; // FILEID_PIDFS, not ours
		stale(h);
		h = good;
		h.hdr.handle_type = -1;
		// Upstream refuses negative types up front (EINVAL); the 6.1 and 6.12
		// syscall only fails to decode them. Either way nothing opens.
		int sys = open_handle(root.get(), h);
		CHECK((sys == -EINVAL || sys == -ESTALE));
		CHECK(ioctl_open_handle(ctl().fd(), h) == -EINVAL);
	}
	SECTION("random IDs open only what they name")
	{
		std::mt19937_64 rng(12345);
		for (int i = 0; i < 2000; i++) {
			Handle h = good;
			fields(h)->ns_id = i < 1000 ? rng() : (rng() % 4096);
			fields(h)->ns_type = 0;
			fields(h)->ns_inum = 0;
			int fd = open_handle(root.get(), h);
			if (fd >= 0) {
				// It opened: it must be exactly the namespace with that ID.
				CHECK(id_of(fd) == fields(h)->ns_id);
				close(fd);
			} else {
				CHECK(fd == -ESTALE);
			}
		}
	}
}

TEST_CASE("a handle of a dead namespace stays dead when its inode number is reused", "[handles][lifetime]")
{
	REQUIRE_ROOT();
	nstree::Fd root(ioctl(ctl().fd(), NSTREE_IOC_ROOT, 0));
	Handle old;
	ino_t old_ino;
	{
		Child c = spawn_holder(CLONE_NEWUTS);
		auto tree = tree_fd(c.pid(), "uts");
		old = encode(tree.get());
		old_ino = ino_of(tree.get());
		nstree::Fd fd(open_handle(root.get(), old));
		REQUIRE(fd.valid());
	}
	CHECK(open_handle(root.get(), old) == -ESTALE);
	// The kernel hands the inode number out again: a new namespace takes it.
	bool reused = false;
	std::vector<Child> holders;
	for (int i = 0; i < 50 && !reused; i++) {
		holders.push_back(spawn_holder(CLONE_NEWUTS));
		reused = ino_of(ns_path(holders.back().pid(), "uts")) == old_ino;
	}
	REQUIRE(reused);
	CHECK(open_handle(root.get(), old) == -ESTALE);
	CHECK(ioctl_open_handle(ctl().fd(), old) == -ESTALE);
}

TEST_CASE("a handle opens only while its namespace is active", "[handles][active]")
{
	REQUIRE_ROOT();
	nstree::Fd root(ioctl(ctl().fd(), NSTREE_IOC_ROOT, 0));
	SocketHeldNet held = socket_held_net();
	REQUIRE(held.sock.valid());
	const nstree::Fd &sock = held.sock;
	Handle h;
	{
		nstree::Fd nsfs(ioctl(sock.get(), SIOCGSKNS));
		REQUIRE(nsfs.valid());
		auto tree = ctl().reopen(nsfs.get(), nstree::NsFdKind::nstreefs);
		REQUIRE(tree.ok());
		h = encode(tree->get());
		nstree::Fd fd(open_handle(root.get(), h));
		CHECK(fd.valid());
	}
	// Only the socket holds it now: alive, not active.
	CHECK(open_handle(root.get(), h) == -ESTALE);
	nstree::Fd again(ioctl(sock.get(), SIOCGSKNS)); // resurrected
	nstree::Fd fd(open_handle(root.get(), h));
	CHECK(fd.valid());
}

TEST_CASE("handles decoded while their namespaces die", "[handles][lifetime][concurrency]")
{
	REQUIRE_ROOT();
	nstree::Fd root(ioctl(ctl().fd(), NSTREE_IOC_ROOT, 0));
	std::vector<Handle> handles(32);
	std::mutex handles_mutex; // a handle is copied whole, never read half-written
	std::atomic<int> made{0};
	std::atomic<bool> stop{false};
	std::atomic<long> opened{0}, stale{0}, other{0};
	std::thread churn([&]() {
		for (int i = 0; i < 20; i++) {
			Child c = spawn_holder(CLONE_NEWUTS | CLONE_NEWIPC);
			for (const char *name : {"uts", "ipc"}) {
				auto tree = tree_fd(c.pid(), name);
				if (tree.valid()) {
					Handle h = encode(tree.get());
					std::lock_guard<std::mutex> lock(handles_mutex);
					handles[made++ % handles.size()] = h;
				}
			}
		}
		stop = true;
	});
	std::vector<std::thread> decoders;
	for (int t = 0; t < 4; t++) {
		decoders.emplace_back([&, t]() {
			for (unsigned i = t; !stop; i++) {
				Handle h;
				{
					std::lock_guard<std::mutex> lock(handles_mutex);
					if (!made)
						continue;
					h = handles[i % std::min<size_t>(made, handles.size())];
				}
				int fd = open_handle(root.get(), h);
				if (fd >= 0) {
					opened++;
					close(fd);
				} else if (fd == -ESTALE) {
					stale++;
				} else {
					other++;
				}
			}
		});
	}
	churn.join();
	for (auto &d : decoders)
		d.join();
	INFO(opened.load() << " opened, " << stale.load() << " stale");
	CHECK(other == 0);
	CHECK(made == 40);
}
