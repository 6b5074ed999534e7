// SPDX-License-Identifier: GPL-2.0
// nstree orphans' three outputs: a table for people (libsmartcols, a holder per
// line, then what to do), JSON under Documentation/nstree-orphans.schema.json, and
// Prometheus's text exposition format (metric names in Documentation/orphans.md and
// nstree(8)), with node_exporter's textfile-collector file written atomically.
#pragma once

#include <string>

#include "error.hpp"
#include "orphans.hpp"

namespace nstree::cli {

constexpr int kOrphansSchemaVersion = 1;

struct OrphansRenderOptions {
	bool noheadings = false;
	int term_width = 0; // > 0: a terminal this wide; 0: ask isatty(stdout); < 0: not a terminal
};

Result<std::string> render_orphans_table(const OrphanReport &r, const OrphansRenderOptions &o);
std::string render_orphans_json(const OrphanReport &r);
// @scan_seconds: how long the scan took (nstree_orphans_scan_duration_seconds).
std::string render_orphans_prometheus(const OrphanReport &r, double scan_seconds);
// A Prometheus label value, escaped as the text format requires (\\, \", \n).
std::string prometheus_label(std::string_view v);

// Writes @text to DIR/nstree_orphans.prom through a temporary file in DIR and a
// rename, so that node_exporter never reads half a file.
Result<std::string> write_textfile(const std::string &dir, const std::string &text);

} // namespace nstree::cli
