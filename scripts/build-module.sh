#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build nstree.ko against each named kernel (default: every provisioned kernel with
# headers), out of tree, in its own copy of module/ under $NSTREE_BUILD/module/NAME so
# kernels never overwrite each other's objects. W=1 always; C=1 (sparse) with CHECK=1.
# Any compiler or sparse warning fails the build.
# Result: $NSTREE_BUILD/module/NAME/nstree.ko
set -euo pipefail
. "$(dirname "$0")/lib.sh"

names=("$@")
[ ${#names[@]} -gt 0 ] || read -r -a names <<<"$NSTREE_MODULE_KERNELS"
sparse=()
[ "${CHECK:-0}" = 1 ] && sparse=(C=1)

for name in "${names[@]}"; do
	load_kernel "$name"
	[ -n "$KDIR" ] || die "kernel '$name' has no headers: the module cannot be built for it"
	dir=$NSTREE_BUILD/module/$name
	mkdir -p "$dir"
	rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '*.mod*' --exclude '.*.cmd' \
		--exclude 'nstree_autoconf.h' --exclude 'Module.symvers' --exclude 'modules.order' \
		"$NSTREE_ROOT/module/" "$dir/src/"
	# Objects live beside the copy; rsync above leaves them so rebuilds are incremental.
	# The probes re-run every time: their inputs include KDIR and KPRIV, not just files.
	rm -f "$dir/src/nstree_autoconf.h"
	log="$dir/build.log"
	[ -n "$KPRIV" ] && [ -r "$KPRIV/fs/mount.h" ] ||
		log "warning: no private fs/mount.h for $name: NS_MNT_GET_INFO/NEXT/PREV will be ENOTTY"
	if ! NSTREE_KPRIV="$KPRIV" make -C "$dir/src" KDIR="$KDIR" W=1 "${sparse[@]}" >"$log" 2>&1; then
		cat "$log" >&2
		die "module build failed for $name ($KVER)"
	fi
	if grep -E 'warning:|error:|sparse: ' "$log" | grep -v 'Skipping BTF' >&2; then
		die "module build for $name ($KVER) has warnings (full log: $log)"
	fi
	cp "$dir/src/nstree.ko" "$dir/nstree.ko"
	log "built $dir/nstree.ko for $KVER"
done
