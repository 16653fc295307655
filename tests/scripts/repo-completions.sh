#!/bin/bash
# repo-completions.sh - completions/lyncc.bash and completions/_lyncc offer
# exactly the options `lyncc COMMAND --help` lists, for every command; the
# bash completion, run on typed command lines, completes commands, options,
# the values of --target/--format/--diagnostics-format/--color/--proto, the
# check, flow and lbservice IDs of `explain` and .lync files; _lyncc parses with zsh -n.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "repo-completions: $*"; fail=1; }

# a `lyncc` on PATH for the completion's explain lookup
mkdir "$tmp/bin"
ln -s "$LYNCC" "$tmp/bin/lyncc"
PATH=$tmp/bin:$PATH

# shellcheck source=/dev/null
. "$SRCDIR/completions/lyncc.bash"

help_opts() {	# the options of `lyncc CMD --help`, one a line, sorted
	"$LYNCC" "$1" --help | sed -n '/^options:/,$p' |
	    grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | sed 's/^[ ,]*//' | sort -u
}
for c in compile check ir flows explain diff query import help; do
	help_opts "$c" >"$tmp/help.$c"
	_lyncc_opts "$c" | tr ' ' '\n' | sed '/^$/d' | sort -u >"$tmp/bash.$c"
	diff -u "$tmp/help.$c" "$tmp/bash.$c" >"$tmp/d" ||
	    { bad "lyncc.bash options of '$c' differ from lyncc $c --help (+ bash):"; cat "$tmp/d"; }
	# zsh: the options named in the command's branch of _lyncc (the
	# shared diag list and, for compile, the compile list included)
	awk -v c="$c" '
	    /^\tdiag=\(/ { blk = "diag" } /^\tcompile=\(/ { blk = "compile" }
	    /^\tcmds=\(/ { blk = "" }
	    /^\t\)/ { blk = "" }
	    blk != "" { print blk "\t" $0 }
	    $0 ~ "^\t" c "\\)$" || (c == "compile" && /^\tcompile\)$/) { on = 1; next }
	    on && /;;/ { print "cmd\t" $0; on = 0 }
	    on { print "cmd\t" $0 }' "$SRCDIR/completions/_lyncc" >"$tmp/zsh.raw.$c"
	{
		cut -f2- "$tmp/zsh.raw.$c" | grep -q '\$diag' && grep '^diag' "$tmp/zsh.raw.$c"
		[ "$c" = compile ] && grep '^compile' "$tmp/zsh.raw.$c"
		grep '^cmd' "$tmp/zsh.raw.$c"
	} | cut -f2- | grep -oE "(^|[{,'\"(])--?[A-Za-z][A-Za-z-]*" | sed "s/^[{,'\"(]*//" |
	    sort -u >"$tmp/zsh.$c"
	diff -u "$tmp/help.$c" "$tmp/zsh.$c" >"$tmp/d" ||
	    { bad "_lyncc options of '$c' differ from lyncc $c --help (+ zsh):"; cat "$tmp/d"; }
done

# complete LINE: what the bash completion offers for the last word of LINE
# (a trailing space starts an empty word); bash splits at '=' as readline does
complete_line() {
	local line=$1
	read -r -a COMP_WORDS <<<"$(printf '%s' "$line" | sed 's/=/ = /g')"
	[[ $line == *" " || $line == *"=" ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_lyncc
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {	# LINE WANT
	local got
	got=$(complete_line "$1")
	[ "$got" = "$2" ] || bad "'$1': offered '$got', expected '$2'"
}
mkdir "$tmp/w" && cd "$tmp/w" || exit 1
touch hq.lync branch.lync notes.txt
mkdir sites
expect "lyncc ch" "check"
expect "lyncc h" "help hq.lync"
expect "lyncc " "branch.lync check compile diff explain flows help hq.lync import ir query sites"
expect "lyncc check " "branch.lync hq.lync sites"
expect "lyncc check --ta" "--target"
expect "lyncc check -" "$(_lyncc_opts check | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
expect "lyncc check --format" ""
expect "lyncc hq.lync -t " "all asa f5 f5-as3 haproxy nft srx"
expect "lyncc hq.lync --target=" "all asa f5 f5-as3 haproxy nft srx"
expect "lyncc hq.lync --target=h" "haproxy"
expect "lyncc flows hq.lync --format " "csv dot json md table"
expect "lyncc query hq.lync --format=" "json text"
expect "lyncc query hq.lync --proto " "tcp udp"
expect "lyncc check hq.lync --diagnostics-format=s" "sarif"
expect "lyncc check hq.lync --color=" "always auto never"
expect "lyncc explain LYNC-E00" "LYNC-E001 LYNC-E002 LYNC-E003 LYNC-E004 LYNC-E005 LYNC-E006 LYNC-E007 LYNC-E008 LYNC-E009"
expect "lyncc explain edge.ext.av-stun-udp-3478-i" "edge.ext.av-stun-udp-3478-in"
expect "lyncc explain lb.edge.ext.access-sip-4" "lb.edge.ext.access-sip-443"
expect "lyncc help q" "query"
touch topo.tbxml
expect "lyncc import t" "topo.tbxml"
expect "lyncc query hq.lync --sp" "--sport"
expect "lyncc flows hq.lync --no" "--no-header"
expect "lyncc diff hq.lync b" "branch.lync"
touch topo.xml lab.tbxml
expect "lyncc import " "lab.tbxml sites topo.tbxml topo.xml"
expect "lyncc import topo.xml -" "--help --output -h -o"

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$SRCDIR/completions/_lyncc" || bad "_lyncc: zsh -n failed"
else
	echo "repo-completions: zsh is not installed; _lyncc not parsed (tools/deps.sh test)"
fi
[ $fail = 0 ] && echo "ok: bash and zsh completions"
exit $fail
