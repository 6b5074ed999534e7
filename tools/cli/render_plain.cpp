// SPDX-License-Identifier: GPL-2.0
#include "render_plain.hpp"

#include <algorithm>

#include "parallel.hpp"

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
// and is followed by one blank.
void put_cell(std::string &out, std::string_view text, size_t width, bool right, bool last)
{
	if (right && !text.empty() && text.size() < width)
		out.append(width - text.size(), ' ');
	out += text;
	if (last)
		return;
	if (!right || text.empty())
		out.append(width - std::min(width, text.size()), ' ');
	out += ' ';
}

// Lines are separated, not terminated: the last one has no newline. (A line may be
// empty: one column, no data.)
template <typename TextOf>
void put_line(std::string &out, bool first, const std::vector<const Column *> &cols,
	      const std::vector<size_t> &width, const TextOf &text_of)
{
	if (!first)
		out += '\n';
	for (size_t c = 0; c < cols.size(); c++)
		put_cell(out, text_of(c), width[c], cols[c]->right, c + 1 == cols.size());
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
	std::vector<std::string> text(parts.size());
	run_parts(parts.size(), [&](size_t p) {
		const PlainTable &t = parts[p];
		text[p].reserve(line * (t.cells() / ncols));
		for (size_t row = 0; row < t.cells(); row += ncols)
			put_line(text[p], row == 0, cols, width, [&](size_t c) { return t.cell(row + c); });
	});
	std::string out;
	out.reserve(line * (cells / ncols + 1));
	bool first = true;
	if (!parts.front().noheadings) {
		put_line(out, true, cols, width, [&](size_t c) { return cols[c]->name; });
		first = false;
	}
	for (size_t p = 0; p < parts.size(); p++) {
		if (!parts[p].cells())
			continue;
		if (!first)
			out += '\n';
		out += text[p];
		first = false;
	}
	return out;
}

} // namespace nstree::cli
