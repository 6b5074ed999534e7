#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The shell completions, run as each shell runs them: bash's function with the
# COMP_* variables bash would set, zsh's script with compadd and _files standing in
# for zsh's own; and `make install`'s layout (cmake --install into a scratch root).
# Usage: completions.sh NSTREE_BINARY SOURCE_DIR BUILD_DIR
set -u
nstree=$1
src=$2
build=$3
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
PATH=$(dirname "$nstree"):$PATH
export PATH

# bash: COMP_WORDS split as bash splits them (at blanks, = and :).
source "$src/tools/completions/nstree.bash"
bash_completes() {
	local want=$1 line=$2
	shift 2
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_nstree
	local got="${COMPREPLY[*]}"
	[ "$got" = "$want" ] || fail "bash: '$line' completes to '$got', not '$want'"
}
bash_completes "ls" "nstree l" nstree l
bash_completes "--type" "nstree ls --ty" nstree ls --ty
bash_completes "net" "nstree ls --type=ne" nstree ls --type = ne
bash_completes "=cgroup =ipc =mnt =net =pid =time =user =uts" "nstree ls --type=" nstree ls --type =
bash_completes "net" "nstree ls -t ne" nstree ls -t ne
bash_completes "NS,TYPE" "nstree ls -o NS,TY" nstree ls -o NS,TY
bash_completes "+NS +NSFS" "nstree ls -o +NS" nstree ls -o +NS
bash_completes "module" "nstree show --backend mo" nstree show --backend mo
bash_completes "--preserve-credentials" "nstree enter --pr" nstree enter --pr
bash_completes "--user --uts" "nstree enter -t 1 --u" nstree enter -t 1 --u
bash_completes "" "nstree enter 4 ls -" nstree enter 4 ls -
bash_completes "" "nstree ls -- -" nstree ls -- -
bash_completes "enter" "nstree help en" nstree help en
# Every column nstree ls -H lists is offered after -o.
for col in $("$nstree" ls -H -r 2>/dev/null | cut -d' ' -f1); do
	bash_completes "$col" "nstree ls -o $col" nstree ls -o "$col"
done
# The complete command line bash -c would give: the function is registered.
complete -p nstree | grep -q -- '-F _nstree' || fail "bash: no completion registered for nstree"

# zsh: its script with the builtins it calls replaced by ones that print.
if ! command -v zsh >/dev/null; then
	fail "zsh is missing (scripts/setup-host.sh installs it)"
else
	zsh_completes() {
		local want=$1
		shift
		local got
		got=$(NSTREE_ZSH_WORDS="$*" zsh -f -c '
			compadd() { shift 2; print -r -- "$*"; }
			_files() { print -r -- "(files)"; }
			words=(${(z)NSTREE_ZSH_WORDS})
			[[ $NSTREE_ZSH_WORDS == *" " ]] && words+=("")
			CURRENT=${#words}
			source "$1"' zsh "$src/tools/completions/_nstree")
		[ "$got" = "$want" ] || fail "zsh: '$*' completes to '$got', not '$want'"
	}
	zsh_completes "ls" nstree l
	zsh_completes "--type=net" nstree ls --type=ne
	zsh_completes "NS,TYPE" nstree ls -o NS,TY
	zsh_completes "(files)" nstree show "/proc/self/ns/"
	zsh_completes "--preserve-credentials" nstree enter --pr
fi

# make install's layout: cmake --install into a scratch root.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
if ! DESTDIR=$root cmake --install "$build" --prefix /usr >/dev/null; then
	fail "cmake --install failed"
else
	for f in usr/bin/nstree usr/share/man/man8/nstree.8 usr/share/bash-completion/completions/nstree \
		usr/share/zsh/vendor-completions/_nstree usr/lib/udev/rules.d/60-nstree.rules \
		usr/share/doc/nstree/examples/nstree.conf; do
		[ -e "$root/$f" ] || fail "install: no $f"
	done
	[ -x "$root/usr/bin/nstree" ] && "$root/usr/bin/nstree" --version >/dev/null ||
		fail "install: the installed nstree does not run"
	extra=$(cd "$root" && find . -type f |
		grep -v -e nstree.8 -e completions/nstree -e _nstree -e bin/nstree -e 60-nstree.rules -e examples/nstree.conf)
	[ -z "$extra" ] || fail "install: test binaries installed too: $extra"
fi

[ $fails -eq 0 ] && echo "completions and install: all checks passed"
exit $((fails > 0))
