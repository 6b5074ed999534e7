#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs for one kernel: busybox-static, scripts/guest/init, the
# module built for that kernel (if any), the kernel's loop.ko (if kept), the nstree binaries, util-linux's lsns,
# nsenter and unshare as reference tools, mkfs.minix, and the shared libraries they all need.
# Usage: mkinitramfs.sh NAME OUTPUT.cpio.gz
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=$1
out=$2
root=$(dirname "$out")/root
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,etc,lib/modules,nstree/bin,usr/bin,usr/sbin,root,tmp}

cp /bin/busybox "$root/bin/busybox"
{ ldd /bin/busybox 2>&1 || true; } | grep -q "not a dynamic" || die "/bin/busybox is not static: install busybox-static"
install -m 0755 "$NSTREE_ROOT/scripts/guest/init" "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

ko=$NSTREE_BUILD/module/$name/nstree.ko
if [ -r "$ko" ]; then cp "$ko" "$root/lib/modules/nstree.ko"; fi
# The kernel's own modules the guest loads at boot (loop), kept by provision-kernels.sh.
extra=$(sed -n 's/^EXTRA_MODULES=//p' "$(kernel_env "$name")" 2>/dev/null || true)
if [ -n "$extra" ] && [ -d "$extra" ]; then
	mkdir -p "$root/lib/modules/extra"
	cp "$extra"/*.ko "$root/lib/modules/extra/" 2>/dev/null || true
fi

# add_bin SRC DST: copy an executable and every shared library it loads.
add_bin() {
	local src=$1 dst=$2 lib
	install -D -m 0755 "$src" "$root$dst"
	{ ldd "$src" 2>/dev/null || true; } | awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}' | while read -r lib; do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
	return 0
}

for b in lsns nsenter unshare findmnt lsof; do
	add_bin "$(command -v "$b")" "/usr/bin/$b"
done
# util-linux's mkfs.minix: a filesystem for the swap-file orphan test (busybox has none
# whose kernel driver needs no other module).
add_bin "$(PATH=$PATH:/usr/sbin:/sbin command -v mkfs.minix)" /usr/sbin/mkfs.minix
for b in "$NSTREE_BUILD"/tools/bin/*; do
	if [ -x "$b" ]; then add_bin "$b" "/nstree/bin/$(basename "$b")"; fi
done

# Upstream's namespace selftests (scripts/build-upstream-selftests.sh), static, for
# the guest's upstream mode.
if [ -d "$NSTREE_BUILD/upstream-selftests/bin" ]; then
	mkdir -p "$root/nstree/upstream"
	cp "$NSTREE_BUILD/upstream-selftests/bin/"* "$root/nstree/upstream/"
fi

# The admin guide's guest steps (run-vm.sh --mode guide): the files the packages
# install (the CLI, and the module where DKMS put it, with modules.dep for
# modprobe) and the steps themselves.
if [ -n "${NSTREE_GUIDE_DIR:-}" ]; then
	g=$NSTREE_GUIDE_DIR
	add_bin "$g/root/usr/bin/nstree" /usr/bin/nstree
	cp -a "$g/root/lib/modules" "$root/lib/"
	kver=$(ls "$g/root/lib/modules")
	depmod -b "$root" "$kver" 2>/dev/null || die "depmod failed for the guide's module tree"
	install -m 0755 "$g/guide.sh" "$root/nstree/guide.sh"
fi

(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
