// SPDX-License-Identifier: GPL-2.0
// The module's upstream API layer (module/upstream_api.c, Documentation/compat.md):
// unmodified programs on 6.1 and 6.12 call listns(2), NS_GET_ID on the kernel's own
// nsfs files and nsfs file handles, and get what the module's ioctls give. Calls
// the layer does not answer keep the kernel's answers; rmmod is refused while a
// program is inside the layer, and after it the kernel's old answers are back.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread>

#include "cli_util.hpp"
#include "compat_filter.hpp"
#include "harness.hpp"
#include "listns_util.hpp"
#include "ns_util.hpp"

using namespace selftest;

namespace {

constexpr long kNrListns = 470;
constexpr int kFdNsfsRoot = -10003;

// listns(2) itself: the count, or -errno.
long sys_listns(const void *req, uint64_t *ids, uint64_t nr, unsigned long flags = 0)
{
	long n = syscall(kNrListns, req, ids, nr, flags);
	return n < 0 ? -errno : n;
}

std::vector<uint64_t> syscall_ids(uint32_t types = 0)
{
	auto req = make_req(0, types);
	std::vector<uint64_t> ids(100000);
	long n = sys_listns(&req, ids.data(), ids.size());
	ids.resize(n < 0 ? 0 : n);
	return ids;
}

struct Handle {
	struct file_handle hdr;
	unsigned char bytes[128];
};

// name_to_handle_at() of @fd: 0 or -errno.
int encode(int fd, Handle &h, unsigned bytes = sizeof(Handle::bytes))
{
	std::memset(&h, 0, sizeof(h));
	h.hdr.handle_bytes = bytes;
	int mnt;
	return name_to_handle_at(fd, "", &h.hdr, &mnt, AT_EMPTY_PATH) == 0 ? 0 : -errno;
}

int open_root_handle(Handle &h, int flags = O_RDONLY)
{
	int fd = open_by_handle_at(kFdNsfsRoot, &h.hdr, flags);
	return fd < 0 ? -errno : fd;
}

void require_layer()
{
	REQUIRE_ROOT();
	if (!module_device())
		SKIP("no module: this kernel answers upstream's API itself");
	REQUIRE((ctl().version()->features & NSTREE_FEATURE_UPSTREAM_API) != 0);
}

// Runs @fn as @who under `nstree compat`'s filter (installed after the switch, as
// the caller would): its answer, or what failed.
std::string trapped(Caller who, const std::function<std::string()> &fn)
{
	return run_as(who, [&]() -> std::string {
		auto ok = nstree::trap_listns_for_module();
		return ok ? fn() : "installing the filter: " + ok.error().str();
	});
}

// listmount(2) of the mount namespace @mnt_ns_id (its root's children and all):
// the count, or -errno (-ENOSYS on a kernel without it).
long listmount_in(uint64_t mnt_ns_id)
{
	struct {
		uint32_t size, spare;
		uint64_t mnt_id, param, mnt_ns_id;
	} req = {32, 0, ~0ULL /* LSMT_ROOT */, 0, mnt_ns_id};
	uint64_t ids[256];
	long n = syscall(458 /* listmount */, &req, ids, 256, 0);
	return n < 0 ? -errno : n;
}

const char *const kTypes[] = {"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"};

} // namespace

TEST_CASE("listns(2) under nstree compat's filter lists what NSTREE_IOC_LISTNS lists", "[upstream-api][listns]")
{
	require_layer();
	auto held = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS);
	REQUIRE(held.pid() > 0);
	uint64_t net = ns_id_of(held.pid(), "net");
	REQUIRE(net != 0);
	const uint32_t filters[] = {0u, unsigned(CLONE_NEWNET), unsigned(CLONE_NEWUSER | CLONE_NEWUTS)};
	std::vector<std::vector<uint64_t>> want;
	for (uint32_t types : filters)
		want.push_back(list_ids(types));
	auto net_pages = list_ids(CLONE_NEWNET);
	CHECK(trapped(Caller::root, [&]() -> std::string {
		      for (size_t i = 0; i < std::size(filters); i++) {
			      auto got = syscall_ids(filters[i]);
			      if (got != want[i])
				      return "types " + std::to_string(filters[i]) + ": " + std::to_string(got.size()) +
					     " IDs, the ioctl gave " + std::to_string(want[i].size());
		      }
		      auto all = syscall_ids();
		      if (std::count(all.begin(), all.end(), net) != 1)
			      return "the holder's network namespace is not listed once";
		      // Pages of one resume after the last ID, as upstream's.
		      auto req = make_req(0, CLONE_NEWNET);
		      std::vector<uint64_t> paged;
		      uint64_t id;
		      while (sys_listns(&req, &id, 1) == 1) {
			      paged.push_back(id);
			      req.ns_id = id;
		      }
		      return paged == net_pages ? "" : "pages of one differ from the ioctl's listing";
	      }) == "");
}

