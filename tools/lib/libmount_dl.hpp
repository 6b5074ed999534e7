// SPDX-License-Identifier: GPL-2.0
// libmount, loaded on first use. Most runs read no mount table (nstree ls reads
// one for the NSFS and HOLDER columns or an unexplained namespace), and linking
// libmount loads libblkid, libselinux and libpcre2 with it at every start, a large
// part of a short run (figures: Documentation/cli.md).
#pragma once

#include <libmount.h>

#include "error.hpp"

namespace nstree {

// The libmount calls nstree makes.
struct LibMount {
	decltype(&::mnt_new_table_from_file) new_table_from_file;
	decltype(&::mnt_unref_table) unref_table;
	decltype(&::mnt_new_iter) new_iter;
	decltype(&::mnt_free_iter) free_iter;
	decltype(&::mnt_table_next_fs) table_next_fs;
	decltype(&::mnt_fs_get_fstype) fs_get_fstype;
	decltype(&::mnt_fs_get_root) fs_get_root;
	decltype(&::mnt_fs_get_target) fs_get_target;
	decltype(&::mnt_new_table) new_table;
	decltype(&::mnt_table_parse_stream) table_parse_stream;
	decltype(&::mnt_fs_get_id) fs_get_id;
	decltype(&::mnt_fs_get_devno) fs_get_devno;
	decltype(&::mnt_fs_get_source) fs_get_source;
};

// libmount.so.1 (dlopen'd once, kept for the life of the process), or why not.
Result<const LibMount *> libmount();

} // namespace nstree
