// SPDX-License-Identifier: GPL-2.0
#include "libmount_dl.hpp"

#include <cerrno>
#include <dlfcn.h>
#include <string>

namespace nstree {

namespace {

// Loads the library and every symbol in LibMount; the handle is never closed.
Result<LibMount> load()
{
	void *lib = dlopen("libmount.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return Error{ENOENT, std::string("cannot load libmount (util-linux's libmount1 package): ") + dlerror()};
	LibMount m;
	std::string missing;
	auto sym = [&](auto &fn, const char *name) {
		fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
		if (!fn)
			missing += std::string(missing.empty() ? "" : ", ") + name;
	};
	sym(m.new_table_from_file, "mnt_new_table_from_file");
	sym(m.unref_table, "mnt_unref_table");
	sym(m.new_iter, "mnt_new_iter");
	sym(m.free_iter, "mnt_free_iter");
	sym(m.table_next_fs, "mnt_table_next_fs");
	sym(m.fs_get_fstype, "mnt_fs_get_fstype");
	sym(m.fs_get_root, "mnt_fs_get_root");
	sym(m.fs_get_target, "mnt_fs_get_target");
	sym(m.new_table, "mnt_new_table");
	sym(m.table_parse_stream, "mnt_table_parse_stream");
	sym(m.fs_get_id, "mnt_fs_get_id");
	sym(m.fs_get_devno, "mnt_fs_get_devno");
	sym(m.fs_get_source, "mnt_fs_get_source");
	if (!missing.empty()) {
		dlclose(lib);
		return Error{ENOSYS, "libmount.so.1 lacks " + missing};
	}
	return m;
}

} // namespace

Result<const LibMount *> libmount()
{
	// Thread-safe: a function-local static is initialized once.
	static const Result<LibMount> loaded = load();
	if (!loaded)
		return loaded.error();
	return &*loaded;
}

} // namespace nstree
