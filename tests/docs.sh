#!/bin/bash
# docs.sh - the documentation agrees with the program.
#
# Every option that "vmlayout --help" lists is documented in the OPTIONS
# section of the man page and offered by the bash, zsh and fish completions,
# and nothing else is; every column of --list-columns is in the COLUMNS
# section, in order; the roles and regions of the man page are those of the
# JSON document, of --help and of the completions; the environment variables
# are documented; --help, --usage and --version succeed quietly; the man
# page is lint-clean under mandoc and groff; the completions parse.
#
# Environment (set by make check): VMLAYOUT, top_srcdir, MANDOC (empty when
# mandoc is absent).
: "${top_srcdir:=.}"
. "$top_srcdir/tests/tap.sh"

man_page=$top_srcdir/man/vmlayout.1
comp_bash=$top_srcdir/completions/vmlayout
comp_zsh=$top_srcdir/completions/_vmlayout
comp_fish=$top_srcdir/completions/vmlayout.fish
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-docs.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

for f in "$man_page" "$comp_bash" "$comp_zsh" "$comp_fish"; do
	[ -r "$f" ] || bail_out "$f is missing"
done

# has_word FILE REGEX: FILE has a line matching the extended REGEX.
has_word() { grep -Eq -- "$2" "$1"; }

# The OPTIONS section of the man page, and its option tags (the lines that
# follow .TP), with \- turned into -.
awk '/^\.SH /{ in_opts = ($0 ~ /^\.SH "?OPTIONS"?$/); next } in_opts' \
	"$man_page" | sed 's/\\-/-/g' > "$tmp/man-options"
awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' "$tmp/man-options" > "$tmp/man-tags"
grep -o -- '--[a-zA-Z0-9][a-zA-Z0-9-]*' "$tmp/man-tags" | sed 's/^--//' |
	sort -u > "$tmp/man-long"

# ------------------------------------------------------------------- linting
if [ -n "${MANDOC:-}" ] && command -v "$MANDOC" > /dev/null 2>&1; then
	"$MANDOC" -Tlint -W warning "$man_page" > "$tmp/lint" 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$tmp/lint" ]
	ok $? "mandoc -Tlint -W warning: no warnings"
	[ -s "$tmp/lint" ] && diag "$(cat "$tmp/lint")"
else
	skip "mandoc -Tlint -W warning: no warnings" "no mandoc"
fi

if command -v groff > /dev/null 2>&1; then
	groff -man -ww -z "$man_page" > "$tmp/lint" 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$tmp/lint" ]
	ok $? "groff -man -ww -z: no warnings"
	[ -s "$tmp/lint" ] && diag "$(cat "$tmp/lint")"
else
	skip "groff -man -ww -z: no warnings" "no groff"
fi

bash -n "$comp_bash"
ok $? "bash -n completions/vmlayout"
if command -v zsh > /dev/null 2>&1; then
	zsh -n "$comp_zsh"
	ok $? "zsh -n completions/_vmlayout"
else
	skip "zsh -n completions/_vmlayout" "no zsh"
fi
if command -v fish > /dev/null 2>&1; then
	fish -n "$comp_fish"
	ok $? "fish -n completions/vmlayout.fish"
else
	skip "fish -n completions/vmlayout.fish" "no fish"
fi


# ---------------------------------------------------------------- the program
have_prog=0
if [ -n "${VMLAYOUT:-}" ] && [ -x "$VMLAYOUT" ]; then
	have_prog=1
fi

for opt in --help --usage --version -V '-?'; do
	if [ $have_prog = 0 ]; then
		skip "vmlayout $opt exits 0, quietly" "no program at '${VMLAYOUT:-}'"
		continue
	fi
	"$VMLAYOUT" "$opt" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && [ -s "$tmp/out" ]
	ok $? "vmlayout $opt exits 0 with output on stdout only"
	[ $rc -eq 0 ] || diag "exit status $rc"
	[ -s "$tmp/err" ] && diag "stderr: $(head -3 "$tmp/err")"
done

if [ $have_prog = 0 ]; then
	skip "the options of --help" "no program at '${VMLAYOUT:-}'"
	done_testing
fi

"$VMLAYOUT" --help > "$tmp/help" 2>/dev/null
# argp lists an option as "  -j, --json   text" or "      --ascii   text";
# the option part ends at the first run of two spaces.
awk 'match($0, /^ +-/) && RLENGTH <= 7 { sub(/^ +/, ""); sub(/  .*/, ""); print }' \
	"$tmp/help" > "$tmp/help-opts"
