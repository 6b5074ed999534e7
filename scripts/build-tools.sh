#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the userspace tools, host unit tests and selftests (CMake),
# into $NSTREE_BUILD/tools. Binaries land in $NSTREE_BUILD/tools/bin.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$NSTREE_BUILD/tools
catch2=$NSTREE_CACHE/catch2/usr
[ -r "$catch2/lib/cmake/Catch2/Catch2Config.cmake" ] || die "Catch2 v3 missing: run scripts/setup-host.sh"
if [ ! -r "$dir/CMakeCache.txt" ]; then
	cmake -S "$NSTREE_ROOT" -B "$dir" -DCMAKE_PREFIX_PATH="$catch2" >"$NSTREE_BUILD/cmake.log" 2>&1 ||
		{ cat "$NSTREE_BUILD/cmake.log" >&2; die "cmake configure failed"; }
fi
cmake --build "$dir" -j"$(nproc)" >"$NSTREE_BUILD/tools-build.log" 2>&1 ||
	{ grep -E 'error|Error' -A3 "$NSTREE_BUILD/tools-build.log" | head -n 60 >&2; die "userspace build failed (log: $NSTREE_BUILD/tools-build.log)"; }
if grep -q 'warning:' "$NSTREE_BUILD/tools-build.log"; then
	grep 'warning:' "$NSTREE_BUILD/tools-build.log" >&2
	die "userspace build has warnings"
fi
# Guest-side scripts travel with the binaries.
install -m 0755 "$NSTREE_ROOT/scripts/guest/demo" "$dir/bin/nstree-demo"
