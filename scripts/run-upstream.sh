#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Upstream's namespace selftests (scripts/build-upstream-selftests.sh) in QEMU on one
# kernel: natively on a kernel with listns(2), under `nstree compat` with the module
# loaded on 6.1 and 6.12. Each case must do what Documentation/compat.md's table of
# expected failures says for that kernel, and every row of the table must still
# happen (scripts/upstream-results.py), so the list cannot go stale.
# Prints "upstream KERNEL passed=P failed=F skipped=S" (failed: unexpected outcomes)
# and exits non-zero on any.
# Usage: run-upstream.sh KERNEL
set -euo pipefail
. "$(dirname "$0")/lib.sh"
k=$1
out=$NSTREE_BUILD/vm/$k
mkdir -p "$out"
[ -d "$NSTREE_BUILD/upstream-selftests/bin" ] || die "no upstream selftests: run scripts/build-upstream-selftests.sh"
programs=$(cd "$NSTREE_BUILD/upstream-selftests/bin" && ls | paste -sd, -)
# Their own timeout is 30 s a case; TCG is slower, and the guest gives each program 600 s.
"$NSTREE_ROOT/scripts/run-vm.sh" --mode upstream --timeout 2400 "$k" >"$out/upstream.txt"
python3 "$NSTREE_ROOT/scripts/upstream-results.py" --expected "$NSTREE_ROOT/Documentation/compat.md" \
	--kernel "$k" --programs "$programs" "$out/upstream.txt"
