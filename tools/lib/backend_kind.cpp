// SPDX-License-Identifier: GPL-2.0
#include "backend_kind.hpp"

namespace nstree {

const char *backend_name(BackendKind kind)
{
	switch (kind) {
	case BackendKind::native:
		return "native";
	case BackendKind::module:
		return "module";
	case BackendKind::proc:
		return "proc";
	}
	return "?";
}

std::optional<BackendKind> parse_backend(std::string_view name)
{
	for (auto k : {BackendKind::native, BackendKind::module, BackendKind::proc})
		if (name == backend_name(k))
			return k;
	return std::nullopt;
}

} // namespace nstree
