#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The test command (README, .ci/run): set up the host, provision the kernels, build the
# debug kernel, the module for every kernel (W=1, sparse) and the tools, run the host
# unit tests and the style gates, then the selftests in QEMU on every test kernel.
# Ends with "N passed, N failed, N skipped" summed over all of them.
#   NSTREE_TEST_KERNELS="6.1 6.12 debug-6.12 sid"   which kernels to boot
#   NSTREE_SELFTEST_ARGS='"[ids]"'              a Catch2 test spec for the module guests
#   NSTREE_SID_SELFTEST_ARGS='[native]'         the spec for the sid guest (no module)
#   NSTREE_UPSTREAM_KERNELS="6.1 6.12 sid"      where upstream's namespace selftests run
set -uo pipefail
. "$(dirname "$0")/lib.sh"
S=$NSTREE_ROOT/scripts
start=$SECONDS

step() { log "== $*"; }
fatal_step() { "$@" || die "set-up step failed: $*"; }

step "host set-up"
fatal_step "$S/setup-host.sh"
step "kernels"
fatal_step "$S/provision-kernels.sh" 6.1 6.12 sid
fatal_step "$S/build-debug-kernel.sh"
step "module (W=1, sparse) for: $NSTREE_MODULE_KERNELS"
CHECK=1 fatal_step "$S/build-module.sh"
step "userspace tools and tests"
fatal_step "$S/build-tools.sh"
step "upstream's namespace selftests (Debian sid's linux-source-7.*)"
fatal_step "$S/build-upstream-selftests.sh"

passed=0 failed=0 skipped=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }
summary=()

step "host unit tests (ctest)"
(cd "$NSTREE_BUILD/tools" && ctest --output-on-failure --output-junit "$NSTREE_BUILD/ctest.xml" >"$NSTREE_BUILD/ctest.log" 2>&1) ||
	cat "$NSTREE_BUILD/ctest.log"
read -r p f s < <(python3 "$S/junit-count.py" "$NSTREE_BUILD/ctest.xml")
[ "$p" -gt 0 ] || f=$((f + 1))
add "$p" "$f" "$s"
summary+=("$(printf 'host       unit tests                   passed=%s failed=%s skipped=%s' "$p" "$f" "$s")")

step "style: checkpatch and kernel-doc"
if "$S/check-style.sh" >"$NSTREE_BUILD/style.log" 2>&1; then
	add 1 0 0
	summary+=("host       checkpatch + kernel-doc      passed=1 failed=0 skipped=0")
else
	cat "$NSTREE_BUILD/style.log"
	add 0 1 0
	summary+=("host       checkpatch + kernel-doc      passed=0 failed=1 skipped=0")
fi

# gate NAME COMMAND...: one pass or fail in the summary, the output shown on failure.
gate() {
	local name=$1 logf
	shift
	logf=$NSTREE_BUILD/gate-$(echo "$name" | tr -c 'a-z0-9' '-').log
	if "$@" >"$logf" 2>&1; then
		add 1 0 0
		summary+=("$(printf 'host       %-28s passed=1 failed=0 skipped=0' "$name")")
	else
		cat "$logf"
		add 0 1 0
		summary+=("$(printf 'host       %-28s passed=0 failed=1 skipped=0' "$name")")
	fi
}

step "docs: references in Documentation/ and the README, the UAPI reference"
gate "doc references" python3 "$S/check-doc-links.py"
gate "upstream-results.py self-test" python3 "$S/test_upstream_results.py"
gate "uapi.md from nstree.h" python3 "$S/gen-uapi-doc.py" "$NSTREE_ROOT/module/uapi/nstree.h" --check "$NSTREE_ROOT/Documentation/uapi.md"

# The Debian packages as the admin guide installs them: the module DKMS builds for
# 6.1 and 6.12 is the one their selftests load (Documentation/admin-guide.md).
PKG_KERNELS=${NSTREE_PKG_KERNELS-6.1 6.12}
if [ -n "$PKG_KERNELS" ]; then
	step "packages: dpkg-buildpackage, lintian"
	gate "packages build, lintian" "$S/test-packages.sh" build
	step "packages: the admin guide's install steps (DKMS for $PKG_KERNELS)"
	# shellcheck disable=SC2086
	gate "guide: install, DKMS" "$S/test-packages.sh" install $PKG_KERNELS
fi

for k in $NSTREE_TEST_KERNELS; do
	step "selftests on $k"
	args=${NSTREE_SELFTEST_ARGS:-}
	# sid has listns(2) and no module: only the native-backend tests run there.
	[ "$k" = sid ] && args=${NSTREE_SID_SELFTEST_ARGS:-[native]}
	"$S/run-vm.sh" --args "$args" "$k"
	sumf=$NSTREE_BUILD/vm/$k/summary
	if [ -r "$sumf" ]; then
		line=$(cat "$sumf")
		read -r p f s < <(sed -E 's/.*passed=([0-9]+) failed=([0-9]+) skipped=([0-9]+).*/\1 \2 \3/' <<<"$line")
		add "$p" "$f" "$s"
		summary+=("$line")
	else
		add 0 1 0
		summary+=("kernel $k: no summary (runner failed before booting)")
	fi
	rm -f "$sumf"
done

# Upstream's own tests: natively on sid, under nstree compat on 6.1 and 6.12, each
# case as Documentation/compat.md's table expects (scripts/run-upstream.sh).
for k in ${NSTREE_UPSTREAM_KERNELS-6.1 6.12 sid}; do
	step "upstream's namespace selftests on $k"
	logf=$NSTREE_BUILD/upstream-$k.log
	"$S/run-upstream.sh" "$k" >"$logf" 2>&1
	line=$(grep -E '^upstream .* passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+' "$logf" | tail -n 1)
	if [ -n "$line" ]; then
		read -r p f s < <(sed -E 's/.*passed=([0-9]+) failed=([0-9]+) skipped=([0-9]+).*/\1 \2 \3/' <<<"$line")
		add "$p" "$f" "$s"
		summary+=("$line")
		[ "$f" -eq 0 ] || cat "$logf"
	else
		cat "$logf"
		add 0 1 0
		summary+=("upstream $k: no result")
	fi
done

if [ -n "$PKG_KERNELS" ]; then
	for k in $PKG_KERNELS; do
		step "packages: the admin guide's guest steps on $k"
		gate "guide: guest steps on $k" "$S/test-packages.sh" guest "$k"
	done
	step "packages: the admin guide's removal"
	gate "guide: removal" "$S/test-packages.sh" remove
fi

echo
echo "== summary (total $((SECONDS - start)) s)"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
