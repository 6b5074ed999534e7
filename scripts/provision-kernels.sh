#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Resolve, download and unpack the kernels nstree is tested on:
#   6.1   newest linux-image-6.1.0-N-amd64 the machine's apt sources offer, with headers
#   6.12  newest linux-image-6.12.X+deb12-amd64, with headers
#   sid   newest sid kernel image (native listns), through a private apt configuration,
#         for the userspace tools only (no headers: they need gcc-16)
# Packages are unpacked with dpkg-deb -x into $NSTREE_CACHE/kernels/NAME (no install
# hooks run, nothing lands in /boot). The headers are unpacked next to the kbuild
# package they point at, and their one absolute include is rewritten, so KDIR works
# from the cache. Each kernel is described by $NSTREE_CACHE/kernels/NAME/env.
#
# Usage: provision-kernels.sh [NAME...]   (default: 6.1 6.12 sid)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# deps_of PKG: the linux-headers/linux-kbuild packages PKG depends on.
deps_of() {
	apt-cache depends "$1" | awk '/Depends: linux-(headers|kbuild)/ {print $2}' | sort -u
}

# fetch_unpack DIR PKG...: download PKGs (with the machine's sources) and unpack into DIR/root.
fetch_unpack() {
	local dir=$1 p
	shift
	mkdir -p "$dir/debs" "$dir/root"
	(cd "$dir/debs" && "${FETCH[@]}" apt-get -q download "$@" >/dev/null 2>"$dir/debs/download.log") ||
		die "could not download $*: $(tail -n 2 "$dir/debs/download.log" | tr '\n' ' ')(network down, or the package left the archive: re-run after 'apt-get update')"
	for p in "$@"; do
		dpkg-deb -x "$dir"/debs/"${p}"_*.deb "$dir/root" || die "could not unpack $p (disk full?)"
	done
	rm -f "$dir"/debs/*.deb
}

# The modules the guest loads besides nstree.ko, for the orphans tests: loop, and
# minix (a filesystem with no dependencies that swapon(2) accepts files on).
# Paths under the kernel's lib/modules/KVER/kernel/; none depends on another.
GUEST_MODULES="drivers/block/loop fs/minix/minix"
GUEST_MODULES_KEY="EXTRA_MODULES_SET=$(echo "$GUEST_MODULES" | tr ' /' ',:')"

# keep_guest_modules DIR FROM: the GUEST_MODULES, decompressed from the tree FROM
# into DIR/modules.
keep_guest_modules() {
	local dir=$1 from=$2 p m f
	mkdir -p "$dir/modules"
	for p in $GUEST_MODULES; do
		m=$(basename "$p")
		f=$(find "$from" -path "*/lib/modules/*/kernel/$p.ko*" 2>/dev/null | head -n 1)
		if [ -z "$f" ]; then
			log "warning: no $m.ko in $(basename "$dir")'s image: the tests that need it will skip"
			continue
		fi
		case $f in
		*.xz) xz -dc "$f" >"$dir/modules/$m.ko" ;;
		*.zst) zstd -dcq "$f" >"$dir/modules/$m.ko" ;;
		*) cp "$f" "$dir/modules/$m.ko" ;;
		esac
	done
}

# add_guest_modules DIR PKG: fetch the package holding the kernel's modules (the
# image on bookworm, linux-modules-KVER on sid) for keep_guest_modules.
add_guest_modules() {
	local dir=$1 img=$2 p pats=()
	mkdir -p "$dir/debs" "$dir/unpack"
	(cd "$dir/debs" && "${FETCH[@]}" apt-get -q download "$img" >/dev/null 2>"$dir/debs/download.log") ||
		die "could not download $img: $(tail -n 1 "$dir/debs/download.log")"
	for p in $GUEST_MODULES; do pats+=("*/kernel/$p.ko*"); done
	# A module the package lacks is not fatal: keep_guest_modules names it.
	dpkg-deb --fsys-tarfile "$dir"/debs/"$img"_*.deb | tar -x -C "$dir/unpack" --wildcards "${pats[@]}" 2>/dev/null ||
		log "warning: not every one of $GUEST_MODULES is in $img"
	rm -f "$dir"/debs/*.deb
	keep_guest_modules "$dir" "$dir/unpack"
	rm -rf "$dir/unpack"
	sed -i '/^EXTRA_MODULES/d' "$dir/env"
	printf 'EXTRA_MODULES=%s\n%s\n' "$dir/modules" "$GUEST_MODULES_KEY" >>"$dir/env"
}

# fetch_private_headers DIR SERIES VERSION: fs/mount.h from linux-source-SERIES=VERSION,
# the same Debian build as the image, into DIR/private. The module needs the private
# mount-namespace struct for NS_MNT_GET_INFO/NEXT/PREV (Debian builds without
# RANDSTRUCT, so the source's layout is the running kernel's).
fetch_private_headers() {
	local dir=$1 series=$2 ver=$3 deb
	mkdir -p "$dir/private" "$dir/debs"
	(cd "$dir/debs" && apt-get -q download "linux-source-$series=$ver" >/dev/null 2>"$dir/debs/download.log") ||
		die "could not download linux-source-$series=$ver (for fs/mount.h): $(tail -n 1 "$dir/debs/download.log")"
	deb=$(ls "$dir"/debs/linux-source-"$series"_*.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		tar -xJ --wildcards --strip-components=1 -C "$dir/private" '*/fs/mount.h' ||
		die "could not unpack fs/mount.h from $deb"
	rm -f "$deb"
	[ -r "$dir/private/fs/mount.h" ] || die "linux-source-$series=$ver has no fs/mount.h"
}

