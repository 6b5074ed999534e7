#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# find-kpriv.sh KVER KDIR: print a directory that holds KVER's private fs/mount.h,
# or nothing. The module uses it for NS_MNT_GET_INFO/NEXT/PREV and to tell mounts
# that are in no namespace (nstree orphans); without it those are off and the
# rest works. Tried in order:
#   1. $NSTREE_KPRIV, when it holds fs/mount.h;
#   2. Debian's linux-source-SERIES (/usr/src/linux-source-SERIES.tar.xz), when its
#      version is the one of linux-headers-KVER: fs/mount.h is unpacked into ./kpriv
#      (afresh each time: DKMS builds every kernel in the same directory).
# What it found, or why not, goes to stderr (the DKMS build log).
set -u
kver=$1
here=$(pwd)
say() { echo "nstree: $*" >&2; }

if [ -n "${NSTREE_KPRIV:-}" ] && [ -r "$NSTREE_KPRIV/fs/mount.h" ]; then
	say "private headers from NSTREE_KPRIV ($NSTREE_KPRIV)"
	echo "$NSTREE_KPRIV"
	exit 0
fi
rm -rf "$here/kpriv"
series=$(echo "$kver" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
tarball=/usr/src/linux-source-$series.tar.xz
hver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null || true)
sver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null || true)
if [ -r "$tarball" ] && [ -n "$hver" ] && [ "$hver" = "$sver" ]; then
	mkdir -p "$here/kpriv"
	if tar -xJf "$tarball" -C "$here/kpriv" --strip-components=1 --wildcards '*/fs/mount.h' 2>/dev/null &&
		[ -r "$here/kpriv/fs/mount.h" ]; then
		say "private headers from linux-source-$series $sver"
		echo "$here/kpriv"
		exit 0
	fi
fi
say "no private fs/mount.h for $kver (install linux-source-$series ${hver:-of the headers' version} for" \
	"NS_MNT_GET_INFO/NEXT/PREV and detached-mount holders); building without"
exit 0
