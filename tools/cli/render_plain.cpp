// SPDX-License-Identifier: GPL-2.0
#include "render_plain.hpp"

#include <algorithm>

#include "parallel.hpp"
#include "raw_buffer.hpp"

namespace nstree::cli {

bool is_plain_text(std::string_view s)
{
	return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e && c != '\\'; });
}

namespace {

// libsmartcols's count_column_width() for a column outside a terminal, given its
// widest cell: at least the header (the header counts even with -n); an absolute
// width hint applies only when the cells are at least as wide as the header.
size_t column_width(const Column &c, size_t widest)
{
	size_t width = widest;
	size_t width_min = std::max<size_t>(c.name.size(), 1);
	if (width < width_min)
		width = width_min;
	else if (c.width_hint >= 1 && width < size_t(c.width_hint) && width_min < size_t(c.width_hint))
		width = size_t(c.width_hint);
	return width;
}

// libsmartcols's print_data() for a human-readable cell outside a terminal: right
// alignment pads before non-empty text; every column but the last pads to its width
// and is followed by one blank. Writes at @o (room for width + 1 bytes, @text being
// no wider than @width); returns the end.
char *put_cell(char *o, std::string_view text, size_t width, bool right, bool last)
{
	size_t pad = width - std::min(width, text.size());
	if (right && !text.empty()) {
		o = std::fill_n(o, pad, ' ');
		pad = 0;
	}
	o = std::copy(text.begin(), text.end(), o);
	if (last)
		return o;
	o = std::fill_n(o, pad, ' ');
	*o++ = ' ';
	return o;
}

// Lines are separated, not terminated: the last one has no newline. (A line may be
// empty: one column, no data.) @o has room for a newline and the widths plus one
// per column.
template <typename TextOf>
char *put_line(char *o, bool first, const std::vector<const Column *> &cols, const std::vector<size_t> &width,
	       const TextOf &text_of)
{
	if (!first)
		*o++ = '\n';
	for (size_t c = 0; c < cols.size(); c++)
		o = put_cell(o, text_of(c), width[c], cols[c]->right, c + 1 == cols.size());
	return o;
}

} // namespace

std::optional<std::string> render_plain(std::span<const PlainTable> parts)
{
	if (parts.empty())
		return std::nullopt;
	const auto &cols = parts.front().columns;
	const size_t ncols = cols.size();
	if (!ncols)
		return std::nullopt;
	size_t cells = 0;
	for (const auto &t : parts) {
		if (t.cells() % ncols)
			return std::nullopt;
		cells += t.cells();
	}
	if (!cells)
		return std::nullopt;
	for (const Column *c : cols)
		if (!is_plain_text(c->name))
			return std::nullopt;

	// Each part on its own CPU: is it plain text, and how wide is each column?
	std::vector<std::vector<size_t>> widest(parts.size(), std::vector<size_t>(ncols));
	std::vector<char> plain(parts.size());
	run_parts(parts.size(), [&](size_t p) {
		const PlainTable &t = parts[p];
		plain[p] = is_plain_text(t.text);
		for (size_t i = 0; i < t.cells(); i++)
			widest[p][i % ncols] = std::max(widest[p][i % ncols], t.cell(i).size());
	});
	if (std::count(plain.begin(), plain.end(), 0))
		return std::nullopt;
	std::vector<size_t> width(ncols);
	size_t line = 0;
	for (size_t c = 0; c < ncols; c++) {
		size_t w = 0;
		for (const auto &part : widest)
			w = std::max(w, part[c]);
		width[c] = column_width(*cols[c], w);
		line += width[c] + 1;
	}

	// Then each part's rows, laid out on its own CPU, and all joined.
	// Each written through a pointer into a buffer sized for the worst case.
	std::vector<RawBuffer> text(parts.size());
	run_parts(parts.size(), [&](size_t p) {
		const PlainTable &t = parts[p];
		const size_t rows = t.cells() / ncols;
		text[p] = RawBuffer(rows * (line + 1) + 1);
		char *o = text[p].data.get();
		for (size_t row = 0; row < t.cells(); row += ncols)
			o = put_line(o, row == 0, cols, width, [&](size_t c) { return t.cell(row + c); });
		text[p].size = size_t(o - text[p].data.get());
	});
	std::string out;
	out.reserve((line + 1) * (cells / ncols + 1));
	bool first = true;
	if (!parts.front().noheadings) {
		RawBuffer header(line + 1);
		char *end = put_line(header.data.get(), true, cols, width, [&](size_t c) { return cols[c]->name; });
		out.append(header.data.get(), size_t(end - header.data.get()));
		first = false;
	}
	for (size_t p = 0; p < parts.size(); p++) {
		if (!parts[p].cells())
			continue;
		if (!first)
			out += '\n';
		out += text[p].view();
		first = false;
	}
	return out;
}

} // namespace nstree::cli
