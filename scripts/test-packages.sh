#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages, tested as Documentation/admin-guide.md uses them. One step
# per call, so that run-tests.sh can put the guests between them:
#   test-packages.sh build          dpkg-buildpackage -us -uc -b in a copy of the tree,
#                                   then lintian (an error fails)
#   test-packages.sh install KERNEL...
#                                   the guide's host-install blocks, word for word, for
#                                   each kernel (KVER set to its release): headers,
#                                   source, both packages, DKMS. The module DKMS built
#                                   replaces $NSTREE_BUILD/module/KERNEL/nstree.ko, so
#                                   the selftests that follow load it
#   test-packages.sh guest KERNEL   the guide's guest blocks in a guest of KERNEL,
#                                   with the packaged CLI and the DKMS module, loaded
#                                   by modprobe
#   test-packages.sh remove         the guide's host-remove block; checks that nothing
#                                   of the packages is left
# Packages and logs: $NSTREE_BUILD/pkg.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=$NSTREE_BUILD/pkg
guide=$NSTREE_ROOT/Documentation/admin-guide.md
mkdir -p "$pkg"

# The guide's blocks for WHERE as a script; "sudo" is the caller's own when root
# has none (a fresh machine's root often has no sudo).
guide_script() {
	{
		echo 'set -eu'
		echo 'command -v sudo >/dev/null 2>&1 || sudo() { "$@"; }'
		python3 "$NSTREE_ROOT/scripts/guide-blocks.py" "$guide" "$1"
	} >"$2"
}

build() {
	local src=$pkg/src
	rm -rf "$src" "$pkg"/*.deb "$pkg"/*.changes "$pkg"/*.buildinfo
	mkdir -p "$src"
	# The tree as committed or changed, without build output or caches.
	rsync -a --delete --exclude /build --exclude /.git "$NSTREE_ROOT/" "$src/"
	log "dpkg-buildpackage -us -uc -b (log: $pkg/build.log)"
	(cd "$src" && dpkg-buildpackage -us -uc -b >"$pkg/build.log" 2>&1) ||
		{ tail -n 40 "$pkg/build.log" >&2; die "dpkg-buildpackage failed"; }
	ls "$pkg"/nstree-dkms_*_all.deb "$pkg"/nstree_*_amd64.deb >/dev/null ||
		die "dpkg-buildpackage made no nstree-dkms or nstree package"
	log "lintian (log: $pkg/lintian.log)"
	lintian --fail-on error --tag-display-limit 0 "$pkg"/nstree_*.changes >"$pkg/lintian.log" 2>&1 ||
		{ cat "$pkg/lintian.log" >&2; die "lintian reports errors"; }
	log "lintian: no errors, $(grep -c '^W:' "$pkg/lintian.log") warnings (log: $pkg/lintian.log)"
}

install() {
	local name ko
	guide_script host-install "$pkg/guide-host-install.sh"
	for name in "$@"; do
		load_kernel "$name"
		log "$name: the admin guide's install steps for $KVER"
		(cd "$pkg" && KVER=$KVER bash "$pkg/guide-host-install.sh") >"$pkg/install-$name.log" 2>&1 ||
			{ tail -n 40 "$pkg/install-$name.log" >&2; die "the admin guide's install steps failed for $KVER"; }
		ko=/lib/modules/$KVER/updates/dkms/nstree.ko
		[ -r "$ko" ] || ko=$ko.xz
		[ -r "$ko" ] || die "DKMS installed no nstree.ko for $KVER"
		mkdir -p "$NSTREE_BUILD/module/$name" "$pkg/dkms/$name"
		case $ko in
		*.xz) xz -dc "$ko" >"$pkg/dkms/$name/nstree.ko" ;;
		*) cp "$ko" "$pkg/dkms/$name/nstree.ko" ;;
		esac
		# Private headers found? (make.log of the DKMS build says.)
		grep -h 'nstree: ' /var/lib/dkms/nstree/*/"$KVER"/*/log/make.log 2>/dev/null | head -n 2 | sed "s/^/[$name] /" >&2 || true
		cp "$pkg/dkms/$name/nstree.ko" "$NSTREE_BUILD/module/$name/nstree.ko"
		log "$name: the selftests load the module DKMS built ($(sha256sum "$pkg/dkms/$name/nstree.ko" | cut -c1-16))"
	done
}

guest() {
	local name=$1
	load_kernel "$name"
	guide_script guest "$pkg/guide-guest.sh"
	# What the guest's init installs before it runs the guide: the packaged CLI and
	# the module where DKMS put it (run-vm.sh --mode guide; mkinitramfs.sh).
	rm -rf "$pkg/guest-$name" && mkdir -p "$pkg/guest-$name"
	dpkg-deb -x "$pkg"/nstree_*_amd64.deb "$pkg/guest-$name/root"
	mkdir -p "$pkg/guest-$name/root/lib/modules/$KVER/updates/dkms"
	cp "$pkg/dkms/$name/nstree.ko" "$pkg/guest-$name/root/lib/modules/$KVER/updates/dkms/"
	cp "$pkg/guide-guest.sh" "$pkg/guest-$name/guide.sh"
	NSTREE_GUIDE_DIR=$pkg/guest-$name "$NSTREE_ROOT/scripts/run-vm.sh" --mode guide "$name"
}

remove() {
	guide_script host-remove "$pkg/guide-host-remove.sh"
	(cd "$pkg" && bash "$pkg/guide-host-remove.sh") >"$pkg/remove.log" 2>&1 ||
		{ cat "$pkg/remove.log" >&2; die "the admin guide's removal steps failed"; }
	if dpkg-query -W -f='${Status}\n' nstree nstree-dkms 2>/dev/null | grep -q 'installed'; then
		die "nstree or nstree-dkms is still installed after the guide's removal"
	fi
	local left
	left=$(ls -d /usr/src/nstree-* /var/lib/dkms/nstree /lib/modules/*/updates/dkms/nstree.ko* /usr/bin/nstree 2>/dev/null || true)
	[ -z "$left" ] || die "left behind after removal: $left"
	log "removal: nothing of nstree left"
}

step=${1:-}
shift || true
case $step in
build) build ;;
install) install "$@" ;;
guest) guest "$1" ;;
remove) remove ;;
*) die "usage: test-packages.sh build|install KERNEL...|guest KERNEL|remove" ;;
esac
