// SPDX-License-Identifier: GPL-2.0
// find_orphans(): the reachable set (the mount tables of every mount namespace a
// process is in), the namespaces no process is in but an nsfs fd or bind mount
// holds (entered to read their tables), what processes and loop devices hold that
// the reachable set does not explain, and, with the module, every superblock the
// kernel has, so that one no holder explains is still reported.
#include "orphans.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fd.hpp"
#include "fs_magic.hpp"
#include "loop_devices.hpp"
#include "swap_files.hpp"
#include "module_client.hpp"
#include "mount_table.hpp"
#include "ns_type.hpp"
#include "privilege.hpp"
#include "phase_timer.hpp"
#include "proc_path.hpp"

namespace nstree {

namespace {

// Filesystems that hold no data of their own: a namespace no process is in keeps
// its proc, sysfs or cgroup mounts too, and saying so is noise.
bool virtual_fs(const std::string &t)
{
	static const std::set<std::string> kVirtual = {
		"proc", "sysfs", "devpts", "mqueue", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs",
		"fusectl", "configfs", "binfmt_misc", "pstore", "efivarfs", "autofs", "rpc_pipefs", "nsfs",
		"bpf", "rootfs", "devtmpfs", "hugetlbfs"};
	return kVirtual.count(t) != 0;
}

// Filesystems whose statfs may wait for a server or a daemon: the module is not
// asked to call it for them.
bool remote_fs(const std::string &t)
{
	static const std::set<std::string> kRemote = {"nfs", "nfs4", "cifs", "smb3", "fuse", "fuseblk", "9p",
						      "ceph", "afs", "glusterfs", "virtiofs", "ncpfs", "smbfs"};
	return kRemote.count(t) != 0;
}

std::string comm_of(pid_t pid)
{
	std::string c = read_small_file(proc_path(pid, "comm"));
	if (!c.empty() && c.back() == '\n')
		c.pop_back();
	return c;
}

// The inode of a mount namespace file's "mnt:[N]" (readlink, or an nsfs mount's root).
std::optional<uint64_t> parse_mnt_link(std::string_view s)
{
	auto link = parse_ns_link(s);
	if (!link || link->type != CLONE_NEWNS)
		return std::nullopt;
	return link->inode;
}

// A mount namespace no process is in, and the ways to reach it.
struct HeldNamespace {
	uint64_t inode = 0;
	std::vector<FsHolder> holders;  // namespace_fd, namespace_mount
	std::vector<std::string> links; // paths that open it
	std::vector<MountEntry> mounts;
	bool read = false;
};

struct Scan {
	const Backend &backend;
	OrphanReport rep;
	std::map<uint64_t, pid_t> process_ns;   // mount namespace inode -> a process in it
	std::set<uint32_t> reach_ids;            // mounts those namespaces list
	std::map<dev_t, MountEntry> reach_devs;  // and their superblocks (one mount of each)
	std::map<uint64_t, HeldNamespace> held;  // by inode
	std::map<uint32_t, dev_t> held_ids;
	std::map<dev_t, std::pair<uint64_t, MountEntry>> held_devs; // -> (namespace, a mount)
	struct KernelSuper {
		nstree_super s;
		std::string type; // its /proc/filesystems name
	};
	std::map<dev_t, KernelSuper> supers;     // the module's view, when kernel_view
	std::set<dev_t> internal_devs;           // learned without the module
	std::map<dev_t, uint64_t> magic_of;      // statfs f_type, asked once per device
	std::vector<pid_t> pids;
	bool tables_complete = true;
	std::optional<ModuleClient> module; // with NSTREE_FEATURE_HOLDERS: it finds the holders
	uint32_t look_into = 0;             // NSTREE_HOLDERS_UNIX, _IO_URING where the module has them
	std::future<Result<std::unique_ptr<BpfFileRefs>>> bpf_load; // native: the file iterators, loading
	const char *file_refs_phase = "file refs (proc)"; // where file_refs() found them (NSTREE_DEBUG=timing)
	std::vector<SwapFile> swap_files;   // /proc/swaps's files

	explicit Scan(const Backend &b) : backend(b) {}