TEST_CASE("listns(2) under nstree compat's filter checks its arguments as upstream does", "[upstream-api][listns]")
{
	require_layer();
	CHECK(trapped(Caller::root, [&]() -> std::string {
		      auto req = make_req();
		      uint64_t ids[4];
		      std::string out;
		      auto expect = [&](const char *what, long got, long want) {
			      if (got != want)
				      out += std::string(what) + ": " + std::to_string(got) + " (want " + std::to_string(want) + "); ";
		      };
		      expect("flags 1", sys_listns(&req, ids, 4, 1), -EINVAL);
		      expect("flags 1 << 32 (an unsigned int)", sys_listns(&req, ids, 4, 1UL << 32) > 0, 1);
		      expect("NULL ids", sys_listns(&req, nullptr, 4), -EFAULT);
		      expect("NULL req", sys_listns(nullptr, ids, 4), -EFAULT);
		      expect("no room", sys_listns(&req, ids, 0), 0);
		      auto small = req;
		      small.size = 8;
		      expect("size 8", sys_listns(&small, ids, 4), -EINVAL);
		      auto bad_type = make_req(0, 1u << 31);
		      expect("unknown type", sys_listns(&bad_type, ids, 4), -EOPNOTSUPP);
		      auto spare = req;
		      spare.spare = 1;
		      expect("spare", sys_listns(&spare, ids, 4), -EINVAL);
		      // The filter traps nothing else: neighbours stay unknown.
		      expect("system call 471", syscall(471) == -1 && errno == ENOSYS, 1);
		      expect("system call 469", syscall(kNrListns - 1) == -1 && errno == ENOSYS, 1);
		      return out;
	      }) == "");
	// Outside the filter system call 470 is unknown, as the kernel has it.
	auto req = make_req();
	uint64_t id;
	CHECK(sys_listns(&req, &id, 1) == -ENOSYS);
}

TEST_CASE("listns(2) under nstree compat's filter applies upstream's permission model to its caller", "[upstream-api][listns][privilege]")
{
	require_layer();
	// Root's namespaces in a user namespace nobody cannot administer.
	auto held = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET);
	REQUIRE(held.pid() > 0);
	uint64_t other_net = ns_id_of(held.pid(), "net");
	REQUIRE(other_net != 0);
	CHECK(trapped(Caller::nobody, [&]() -> std::string {
		      auto req = make_req();
		      std::vector<uint64_t> ids(100000);
		      long n = sys_listns(&req, ids.data(), ids.size());
		      if (n < 0)
			      return "listns as nobody: " + std::string(strerror(int(-n)));
		      ids.resize(n);
		      if (std::count(ids.begin(), ids.end(), other_net))
			      return "nobody sees root's network namespace in another user namespace";
		      return "";
	      }) == "");
	CHECK(trapped(Caller::userns_root, [&]() -> std::string {
		      if (unshare(CLONE_NEWNET))
			      return "unshare";
		      uint64_t mine = 0;
		      auto fd = open_path("/proc/self/ns/net");
		      if (ioctl(fd.get(), NS_GET_ID, &mine))
			      return "NS_GET_ID in a user namespace: " + std::string(strerror(errno));
		      auto req = make_req(0, CLONE_NEWNET);
		      std::vector<uint64_t> ids(1000);
		      long n = sys_listns(&req, ids.data(), ids.size());
		      if (n < 0)
			      return "listns: " + std::string(strerror(int(-n)));
		      ids.resize(n);
		      if (!std::count(ids.begin(), ids.end(), mine))
			      return "the caller's own network namespace is not listed";
		      if (std::count(ids.begin(), ids.end(), other_net))
			      return "a sibling user namespace's network namespace is listed";
		      return "";
	      }) == "");
}

