#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch upstream Linux's namespace selftests and build them, unmodified, as static
# binaries for the guest:
#   tools/testing/selftests/namespaces/   every TEST_GEN_PROGS of its Makefile
#   tools/testing/selftests/filesystems/nsfs/iterate_mntns
# The source is the newest linux-source-7.* sid offers (through the private apt
# configuration), never a copy in this tree. Only the files the build needs are
# unpacked from the package's tarball, into $NSTREE_CACHE/upstream/src-VERSION; the
# package stays in $NSTREE_CACHE/upstream/debs.
#
# The programs are built by their own Makefiles (lib.mk's -D_GNU_SOURCE=, -lcap),
# with lib.mk's USERLDFLAGS=-static and KHDR_INCLUDES pointing at a usr/include that
# holds the package's own uapi headers bookworm's libc headers lack or have too old
# (UAPI_HEADERS, made the way 'make headers' does), so they come first on the
# include path. TOOLS_INCLUDES (tools/include/uapi, older copies of the same
# headers) is left out: with 7.2.13 it changes none of the generated code.
#
# Output: $NSTREE_BUILD/upstream-selftests/bin/PROGRAM and .../VERSION (the
# package's version). Idempotent: nothing is fetched, unpacked or built again
# when the version, this script and the toolchain are unchanged.
#
# Usage: build-upstream-selftests.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

UP=$NSTREE_CACHE/upstream
OUT=$NSTREE_BUILD/upstream-selftests
ST=tools/testing/selftests

# What the build reads from the tarball: the test directories, the harness, lib.mk,
# the shared sources and headers the tests include from their neighbours, and the
# uapi headers below.
EXTRACT=(
	"$ST/lib.mk" "$ST/kselftest.h" "$ST/kselftest_harness.h"
	"$ST/namespaces" "$ST/filesystems/nsfs"
	"$ST/filesystems/utils.c" "$ST/filesystems/utils.h" "$ST/filesystems/wrappers.h"
	"$ST/pidfd/pidfd.h" "$ST/clone3/clone3_selftests.h"
)
# include/uapi/ headers the tests need newer than bookworm's linux-libc-dev (6.1).
UAPI_HEADERS=(linux/nsfs.h)

[ -r /usr/include/sys/capability.h ] || die "libcap-dev is not installed: run scripts/setup-host.sh"
command -v make >/dev/null || die "make is not installed: run scripts/setup-host.sh"

# Resolve the newest linux-source-7.*. Without the network, the package lists sid
# already has will do (the package is cached once fetched).
if ! (papt_update sid); then
	log "warning: could not refresh sid's package lists: using the ones already there"
fi
pkg=$(newest_pkg '^linux-source-7\.[0-9]+$' papt sid)
[ -n "$pkg" ] || die "sid offers no linux-source-7.* package (or its package lists are missing: check the network)"
ver=$(papt sid apt-cache policy "$pkg" | awk '/Candidate:/ {print $2; exit}')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then die "no candidate version of $pkg in sid"; fi
src=$UP/src-$ver

# The build's inputs besides the source: this script and the toolchain.
key="$pkg $ver $(sha256sum <"$0" | cut -c1-16) gcc-$(gcc -dumpfullversion)"
key+=" $(dpkg-query -W -f='${Package}=${Version} ' libc6-dev libcap-dev 2>/dev/null)"
if [ -r "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$key" ] && [ -d "$OUT/bin" ]; then
	log "upstream selftests of $pkg $ver already built in $OUT/bin"
	exit 0
fi

# deb_of VERSION: the cached package of that version, if any.
deb_of() {
	local f
	for f in "$UP"/debs/"$pkg"_*.deb; do
		[ -r "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$1" ] && { echo "$f"; return; }
	done
	return 0
}

