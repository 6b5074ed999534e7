// SPDX-License-Identifier: GPL-2.0
#include "orphans_render.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <libsmartcols.h>
#include <memory>
#include <unistd.h>

#include "fd.hpp"
#include "render.hpp"

namespace nstree::cli {

namespace {

struct TableDeleter {
	void operator()(libscols_table *t) const { scols_unref_table(t); }
};

std::string opt_num(const std::optional<uint64_t> &v)
{
	return v ? std::to_string(*v) : "null";
}

std::string mount_ids(const Orphan &o)
{
	std::string s;
	for (auto id : o.mount_ids)
		s += (s.empty() ? "" : ",") + std::to_string(id);
	return s;
}

std::string where(const Orphan &o)
{
	if (o.mntns_inode)
		return "mnt:[" + std::to_string(*o.mntns_inode) + "]";
	return "";
}

} // namespace

Result<std::string> render_orphans_table(const OrphanReport &r, const OrphansRenderOptions &o)
{
	scols_init_debug(0);
	std::unique_ptr<libscols_table, TableDeleter> tb(scols_new_table());
	if (!tb)
		return Error{ENOMEM, "libsmartcols: cannot allocate a table"};
	scols_table_enable_noheadings(tb.get(), o.noheadings);
	set_term_width(tb.get(), o.term_width);
	struct Col {
		const char *name;
		double width;
		int flags;
	};
	const Col cols[] = {{"KIND", 0, SCOLS_FL_TREE}, {"DEV", 0, 0},	 {"FSTYPE", 0, 0},	 {"SOURCE", 0, SCOLS_FL_TRUNC},
			    {"MOUNTS", 0, 0},		 {"NS", 0, 0},	 {"USED", 0, SCOLS_FL_RIGHT}, {"INODES", 0, SCOLS_FL_RIGHT},
			    {"RISK", 0, 0},		 {"HOLDER", 0, 0}};
	for (const auto &c : cols)
		if (!scols_table_new_column(tb.get(), c.name, c.width, c.flags))
			return Error{ENOMEM, "libsmartcols: cannot add a column"};
	for (const auto &x : r.orphans) {
		libscols_line *ln = scols_table_new_line(tb.get(), nullptr);
		if (!ln)
			return Error{ENOMEM, "libsmartcols: cannot add a line"};
		scols_line_set_data(ln, 0, x.kind_name().c_str());
		scols_line_set_data(ln, 1, x.dev_str().c_str());
		scols_line_set_data(ln, 2, x.fstype.c_str());
		scols_line_set_data(ln, 3, x.source.c_str());
		scols_line_set_data(ln, 4, mount_ids(x).c_str());
		scols_line_set_data(ln, 5, where(x).c_str());
		if (x.used_bytes)
			scols_line_set_data(ln, 6, human_bytes(*x.used_bytes).c_str());
		if (x.inodes)
			scols_line_set_data(ln, 7, std::to_string(*x.inodes).c_str());
		scols_line_set_data(ln, 8, x.at_risk() ? "DATA" : (x.pinned_bytes() ? "memory" : ""));
		std::vector<std::string> holders;
		for (const auto &h : x.holders)
			holders.push_back(h.str());
		if (x.unexplained)
			holders.push_back((x.active ? std::to_string(*x.active) : std::string("some")) +
					  " references held by the kernel or by no process we can see");
		for (size_t i = 0; i < holders.size(); i++) {
			libscols_line *hl = i == 0 ? ln : scols_table_new_line(tb.get(), ln);
			if (!hl)
				return Error{ENOMEM, "libsmartcols: cannot add a line"};
			if (i)
				scols_line_set_data(hl, 0, "holder");
			scols_line_set_data(hl, 9, holders[i].c_str());
		}
	}
	char *data = nullptr;
	if (scols_print_table_to_string(tb.get(), &data) < 0 || !data)
		return Error{EIO, "libsmartcols: cannot print the table"};
	std::string out(data);
	std::free(data);
	if (!out.empty() && out.back() != '\n')
		out += '\n';
	bool any_remedy = false;
	for (const auto &x : r.orphans) {
		if (x.remedies.empty())
			continue;
		if (!any_remedy)
			out += "\nWhat to do:\n";
		any_remedy = true;
		out += "  " + x.kind_name() + " " + x.dev_str() + " (" + x.fstype + (x.source.empty() ? "" : " " + x.source) +
		       "):\n";
		for (const auto &step : x.remedies)
			out += "    - " + step + "\n";
	}
	return out;
}

std::string render_orphans_json(const OrphanReport &r)
{
	std::string j = "{\n  \"schema\": " + std::to_string(kOrphansSchemaVersion) +
			",\n  \"backend\": " + json_quote(backend_name(r.backend)) +
			",\n  \"kernel_view\": " + (r.kernel_view ? "true" : "false") +
			",\n  \"partial\": " + (r.partial ? "true" : "false") + ",\n  \"notices\": [";
	for (size_t i = 0; i < r.notices.size(); i++)
		j += (i ? ", " : "") + json_quote(r.notices[i]);
	j += "],\n  \"mount_namespaces\": " + std::to_string(r.mount_namespaces) +
	     ",\n  \"processes\": " + std::to_string(r.processes) + ",\n  \"orphans\": [";
	for (size_t i = 0; i < r.orphans.size(); i++) {
		const Orphan &o = r.orphans[i];
		j += i ? ",\n    {" : "\n    {";
		j += "\"kind\": " + json_quote(o.kind_name()) + ", \"dev\": " + json_quote(o.dev_str()) +
		     ", \"fstype\": " + json_quote(o.fstype) + ", \"source\": " + json_quote(o.source) + ", \"mount_ids\": [";
		for (size_t k = 0; k < o.mount_ids.size(); k++)
			j += (k ? ", " : "") + std::to_string(o.mount_ids[k]);
		j += "], \"mntns_inode\": " + opt_num(o.mntns_inode) + ", \"size_bytes\": " + opt_num(o.size_bytes) +
		     ", \"used_bytes\": " + opt_num(o.used_bytes) + ", \"inodes\": " + opt_num(o.inodes) +
		     ", \"pinned_memory_bytes\": " + std::to_string(o.pinned_bytes()) +
		     ", \"block_device\": " + (o.block_device ? "true" : "false") +
		     ", \"dirty_bytes\": " + std::to_string(o.dirty_bytes) +
		     ", \"writeback_bytes\": " + std::to_string(o.writeback_bytes) +
		     ", \"at_risk\": " + (o.at_risk() ? "true" : "false") +
		     ", \"active_references\": " + (o.active ? std::to_string(*o.active) : "null") +
		     ", \"unexplained\": " + (o.unexplained ? "true" : "false") + ",\n     \"holders\": [";
		for (size_t k = 0; k < o.holders.size(); k++) {
			const FsHolder &h = o.holders[k];
			static const char *const kKinds[] = {"file", "loop", "namespace_fd", "namespace_mount", "swap"};
			static const char *const kRefs[] = {"fd", "map", "cwd", "root", "exe", "inflight", "unix_bound", "io_uring"};
			std::string what = h.kind == FsHolder::Kind::file ? kRefs[int(h.ref.kind)] : kKinds[int(h.kind)];
			j += k ? ",\n       {" : "\n       {";
			j += "\"what\": " + json_quote(what) + ", \"pid\": " + (h.pid ? std::to_string(h.pid) : "null") +
			     ", \"command\": " + (h.pid ? json_quote(h.command) : "null") +
			     ", \"fd\": " + (h.ref.fd >= 0 ? std::to_string(h.ref.fd) : "null") +
			     ", \"path\": " + json_quote(h.kind == FsHolder::Kind::namespace_mount ? h.target : h.ref.path) +
			     ", \"access\": " + (h.ref.access.empty() ? "null" : json_quote(h.ref.access));
			if (h.ref.kind == FileRef::Kind::map && h.kind == FsHolder::Kind::file)
				j += ", \"start\": " + std::to_string(h.ref.start) + ", \"end\": " + std::to_string(h.ref.end);
			if (h.kind == FsHolder::Kind::file && h.ref.held_through())
				j += ", \"inode\": " + std::to_string(h.ref.ino);
			if (h.ref.kind == FileRef::Kind::io_uring && h.kind == FsHolder::Kind::file)
				j += ", \"index\": " + std::to_string(h.ref.start);
			if (h.kind == FsHolder::Kind::loop)
				j += ", \"device\": " + json_quote(h.device);
			if (h.kind == FsHolder::Kind::namespace_mount)
				j += ", \"mntns_inode\": " + std::to_string(h.mntns_inode);
			j += ", \"text\": " + json_quote(h.str()) + "}";
		}
		j += "],\n     \"remedies\": [";
		for (size_t k = 0; k < o.remedies.size(); k++)
			j += (k ? ", " : "") + json_quote(o.remedies[k]);
		j += "]}";
	}
	j += r.orphans.empty() ? "]\n}\n" : "\n  ]\n}\n";
	return j;
}

std::string prometheus_label(std::string_view v)
{
	std::string out;
	for (char c : v) {
		if (c == '\\')
			out += "\\\\";
		else if (c == '"')
			out += "\\\"";
		else if (c == '\n')
			out += "\\n";
		else
			out += c;
	}
	return out;
}

std::string render_orphans_prometheus(const OrphanReport &r, double scan_seconds)
{
	std::string out;
	auto family = [&](const char *name, const char *help) {
		out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n";
	};
	auto labels = [](const Orphan &o) {
		return "{kind=\"" + o.kind_name() + "\",dev=\"" + o.dev_str() + "\",fstype=\"" + prometheus_label(o.fstype) +
		       "\",source=\"" + prometheus_label(o.source) + "\"}";
	};
	auto per_orphan = [&](const char *name, const char *help, auto value) {
		family(name, help);
		for (const auto &o : r.orphans)
			if (auto v = value(o))
				out += std::string(name) + labels(o) + " " + std::to_string(*v) + "\n";
	};
	family("nstree_orphans", "Filesystems and mounts held by something but reachable from no mount namespace a process is in.");
	uint64_t pinned = 0;
	size_t by_kind[3] = {};
	for (const auto &o : r.orphans) {
		by_kind[int(o.kind)]++;
		pinned += o.pinned_bytes();
	}
	const char *kinds[] = {"superblock", "namespace", "mount"};
	for (int k = 0; k < 3; k++)
		out += std::string("nstree_orphans{kind=\"") + kinds[k] + "\"} " + std::to_string(by_kind[k]) + "\n";
	family("nstree_orphans_pinned_memory_bytes", "Memory held by orphaned in-memory filesystems (tmpfs, ramfs, hugetlbfs), in total.");
	out += "nstree_orphans_pinned_memory_bytes " + std::to_string(pinned) + "\n";
	per_orphan("nstree_orphan_used_bytes", "Bytes in use on an orphaned filesystem (statfs).",
		   [](const Orphan &o) -> std::optional<uint64_t> { return o.kind == Orphan::Kind::detached_mount ? std::nullopt : o.used_bytes; });
	per_orphan("nstree_orphan_pinned_memory_bytes", "Memory an orphaned in-memory filesystem holds.",
		   [](const Orphan &o) -> std::optional<uint64_t> {
			   return o.in_memory ? std::optional<uint64_t>(o.pinned_bytes()) : std::nullopt;
		   });
	per_orphan("nstree_orphan_inodes", "Inodes in use on an orphaned filesystem (statfs).",
		   [](const Orphan &o) -> std::optional<uint64_t> { return o.kind == Orphan::Kind::detached_mount ? std::nullopt : o.inodes; });
	per_orphan("nstree_orphan_holders", "Holders found for an orphan (processes' files, loop devices, namespace files).",
		   [](const Orphan &o) -> std::optional<uint64_t> { return o.holders.size(); });
	per_orphan("nstree_orphan_unexplained", "1 when the kernel holds an orphan that no holder nstree can see explains.",
		   [](const Orphan &o) -> std::optional<uint64_t> { return o.unexplained ? 1 : 0; });
	per_orphan("nstree_orphan_data_at_risk", "1 for a block-device-backed orphan with dirty or writeback pages or writers.",
		   [](const Orphan &o) -> std::optional<uint64_t> { return o.at_risk() ? 1 : 0; });
	family("nstree_orphans_partial", "1 when part of the system was hidden from the scan (privilege, refused processes).");
	out += std::string("nstree_orphans_partial ") + (r.partial ? "1" : "0") + "\n";
	family("nstree_orphans_scan_duration_seconds", "How long the scan took.");
	char buf[64];
	std::snprintf(buf, sizeof(buf), "%.6f", scan_seconds);
	out += std::string("nstree_orphans_scan_duration_seconds ") + buf + "\n";
	return out;
}

Result<std::string> write_textfile(const std::string &dir, const std::string &text)
{
	std::string final_path = dir + "/nstree_orphans.prom";
	std::string tmp = dir + "/.nstree_orphans.prom." + std::to_string(getpid());
	int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return Error::from_errno(errno, "cannot create " + tmp + " (is --textfile a writable directory?)");
	Fd f(fd);
	for (size_t off = 0; off < text.size();) {
		ssize_t n = ::write(f.get(), text.data() + off, text.size() - off);
		if (n < 0) {
			int err = errno;
			unlink(tmp.c_str());
			return Error::from_errno(err, "cannot write " + tmp);
		}
		off += size_t(n);
	}
	if (fsync(f.get()) != 0 || ::close(f.release()) != 0 || rename(tmp.c_str(), final_path.c_str()) != 0) {
		int err = errno;
		unlink(tmp.c_str());
		return Error::from_errno(err, "cannot put " + final_path + " in place");
	}
	return final_path;
}

} // namespace nstree::cli
