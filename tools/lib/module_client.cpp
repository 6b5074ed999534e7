// SPDX-License-Identifier: GPL-2.0
#include "module_client.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

#include "nstree.h"

namespace nstree {

Result<ModuleClient> ModuleClient::open(const std::string &path)
{
	auto fd = Fd::open(path, O_RDONLY);
	if (!fd) {
		Error e = fd.error();
		if (e.code == ENOENT)
			e.message = path + " does not exist: the nstree module is not loaded (modprobe nstree)";
		return e;
	}
	return ModuleClient(std::move(*fd));
}

Result<ModuleVersion> ModuleClient::version() const
{
	struct nstree_version v;
	std::memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	if (ioctl(fd_.get(), NSTREE_IOC_VERSION, &v) < 0)
		return Error::from_errno(errno, "the nstree module did not answer its version (an old or foreign /dev/nstree?)");
	v.module_version[sizeof(v.module_version) - 1] = '\0';
	return ModuleVersion{v.abi, v.features, v.module_version};
}

} // namespace nstree

namespace nstree {

Result<NsIdentity> ModuleClient::identify(int ns_fd) const
{
	struct nstree_ns_id req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.fd = ns_fd;
	if (ioctl(fd_.get(), NSTREE_IOC_NS_ID, &req) < 0)
		return Error::from_errno(errno, "cannot tell which namespace fd " + std::to_string(ns_fd) + " is");
	return NsIdentity{req.ns_id, req.ns_type, req.ns_inum};
}

static Result<Fd> do_open(int ctl, struct nstree_open &req, const std::string &what)
{
	int fd = ioctl(ctl, NSTREE_IOC_OPEN, &req);
	if (fd < 0) {
		int err = errno;
		std::string hint;
		if (err == ENOENT)
			hint = " (no such namespace, or not one of yours: it may have died, and others' need "
			       "CAP_SYS_ADMIN in the initial user and pid namespaces)";
		return Error{err, what + ": " + std::strerror(err) + hint};
	}
	return Fd(fd);
}

Result<Fd> ModuleClient::open_id(uint64_t id, NsFdKind kind, uint32_t type) const
{
	struct nstree_open req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.ns_id = id;
	req.ns_type = type;
	req.flags = kind == NsFdKind::nsfs ? NSTREE_OPEN_NSFS : 0;
	return do_open(fd_.get(), req, "cannot open namespace " + std::to_string(id));
}

Result<std::vector<uint64_t>> ModuleClient::list_page(const ListRequest &r, size_t max) const
{
	struct ns_id_req req = make_ns_id_req(r);
	std::vector<uint64_t> ids(max);
	struct nstree_listns args;
	std::memset(&args, 0, sizeof(args));
	args.size = sizeof(args);
	args.req = reinterpret_cast<uintptr_t>(&req);
	args.ns_ids = reinterpret_cast<uintptr_t>(ids.data());
	args.nr_ns_ids = max;
	long n = ioctl(fd_.get(), NSTREE_IOC_LISTNS, &args);
	return page_result(n, errno, r, std::move(ids), "cannot list namespaces through the nstree module");
}

Result<std::vector<uint64_t>> ModuleClient::list_all(ListRequest req, size_t page) const
{
	return list_all_pages(req, page, [this](const ListRequest &r, size_t max) { return list_page(r, max); });
}

Result<Fd> ModuleClient::open_handle(const NsHandle &h, NsFdKind kind) const
{
	NsHandle::Raw buf = h.raw();
	struct nstree_open_handle req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.handle = reinterpret_cast<uintptr_t>(&buf);
	req.open_flags = O_RDONLY;
	req.flags = kind == NsFdKind::nsfs ? NSTREE_OPEN_NSFS : 0;
	int fd = ioctl(fd_.get(), NSTREE_IOC_OPEN_HANDLE, &req);
	if (fd < 0) {
		int err = errno;
		if (err == ESTALE)
			return Error{err, "no such namespace for handle " + h.str() +
						  ": it may have died, be inactive, or not be yours to see"};
		return Error::from_errno(err, "cannot open the namespace of handle " + h.str());
	}
	return Fd(fd);
}

Result<Fd> ModuleClient::reopen(int ns_fd, NsFdKind kind) const
{
	struct nstree_open req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.fd = ns_fd;
	req.flags = NSTREE_OPEN_BY_FD | (kind == NsFdKind::nsfs ? NSTREE_OPEN_NSFS : 0);
	return do_open(fd_.get(), req, "cannot reopen namespace fd " + std::to_string(ns_fd));
}

// At least as many as there are processes: the kernel's count of scheduling
// entities (threads) in /proc/loadavg ("0.00 0.01 0.05 1/5123 4242"), plus room
// for some to start meanwhile. A table too small costs the whole call again.
static size_t process_count_bound()
{
	std::string load = read_small_file("/proc/loadavg");
	auto slash = load.find('/');
	size_t n = slash == std::string::npos ? 0 : std::strtoul(load.c_str() + slash + 1, nullptr, 10);
	return std::max<size_t>(n + n / 16 + 64, 1024);
}

Result<std::vector<nstree_proc>> ModuleClient::procs(uint32_t shard, uint32_t nr_shards) const
{
	// The count may grow between calls: retry with room to spare until it fits.
	std::vector<nstree_proc> table(process_count_bound());
	for (int attempt = 0; attempt < 8; attempt++) {
		struct nstree_procs req;
		std::memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.procs = reinterpret_cast<uintptr_t>(table.data());
		req.nr_procs = uint32_t(table.size());
		req.proc_size = sizeof(nstree_proc);
		if (nr_shards) {
			req.flags = NSTREE_PROCS_SHARD;
			req.shard = shard;
			req.nr_shards = nr_shards;
		}
		long n = ioctl(fd_.get(), NSTREE_IOC_PROCS, &req);
		if (n < 0)
			return Error::from_errno(errno, "cannot read the process table from the nstree module");
		if (size_t(n) <= table.size()) {
			table.resize(size_t(n));
			return table;
		}
		table.resize(size_t(n) + size_t(n) / 8 + 64);
	}
	return Error{EAGAIN, "the process table kept growing while the nstree module read it; try again"};
}

Result<std::vector<nstree_ns_info>> ModuleClient::ns_info(const std::vector<uint64_t> &ids) const
{
	std::vector<nstree_ns_info> infos(ids.size());
	std::memset(infos.data(), 0, infos.size() * sizeof(nstree_ns_info));
	for (size_t i = 0; i < ids.size(); i++)
		infos[i].ns_id = ids[i];
	struct nstree_ns_infos req;
	std::memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.infos = reinterpret_cast<uintptr_t>(infos.data());
	req.nr_infos = uint32_t(infos.size());
	req.info_size = sizeof(nstree_ns_info);
	if (ioctl(fd_.get(), NSTREE_IOC_NS_INFO, &req) < 0)
		return Error::from_errno(errno, "cannot read namespace facts from the nstree module");
	return infos;
}

Result<std::vector<std::string>> ModuleClient::cmdlines(const std::vector<pid_t> &pids, uint32_t max_len) const
{
	std::vector<std::string> out;
	out.reserve(pids.size());
	// Not zero-filled: only what the module wrote is read.
	const size_t buf_size = std::max<size_t>(max_len, 1 << 20);
	auto buf = std::make_unique_for_overwrite<char[]>(buf_size);
	while (out.size() < pids.size()) {
		// The module reads entries while the buffer has room: ask for the rest again.
		std::vector<nstree_cmdline> procs(pids.size() - out.size());
		std::memset(procs.data(), 0, procs.size() * sizeof(nstree_cmdline));
		for (size_t i = 0; i < procs.size(); i++)
			procs[i].pid = uint32_t(pids[out.size() + i]);
		struct nstree_cmdlines req;
		std::memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.procs = reinterpret_cast<uintptr_t>(procs.data());
		req.nr_procs = uint32_t(procs.size());
		req.max_len = max_len;
		req.buf = reinterpret_cast<uintptr_t>(buf.get());
		req.buf_size = buf_size;
		long n = ioctl(fd_.get(), NSTREE_IOC_CMDLINES, &req);
		if (n < 0)
			return Error::from_errno(errno, "cannot read command lines from the nstree module");
		if (n == 0)
			return Error{EIO, "the nstree module read no command line into a buffer with room (a module bug)"};
		for (long i = 0; i < n; i++)
			out.emplace_back(buf.get() + procs[size_t(i)].offset, procs[size_t(i)].len);
	}
	return out;
}

Result<std::vector<nstree_super>> ModuleClient::supers(const std::string &fstype, uint32_t flags) const
{
	std::vector<nstree_super> out(16);
	for (;;) {
		struct nstree_supers req;
		std::memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.flags = flags;
		req.fstype = reinterpret_cast<uintptr_t>(fstype.c_str());
		req.supers = reinterpret_cast<uintptr_t>(out.data());
		req.nr_supers = uint32_t(out.size());
		req.super_size = sizeof(nstree_super);
		long n = ioctl(fd_.get(), NSTREE_IOC_SUPERS, &req);
		if (n < 0)
			return Error::from_errno(errno, "cannot list the " + fstype + " superblocks from the nstree module");
		if (size_t(n) <= out.size()) {
			out.resize(size_t(n));
			return out;
		}
		out.resize(size_t(n) + 8); // more came while we asked: room for them and a few more
	}
}

Result<std::vector<nstree_holder>> ModuleClient::holders(const std::vector<dev_t> &devs, uint32_t flags) const
{
	std::vector<uint64_t> keys;
	keys.reserve(devs.size());
	for (dev_t d : devs)
		keys.push_back(uint64_t(major(d)) << 32 | minor(d));
	std::vector<nstree_holder> out(256);
	for (;;) {
		struct nstree_holders req;
		std::memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.flags = flags;
		req.devs = reinterpret_cast<uintptr_t>(keys.data());
		req.nr_devs = uint32_t(keys.size());
		req.holder_size = sizeof(nstree_holder);
		req.holders = reinterpret_cast<uintptr_t>(out.data());
		req.nr_holders = uint32_t(out.size());
		long n = ioctl(fd_.get(), NSTREE_IOC_HOLDERS, &req);
		if (n < 0)
			return Error::from_errno(errno, "cannot ask the nstree module which processes hold files");
		if (size_t(n) <= out.size()) {
			out.resize(size_t(n));
			return out;
		}
		out.resize(size_t(n) + 64); // more came while we asked: room for them and some more
	}
}

} // namespace nstree