provision_debian() {
	local name=$1 re=$2 img krel dir kdir
	FETCH=()
	img=$(newest_pkg "$re")
	if [ -z "$img" ]; then
		$SUDO apt-get -q update >/dev/null || die "apt-get update failed: check the network"
		img=$(newest_pkg "$re")
	fi
	[ -n "$img" ] || die "no package matching $re in the machine's apt sources (bookworm-security enabled?)"
	krel=${img#linux-image-}
	dir=$NSTREE_CACHE/kernels/$name
	if [ -r "$dir/env" ] && grep -qx "KVER=$krel" "$dir/env" && grep -q '^KPRIV=' "$dir/env"; then
		if ! grep -qx "$GUEST_MODULES_KEY" "$dir/env"; then
			log "$name: adding the guest's extra modules"
			add_guest_modules "$dir" "$img"
		fi
		log "$name: $krel already provisioned"
		return
	fi
	log "$name: provisioning $krel"
	need_space "$NSTREE_CACHE" 1024
	rm -rf "$dir"
	# shellcheck disable=SC2046
	fetch_unpack "$dir" "$img" "linux-headers-$krel" $(deps_of "linux-headers-$krel")
	kdir=$dir/root/usr/src/linux-headers-$krel
	[ -r "$kdir/Makefile" ] || die "$name: headers for $krel did not unpack to $kdir"
	sed -i "s#^include /usr/src/#include $dir/root/usr/src/#" "$kdir/Makefile"
	# Keep only what the runner needs from the image: vmlinuz, config and the
	# modules the guest loads besides nstree.ko.
	keep_guest_modules "$dir" "$dir/root"
	find "$dir/root/lib/modules" -mindepth 1 -maxdepth 1 -exec rm -rf {} + 2>/dev/null || true
	pkgver=$(apt-cache show "$img" | awk '/^Version:/ {print $2; exit}')
	fetch_private_headers "$dir" "$name" "$pkgver"
	cat >"$dir/env" <<EOT
KVER=$krel
PKGVER=$pkgver
VMLINUZ=$dir/root/boot/vmlinuz-$krel
KDIR=$kdir
KPRIV=$dir/private
EXTRA_MODULES=$dir/modules
$GUEST_MODULES_KEY
EOT
}

provision_sid() {
	local dir=$NSTREE_CACHE/kernels/sid pkg krel
	papt_update sid
	FETCH=(papt sid)
	pkg=$(newest_pkg '^linux-binary-[0-9.]+\+deb[0-9]+-amd64$' papt sid)
	[ -n "$pkg" ] || die "sid offers no linux-binary-*-amd64 package"
	krel=${pkg#linux-binary-}
	if [ -r "$dir/env" ] && grep -qx "KVER=$krel" "$dir/env"; then
		if ! grep -qx "$GUEST_MODULES_KEY" "$dir/env"; then
			log "sid: adding the guest's extra modules"
			add_guest_modules "$dir" "linux-modules-$krel"
		fi
		log "sid: $krel already provisioned"
		return
	fi
	log "sid: provisioning $krel"
	need_space "$NSTREE_CACHE" 512
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	(cd "$dir/debs" && papt sid apt-get -q download "$pkg" >/dev/null 2>download.log) ||
		die "could not download $pkg from sid: $(tail -n 1 "$dir/debs/download.log")"
	dpkg-deb --fsys-tarfile "$dir"/debs/"${pkg}"_*.deb | tar -x -C "$dir/root" --wildcards '*/vmlinuz*' ||
		die "could not unpack the vmlinuz of $pkg"
	rm -f "$dir"/debs/*.deb
	cat >"$dir/env" <<EOT
KVER=$krel
VMLINUZ=$(find "$dir/root" -name 'vmlinuz*' -type f | head -n 1)
KDIR=
EOT
	add_guest_modules "$dir" "linux-modules-$krel"
}

for name in "${@:-6.1 6.12 sid}"; do
	for n in $name; do
		case $n in
		6.1) provision_debian 6.1 '^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
		6.12) provision_debian 6.12 '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
		sid) provision_sid ;;
		*) die "unknown kernel '$n' (known: 6.1 6.12 sid; the debug kernel comes from build-debug-kernel.sh)" ;;
		esac
	done
done