# install_uapi DEST HDR: the package's include/uapi/HDR into DEST/usr/include with
# headers_install.sh's rewrites (its unifdef -U__KERNEL__ step is left out: userspace
# never defines __KERNEL__, so those sections are inert).
install_uapi() {
	local dest=$1 hdr=$2 in
	in=$dest/include/uapi/$hdr
	[ -r "$in" ] || die "$pkg $ver has no include/uapi/$hdr"
	mkdir -p "$dest/usr/include/$(dirname "$hdr")"
	sed -E -e '
		s/([[:space:](])(__user|__force|__iomem)[[:space:]]/\1/g
		s/__attribute_const__([[:space:]]|$)/\1/g
		s@^#include <linux/compiler.h>@@
		s/(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)/\1__attribute__((packed))\2/g
		s/(^|[[:space:](])(inline|asm|volatile)([[:space:](]|$)/\1__\2__\3/g
		s@#(ifndef|define|endif[[:space:]]*/[*])[[:space:]]*_UAPI@#\1 @
	' "$in" >"$dest/usr/include/$hdr"
}

if [ ! -r "$src/.complete" ]; then
	deb=$(deb_of "$ver")
	if [ -z "$deb" ]; then
		log "fetching $pkg $ver from sid"
		need_space "$UP" 512
		mkdir -p "$UP/debs"
		rm -f "$UP"/debs/linux-source-*.deb
		(cd "$UP/debs" && papt sid apt-get -q download "$pkg=$ver" >/dev/null 2>download.log) ||
			die "could not download $pkg=$ver from sid: $(tail -n 1 "$UP/debs/download.log")"
		deb=$(deb_of "$ver")
		[ -n "$deb" ] || die "downloaded $pkg=$ver but found no ${pkg}_*.deb of that version in $UP/debs"
	fi
	log "unpacking the selftests and ${UAPI_HEADERS[*]} from $(basename "$deb")"
	rm -rf "$src.new"
	mkdir -p "$src.new"
	members=()
	for m in "${EXTRACT[@]}"; do members+=("linux-source-*/$m"); done
	for h in "${UAPI_HEADERS[@]}"; do members+=("linux-source-*/include/uapi/$h"); done
	dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		tar -xJ --wildcards --no-wildcards-match-slash --strip-components=1 -C "$src.new" "${members[@]}" 2>"$UP/unpack.log" ||
		die "could not unpack the selftests from $deb: $(grep -v 'Exiting with failure' "$UP/unpack.log" | head -n 3 | tr '\n' ' ')"
	for h in "${UAPI_HEADERS[@]}"; do install_uapi "$src.new" "$h"; done
	touch "$src.new/.complete"
	rm -rf "$src"
	mv "$src.new" "$src"
	# Older versions' sources are no longer needed.
	find "$UP" -mindepth 1 -maxdepth 1 -name 'src-*' ! -name "src-$ver" -exec rm -rf {} +
fi

# make_upstream DIR OBJ [TARGET...]: run the selftest Makefile of $ST/DIR, output in OBJ.
make_upstream() {
	local dir=$1 obj=$2
	shift 2
	mkdir -p "$obj"
	make -j1 -C "$src/$ST/$dir" V=1 OUTPUT="$obj" \
		KHDR_INCLUDES="-isystem $src/usr/include" TOOLS_INCLUDES= USERLDFLAGS=-static "$@" \
		>>"$OUT/build.log" 2>&1 ||
		die "building upstream's $dir selftests failed: $(grep -m 3 -E 'error|No such file' "$OUT/build.log" | tr '\n' ' ')(log: $OUT/build.log)"
}

# progs_of DIR: the TEST_GEN_PROGS of the Makefile of $ST/DIR.
progs_of() {
	# shellcheck disable=SC2016
	make -s -C "$src/$ST/$1" --no-print-directory OUTPUT=/ -f Makefile \
		-f <(printf 'nstree-print-progs:\n\t@echo $(notdir $(TEST_GEN_PROGS))\n') nstree-print-progs
}

log "building upstream's namespace selftests of $pkg $ver"
mkdir -p "$OUT"
rm -rf "$OUT/obj" "$OUT/bin.new" "$OUT/.stamp"
: >"$OUT/build.log"
read -ra progs <<<"$(progs_of namespaces)"
[ ${#progs[@]} -gt 0 ] || die "no TEST_GEN_PROGS in $ST/namespaces/Makefile of $pkg $ver"
make_upstream namespaces "$OUT/obj/namespaces"
# filesystems/nsfs: iterate_mntns only (its Makefile resets CFLAGS, so the headers
# go through USERCFLAGS; the program does not include them).
make_upstream filesystems/nsfs "$OUT/obj/nsfs" USERCFLAGS="-isystem $src/usr/include" \
	"$OUT/obj/nsfs/iterate_mntns"

mkdir -p "$OUT/bin.new"
for p in "${progs[@]/#/namespaces/}" nsfs/iterate_mntns; do
	b=$OUT/obj/$p
	[ -x "$b" ] || die "upstream's $p was not built (log: $OUT/build.log)"
	! readelf -lW "$b" | grep -q 'INTERP' || die "upstream's $p is not static"
	install -m 0755 "$b" "$OUT/bin.new/$(basename "$p")"
done
rm -rf "${OUT:?}/bin" "$OUT/obj"
mv "$OUT/bin.new" "$OUT/bin"
echo "$ver" >"$OUT/VERSION"
echo "$key" >"$OUT/.stamp"
log "built $(find "$OUT/bin" -type f | wc -l) static programs of $pkg $ver in $OUT/bin"