	void add_reachable(const std::vector<MountEntry> &t);
	void read_process_tables(const ProcessTable &table);
	void read_supers();
	void probe_internal();
	bool internal(dev_t dev, const std::string &link);
	// statfs's f_type of @dev through @link, asked once per device.
	std::optional<uint64_t> magic(dev_t dev, const std::string &link);
	void note_namespace_link(const std::string &link, pid_t pid, int fd);
	void note_namespace_mounts(const std::vector<MountEntry> &t, uint64_t in_ns);
	void read_held();
	bool keep(const FileRef &r);
	void add_swap_holders();
	// The superblocks the kernel has that are neither internal nor reachable: what
	// a mapping (which names only a device) can hold that matters.
	std::vector<dev_t> unreached_devs() const
	{
		std::vector<dev_t> out;
		for (const auto &[dev, k] : supers)
			if (!(k.s.flags & NSTREE_SUPER_KERNMOUNT) && !reach_devs.count(dev) && k.type != "rootfs")
				out.push_back(dev);
		return out;
	}
	// Whether a mapping can matter: without the kernel's view always; with it, only
	// when some superblock is unreached.
	bool maps_matter() const { return !rep.kernel_view || !unreached_devs().empty(); }
	std::vector<FileRef> file_refs(std::set<pid_t> &refused);
	void note_busy(std::vector<FileRef> &refs);
	void recheck(std::vector<FileRef> &refs);
	void build(std::vector<FileRef> &refs);
	Orphan &orphan_of(std::map<dev_t, Orphan> &by_dev, dev_t dev);
	void describe(Orphan &o, const std::string &statfs_link);
	std::map<dev_t, Orphan> sb;
	std::map<uint32_t, Orphan> mounts;
};

void Scan::add_reachable(const std::vector<MountEntry> &t)
{
	for (const auto &m : t) {
		reach_ids.insert(m.id);
		reach_devs.emplace(m.dev, m);
	}
}

void Scan::read_process_tables(const ProcessTable &table)
{
	const size_t mnt = *ns_type_index(CLONE_NEWNS);
	for (const auto &e : table.entries) {
		if (e.pid != e.tgid)
			continue;
		pids.push_back(e.pid);
		if (e.ns[mnt])
			process_ns.emplace(e.ns[mnt], e.pid);
	}
	rep.processes = pids.size();
	for (const auto &[inode, pid] : process_ns) {
		auto t = read_mount_table(pid);
		if (!t) {
			tables_complete = false;
			rep.partial = true;
			rep.notices.push_back("the mounts of mnt:[" + std::to_string(inode) + "] could not be read (" +
					      t.error().str() + "): what only it reaches may be reported");
			continue;
		}
		rep.mount_namespaces++;
		add_reachable(*t);
		note_namespace_mounts(*t, inode);
	}
}

void Scan::read_supers()
{
	auto client = ModuleClient::open();
	if (!client)
		return;
	auto v = client->version();
	if (!v || !(v->features & NSTREE_FEATURE_SUPERS))
		return;
	bool holders = v->features & NSTREE_FEATURE_HOLDERS;
	if (v->features & NSTREE_FEATURE_HOLDERS_UNIX)
		look_into |= NSTREE_HOLDERS_UNIX;
	if (v->features & NSTREE_FEATURE_HOLDERS_IO_URING)
		look_into |= NSTREE_HOLDERS_IO_URING;
	// Which superblocks hold a swap file costs a look at each one's inodes: asked
	// only when /proc/swaps has a file at all.
	swap_files = read_swap_files();
	uint32_t swap_flag = !swap_files.empty() && (v->features & NSTREE_FEATURE_HOLDERS_UNIX) ? NSTREE_SUPERS_SWAPFILES : 0;
	std::string all = read_whole_file("/proc/filesystems");
	std::string_view rest(all);
	while (!rest.empty()) {
		size_t nl = rest.find('\n');
		std::string_view line = rest.substr(0, nl);
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
		size_t tab = line.rfind('\t');
		std::string type(tab == std::string_view::npos ? line : line.substr(tab + 1));
		if (type.empty())
			continue;
		auto s = client->supers(type, (remote_fs(type) ? 0 : NSTREE_SUPERS_STATFS) | swap_flag);
		if (!s) {
			if (s.error().code == EPERM)
				rep.notices.push_back("the nstree module lists superblocks only to a caller that may see "
						      "every namespace: orphans no process holds are not found");
			else
				rep.notices.push_back(s.error().str());
			supers.clear();
			return;
		}
		for (const auto &x : *s)
			supers[makedev(x.dev_major, x.dev_minor)] = {x, type};
	}
	rep.kernel_view = true;
	if (holders)
		module.emplace(std::move(*client));
}

// Without the module: the devices of the kernel's own tmpfs (memfd, SysV and
// shared anonymous memory), of pipes and sockets, learned from objects made and
// closed here (nothing is left behind); other internal filesystems by magic.
void Scan::probe_internal()
{
	struct stat st;
	auto learn = [&](int fd) {
		if (fd >= 0 && fstat(fd, &st) == 0)
			internal_devs.insert(st.st_dev);
		if (fd >= 0)
			close(fd);
	};
	learn(memfd_create("nstree-probe", MFD_CLOEXEC));
	learn(memfd_create("nstree-probe", MFD_CLOEXEC | MFD_HUGETLB));
	int p[2];
	if (pipe2(p, O_CLOEXEC) == 0) {
		learn(p[0]);
		learn(p[1]);
	}
	learn(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
}

bool Scan::internal(dev_t dev, const std::string &link)
{
	if (rep.kernel_view) {
		auto it = supers.find(dev);
		// A filesystem type /proc/filesystems does not list (nsfs, anon_inodefs, pidfs)
		// is kern_mount()ed and internal.
		if (it == supers.end())
			return true;
		return (it->second.s.flags & NSTREE_SUPER_KERNMOUNT) || it->second.type == "rootfs";
	}
	if (internal_devs.count(dev))
		return true;
	auto m = magic(dev, link);
	return m && fs_magic_internal(*m);
}

std::optional<uint64_t> Scan::magic(dev_t dev, const std::string &link)
{
	auto m = magic_of.find(dev);
	if (m == magic_of.end()) {
		struct statfs sf;
		if (link.empty() || statfs(link.c_str(), &sf) != 0)
			return std::nullopt;
		m = magic_of.emplace(dev, uint64_t(sf.f_type)).first;
	}
	return m->second;
}

void Scan::note_namespace_link(const std::string &link, pid_t pid, int fd)
{
	char buf[64];
	ssize_t n = readlink(link.c_str(), buf, sizeof(buf));
	if (n <= 0 || size_t(n) >= sizeof(buf))
		return;
	auto ino = parse_mnt_link(std::string_view(buf, size_t(n)));
	if (!ino || process_ns.count(*ino))
		return;
	HeldNamespace &h = held[*ino];
	h.inode = *ino;
	FsHolder fh;
	fh.kind = FsHolder::Kind::namespace_fd;
	fh.pid = pid;
	fh.command = comm_of(pid);
	fh.ref.kind = FileRef::Kind::fd;
	fh.ref.pid = pid;
	fh.ref.fd = fd;
	fh.ref.path = std::string(buf, size_t(n));
	h.holders.push_back(std::move(fh));
	h.links.push_back(link);
}

void Scan::note_namespace_mounts(const std::vector<MountEntry> &t, uint64_t in_ns)
{
	for (const auto &m : t) {
		if (m.fstype != "nsfs")
			continue;
		auto ino = parse_mnt_link(m.root);
		if (!ino || process_ns.count(*ino))
			continue;
		HeldNamespace &h = held[*ino];
		h.inode = *ino;
		FsHolder fh;
		fh.kind = FsHolder::Kind::namespace_mount;
		fh.target = m.target;
		fh.mntns_inode = in_ns;
		h.holders.push_back(std::move(fh));
		if (auto p = process_ns.find(in_ns); p != process_ns.end())
			h.links.push_back(proc_path(p->second, "root" + m.target));
	}
}

// Enters each held namespace (and those its own nsfs mounts hold) to read its table.
void Scan::read_held()
{
	for (bool more = true; more;) {
		more = false;
		for (auto &[inode, h] : held) {
			if (h.read)
				continue;
			h.read = true;
			for (const auto &link : h.links) {
				auto fd = Fd::open(link, O_RDONLY);
				struct stat st;
				if (!fd || fstat(fd->get(), &st) != 0 || st.st_ino != inode)
					continue;
				auto t = read_mount_table_in(fd->get());
				if (!t) {
					rep.partial = true;
					rep.notices.push_back("mnt:[" + std::to_string(inode) + "], which no process is in, " +
							      "could not be entered (" + t.error().str() + ")");
					break;
				}
				rep.mount_namespaces++;
				h.mounts = std::move(*t);
				for (const auto &m : h.mounts) {
					held_ids.emplace(m.id, m.dev);
					held_devs.emplace(m.dev, std::make_pair(inode, m));
				}
				size_t before = held.size();
				note_namespace_mounts(h.mounts, inode);
				more = held.size() != before;
				break;
			}
			if (more)
				break; // the map grew: iterate again
		}
	}
}

bool Scan::keep(const FileRef &r)
{
	if (r.mnt_id ? reach_ids.count(*r.mnt_id) != 0 : reach_devs.count(r.dev) != 0)
		return false;
	std::string link = r.proc_link();
	if (internal(r.dev, link)) {
		// An nsfs or nstreefs fd of a mount namespace no process is in holds it.
		auto m = r.kind == FileRef::Kind::fd ? magic(r.dev, link) : std::nullopt;
		if (m && fs_magic_namespace_files(*m))
			note_namespace_link(link, r.pid, r.fd);
		return false;
	}
	return true;
}

// What processes hold that no reachable mount explains: from the module's one pass
// over the tasks where it can, else from /proc.
std::vector<FileRef> Scan::file_refs(std::set<pid_t> &refused)
{
	auto keep_one = [this](const FileRef &r) { return keep(r); };
	if (module) {
		auto refs = module_file_refs(*module, unreached_devs(), keep_one, maps_matter(), look_into);
		if (refs) {
			file_refs_phase = "file refs (module)";
			return std::move(*refs);
		}
		// EOPNOTSUPP: a module built without the kernel's fs/mount.h cannot tell
		// detached mounts; /proc can.
		if (refs.error().code != EOPNOTSUPP)
			rep.notices.push_back(refs.error().str() + ": the holders were looked for through /proc");
	}
	// On the native backend, BPF iterators do what the module does, where the
	// caller may load BPF (loaded while the tables were read); /proc otherwise.
	if (bpf_load.valid()) {
		auto iters = bpf_load.get();
		std::set<dev_t> devs;
		for (const auto &[dev, m] : reach_devs)
			devs.insert(dev);
		if (iters)
			if (auto refs = (*iters)->refs(reach_ids, devs, keep_one, maps_matter())) {
				file_refs_phase = "file refs (bpf)";
				return std::move(*refs);
			}
	}
	// keep() learns as it goes (magic numbers, namespace fds): one thread at a time.
	std::mutex lock;
	return scan_file_refs(
		pids,
		[&](const FileRef &r) {
			std::lock_guard<std::mutex> g(lock);
			return keep(r);
		},
		maps_matter(), refused);
}

// Sockets and rings whose owner held their lock all the while the module tried:
// what they hold was not seen. Said, and the report is partial.
void Scan::note_busy(std::vector<FileRef> &refs)
{
	for (const auto &r : refs)
		if (r.busy) {
			rep.partial = true;
			rep.notices.push_back("pid " + std::to_string(r.pid) + " fd " + std::to_string(r.fd) + " (" +
					      (r.kind == FileRef::Kind::io_uring ? "an io_uring" : "a unix socket") +
					      ") was busy: what it holds was not looked into; run again");
		}
	std::erase_if(refs, [](const FileRef &r) { return r.busy; });
}

// A process may have entered a namespace made after its table was read: read the
// tables of the holders' namespaces that are new, and drop what they reach.
void Scan::recheck(std::vector<FileRef> &refs)
{
	std::set<pid_t> seen;
	for (const auto &r : refs) {
		if (!seen.insert(r.pid).second)
			continue;
		struct stat st;
		if (stat(proc_path(r.pid, "ns/mnt").c_str(), &st) != 0 || process_ns.count(st.st_ino))
			continue;
		process_ns.emplace(st.st_ino, r.pid);
		if (auto t = read_mount_table(r.pid)) {
			rep.mount_namespaces++;
			add_reachable(*t);
		}
	}
	std::erase_if(refs, [&](const FileRef &r) {
		return r.mnt_id ? reach_ids.count(*r.mnt_id) != 0 : reach_devs.count(r.dev) != 0;
	});
}

Orphan &Scan::orphan_of(std::map<dev_t, Orphan> &by_dev, dev_t dev)
{
	auto [it, fresh] = by_dev.try_emplace(dev);
	Orphan &o = it->second;
	if (fresh) {
		o.dev = dev;
		if (auto h = held_devs.find(dev); h != held_devs.end()) {
			o.kind = Orphan::Kind::held_namespace;
			o.mntns_inode = h->second.first;
			o.fstype = h->second.second.fstype;
			o.source = h->second.second.source;
			for (const auto &m : held[h->second.first].mounts)
				if (m.dev == dev)
					o.mount_ids.push_back(m.id);
		}
	}
	return o;
}

// Type, size, risk: from the module's superblock, else statfs through @statfs_link.
void Scan::describe(Orphan &o, const std::string &statfs_link)
{
	if (auto s = supers.find(o.dev); s != supers.end()) {
		const nstree_super &x = s->second.s;
		if (o.fstype.empty())
			o.fstype = s->second.type;
		if (o.source.empty())
			o.source = x.id;
		o.active = x.active;
		o.block_device = x.flags & NSTREE_SUPER_BDEV;
		o.dirty_bytes = x.dirty_bytes;
		o.writeback_bytes = x.writeback_bytes;
		if (x.flags & NSTREE_SUPER_STATFS) {
			o.size_bytes = x.blocks * x.frsize;
			o.used_bytes = (x.blocks - x.bfree) * x.frsize;
			o.inodes = x.files - x.ffree;
		}
	} else if (!statfs_link.empty()) {
		struct statfs sf;
		if (statfs(statfs_link.c_str(), &sf) == 0) {
			if (o.fstype.empty())
				o.fstype = fs_magic_name(uint64_t(sf.f_type));
			uint64_t fr = sf.f_frsize ? uint64_t(sf.f_frsize) : uint64_t(sf.f_bsize);
			o.size_bytes = uint64_t(sf.f_blocks) * fr;
			o.used_bytes = uint64_t(sf.f_blocks - sf.f_bfree) * fr;
			o.inodes = uint64_t(sf.f_files - sf.f_ffree);
		}
		o.block_device = major(o.dev) != 0;
	}
	if (o.fstype.empty())
		o.fstype = "?";
	o.in_memory = fs_type_in_memory(o.fstype);
	o.remedies = remedies_for(o);
}

// A superblock the module says a swap file is on, and that no table reaches: the
// kernel holds it for swapon(2). /proc/swaps names the file by a path from the
// root of whatever still holds it, which may not open from here: every swap file
// whose name does not lead to a reachable swap-holding filesystem is a candidate.
void Scan::add_swap_holders()
{
	std::vector<std::string> candidates;
	for (const auto &f : swap_files) {
		struct stat st;
		bool reachable = stat(f.path.c_str(), &st) == 0 && reach_devs.count(st.st_dev) &&
				 supers.count(st.st_dev) && (supers[st.st_dev].s.flags & NSTREE_SUPER_SWAPFILE);
		if (!reachable)
			candidates.push_back(f.path);
	}
	for (const auto &[dev, k] : supers) {
		if (!(k.s.flags & NSTREE_SUPER_SWAPFILE) || (k.s.flags & NSTREE_SUPER_KERNMOUNT) || reach_devs.count(dev))
			continue;
		Orphan &o = orphan_of(sb, dev);
		FsHolder h;
		h.kind = FsHolder::Kind::swap;
		for (const auto &c : candidates)
			h.ref.path += (h.ref.path.empty() ? "" : " or ") + c;
		o.holders.push_back(std::move(h));
	}
}

void Scan::build(std::vector<FileRef> &refs)
{
	std::map<dev_t, std::string> link_of; // a /proc link into each orphan, for statfs
	for (auto &r : refs) {
		FsHolder h;
		h.kind = FsHolder::Kind::file;
		h.pid = r.pid;
		h.command = comm_of(r.pid);
		bool detached_only = reach_devs.count(r.dev) != 0; // the superblock is mounted elsewhere
		if (r.mnt_id && held_ids.count(*r.mnt_id) && detached_only)
			continue; // a mount of a namespace no process is in, of a reachable filesystem
		if (detached_only && r.mnt_id) {
			auto [it, fresh] = mounts.try_emplace(*r.mnt_id);
			Orphan &o = it->second;
			if (fresh) {
				o.kind = Orphan::Kind::detached_mount;
				o.dev = r.dev;
				o.mount_ids.push_back(*r.mnt_id);
				const MountEntry &m = reach_devs[r.dev];
				o.fstype = m.fstype;
				o.source = m.source;
			}
			h.ref = std::move(r);
			o.holders.push_back(std::move(h));
			continue;
		}
		Orphan &o = orphan_of(sb, r.dev);
		if (r.mnt_id && std::find(o.mount_ids.begin(), o.mount_ids.end(), *r.mnt_id) == o.mount_ids.end())
			o.mount_ids.push_back(*r.mnt_id);
		link_of.emplace(r.dev, r.proc_link());
		h.ref = std::move(r);
		o.holders.push_back(std::move(h));
	}
	for (const auto &lb : scan_loop_devices()) {
		if (reach_devs.count(lb.file_dev) || internal(lb.file_dev, ""))
			continue;
		FsHolder h;
		h.kind = FsHolder::Kind::loop;
		h.device = lb.device;
		h.ref.path = lb.file;
		orphan_of(sb, lb.file_dev).holders.push_back(std::move(h));
	}
	// What only namespaces no process is in reach, held by those namespaces.
	for (auto &[inode, hn] : held) {
		for (const auto &m : hn.mounts) {
			if (reach_devs.count(m.dev) || virtual_fs(m.fstype) || internal(m.dev, ""))
				continue;
			Orphan &o = orphan_of(sb, m.dev);
			for (const auto &fh : hn.holders)
				if (std::none_of(o.holders.begin(), o.holders.end(), [&](const FsHolder &x) {
					    return x.kind == fh.kind && x.pid == fh.pid && x.ref.fd == fh.ref.fd &&
						   x.target == fh.target;
				    }))
					o.holders.push_back(fh);
		}
	}
	add_swap_holders();
	// What the kernel has that nothing here explains.
	if (rep.kernel_view && tables_complete) {
		for (const auto &[dev, k] : supers) {
			if ((k.s.flags & NSTREE_SUPER_KERNMOUNT) || reach_devs.count(dev) || held_devs.count(dev) ||
			    sb.count(dev) || virtual_fs(k.type) || !k.s.active)
				continue;
			Orphan &o = orphan_of(sb, dev);
			o.unexplained = true;
		}
	}
	for (auto &[dev, o] : sb)
		describe(o, link_of.count(dev) ? link_of[dev] : std::string());
	for (auto &[id, o] : mounts) {
		o.in_memory = false; // the superblock is mounted elsewhere: this mount pins no more than that
		o.remedies = remedies_for(o);
	}
}

} // namespace

Result<OrphanReport> find_orphans(const BackendChoice &choice)
{
	PhaseTimer timer;
	Scan s(*choice.backend);
	s.rep.backend = choice.backend->kind();
	Privilege priv = read_privilege();
	if (!priv.may_see_all()) {
		s.rep.partial = true;
		s.rep.notices.push_back("not every process and mount namespace is visible to this caller (" +
					priv.missing() + "): only what it could inspect is reported");
	}
	// Loading the BPF file iterators takes as long as reading the process table:
	// it runs meanwhile, on a thread of its own.
	if (choice.backend->may_use_bpf())
		s.bpf_load = std::async(std::launch::async, BpfFileRefs::load);
	s.read_supers();
	if (!s.rep.kernel_view)
		s.probe_internal();
	timer.mark("supers");
	ProcessTable table = choice.backend->process_namespaces();
	timer.mark("processes");
	s.read_process_tables(table);
	timer.mark("mount tables");
	std::set<pid_t> refused(table.refused.begin(), table.refused.end());
	auto refs = s.file_refs(refused);
	timer.mark(s.file_refs_phase);
	s.note_busy(refs);
	s.read_held();
	s.recheck(refs);
	timer.mark("held namespaces");
	s.build(refs);
	timer.mark("build");
	if (!refused.empty()) {
		s.rep.partial = true;
		s.rep.notices.push_back(std::to_string(refused.size()) +
					" processes refused their open files to this caller: what they hold is not reported");
	}
	for (auto &[dev, o] : s.sb)
		s.rep.orphans.push_back(std::move(o));
	std::stable_sort(s.rep.orphans.begin(), s.rep.orphans.end(), [](const Orphan &a, const Orphan &b) {
		return a.pinned_bytes() > b.pinned_bytes();
	});
	for (auto &[id, o] : s.mounts)
		s.rep.orphans.push_back(std::move(o));
	return std::move(s.rep);
}

} // namespace nstree
