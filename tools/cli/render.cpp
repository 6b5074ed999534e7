// SPDX-License-Identifier: GPL-2.0
#include "render.hpp"
#include "render_dot.hpp"

#include <cstdlib>
#include <functional>
#include <unistd.h>
#include <libsmartcols.h>
#include <map>
#include <memory>

#include "ns_type.hpp"
#include "parallel.hpp"
#include "render_plain.hpp"

namespace nstree::cli {

namespace {

struct TableDeleter {
	void operator()(libscols_table *t) const { scols_unref_table(t); }
};
using Table = std::unique_ptr<libscols_table, TableDeleter>;

int scols_json_type(JsonType t)
{
	switch (t) {
	case JsonType::number:
		return SCOLS_JSON_NUMBER;
	case JsonType::boolean:
		return SCOLS_JSON_BOOLEAN_OPTIONAL;
	case JsonType::strings:
		return SCOLS_JSON_ARRAY_STRING;
	case JsonType::string:
		break;
	}
	return SCOLS_JSON_STRING;
}

// libsmartcols 2.38 prints an array column without data as [null]; nstree's schema
// says []. Outside string literals, "[", blanks, "null", blanks, "]" is only that.
std::string empty_arrays(const std::string &json)
{
	std::string out;
	out.reserve(json.size());
	bool in_string = false;
	for (size_t i = 0; i < json.size(); i++) {
		char c = json[i];
		if (in_string) {
			out += c;
			if (c == '\\' && i + 1 < json.size())
				out += json[++i];
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		if (c == '[') {
			size_t k = json.find_first_not_of(" \n", i + 1);
			if (k != std::string::npos && json.compare(k, 4, "null") == 0) {
				size_t close = json.find_first_not_of(" \n", k + 4);
				if (close != std::string::npos && json[close] == ']') {
					out += "[]";
					i = close;
					continue;
				}
			}
		}
		out += c;
	}
	return out;
}

} // namespace

std::string json_quote(std::string_view s)
{
	std::string out = "\"";
	for (unsigned char c : s) {
		if (c == '"' || c == '\\') {
			out += '\\';
			out += char(c);
		} else if (c < 0x20) {
			char buf[8];
			std::snprintf(buf, sizeof(buf), "\\u%04x", c);
			out += buf;
		} else {
			out += char(c);
		}
	}
	return out + "\"";
}

std::vector<long> tree_parents(const Listing &l, Tree tree)
{
	std::vector<long> parent(l.namespaces.size(), -1);
	if (tree == Tree::none)
		return parent;
	std::map<std::pair<uint32_t, uint64_t>, long> by_key;
	std::map<std::pair<uint32_t, pid_t>, long> by_pid; // lowest pid of a namespace with processes
	for (size_t i = 0; i < l.namespaces.size(); i++) {
		const auto &ns = l.namespaces[i];
		by_key[{ns.type, ns.inode}] = long(i);
		if (ns.pid && ns.nprocs)
			by_pid[{ns.type, *ns.pid}] = long(i);
	}
	for (size_t i = 0; i < l.namespaces.size(); i++) {
		const auto &ns = l.namespaces[i];
		if (tree == Tree::owner && ns.owner_inode) {
			auto it = by_key.find({CLONE_NEWUSER, *ns.owner_inode});
			if (it != by_key.end())
				parent[i] = it->second;
		} else if (tree == Tree::parent && ns.parent_inode) {
			auto it = by_key.find({ns.type, *ns.parent_inode});
			if (it != by_key.end())
				parent[i] = it->second;
		} else if (tree == Tree::process && ns.pid && ns.nprocs) {
			// Up the process tree to the nearest process that leads another
			// namespace of this type.
			pid_t p = *ns.pid;
			for (int depth = 0; depth < 4096; depth++) {
				auto up = l.parent_of(p);
				if (!up || *up <= 0)
					break;
				p = *up;
				auto it = by_pid.find({ns.type, p});
				if (it != by_pid.end() && it->second != long(i)) {
					parent[i] = it->second;
					break;
				}
			}
		}
	}
	// A cycle (a user namespace cannot own its owner, but be safe) becomes roots.
	for (size_t i = 0; i < parent.size(); i++) {
		long p = parent[i];
		for (size_t steps = 0; p >= 0 && steps <= parent.size(); steps++)
			p = parent[size_t(p)];
		if (p >= 0)
			parent[i] = -1;
	}
	return parent;
}

namespace {

// Multi-line columns (NSFS, HOLDER) hold one value a line, or a comma-separated
// list with -W; JSON keeps them as arrays whatever -W says.
bool wraps(const Column &c, const RenderOptions &o)
{
	return c.multiline && (!o.nowrap || o.format == Format::json);
}

const char *separator(const Column &c, const RenderOptions &o)
{
	return wraps(c, o) ? "\n" : ",";
}

std::optional<std::string> cell_text(const Column &c, const Namespace &ns, const RenderOptions &o)
{
	std::string s;
	if (!append_cell(c, ns, separator(c, o), s))
		return std::nullopt;
	return s;
}

bool is_terminal(const RenderOptions &o)
{
	return o.term_width > 0 || (o.term_width == 0 && isatty(STDOUT_FILENO));
}

} // namespace

std::optional<std::string> render_plain_list(const Listing &l, const std::vector<const Column *> &cols,
					     const RenderOptions &o)
{
	if (o.format != Format::table || o.tree != Tree::none || is_terminal(o))
		return std::nullopt;
	// Rows split between the CPUs: each part's cells are built on its own.
	const size_t rows = l.namespaces.size();
	std::vector<PlainTable> parts(parallel_parts(rows, 2048), PlainTable{cols, {}, {}, o.noheadings});
	run_parts(parts.size(), [&](size_t p) {
		PlainTable &t = parts[p];
		auto [first, last] = part_range(rows, p, parts.size());
		t.end.reserve((last - first) * cols.size());
		t.text.reserve((last - first) * cols.size() * 8);
		for (size_t i = first; i < last; i++)
			for (const Column *c : cols) {
				// Nothing is appended for a cell without data.
				append_cell(*c, l.namespaces[i], separator(*c, o), t.text);
				t.end.push_back(t.text.size());
			}
	});
	return render_plain(parts);
}

void set_term_width(::libscols_table *tb, int term_width)
{
	if (term_width > 0) {
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
		scols_table_set_termwidth(tb, size_t(term_width));
	} else if (term_width < 0) {
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	}
}

Result<std::string> render_libsmartcols(const Listing &l, const std::vector<const Column *> &cols,
					const RenderOptions &o)
{
	scols_init_debug(0);
	Table tb(scols_new_table());
	if (!tb)
		return Error{ENOMEM, "libsmartcols: cannot allocate a table"};
	scols_table_set_name(tb.get(), "namespaces");
	if (o.format == Format::json)
		scols_table_enable_json(tb.get(), 1);
	if (o.format == Format::raw)
		scols_table_enable_raw(tb.get(), 1);
	scols_table_enable_noheadings(tb.get(), o.noheadings);
	set_term_width(tb.get(), o.term_width);
	for (size_t i = 0; i < cols.size(); i++) {
		const Column &c = *cols[i];
		int flags = 0;
		bool tree_column = i == 0 && o.tree != Tree::none;
		bool wrap = wraps(c, o);
		if (c.right && !tree_column)
			flags |= SCOLS_FL_RIGHT;
		// On a terminal the wide multi-line columns (HOLDER, NSFS) give way too, as
		// COMMAND does: no line wider than the terminal. In a pipe nothing is cut.
		if ((c.truncate || (c.multiline && is_terminal(o))) && !o.notruncate)
			flags |= SCOLS_FL_TRUNC;
		if (wrap)
			flags |= SCOLS_FL_WRAP;
		if (tree_column)
			flags |= SCOLS_FL_TREE;
		std::string name(c.name);
		auto *cl = scols_table_new_column(tb.get(), name.c_str(), c.width_hint, flags);
		if (!cl)
			return Error{ENOMEM, "libsmartcols: cannot add column " + name};
		scols_column_set_json_type(cl, scols_json_type(c.json));
		if (wrap) {
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize, scols_wrapnl_nextchunk, nullptr);
			scols_column_set_safechars(cl, "\n"); // a line break, not \x0a, between values
		}
	}
	auto parents = tree_parents(l, o.tree);
	std::vector<libscols_line *> lines(l.namespaces.size(), nullptr);
	// Parents before children: libsmartcols links a child to an existing line.
	std::function<libscols_line *(size_t)> line_of = [&](size_t i) -> libscols_line * {
		if (lines[i])
			return lines[i];
		libscols_line *parent = parents[i] >= 0 ? line_of(size_t(parents[i])) : nullptr;
		lines[i] = scols_table_new_line(tb.get(), parent);
		return lines[i];
	};
	for (size_t i = 0; i < l.namespaces.size(); i++) {
		libscols_line *ln = line_of(i);
		if (!ln)
			return Error{ENOMEM, "libsmartcols: cannot add a line"};
		for (size_t c = 0; c < cols.size(); c++) {
			auto v = cell_text(*cols[c], l.namespaces[i], o);
			if (!v && cols[c]->json == JsonType::strings && o.format == Format::json) {
				scols_line_set_data(ln, c, ""); // an empty list, not [null]
				continue;
			}
			if (!v)
				continue; // no data: empty in a table, null in JSON
			scols_line_set_data(ln, c, v->c_str());
		}
	}
	char *data = nullptr;
	if (scols_print_table_to_string(tb.get(), &data) < 0 || !data)
		return Error{EIO, "libsmartcols: cannot print the table"};
	std::string table(data);
	std::free(data);
	if (o.format != Format::json)
		return table;
	table = empty_arrays(table);
	// libsmartcols prints {"namespaces": [...]}: open that object with the envelope.
	auto brace = table.find('{');
	if (brace == std::string::npos)
		return Error{EIO, "libsmartcols printed no JSON object"};
	std::string env = "{\n   \"schema\": " + std::to_string(kJsonSchemaVersion) + ",\n   \"backend\": " +
			  json_quote(backend_name(l.backend)) + ",\n   \"partial\": " + (l.partial ? "true" : "false") +
			  ",\n   \"notices\": [";
	for (size_t i = 0; i < l.notices.size(); i++)
		env += (i ? ", " : "") + json_quote(l.notices[i]);
	env += "],";
	return table.substr(0, brace) + env + table.substr(brace + 1);
}

Result<std::string> render(const Listing &l, const std::vector<const Column *> &cols, const RenderOptions &o)
{
	if (o.format == Format::dot)
		return render_dot(l, o.tree);
	if (auto plain = render_plain_list(l, cols, o))
		return std::move(*plain);
	return render_libsmartcols(l, cols, o);
}

} // namespace nstree::cli