TEST_CASE("NS_GET_ID on the kernel's nsfs files gives the registry's ID", "[upstream-api][ids]")
{
	require_layer();
	for (const char *t : kTypes) {
		INFO(t);
		auto fd = open_path(ns_path(getpid(), t));
		REQUIRE(fd.valid());
		REQUIRE(is_nsfs(fd.get()));
		uint64_t id = 0;
		REQUIRE(ioctl(fd.get(), NS_GET_ID, &id) == 0);
		CHECK(id == ctl().identify(fd.get())->id);
		CHECK(ioctl_errno(fd.get(), NS_GET_ID, nullptr) == EFAULT);
		uint64_t mnt_id = 0;
		if (std::strcmp(t, "mnt") == 0) {
			REQUIRE(ioctl(fd.get(), NS_GET_MNTNS_ID, &mnt_id) == 0);
			// Where the kernel numbers mount namespaces itself (6.12: listmount(2)
			// exists), NS_GET_MNTNS_ID stays in the numbering listmount takes;
			// elsewhere (6.1) the layer answers it as NS_GET_ID, as upstream.
			long n = listmount_in(mnt_id);
			if (n == -ENOSYS)
				CHECK(mnt_id == id);
			else
				CHECK(n > 0);
		} else {
			CHECK(ioctl_errno(fd.get(), NS_GET_MNTNS_ID, &mnt_id) == EINVAL);
		}
		// The kernel's own commands still answer, unknown ones are still ENOTTY.
		CHECK(ioctl(fd.get(), NS_GET_NSTYPE) > 0);
		CHECK(ioctl_errno(fd.get(), _IO(0xb7, 0x7f), 0UL) == ENOTTY);
	}
	auto child = spawn_holder(CLONE_NEWUTS);
	auto mine = open_path("/proc/self/ns/uts");
	auto theirs = open_path(ns_path(child.pid(), "uts"));
	uint64_t a = 0, b = 0;
	REQUIRE(ioctl(mine.get(), NS_GET_ID, &a) == 0);
	REQUIRE(ioctl(theirs.get(), NS_GET_ID, &b) == 0);
	CHECK(a != b);
	// A file NS_GET_USERNS gives is the kernel's too, and answers.
	nstree::Fd owner(ioctl(theirs.get(), NS_GET_USERNS));
	REQUIRE(owner.valid());
	CHECK(is_nsfs(owner.get()));
	uint64_t user = 0;
	CHECK(ioctl(owner.get(), NS_GET_ID, &user) == 0);
	CHECK(user == ctl().identify(owner.get())->id);
}

TEST_CASE("name_to_handle_at() and open_by_handle_at(FD_NSFS_ROOT) on the kernel's nsfs files", "[upstream-api][handles]")
{
	require_layer();
	auto child = spawn_holder(CLONE_NEWNET);
	auto fd = open_path(ns_path(child.pid(), "net"));
	uint64_t id = 0;
	REQUIRE(ioctl(fd.get(), NS_GET_ID, &id) == 0);
	Handle h;
	REQUIRE(encode(fd.get(), h) == 0);
	CHECK(h.hdr.handle_type == FILEID_NSFS);
	CHECK(h.hdr.handle_bytes == sizeof(nsfs_file_handle));
	auto *f = reinterpret_cast<nsfs_file_handle *>(h.hdr.f_handle);
	CHECK(f->ns_id == id);
	CHECK(f->ns_type == CLONE_NEWNET);
	CHECK(f->ns_inum == ino_of(fd.get()));

	int back = open_root_handle(h);
	REQUIRE(back >= 0);
	nstree::Fd opened(back);
	CHECK(is_nsfs(opened.get()));
	CHECK(ino_of(opened.get()) == ino_of(fd.get()));
	// A real nsfs file: setns() takes it (in a child, which then sees the namespace).
	CHECK(exit_code_of([&] { return setns(opened.get(), CLONE_NEWNET) == 0 && ino_of("/proc/self/ns/net") == ino_of(fd.get()) ? 0 : 1; }) == 0);
	CHECK(open_root_handle(h, O_WRONLY) == -EPERM);
	CHECK(open_root_handle(h, O_DIRECTORY) == -ENOTDIR);

	Handle tiny;
	CHECK(encode(fd.get(), tiny, 8) == -EOVERFLOW);
	CHECK(tiny.hdr.handle_bytes == sizeof(nsfs_file_handle));

	Handle stale = h;
	reinterpret_cast<nsfs_file_handle *>(stale.hdr.f_handle)->ns_id = ~0ULL;
	CHECK(open_root_handle(stale) == -ESTALE);
	Handle bad = h;
	bad.hdr.handle_bytes = 0;
	CHECK(open_root_handle(bad) == -EINVAL);
	CHECK(open_by_handle_at(kFdNsfsRoot, nullptr, O_RDONLY) == -1);
	CHECK(errno == EFAULT);

	// Once the holder is gone the namespace is inactive: stale, as upstream's.
	child = Child();
	fd.reset();
	opened.reset();
	bool stale_now = false;
	for (int i = 0; i < 100 && !stale_now; i++) {
		int r = open_root_handle(h);
		if (r >= 0)
			close(r);
		stale_now = r == -ESTALE;
		if (!stale_now)
			usleep(20000);
	}
	CHECK(stale_now);
}

