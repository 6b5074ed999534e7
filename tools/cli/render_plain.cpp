// SPDX-License-Identifier: GPL-2.0
#include "render_plain.hpp"

#include <algorithm>

namespace nstree::cli {

bool is_plain_text(std::string_view s)
{
	return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e && c != '\\'; });
}

namespace {

// libsmartcols's count_column_width() for a column outside a terminal: the widest
// cell; at least the header (the header counts even with -n); an absolute width
// hint applies only when the cells are at least as wide as the header.
size_t column_width(const PlainTable &t, size_t col)
{
	const size_t ncols = t.columns.size();
	const Column &c = *t.columns[col];
	size_t width = 0;
	for (size_t i = col; i < t.cells.size(); i += ncols)
		width = std::max(width, t.cells[i].size());
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

} // namespace

std::optional<std::string> render_plain(const PlainTable &t)
{
	const size_t ncols = t.columns.size();
	if (!ncols || t.cells.empty() || t.cells.size() % ncols)
		return std::nullopt;
	for (const Column *c : t.columns)
		if (!is_plain_text(c->name))
			return std::nullopt;
	for (const auto &s : t.cells)
		if (!is_plain_text(s))
			return std::nullopt;
	std::vector<size_t> width(ncols);
	size_t line = 0;
	for (size_t c = 0; c < ncols; c++) {
		width[c] = column_width(t, c);
		line += width[c] + 1;
	}
	std::string out;
	out.reserve(line * (t.cells.size() / ncols + 1));
	// Lines are separated, not terminated: the last one has no newline.
	bool first = true;
	auto put_line = [&](auto text_of) {
		if (!first)
			out += '\n';
		first = false;
		for (size_t c = 0; c < ncols; c++)
			put_cell(out, text_of(c), width[c], t.columns[c]->right, c + 1 == ncols);
	};
	if (!t.noheadings)
		put_line([&](size_t c) { return t.columns[c]->name; });
	for (size_t row = 0; row < t.cells.size(); row += ncols)
		put_line([&](size_t c) { return std::string_view(t.cells[row + c]); });
	return out;
}

} // namespace nstree::cli
