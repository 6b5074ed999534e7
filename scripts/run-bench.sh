#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot each kernel with the module and run nstree-bench in the guest (one
# guest session per kernel, every benchmark in it). Every figure is printed next to a
# peer measured in the same guest run; bench/results.md (the table of ratios, goals,
# kernel, CPU, date) and bench/listing-time.png (gnuplot) are written from them.
#   NSTREE_BENCH_KERNELS="6.1 6.12"   NSTREE_BENCH_ARGS="open handles listns"
# The sid kernel (native listns, no module) runs the listns benchmark as the peer
# for the per-ID cost; the ratios against it are printed at the end.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$NSTREE_ROOT/scripts
kernels=${NSTREE_BENCH_KERNELS:-6.1 6.12}
out=$NSTREE_BUILD/bench
mkdir -p "$out"
"$S/setup-host.sh"
# shellcheck disable=SC2086
"$S/provision-kernels.sh" $kernels
# shellcheck disable=SC2086
"$S/build-module.sh" $kernels
"$S/build-tools.sh"
"$S/provision-kernels.sh" sid
for k in $kernels; do
	echo "== $k"
	"$S/run-vm.sh" --mode bench --timeout 1800 --args "${NSTREE_BENCH_ARGS:-}" "$k" | tee "$out/$k.txt"
done
echo "== sid (native listns(2), no module)"
"$S/run-vm.sh" --mode bench --timeout 1800 --args "listns cli orphans scaling watch-native" sid | tee "$out/sid.txt"

# Per-ID cost of the module's walks against native listns(2), same session.
echo "== per-ID cost against native listns(2) on sid (goal: within 2x for pages of 10 or more)"
for k in $kernels; do
	grep '^RESULT module' "$out/$k.txt" 2>/dev/null | while read -r _ _ key value; do
		native=$(awk -v k="$key" '$1 == "RESULT" && $2 == "native" && $3 == k {print $4}' "$out/sid.txt")
		[ -n "$native" ] && awk -v k="$k" -v key="$key" -v m="$value" -v n="$native" \
			'BEGIN {printf "  %-6s %-26s module %9.1f ns  native %9.1f ns  %5.2fx\n", k, key, m, n, m / n}'
	done
done

# The report and the plot, committed under bench/.
report=()
for k in $kernels sid; do
	load_kernel "$k"
	report+=("$k=$KVER")
done
python3 "$S/bench-report.py" "$NSTREE_ROOT/bench" "$out" "${report[@]}"
echo "== $((SECONDS / 60)) min in all"
