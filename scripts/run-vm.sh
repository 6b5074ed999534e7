#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot one kernel in QEMU with the nstree initramfs and report what happened.
#
# Usage: run-vm.sh [options] NAME
#   NAME              6.1, 6.12, debug-6.12 or sid (see provision-kernels.sh)
#   --mode MODE       test (default), demo, bench, shell (interactive console),
#                     guide (the admin guide's guest steps: NSTREE_GUIDE_DIR, from
#                     scripts/test-packages.sh, holds them and the packaged files) or
#                     upstream (upstream's namespace selftests; scripts/run-upstream.sh)
#   --args "ARGS"     arguments for the guest's test or bench binary, e.g. a Catch2
#                     test spec: --args '"[ids]"'
#   --timeout SEC     hard limit for the boot (default 900; 2700 on debug kernels,
#                     where the churn test alone took 810 s under TCG on a busy host)
# Environment:
#   NSTREE_ACCEL      tcg (default), kvm, or auto (probe-boot KVM; use it only if it works)
#   NSTREE_CAMPAIGN   long: the selftests' fuzzer, churn and races run their long
#                     counts (make campaign); default: the bounded counts of the test command
#
# The test mode prints one summary line per kernel and exits non-zero on any failed
# test, a missing result, or a kernel splat (patterns in scripts/splat-patterns.txt,
# matched against the guest's dmesg, kmemleak report and console).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=test args="" timeout=""
while [ $# -gt 0 ]; do
	case $1 in
	--mode) mode=$2; shift 2 ;;
	--args) args=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	-h|--help) sed -n '3,18p' "$0"; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || die "usage: run-vm.sh [--mode test|demo|bench|shell|guide|upstream] [--args ARGS] [--timeout SEC] NAME"
load_kernel "$1"
debug=${DEBUG:-0}
[ -n "$timeout" ] || { [ "$debug" = 1 ] && timeout=2700 || timeout=900; }
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run scripts/setup-host.sh"

out=$NSTREE_BUILD/vm/$KNAME
mkdir -p "$out"
"$NSTREE_ROOT/scripts/mkinitramfs.sh" "$KNAME" "$out/initrd.gz"

# qemu_boot ACCEL MODE TIMEOUT: boot once; console in $out/console.log, results in
# $out/results.log. Returns QEMU's (or timeout's) exit status.
qemu_boot() {
	local accel=$1 bmode=$2 tmo=$3 cpu=qemu64,-cx16 mem=1G serial0 append
	[ "$accel" = kvm ] && cpu=host
	[ "$debug" = 1 ] && mem=2G
	[ "$bmode" = bench ] && mem=3G	# thousands of processes
	append="console=ttyS0 panic=-1 oops=panic printk.time=1 nstree.mode=$bmode"
	[ -n "$args" ] && append="$append nstree.args=$(printf '%s' "$args" | base64 -w0)"
	[ -n "${NSTREE_CAMPAIGN:-}" ] && append="$append nstree.campaign=$NSTREE_CAMPAIGN"
	# Room after the deadline for the guest's dump, rmmod, kmemleak and dmesg.
	[ "$bmode" = test ] && append="$append nstree.deadline=$((tmo - 150))"
	# KFENCE samples allocations for the tests; a benchmark times the kernel as shipped.
	[ "$bmode" != bench ] && case $KNAME in 6.12|sid) append="$append kfence.sample_interval=1" ;; esac
	serial0=(-serial "file:$out/console.log")
	[ "$bmode" = shell ] && serial0=(-serial mon:stdio)
	: >"$out/console.log"
	: >"$out/results.log"
	timeout --foreground "$tmo" qemu-system-x86_64 -machine "q35,accel=$accel" -cpu "$cpu" \
		-smp 2 -m "$mem" -nodefaults -nographic -display none -no-reboot \
		"${serial0[@]}" -serial "file:$out/results.log" \
		-kernel "$VMLINUZ" -initrd "$out/initrd.gz" -append "$append"
}

# Pick the accelerator: TCG unless KVM is asked for or proves itself in a probe boot.
accel=tcg
case ${NSTREE_ACCEL:-tcg} in
tcg) ;;
kvm) accel=kvm ;;
auto)
	if [ -w /dev/kvm ] && qemu_boot kvm probe 30 >/dev/null 2>&1 && grep -q '^NSTREE-DONE' "$out/results.log"; then
		accel=kvm
	else
		log "KVM probe boot failed or timed out: using TCG"
	fi
	;;
*) die "NSTREE_ACCEL must be tcg, kvm or auto" ;;
esac

if [ "$mode" = shell ]; then
	qemu_boot "$accel" shell 86400
	exit 0
fi

# section BEGIN END FILE: the lines between two marker lines of the results log.
section() { sed -n "/^NSTREE-$1-BEGIN/,/^NSTREE-$1-END/p" "$3" | sed '1d;$d'; }

