#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what nstree needs on a Debian bookworm host: compilers, QEMU, busybox,
# sparse, the userspace libraries (libcap for upstream's namespace selftests),
# clang, bpftool and libbpf's headers (the BPF task iterator), zsh (the completion
# test runs the zsh script), the Debian packaging tools (dpkg-buildpackage,
# debhelper, dkms, lintian), gnuplot and graphviz (make bench's plot, the README's
# namespace tree), and Catch2 v3 from bookworm-backports (unpacked into the cache
# through a private apt configuration; the machine's apt sources are never
# touched). Idempotent: a second run does nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	make gcc g++ cmake pkg-config git perl python3 ca-certificates debian-archive-keyring
	qemu-system-x86 busybox-static cpio gzip xz-utils zstd kmod util-linux
	sparse bc bison flex libelf-dev libssl-dev dwarves rsync
	libmount-dev libsmartcols-dev liburing-dev libcap-dev nlohmann-json3-dev python3-jsonschema python3-prometheus-client
	clang bpftool libbpf-dev
	zsh lsof
	linux-source-6.12
	dpkg-dev debhelper dh-dkms dkms lintian fakeroot
	gnuplot-nox graphviz
)

[ -r /etc/debian_version ] || die "this script supports Debian bookworm hosts only"
command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian bookworm hosts only"

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	need_space /var/cache/apt 2048
	$SUDO apt-get -q update >/dev/null ||
		die "apt-get update failed: check the network and /etc/apt/sources.list"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install failed for: ${missing[*]}"
fi

# Catch2 v3 (bookworm main only has 2.13, which lacks SKIP()).
CATCH2_DIR=$NSTREE_CACHE/catch2
if [ ! -r "$CATCH2_DIR/usr/lib/cmake/Catch2/Catch2Config.cmake" ]; then
	need_space "$NSTREE_CACHE" 64
	papt_update bookworm-backports
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && papt bookworm-backports apt-get -q download libcatch2-dev >/dev/null) ||
		die "could not download libcatch2-dev from bookworm-backports"
	rm -rf "$CATCH2_DIR.new"
	dpkg-deb -x "$tmp"/libcatch2-dev_*.deb "$CATCH2_DIR.new"
	rm -rf "$CATCH2_DIR"
	mv "$CATCH2_DIR.new" "$CATCH2_DIR"
	log "Catch2 $(dpkg-deb -f "$tmp"/libcatch2-dev_*.deb Version) unpacked into $CATCH2_DIR"
fi
