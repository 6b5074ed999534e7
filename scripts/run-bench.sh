#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot each kernel with the module and run nstree-bench in the guest.
# Every figure is printed next to a peer measured in the same guest run.
#   NSTREE_BENCH_KERNELS="6.1 6.12"   NSTREE_BENCH_ARGS="open"
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$NSTREE_ROOT/scripts
kernels=${NSTREE_BENCH_KERNELS:-6.1 6.12}
"$S/setup-host.sh"
# shellcheck disable=SC2086
"$S/provision-kernels.sh" $kernels
# shellcheck disable=SC2086
"$S/build-module.sh" $kernels
"$S/build-tools.sh"
for k in $kernels; do
	echo "== $k"
	"$S/run-vm.sh" --mode bench --args "${NSTREE_BENCH_ARGS:-}" "$k"
done