TEST_CASE("the layer leaves other file handles and mount fds to the kernel", "[upstream-api][handles]")
{
	require_layer();
	// A regular file's handle on the root filesystem: the kernel's own answer.
	nstree::Fd file(open("/tmp/upstream-api-file", O_CREAT | O_RDWR | O_CLOEXEC, 0600));
	REQUIRE(file.valid());
	Handle h;
	int r = encode(file.get(), h);
	CHECK((r == 0 || r == -EOPNOTSUPP));
	if (r == 0)
		CHECK(h.hdr.handle_type != FILEID_NSFS);
	unlink("/tmp/upstream-api-file");
	// A bad mount fd other than FD_NSFS_ROOT is still the kernel's EBADF.
	Handle any;
	std::memset(&any, 0, sizeof(any));
	any.hdr.handle_bytes = 16;
	any.hdr.handle_type = FILEID_NSFS;
	CHECK(open_by_handle_at(-10002, &any.hdr, O_RDONLY) == -1);
	CHECK(errno == EBADF);
}

TEST_CASE("nobody opens its own namespace by handle through the layer, and not another user's", "[upstream-api][handles][privilege]")
{
	require_layer();
	auto held = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET);
	REQUIRE(held.pid() > 0);
	auto theirs = open_path(ns_path(held.pid(), "net"));
	Handle other;
	REQUIRE(encode(theirs.get(), other) == 0);
	CHECK(run_as(Caller::nobody, [&]() -> std::string {
		      auto own = open_path("/proc/self/ns/net");
		      Handle h;
		      if (int e = encode(own.get(), h))
			      return "encode as nobody: " + std::string(strerror(-e));
		      int fd = open_root_handle(h);
		      if (fd < 0)
			      return "opening its own namespace as nobody: " + std::string(strerror(-fd));
		      close(fd);
		      int r = open_root_handle(other);
		      if (r >= 0) {
			      close(r);
			      return "nobody opened root's namespace in another user namespace";
		      }
		      return r == -ESTALE ? "" : "expected ESTALE, got " + std::string(strerror(-r));
	      }) == "");
}

TEST_CASE("nstree compat runs an unmodified listns(2) user; the proc backend opens by handle", "[upstream-api][cli]")
{
	require_layer();
	auto held = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET);
	REQUIRE(held.pid() > 0);
	// The CLI's native backend is nothing but listns(2), NS_GET_ID and handles: under
	// nstree compat it runs on the layer and lists what the module backend lists.
	auto module = run_nstree({"ls", "--backend", "module", "-n", "-o", "ID"});
	auto native = run_nstree({"compat", "--", "/nstree/bin/nstree", "ls", "--backend", "native", "-n", "-o", "ID"});
	INFO(native.err);
	REQUIRE(module.status == 0);
	CHECK(native.status == 0);
	CHECK(native.out == module.out);
	CHECK(native.out.find(std::to_string(ns_id_of(held.pid(), "net"))) != std::string::npos);
	// Without it the same command has no listns(2).
	auto bare = run_nstree({"ls", "--backend", "native", "-n", "-o", "ID"});
	CHECK(bare.status == 1);
	// The command's status comes back, as a shell gives it.
	CHECK(run_nstree({"compat", "--", "/bin/sh", "-c", "exit 7"}).status == 7);
	CHECK(run_nstree({"compat", "--", "/nonexistent"}).status == 127);
	// The proc backend opens an ID through FD_NSFS_ROOT (ID 1: the initial ipc namespace).
	CHECK(run_nstree({"enter", "--backend", "proc", "1", "--", "/bin/busybox", "true"}).status == 0);
}

TEST_CASE("nstree compat holds the module until the last process it started has exited", "[upstream-api][cli][unload]")
{
	require_layer();
	ctl_reset();
	// The command exits at once and leaves an orphan that nstree compat reaps.
	Child wrapper = fork_child([]() -> int {
		execl("/nstree/bin/nstree", "nstree", "compat", "--", "/bin/sh", "-c", "sleep 2 & exit 0", nullptr);
		return 127;
	});
	usleep(500 * 1000);
	CHECK(module_unload() == -EWOULDBLOCK);
	CHECK(WEXITSTATUS(wrapper.wait(std::chrono::seconds(20))) == 0);
	// Then nothing holds it: unload and load again.
	REQUIRE(module_unload_settled() == 0);
	REQUIRE(module_load() == 0);
}

