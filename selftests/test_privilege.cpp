// SPDX-License-Identifier: GPL-2.0
// Privilege boundaries, entry point by entry point: a caller that may not see all
// namespaces (nobody, root of a user namespace, root of a child pid namespace)
// obtains through nothing an ID, an fd, a handle's namespace, a listing entry or a
// process-table row that upstream would hide from it. Upstream's model (7.0): such
// a caller sees only the namespaces it is in.
#include <catch2/catch_test_macros.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <string>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "harness.hpp"
#include "listns_util.hpp"
#include "ns_handle.hpp"

using namespace selftest;

namespace {

// The IDs of the namespaces the calling process is in (/proc/self: right in a
// child pid namespace too, whose /proc is still the parent's).
std::set<uint64_t> own_ids(int ctl_fd)
{
	std::set<uint64_t> own;
	for (const auto &t : kNsTypes) {
		auto fd = open_path(std::string("/proc/self/ns/") + t.name);
		nstree_ns_id q = {};
		q.size = sizeof(q);
		q.fd = fd.get();
		if (ioctl(ctl_fd, NSTREE_IOC_NS_ID, &q) == 0)
			own.insert(q.ns_id);
	}
	return own;
}

uint64_t id_of_fd(int ctl_fd, int fd)
{
	nstree_ns_id q = {};
	q.size = sizeof(q);
	q.fd = fd;
	return ioctl(ctl_fd, NSTREE_IOC_NS_ID, &q) == 0 ? q.ns_id : 0;
}

long raw_listns(int ctl_fd, const ns_id_req &req, std::vector<uint64_t> &out)
{
	nstree_listns a = {};
	a.size = sizeof(a);
	a.req = reinterpret_cast<uintptr_t>(&req);
	a.ns_ids = reinterpret_cast<uintptr_t>(out.data());
	a.nr_ns_ids = out.size();
	long n = ioctl(ctl_fd, NSTREE_IOC_LISTNS, &a);
	return n < 0 ? -errno : n;
}

// Every entry point, tried for every ID up to @max_id: what leaked, or "".
std::string probe_everything(uint64_t max_id, const std::vector<uint64_t> &user_ids)
{
	int ctl_fd = open(NSTREE_DEVICE, O_RDONLY | O_CLOEXEC);
	if (ctl_fd < 0)
		return "cannot open /dev/nstree";
	std::set<uint64_t> own = own_ids(ctl_fd);
	std::string leaks;
	auto leak = [&](const std::string &what) {
		if (leaks.size() < 2000)
			leaks += what + "; ";
	};
	auto check_fd = [&](int fd, const std::string &what) {
		if (fd < 0)
			return;
		uint64_t id = id_of_fd(ctl_fd, fd);
		if (!own.count(id))
			leak(what + " gave namespace " + std::to_string(id));
		close(fd);
	};

	// Listings: every type, all types, every owner (the caller's and others').
	std::vector<uint64_t> out(100000);
	std::vector<uint64_t> owners = user_ids;
	owners.push_back(LISTNS_CURRENT_USER);
	std::vector<uint32_t> types = {0};
	for (const auto &t : kNsTypes)
		types.push_back(uint32_t(t.flag));
	for (uint64_t owner : owners) {
		for (uint32_t type : types) {
			for (uint64_t after : {0ULL, 1ULL, 4ULL, 9ULL}) {
				ns_id_req req = make_req(after, type, owner == LISTNS_CURRENT_USER || owner ? owner : 0);
				long n = raw_listns(ctl_fd, req, out);
				for (long i = 0; i < n; i++)
					if (!own.count(out[size_t(i)]))
						leak("listns type " + std::to_string(type) + " owner " + std::to_string(owner) +
						     " listed " + std::to_string(out[size_t(i)]));
			}
		}
	}
	// Opens by ID and by handle, both kinds of fd, with and without a type.
	for (uint64_t id = 1; id <= max_id; id++) {
		for (uint32_t flags : {0U, uint32_t(NSTREE_OPEN_NSFS)}) {
			nstree_open r = {};
			r.size = sizeof(r);
			r.ns_id = id;
			r.flags = flags;
			int fd = ioctl(ctl_fd, NSTREE_IOC_OPEN, &r);
			if (fd < 0 && errno != ENOENT)
				leak("open " + std::to_string(id) + ": errno " + std::to_string(errno) + ", not ENOENT");
			check_fd(fd, "open by ID " + std::to_string(id));
			nstree::NsHandle h{id, 0, 0};
			auto raw = h.raw();
			nstree_open_handle oh = {};
			oh.size = sizeof(oh);
			oh.flags = flags;
			oh.handle = reinterpret_cast<uintptr_t>(&raw);
			fd = ioctl(ctl_fd, NSTREE_IOC_OPEN_HANDLE, &oh);
			if (fd < 0 && errno != ESTALE)
				leak("handle " + std::to_string(id) + ": errno " + std::to_string(errno) + ", not ESTALE");
			check_fd(fd, "handle of " + std::to_string(id));
		}
	}
	// The bulk calls: upstream has none; they need may_see_all.
	std::vector<nstree_proc> rows(4096);
	nstree_procs pr = {};
	pr.size = sizeof(pr);
	pr.procs = reinterpret_cast<uintptr_t>(rows.data());
	pr.nr_procs = uint32_t(rows.size());
	pr.proc_size = sizeof(nstree_proc);
	if (ioctl(ctl_fd, NSTREE_IOC_PROCS, &pr) >= 0 || errno != EPERM)
		leak("NSTREE_IOC_PROCS answered");
	std::vector<nstree_ns_info> infos(static_cast<size_t>(max_id));
	std::memset(infos.data(), 0, infos.size() * sizeof(nstree_ns_info));
	for (uint64_t id = 1; id <= max_id; id++)
		infos[size_t(id - 1)].ns_id = id;
	nstree_ns_infos ni = {};
	ni.size = sizeof(ni);
	ni.infos = reinterpret_cast<uintptr_t>(infos.data());
	ni.nr_infos = uint32_t(infos.size());
	ni.info_size = sizeof(nstree_ns_info);
	if (ioctl(ctl_fd, NSTREE_IOC_NS_INFO, &ni) >= 0 || errno != EPERM)
		leak("NSTREE_IOC_NS_INFO answered");
	nstree_cmdline one = {};
	one.pid = 1;
	char text[64];
	nstree_cmdlines cl = {};
	cl.size = sizeof(cl);
	cl.procs = reinterpret_cast<uintptr_t>(&one);
	cl.nr_procs = 1;
	cl.max_len = sizeof(text);
	cl.buf = reinterpret_cast<uintptr_t>(text);
	cl.buf_size = sizeof(text);
	if (ioctl(ctl_fd, NSTREE_IOC_CMDLINES, &cl) >= 0 || errno != EPERM)
		leak("NSTREE_IOC_CMDLINES answered");

	// nsfs's commands on nstreefs files of its own namespaces: what nsfs says.
	for (const auto &t : kNsTypes) {
		auto nsfs = open_path(std::string("/proc/self/ns/") + t.name);
		nstree_open r = {};
		r.size = sizeof(r);
		r.flags = NSTREE_OPEN_BY_FD;
		r.fd = nsfs.get();
		nstree::Fd tree(ioctl(ctl_fd, NSTREE_IOC_OPEN, &r));
		if (!tree.valid())
			continue;
		for (unsigned long cmd : {NS_GET_USERNS, NS_GET_PARENT}) {
			nstree::Fd kernel(ioctl(nsfs.get(), cmd));
			int kernel_err = kernel.valid() ? 0 : errno;
			nstree::Fd ours(ioctl(tree.get(), cmd));
			int our_err = ours.valid() ? 0 : errno;
			if (kernel_err != our_err)
				leak(std::string(t.name) + " cmd " + std::to_string(cmd) + ": nsfs errno " +
				     std::to_string(kernel_err) + ", nstreefs " + std::to_string(our_err));
			else if (!kernel_err) {
				struct stat a, b;
				if (fstat(kernel.get(), &a) || fstat(ours.get(), &b) || a.st_ino != b.st_ino)
					leak(std::string(t.name) + " cmd " + std::to_string(cmd) + ": another namespace");
			}
		}
		if (t.flag == CLONE_NEWNS)
			for (unsigned long cmd : {NS_MNT_GET_NEXT, NS_MNT_GET_PREV}) {
				int fd = ioctl(tree.get(), cmd, nullptr);
				if (fd >= 0 || errno != EPERM) {
					if (fd >= 0)
						close(fd);
					leak("NS_MNT_GET_NEXT/PREV answered");
				}
			}
	}
	close(ctl_fd);
	return leaks;
}

} // namespace

TEST_CASE("a caller that may not see all gets nothing of others' namespaces, by any entry point",
	  "[privilege][permissions]")
{
	REQUIRE_ROOT();
	// Others' namespaces of every type, some in user namespaces of their own.
	std::vector<Child> others;
	for (int flags : {CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP,
			  CLONE_NEWPID | CLONE_NEWTIME})
		others.push_back(spawn_holder(flags));
	for (auto &c : others)
		REQUIRE(c.pid() > 0);
	std::vector<uint64_t> user_ids = list_ids(CLONE_NEWUSER);
	auto all = list_ids();
	REQUIRE(!all.empty());
	uint64_t max_id = all.back() + 16;
	for (Caller who : kCallers) {
		if (who == Caller::root)
			continue;
		std::string leaks = run_as(who, [&]() { return probe_everything(max_id, user_ids); });
		INFO(caller_name(who) << ": " << leaks);
		CHECK(leaks.empty());
	}
}
