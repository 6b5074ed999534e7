#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's build stops, with one message, for a kernel whose headers have
# listns(2) (6.19 and later), and goes on for one whose headers do not.
# Usage: module_native_check.sh SOURCE_DIR
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hdr=arch/x86/include/generated/uapi/asm
mkdir -p "$tmp/new/$hdr" "$tmp/old/$hdr"
printf '#define __NR_open_tree_attr 467\n#define __NR_listns 470\n' >"$tmp/new/$hdr/unistd_64.h"
printf '#define __NR_open_tree 428\n' >"$tmp/old/$hdr/unistd_64.h"
out=$(make -s -C "$src/module" native-check KDIR="$tmp/new" 2>&1) && { echo "FAIL: a listns kernel was accepted"; exit 1; }
echo "$out" | grep -q "kernel with listns(2) (Linux 6.19 or later): nstree needs no module" ||
	{ echo "FAIL: no clear message: $out"; exit 1; }
[ "$(echo "$out" | grep -c 'nstree:')" -eq 1 ] || { echo "FAIL: more than one message: $out"; exit 1; }
make -s -C "$src/module" native-check KDIR="$tmp/old" >/dev/null 2>&1 || { echo "FAIL: an older kernel was refused"; exit 1; }
echo "module build: stops on a listns kernel with one message, goes on otherwise"
