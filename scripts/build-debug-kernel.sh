#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug kernel (KASAN, lockdep, PROVE_RCU, kmemleak, debugobjects...) from
# Debian's linux-source-6.12: tinyconfig + kvm_guest.config + scripts/kconfig/*.config.
# The build is cached under $NSTREE_CACHE/debug-6.12/<key>, keyed by the source package
# version, the config fragments and the compiler, so a second run reuses it.
# Writes $NSTREE_CACHE/kernels/debug-6.12/env (VMLINUZ = bzImage, KDIR = build tree).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=debug-6.12
tarball=/usr/src/linux-source-6.12.tar.xz
[ -r "$tarball" ] || die "$tarball missing: run scripts/setup-host.sh (package linux-source-6.12)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
frags=("$NSTREE_ROOT/scripts/kconfig/qemu-test.config" "$NSTREE_ROOT/scripts/kconfig/debug.config")
key=$( { echo "$srcver"; cat "${frags[@]}"; gcc --version | head -n 1; } | sha256sum | cut -c1-12)
out=$NSTREE_CACHE/$name/$key
envf=$(kernel_env "$name")

if [ -r "$out/arch/x86/boot/bzImage" ] && [ -r "$out/Module.symvers" ] && [ -r "$out/.done" ]; then
	log "$name: cached build $key (linux-source-6.12 $srcver)"
else
	src=$NSTREE_CACHE/src/linux-source-$srcver
	if [ ! -r "$src/.unpacked" ]; then
		need_space "$NSTREE_CACHE" 2048
		log "$name: unpacking linux-source-6.12 $srcver"
		rm -rf "$src" && mkdir -p "$src"
		tar -xJf "$tarball" -C "$src" --strip-components=1 || die "could not unpack $tarball (disk full?)"
		touch "$src/.unpacked"
	fi
	need_space "$NSTREE_CACHE" 3072
	# Older builds of this kernel are dead weight once the key changes.
	find "$NSTREE_CACHE/$name" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} + 2>/dev/null || true
	rm -rf "$out" && mkdir -p "$out"
	log "$name: configuring ($key)"
	make -s -C "$src" O="$out" tinyconfig >/dev/null
	kvmfrag=$(find "$src/kernel/configs" "$src/arch/x86/configs" -name kvm_guest.config 2>/dev/null | head -n 1)
	[ -n "$kvmfrag" ] || die "kvm_guest.config not found in $src"
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$kvmfrag" "${frags[@]}" >/dev/null)
	make -s -C "$src" O="$out" olddefconfig >/dev/null
	# merge_config only warns about values it could not set: check every one here.
	bad=$(grep -hE '^CONFIG_[A-Z0-9_]+=' "${frags[@]}" | while read -r line; do
		grep -qxF "$line" "$out/.config" || echo "$line"
	done)
	[ -z "$bad" ] || die "debug kernel config lacks: $(echo "$bad" | tr '\n' ' ')"
	log "$name: building with -j$(nproc) (5-10 minutes)"
	start=$SECONDS
	make -s -C "$src" O="$out" -j"$(nproc)" KBUILD_BUILD_TIMESTAMP=0 >"$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log" >&2; die "debug kernel build failed (log: $out/build.log)"; }
	touch "$out/.done"
	log "$name: built in $((SECONDS - start)) s"
fi
mkdir -p "$(dirname "$envf")"
cat >"$envf" <<EOT
KVER=$(cat "$out/include/config/kernel.release")
PKGVER=$srcver
VMLINUZ=$out/arch/x86/boot/bzImage
KDIR=$out
KPRIV=$NSTREE_CACHE/src/linux-source-$srcver
DEBUG=1
EOT
