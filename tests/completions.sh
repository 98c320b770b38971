#!/bin/bash
# completions.sh - the completions, run in real shells: bash (complete -p, and
# the completion function called as bash calls it), zsh (an interactive zsh in a
# pseudo-terminal, zsh/zpty, pressing Tab) and fish (complete -C).  Each must
# offer the column names after -o (the program's own --list-columns), items of
# a comma-separated list, roles after --role, regions after --region, the
# options after "-", and PIDs and command names of the processes.
#
# Environment (set by make check): VMLAYOUT, top_srcdir.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/tap.sh"

[ -n "${VMLAYOUT:-}" ] && [ -x "$VMLAYOUT" ] || skip_all "no program at '${VMLAYOUT:-}'"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-comp.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
# the completions run "vmlayout --list-columns": the one built here
mkdir "$tmp/bin" && ln -s "$VMLAYOUT" "$tmp/bin/vmlayout" || bail_out "cannot link the program"
export PATH="$tmp/bin:$PATH"
comp=$top_srcdir/completions

comm=$(cat /proc/$$/comm)

# expect SHELL LINE FILE WORD...: FILE (the offers, one a line) holds every WORD.
expect() {
	local sh=$1 line=$2 file=$3 w missing=''
	shift 3
	for w in "$@"; do
		grep -Fqx -- "$w" "$file" || missing+=" $w"
	done
	[ -z "$missing" ]
	ok $? "$sh: '$line<Tab>' offers $*"
	[ -z "$missing" ] || diag "missing:$missing; offered: $(head -20 "$file" | tr '\n' ' ')"
}
# expect_not SHELL LINE FILE WORD...: FILE holds none of the WORDs.
expect_not() {
	local sh=$1 line=$2 file=$3 w found=''
	shift 3
	for w in "$@"; do
		grep -Fqx -- "$w" "$file" && found+=" $w"
	done
	[ -z "$found" ]
	ok $? "$sh: '$line<Tab>' does not offer $*"
}

# ------------------------------------------------------------------ bash
bash --norc --noprofile -c '. "$1" && complete -p vmlayout' sh "$comp/vmlayout" > "$tmp/out" 2>&1
grep -qx 'complete -F _vmlayout vmlayout' "$tmp/out"
ok $? "bash: complete -p vmlayout names _vmlayout"

