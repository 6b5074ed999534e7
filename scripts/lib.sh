# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the nstree scripts. Source it; do not run it.

NSTREE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NSTREE_CACHE=${NSTREE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nstree}
NSTREE_BUILD=${NSTREE_BUILD:-$NSTREE_ROOT/build}
export NSTREE_ROOT NSTREE_CACHE NSTREE_BUILD
# Every script writes its logs under it, whichever runs first in a fresh clone.
mkdir -p "$NSTREE_BUILD"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

log()  { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die()  { printf '[%s] error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# need_space DIR MIB: fail early, with a clear message, when DIR's disk is too full.
need_space() {
	local dir=$1 mib=$2 avail
	mkdir -p "$dir"
	avail=$(df -Pm "$dir" | awk 'NR==2 {print $4}')
	[ "${avail:-0}" -ge "$mib" ] ||
		die "only ${avail} MiB free under $dir, need ${mib} MiB: free some space or set NSTREE_CACHE"
}

# The kernels the test command boots, in order, and those that get the module (sid's
# headers need gcc-16: it runs the userspace tools on its native listns(2) only).
NSTREE_TEST_KERNELS=${NSTREE_TEST_KERNELS:-"6.1 6.12 debug-6.12 sid"}
NSTREE_MODULE_KERNELS=${NSTREE_MODULE_KERNELS:-"6.1 6.12 debug-6.12"}

# kernel_env NAME: print the path of the env file describing a provisioned kernel.
kernel_env() { printf '%s/kernels/%s/env\n' "$NSTREE_CACHE" "$1"; }

# load_kernel NAME: set KNAME, KVER, VMLINUZ, KDIR (empty when no headers) and KPRIV
# (a directory holding the kernel's private fs/mount.h, or empty) for NAME.
load_kernel() {
	local env
	env=$(kernel_env "$1")
	[ -r "$env" ] || die "kernel '$1' is not provisioned (no $env): run scripts/provision-kernels.sh"
	KNAME=$1 KVER="" VMLINUZ="" KDIR="" KPRIV=""
	# shellcheck disable=SC1090
	. "$env"
	[ -r "$VMLINUZ" ] || die "kernel '$1': $VMLINUZ is missing: run scripts/provision-kernels.sh"
}

# Private apt configurations: their own sources list and state, never the machine's.
# papt SUITE ARGS...: run apt-get against SUITE (bookworm-backports or sid) only.
papt_dir() { printf '%s/apt/%s\n' "$NSTREE_CACHE" "$1"; }
papt_opts() {
	local d
	d=$(papt_dir "$1")
	printf '%s\n' -o "Dir::Etc::SourceList=$d/sources.list" \
		-o "Dir::Etc::SourceParts=$d/sources.list.d" \
		-o "Dir::Etc::PreferencesParts=$d/preferences.d" \
		-o "Dir::State=$d/state" -o "Dir::Cache=$d/cache" \
		-o "APT::Sandbox::User=root" -o "Debug::NoLocking=1"
}
papt_update() {
	local suite=$1 d
	d=$(papt_dir "$suite")
	mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/state/lists/partial" "$d/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
		>"$d/sources.list"
	# Refresh at most every 6 hours.
	if [ -z "$(find "$d/state/lists" -maxdepth 1 -name '*Packages*' -mmin -360 2>/dev/null | head -1)" ]; then
		mapfile -t opts < <(papt_opts "$suite")
		apt-get "${opts[@]}" -q update >/dev/null ||
			die "apt-get update for $suite failed: is the network up and the Debian mirror reachable?"
	fi
}
papt() {
	local suite=$1
	shift
	mapfile -t opts < <(papt_opts "$suite")
	"$@" "${opts[@]}"
}

# newest_pkg REGEX [apt-cache prefix...]: the newest package whose name matches REGEX
# (e.g. newest_pkg '^linux-source-7\.[0-9]+$' papt sid).
newest_pkg() {
	local re=$1
	shift
	"$@" apt-cache search --names-only "$re" 2>/dev/null | awk '{print $1}' | grep -E "$re" | sort -V | tail -n 1
}
