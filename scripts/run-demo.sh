#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job (README): set up the host, boot the Debian 6.12 kernel in QEMU, load
# nstree.ko, create a few container-like namespace sets, run the CLI, power off.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$NSTREE_ROOT/scripts
"$S/setup-host.sh"
"$S/provision-kernels.sh" 6.12
"$S/build-module.sh" 6.12
"$S/build-tools.sh"
"$S/run-vm.sh" --mode demo 6.12
