#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The habits people bring from util-linux, checked on the built nstree (host, proc
# backend): --version and -V on every command, help on stdout with exit 0, and a
# write error that fails the command instead of passing silently.
# Usage: cli_habits.sh NSTREE VERSION
set -u
nstree=$1
version=$2
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

for cmd in "" ls show enter handle open doctor; do
	for flag in -V --version; do
		# shellcheck disable=SC2086
		"$nstree" $cmd $flag >"$out" 2>"$err"
		rc=$?
		[ $rc -eq 0 ] || fail "nstree $cmd $flag: exit $rc"
		[ "$(cat "$out")" = "nstree $version" ] || fail "nstree $cmd $flag printed '$(cat "$out")'"
	done
done

for cmd in ls show enter handle open doctor; do
	for form in "help $cmd" "$cmd --help" "$cmd -h"; do
		# shellcheck disable=SC2086
		"$nstree" $form >"$out" 2>"$err"
		rc=$?
		[ $rc -eq 0 ] || fail "nstree $form: exit $rc"
		head -n 1 "$out" | grep -q "^usage: nstree $cmd" || fail "nstree $form: no usage line on stdout"
		[ -s "$err" ] && fail "nstree $form: wrote to stderr: $(cat "$err")"
		grep -q -- '--version' "$out" || fail "nstree $form: help does not name --version"
	done
done
"$nstree" help nosuch >"$out" 2>"$err" && fail "nstree help nosuch: exit 0"
grep -q "no command 'nosuch'" "$err" || fail "nstree help nosuch: $(cat "$err")"
# After the operand of enter and open come the command's own words.
"$nstree" open f1:00 -- /bin/true --help >"$out" 2>"$err"
grep -q '^usage' "$out" && fail "nstree open HANDLE -- CMD --help printed help"

if [ -w /dev/full ]; then
	for args in "doctor" "ls --backend proc" "ls --backend proc -J" "show --backend proc /proc/self/ns/uts" "--help"; do
		# shellcheck disable=SC2086
		"$nstree" $args >/dev/full 2>"$err"
		rc=$?
		[ $rc -eq 1 ] || fail "nstree $args >/dev/full: exit $rc, not 1"
		grep -q '^nstree: write error: No space left on device' "$err" ||
			fail "nstree $args >/dev/full: no write error: $(cat "$err")"
	done
else
	echo "SKIP: no writable /dev/full"
fi

# A command line in UTF-8 prints as typed in a UTF-8 locale, escaped in C: a
# process alone in a user namespace of its own, whose COMMAND is its own.
dir=$(mktemp -d)
name="слип-😀"
ln -s "$(command -v sleep)" "$dir/$name"
if unshare -U true 2>/dev/null; then
	unshare -U "$dir/$name" 30 &
	sleeper=$!
	sleep 0.3
	LC_ALL=C.UTF-8 "$nstree" ls --backend proc -p $sleeper -t user -n -o COMMAND >"$out" 2>"$err"
	[ "$(cat "$out")" = "$dir/$name 30" ] || fail "UTF-8 locale: COMMAND is '$(cat "$out")'"
	LC_ALL=C "$nstree" ls --backend proc -p $sleeper -t user -n -o COMMAND >"$out" 2>"$err"
	grep -q '\\x' "$out" || fail "C locale: COMMAND not escaped: '$(cat "$out")'"
	kill $sleeper
else
	echo "SKIP: no unprivileged user namespace here for the UTF-8 check"
fi
rm -r "$dir"

[ $fails -eq 0 ] && echo "all passed"
exit $((fails != 0))
