#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Kernel style gates for module/ (BIT_MACRO is ignored: uapi headers cannot use BIT()): checkpatch (from Debian's linux-source-6.12, as
# unpacked by build-debug-kernel.sh) and kernel-doc. Exits non-zero on any finding.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(ls -d "$NSTREE_CACHE"/src/linux-source-*/ 2>/dev/null | head -n 1)
[ -n "$src" ] && [ -x "$src/scripts/checkpatch.pl" ] || die "no kernel source tree in $NSTREE_CACHE/src: run scripts/build-debug-kernel.sh"
cd "$NSTREE_ROOT/module"
mapfile -t files < <(find . -name '*.[ch]' ! -name nstree_autoconf.h ! -path './compat/probes/*' | sort)
rc=0
"$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types --max-line-length=100 \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,CONST_STRUCT,BIT_MACRO -f "${files[@]}" || rc=1
"$src/scripts/kernel-doc" -none "${files[@]}" 2>&1 | tee /dev/stderr | grep -q . && rc=1
exit $rc
