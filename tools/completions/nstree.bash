# SPDX-License-Identifier: GPL-2.0
# bash completion for nstree. The words come from `nstree __complete`, which knows
# the options, columns and types; files and the command run by `nstree enter` are
# left to bash (-o default).

_nstree()
{
	# Our own words, split at blanks only: bash's COMP_WORDS are split at = and : too
	# (COMP_WORDBREAKS), which would cut --type=net and net:[4026531840] apart.
	local line=${COMP_LINE:0:COMP_POINT}
	local -a words
	read -ra words <<<"$line"
	[[ $line == *[[:space:]] ]] && words+=("")
	local cur=${words[${#words[@]}-1]}
	local IFS=$'\n'
	local -a cands
	cands=($("${words[0]}" __complete "${words[@]:1}" 2>/dev/null))
	# bash replaces its own current word, which starts after the last = or : of ours.
	local bashcur=${COMP_WORDS[COMP_CWORD]}
	local cut=$((${#cur} - ${#bashcur}))
	((cut < 0)) && cut=0
	COMPREPLY=()
	local c
	for c in "${cands[@]}"; do
		COMPREPLY+=("${c:cut}")
	done
}
complete -o default -F _nstree nstree