# bash_offers LINE: what the completion function offers at the end of LINE.
bash_offers() {
	bash --norc --noprofile -c '
		. "$1" || exit 1
		read -r -a COMP_WORDS <<< "$2"
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
		_vmlayout vmlayout "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$comp/vmlayout" "$1" > "$tmp/bash" 2>&1
}
bash_offers "vmlayout -o SHARED_"
expect bash "vmlayout -o SHARED_" "$tmp/bash" SHARED_CLEAN SHARED_DIRTY SHARED_HUGETLB
bash_offers "vmlayout --output RSS,ro"
expect bash "vmlayout --output RSS,ro" "$tmp/bash" RSS,ROLE
bash_offers "vmlayout -o +PS"
expect bash "vmlayout -o +PS" "$tmp/bash" +PSS +PSS_ANON
bash_offers "vmlayout --sort "
"$VMLAYOUT" --list-columns --raw --noheadings | cut -d' ' -f1 > "$tmp/columns"
diff <(sort "$tmp/columns") <(sort "$tmp/bash") > /dev/null
ok $? "bash: '--sort <Tab>' offers every column of --list-columns"
bash_offers "vmlayout --sort -PS"
expect bash "vmlayout --sort -PS" "$tmp/bash" -PSS -PSS_ANON
bash_offers "vmlayout --role thr"
expect bash "vmlayout --role thr" "$tmp/bash" thread_stack
bash_offers "vmlayout --role text,b"
expect bash "vmlayout --role text,b" "$tmp/bash" text,bss
bash_offers "vmlayout --region "
expect bash "vmlayout --region " "$tmp/bash" code data bss heap mmap stack special
bash_offers "vmlayout --color="
# (split on spaces only here, so "--color=" is one word, as without = in COMP_WORDBREAKS)
expect bash "vmlayout --color=" "$tmp/bash" --color=auto --color=always --color=never
bash_offers "vmlayout --js"
expect bash "vmlayout --js" "$tmp/bash" --json --json-lines
bash_offers "vmlayout $$ "
expect bash "vmlayout \$\$ " "$tmp/bash" "$PPID" "$comm"
bash_offers "vmlayout $$"
expect bash "vmlayout \$\$" "$tmp/bash" "$$"
expect_not bash "vmlayout \$\$" "$tmp/bash" "$comm"
# with extglob on, as bash-completion sets it: a process name from its first letters
bash --norc --noprofile -O extglob -c '
	. "$1" || exit 1
	COMP_WORDS=(vmlayout "${2:0:3}"); COMP_CWORD=1
	COMP_LINE="vmlayout ${2:0:3}"; COMP_POINT=${#COMP_LINE}
	_vmlayout vmlayout "${2:0:3}" vmlayout
	printf "%s\n" "${COMPREPLY[@]}"' sh "$comp/vmlayout" "$comm" > "$tmp/bash" 2>&1
expect "bash -O extglob" "vmlayout ${comm:0:3}" "$tmp/bash" "$comm"

# ------------------------------------------------------------------ zsh
if command -v zsh > /dev/null 2>&1 && zsh -fc 'zmodload zsh/zpty' 2> /dev/null; then
	# zsh_offers LINE: type LINE and Tab in an interactive zsh; every match
	# that the completion adds is recorded by a wrapper of compadd.  The
	# line typed after the Tab is read only once the completion is done.
	# (zpty -r waits for output; it has no time limit of its own, and the
	# test harness's is the bound.)
	cat > "$tmp/drive.zsh" << 'EOF'
zmodload zsh/zpty
compdir=$1 out=$2 line=$3
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=(${(q)compdir} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "compadd() { local -a __h; builtin compadd -O __h \"\$@\"; print -rl -- \$__h >> ${(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "zstyle ':completion:*' menu no"
# Wait for the output of a command, not for the echo of the typed line (the
# quotes keep the echo from matching), and for the prompt after it: zsh may
# drop what is typed before its line editor starts.
zpty -w z "print -r -- RE''ADY"
zpty -r -m z junk '*READY*> '
zpty -w -n z "$line"$'\t'
zpty -w z $'\C-u'"print -r -- DO''NE"
zpty -r -m z junk '*DONE*'
zpty -d z
EOF
	zsh_offers() {
		: > "$tmp/zsh"
		zsh -f "$tmp/drive.zsh" "$comp" "$tmp/zsh" "$1" > /dev/null 2>&1 < /dev/null
	}
	zsh_offers "vmlayout -o SHARED_"
	expect zsh "vmlayout -o SHARED_" "$tmp/zsh" SHARED_CLEAN SHARED_DIRTY SHARED_HUGETLB
	zsh_offers "vmlayout -o RSS,PRIV"
	expect zsh "vmlayout -o RSS,PRIV" "$tmp/zsh" PRIVATE PRIVATE_CLEAN
	zsh_offers "vmlayout --sort PS"
	expect zsh "vmlayout --sort PS" "$tmp/zsh" PSS PSS_ANON PSS_DIRTY
	zsh_offers "vmlayout --role thr"
	expect zsh "vmlayout --role thr" "$tmp/zsh" thread_stack
	zsh_offers "vmlayout --region s"
	expect zsh "vmlayout --region s" "$tmp/zsh" special stack
	zsh_offers "vmlayout --js"
	expect zsh "vmlayout --js" "$tmp/zsh" --json --json-lines
	zsh_offers "vmlayout --ou"
	expect zsh "vmlayout --ou" "$tmp/zsh" --output --output-all
	zsh_offers "vmlayout $$ "
	expect zsh "vmlayout \$\$ " "$tmp/zsh" "$$" "$comm"
else
	for i in 1 2 3 4 5 6 7 8; do
		skip "zsh completion $i" "no zsh with zsh/zpty"
	done
fi

# ------------------------------------------------------------------ fish
if command -v fish > /dev/null 2>&1; then
	fish_offers() {
		fish --no-config -c 'source $argv[1]; and complete -C $argv[2]' \
			"$comp/vmlayout.fish" "$1" 2> /dev/null | cut -f1 > "$tmp/fish"
	}
	fish_offers "vmlayout -o SHARED_"
	expect fish "vmlayout -o SHARED_" "$tmp/fish" SHARED_CLEAN SHARED_DIRTY SHARED_HUGETLB
	fish_offers "vmlayout -o RSS,PRIV"
	expect fish "vmlayout -o RSS,PRIV" "$tmp/fish" RSS,PRIVATE RSS,PRIVATE_CLEAN
	fish_offers "vmlayout --output +DI"
	expect fish "vmlayout --output +DI" "$tmp/fish" +DIRTY
	fish_offers "vmlayout --sort PS"
	expect fish "vmlayout --sort PS" "$tmp/fish" PSS PSS_ANON PSS_DIRTY
	fish_offers "vmlayout --role text,thr"
	expect fish "vmlayout --role text,thr" "$tmp/fish" text,thread_stack
	fish_offers "vmlayout --region s"
	expect fish "vmlayout --region s" "$tmp/fish" special stack
	fish_offers "vmlayout --js"
	expect fish "vmlayout --js" "$tmp/fish" --json --json-lines
	fish_offers "vmlayout $$ "
	expect fish "vmlayout \$\$ " "$tmp/fish" "$$" "$comm"
else
	for i in 1 2 3 4 5 6 7 8; do
		skip "fish completion $i" "no fish"
	done
fi

done_testing
