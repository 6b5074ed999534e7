#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The README's picture of the namespace hierarchy: the main job's guest (three
# container-like sets and a rootless one, 6.12, module loaded) prints
# `nstree ls --format dot -t user -t pid -t net`; graphviz renders it to
# Documentation/images/namespace-tree.png (the .dot beside it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$NSTREE_ROOT/scripts
"$S/build-tools.sh"
out=$NSTREE_ROOT/Documentation/images
mkdir -p "$out"
"$S/run-vm.sh" --mode demo 6.12 >"$NSTREE_BUILD/demo-tree.log" 2>&1 || { tail -n 30 "$NSTREE_BUILD/demo-tree.log" >&2; die "the demo guest failed"; }
sed -n '/^digraph nstree {/,/^}/p' "$NSTREE_BUILD/demo-tree.log" | tr -d '\r' >"$out/namespace-tree.dot"
[ -s "$out/namespace-tree.dot" ] || die "the demo printed no graph"
dot -Tpng -Gdpi=80 "$out/namespace-tree.dot" -o "$out/namespace-tree.png"
log "wrote $out/namespace-tree.png"