# splats: kernel lines matching a splat pattern, from dmesg, kmemleak and the console.
splats() {
	{
		section DMESG END "$out/results.log"
		section KMEMLEAK END "$out/results.log"
		grep -aE '^\[ *[0-9]+\.[0-9]+\]' "$out/console.log" || true
	} | tr -d '\r' | grep -aF -f "$NSTREE_ROOT/scripts/splat-patterns.txt" | sort -u || true
}

# True when the console's first splat comes before the module's first kernel message.
boot_splat_only() {
	local first_splat first_module
	first_splat=$(tr -d '\r' <"$out/console.log" | grep -anF -f "$NSTREE_ROOT/scripts/splat-patterns.txt" |
		grep -aE '^[0-9]+:\[ *[0-9]+\.[0-9]+\]' | head -n 1 | cut -d: -f1)
	first_module=$(tr -d '\r' <"$out/console.log" | grep -anE '^\[ *[0-9]+\.[0-9]+\] nstree' | head -n 1 | cut -d: -f1)
	[ -n "$first_splat" ] && { [ -z "$first_module" ] || [ "$first_splat" -lt "$first_module" ]; }
}

attempt=1
while :; do
	start=$SECONDS
	set +e
	qemu_boot "$accel" "$mode" "$timeout" >/dev/null 2>"$out/qemu.err"
	qrc=$?
	set -e
	wall=$((SECONDS - start))
	tr -d '\r' <"$out/results.log" >"$out/results.txt"
	found_splats=$(splats)
	# One retry, only for an infrastructure failure: no end marker and no splat.
	if ! grep -q '^NSTREE-DONE' "$out/results.txt" && [ -z "$found_splats" ] && [ $attempt -eq 1 ] && [ "$qrc" -ne 124 ]; then
		log "$KNAME: guest ended without a result (qemu rc=$qrc); retrying once"
		attempt=2
		continue
	fi
	# And one for a splat before the module was even loaded: the kernel under TCG
	# (6.12 has been seen to oops on an int3 in sched_clock_cpu while patching text
	# at boot), not nstree. The console is kept for a look.
	if [ -n "$found_splats" ] && [ $attempt -eq 1 ] && boot_splat_only; then
		cp "$out/console.log" "$out/console.boot-splat.log"
		log "$KNAME: kernel splat during boot, before nstree.ko was loaded (console.boot-splat.log); retrying once"
		attempt=2
		continue
	fi
	break
done

boot=$(sed -n 's/^NSTREE-BOOT uptime=\([0-9.]*\).*/\1/p' "$out/results.txt" | head -n 1)
grc=$(sed -n 's/^NSTREE-DONE rc=\([0-9]*\).*/\1/p' "$out/results.txt" | head -n 1)

if [ "$mode" != test ]; then
	# demo and bench: show what the guest's programs printed; judge by rc + splats.
	section OUTPUT END "$out/results.txt"
	if [ -n "$found_splats" ]; then
		printf 'kernel splat on %s:\n%s\n' "$KNAME" "$found_splats" >&2
		exit 1
	fi
	[ "${grc:-1}" = 0 ] || die "$KNAME: guest $mode run failed (rc=${grc:-none}; console: $out/console.log)"
	exit 0
fi

section JUNIT END "$out/results.txt" >"$out/junit.xml"
read -r passed failed skipped < <(python3 "$NSTREE_ROOT/scripts/junit-count.py" "$out/junit.xml")
status=ok
if [ -z "$grc" ]; then
	status="no result (qemu rc=$qrc$([ "$qrc" = 124 ] && echo ", timed out after ${timeout}s"))"
	failed=$((failed + 1))
elif [ "$grc" != 0 ] && [ "$failed" = 0 ]; then
	status="test binary exited $grc"
	failed=$((failed + 1))
fi
if [ -n "$found_splats" ]; then
	status="kernel splat"
	failed=$((failed + 1))
fi
if grep -q '^NSTREE-WATCHDOG-BEGIN' "$out/results.txt"; then
	status="stopped by the guest's watchdog"
	failed=$((failed + 1))
	echo "---- $KNAME: guest watchdog ----"
	section WATCHDOG END "$out/results.txt"
fi
if [ "$failed" != 0 ]; then
	echo "---- $KNAME: failed test cases ----"
	python3 "$NSTREE_ROOT/scripts/junit-failures.py" "$out/junit.xml"
fi
if [ "$status" != ok ]; then
	echo "---- $KNAME: last console lines ----"
	tr -d '\r' <"$out/console.log" | tail -n 60
	[ -n "$found_splats" ] && printf -- '---- %s: splats ----\n%s\n' "$KNAME" "$found_splats"
fi
printf 'kernel %-10s %-28s accel=%s boot=%ss wall=%ss passed=%s failed=%s skipped=%s status=%s\n' \
	"$KNAME" "$KVER" "$accel" "${boot:-?}" "$wall" "$passed" "$failed" "$skipped" "$status" | tee "$out/summary"
[ "$status" = ok ] && [ "$failed" = 0 ]
