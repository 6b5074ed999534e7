// SPDX-License-Identifier: GPL-2.0
#include "backend_choice.hpp"

#include <cerrno>
#include <cstdlib>


namespace nstree {

Result<BackendSettings> backend_settings(std::optional<BackendKind> flag)
{
	BackendSettings s;
	if (flag) {
		s.forced = flag;
		s.forced_by = "--backend";
	} else if (const char *env = std::getenv("NSTREE_BACKEND"); env && *env) {
		s.forced = parse_backend(env);
		if (!s.forced)
			return Error{EINVAL, std::string("NSTREE_BACKEND=") + env + ": not native, module or proc"};
		s.forced_by = "NSTREE_BACKEND";
	}
	s.task_iterator = !std::getenv("NSTREE_NO_BPF");
	return s;
}

Result<BackendChoice> choose_backend(const BackendSettings &settings)
{
	const std::string asked = settings.forced_by.empty() ? "requested" : settings.forced_by;
	if (settings.forced == BackendKind::proc)
		return BackendChoice{make_proc_backend(), asked};
	if (settings.forced == BackendKind::native) {
		auto b = make_native_backend(settings.task_iterator);
		if (!b)
			return Error{ENOSYS, "the native backend needs listns(2), which this kernel lacks (Linux >= 6.19)"};
		return BackendChoice{std::move(b), asked};
	}
	if (settings.forced == BackendKind::module) {
		auto b = make_module_backend();
		if (!b)
			return b.error();
		return BackendChoice{std::move(*b), asked};
	}
	if (auto b = make_native_backend(settings.task_iterator))
		return BackendChoice{std::move(b), "the kernel has listns(2)"};
	auto m = make_module_backend();
	if (m)
		return BackendChoice{std::move(*m), "no listns(2) in this kernel; /dev/nstree is present"};
	return BackendChoice{make_proc_backend(), "no listns(2) in this kernel and no usable /dev/nstree"};
}

} // namespace nstree