grep -o -- '--[a-zA-Z0-9][a-zA-Z0-9-]*' "$tmp/help-opts" | sed 's/^--//' |
	sort -u > "$tmp/long"
grep -o -- '\(^\|[ ,]\)-[^- ,]' "$tmp/help-opts" | sed 's/^[ ,]*-//' |
	sort -u > "$tmp/short"
grep -qx json "$tmp/long" && grep -qx help "$tmp/long" && grep -qx j "$tmp/short"
ok $? "--help lists $(wc -l < "$tmp/long") long and $(wc -l < "$tmp/short") short options, json and help among them"

"$VMLAYOUT" --version > "$tmp/version" 2>/dev/null
prog_version=$(sed -n '1s/.* \([0-9][0-9.a-z+~-]*\)$/\1/p' "$tmp/version")
man_version=$(sed -n 's/^\.TH [^ ]* [^ ]* [^"]*"vmlayout \([^"]*\)".*/\1/p' "$man_page")
[ -n "$prog_version" ] && [ "$prog_version" = "$man_version" ]
ok $? "the man page is for version '$prog_version' (it says '$man_version')"

# -------------------------------------------------------- behaviour of bash/fish
# What each completion offers after "vmlayout -": one option a line.
bash --norc --noprofile -c '
	. "$1" || exit 1
	COMP_WORDS=(vmlayout -); COMP_CWORD=1
	COMP_LINE="vmlayout -"; COMP_POINT=${#COMP_LINE}
	_vmlayout vmlayout - vmlayout
	printf "%s\n" "${COMPREPLY[@]}"' sh "$comp_bash" > "$tmp/bash-offers" 2>&1
bash_rc=$?
if command -v fish > /dev/null 2>&1; then
	fish --no-config -c 'source $argv[1]; and complete -C "vmlayout -"' \
		"$comp_fish" > "$tmp/fish-offers" 2>&1
	fish_rc=$?
	cut -f1 "$tmp/fish-offers" > "$tmp/fish-words"
fi

# ---------------------------------------------------------------- each option
while read -r name; do
	grep -qx -- "$name" "$tmp/man-long"
	ok $? "--$name is documented in OPTIONS of vmlayout.1"
	has_word "$comp_bash" "(^|[^a-zA-Z0-9-])--$name([^a-zA-Z0-9-]|\$)" &&
		grep -Eqx -- "--$name=?" "$tmp/bash-offers"
	ok $? "--$name is completed by bash"
	has_word "$comp_zsh" "(^|[^a-zA-Z0-9-])--$name([^a-zA-Z0-9-]|\$)"
	ok $? "--$name is in the zsh completion"
	if [ -n "${fish_rc+set}" ]; then
		has_word "$comp_fish" "(-l|--long-option) $name( |\$)" &&
			grep -Eqx -- "--$name=?" "$tmp/fish-words"
		ok $? "--$name is completed by fish"
	else
		has_word "$comp_fish" "(-l|--long-option) $name( |\$)"
		ok $? "--$name is in the fish completion"
	fi
done < "$tmp/long"

while read -r c; do
	# \? is how a literal '?' is written in an extended regex
	re=$(printf '%s' "$c" | sed 's/[]?*+.^$()|{}[\\]/\\&/g')
	has_word "$tmp/man-tags" "(^|[^a-zA-Z0-9-])-$re([^a-zA-Z0-9-]|\$)"
	ok $? "-$c is documented in OPTIONS of vmlayout.1"
	grep -Fqx -- "-$c" "$tmp/bash-offers"
	ok $? "-$c is completed by bash"
	has_word "$comp_zsh" "(^|[^a-zA-Z0-9-])-\\\\?$re([^a-zA-Z0-9-]|\$)"
	ok $? "-$c is in the zsh completion"
	if [ -n "${fish_rc+set}" ]; then
		has_word "$comp_fish" "(-s|--short-option) '?$re'?( |\$)" &&
			grep -Fqx -- "-$c" "$tmp/fish-words"
		ok $? "-$c is completed by fish"
	else
		has_word "$comp_fish" "(-s|--short-option) '?$re'?( |\$)"
		ok $? "-$c is in the fish completion"
	fi
done < "$tmp/short"

# ------------------------------------------------------------------ columns
# The COLUMNS section of the man page lists exactly the columns of the
# registry ("vmlayout --list-columns"), in its order.
"$VMLAYOUT" --list-columns --raw --noheadings | cut -d' ' -f1 > "$tmp/columns"
awk '/^\.SH /{ in_cols = ($0 ~ /^\.SH "?COLUMNS"?$/); next }
     in_cols && tag { print $2; tag = 0 } in_cols && /^\.TP/ { tag = 1 }' \
	"$man_page" > "$tmp/man-columns"
[ -s "$tmp/columns" ] && diff "$tmp/columns" "$tmp/man-columns" > "$tmp/diff"
ok $? "the COLUMNS section of vmlayout.1 lists the $(wc -l < "$tmp/columns") columns of --list-columns, in order"
[ -s "$tmp/diff" ] && diag "$(head -10 "$tmp/diff")"

# The roles and regions: the man page's table, the JSON document's keys, the
# lists the completions offer and --help agree.
awk '/^\.SH /{ r = ($0 ~ /^\.SH "?REGIONS AND ROLES"?$/); next }
     r && /^\.PD 0/ { t = 1 } r && /^\.PD$/ { t = 0 }
     t && /^\.B / { region = $2 } t && !/^\./ { n = split($0, a, /, /); for (i = 1; i <= n; i++) print region, a[i] }' \
	"$man_page" > "$tmp/man-roles"
cut -d' ' -f1 "$tmp/man-roles" | uniq > "$tmp/man-region-list"
cut -d' ' -f2 "$tmp/man-roles" > "$tmp/man-role-list"
[ "$(wc -l < "$tmp/man-region-list")" -eq 7 ] && [ "$(wc -l < "$tmp/man-role-list")" -eq 19 ]
ok $? "the man page lists 7 regions and 19 roles"
if [ -n "${JQ:-}" ]; then
	"$VMLAYOUT" --json $$ > "$tmp/doc" 2>/dev/null
	"$JQ" -r '.regions | keys_unsorted[]' "$tmp/doc" | diff - "$tmp/man-region-list" > /dev/null
	ok $? "the regions of the JSON document are the man page's"
	"$JQ" -r '.roles | keys_unsorted[]' "$tmp/doc" | diff - "$tmp/man-role-list" > /dev/null
	ok $? "the roles of the JSON document are the man page's"
else
	skip "the regions of the JSON document are the man page's" "no jq"
	skip "the roles of the JSON document are the man page's" "no jq"
fi
roles=$(tr '\n' ' ' < "$tmp/man-role-list")
regions=$(tr '\n' ' ' < "$tmp/man-region-list")
for f in "$comp_bash" "$comp_zsh" "$comp_fish"; do
	grep -Fq -- "${roles% }" "$f"
	ok $? "$(basename "$f") offers the roles: $roles"
	grep -Fq -- "${regions% }" "$f"
	ok $? "$(basename "$f") offers the regions: $regions"
done
tr -s ' \n' '  ' < "$tmp/help" |
	grep -Fq -- "$(tr '\n' ',' < "$tmp/man-role-list" | sed 's/,$//; s/,/, /g')"
ok $? "--help names the roles"

# The environment variables the program reads are documented.
for var in VMLAYOUT_COLUMNS NO_COLOR; do
	awk '/^\.SH /{ e = ($0 ~ /^\.SH "?ENVIRONMENT"?$/); next } e' "$man_page" |
		grep -q "^\.B $var\$"
	ok $? "$var is documented in ENVIRONMENT"
	grep -q "$var" "$tmp/help"
	ok $? "--help names $var"
done

# ------------------------------------------------- nothing that does not exist
stale=$(comm -23 "$tmp/man-long" "$tmp/long" | tr '\n' ' ')
[ -z "$stale" ]
ok $? "OPTIONS of vmlayout.1 documents no option that --help lacks${stale:+: $stale}"

[ $bash_rc -eq 0 ]
ok $? "the bash completion runs"
[ $bash_rc -eq 0 ] || diag "$(head -5 "$tmp/bash-offers")"
stale=$(sed -n 's/^-\{1,2\}\([^=]*\)=\{0,1\}$/\1/p' "$tmp/bash-offers" | sort -u |
	comm -23 - <(sort -u "$tmp/long" "$tmp/short") | tr '\n' ' ')
[ -z "$stale" ]
ok $? "bash offers no option that --help lacks${stale:+: $stale}"
if [ -n "${fish_rc+set}" ]; then
	[ $fish_rc -eq 0 ]
	ok $? "the fish completion runs"
	stale=$(sed -n 's/^-\{1,2\}\([^=]*\)=\{0,1\}$/\1/p' "$tmp/fish-words" | sort -u |
		comm -23 - <(sort -u "$tmp/long" "$tmp/short") | tr '\n' ' ')
	[ -z "$stale" ]
	ok $? "fish offers no option that --help lacks${stale:+: $stale}"
else
	skip "the fish completion runs" "no fish"
	skip "fish offers no option that --help lacks" "no fish"
fi

done_testing