TEST_CASE("rmmod is refused while a program is inside listns(2); after it the kernel's answers are back", "[upstream-api][unload]")
{
	require_layer();
	if (module_path().empty())
		SKIP("NSTREE_KO is not set: no module file to reload");
	ctl_reset();
	// A child under the filter whose request sits on a page that faults to it: its
	// thread stays inside listns(2) until the child fills the page.
	int to_parent[2], to_child[2];
	REQUIRE(pipe2(to_parent, O_CLOEXEC) == 0);
	REQUIRE(pipe2(to_child, O_CLOEXEC) == 0);
	Child c = fork_child([&]() -> int {
		if (!nstree::trap_listns_for_module())
			return 10;
		// Not UFFD_USER_MODE_ONLY: the fault to catch is the kernel's copy_from_user().
		nstree::Fd uffd(syscall(SYS_userfaultfd, O_CLOEXEC));
		if (!uffd.valid())
			return 11;
		uffdio_api api{.api = UFFD_API, .features = 0, .ioctls = 0};
		const size_t page = sysconf(_SC_PAGESIZE);
		void *mem = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uffdio_register reg{};
		reg.range = {reinterpret_cast<uintptr_t>(mem), page};
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
		if (ioctl(uffd.get(), UFFDIO_API, &api) || mem == MAP_FAILED || ioctl(uffd.get(), UFFDIO_REGISTER, &reg))
			return 12;
		long result = 1;
		std::thread caller([&] {
			uint64_t ids[4];
			result = sys_listns(mem, ids, 4);
		});
		pollfd p{uffd.get(), POLLIN, 0};
		char b = poll(&p, 1, 10000) == 1 ? 'f' : 't';
		if (write(to_parent[1], &b, 1) != 1 || read(to_child[0], &b, 1) != 1)
			return 13;
		// A zero page: the request's size is 0, and upstream says EINVAL.
		uffdio_zeropage zp{};
		zp.range = {reinterpret_cast<uintptr_t>(mem), page};
		if (ioctl(uffd.get(), UFFDIO_ZEROPAGE, &zp))
			return 14;
		caller.join();
		return result == -EINVAL ? 0 : 15;
	});
	close(to_parent[1]); // the child's exit then ends our read
	close(to_child[0]);
	char b = 0;
	if (read(to_parent[0], &b, 1) != 1 || b != 'f') // its listns(2) is not stuck on the fault
		FAIL("the child gave up, exit code " << WEXITSTATUS(c.wait()));
	INFO("module refcount with the child inside: " << module_refcount() << "; holders: " << module_holders());
	CHECK(module_unload() == -EWOULDBLOCK);
	CHECK(module_loaded());
	REQUIRE(write(to_child[1], &b, 1) == 1);
	// A trap nothing answered would have been a SIGSYS (and a core dump that reads
	// the faulting page too): the child must exit, with 0.
	int st = c.wait();
	INFO("the child's wait status " << st);
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0));
	close(to_parent[0]);
	close(to_child[1]);

	REQUIRE(module_unload_settled() == 0);
	// Nothing is left behind: the kernel's own answers.
	uint64_t id;
	auto net = open_path("/proc/self/ns/net");
	CHECK(ioctl_errno(net.get(), NS_GET_ID, &id) == ENOTTY);
	Handle h;
	CHECK(encode(net.get(), h) == -EOPNOTSUPP);
	CHECK(open_by_handle_at(kFdNsfsRoot, &h.hdr, O_RDONLY) == -1);
	CHECK(errno == EBADF);

	// upstream_api=0: the module without the layer, and the kernel's answers.
	REQUIRE(module_load_with("upstream_api=0") == 0);
	CHECK((ctl().version()->features & NSTREE_FEATURE_UPSTREAM_API) == 0);
	CHECK(ioctl_errno(net.get(), NS_GET_ID, &id) == ENOTTY);
	CHECK(encode(net.get(), h) == -EOPNOTSUPP);
	ctl_reset();
	REQUIRE(module_unload_settled() == 0);
	REQUIRE(module_load() == 0);
	CHECK(ioctl(net.get(), NS_GET_ID, &id) == 0);
}
