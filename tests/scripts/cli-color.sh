#!/bin/bash
# cli-color.sh - --color=auto (the default) colours the text diagnostics
# only on a terminal, and not when NO_COLOR is set and not empty, TERM is
# dumb or the diagnostics go to --diagnostics-output; --color=always
# colours them in a pipe too, --color=never never.  The terminal is a pty
# from script(1) (util-linux); without it those cases are skipped.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
site=$SRCDIR/tests/cli/color-always.lync
esc=$(printf '\033')

want() {	# NAME yes|no FILE
	if grep -q "$esc\[" "$3"; then got=yes; else got=no; fi
	if [ "$got" = "$2" ]; then echo "ok: $1"; else echo "FAIL: $1: colour $got, expected $2"; fail=1; fi
}
# in a pipe
"$LYNCC" check "$site" 2>"$tmp/pipe" ; want "pipe, auto" no "$tmp/pipe"
"$LYNCC" check "$site" --color=always 2>"$tmp/always" ; want "pipe, --color=always" yes "$tmp/always"
"$LYNCC" check "$site" --color 2>"$tmp/bare" ; want "pipe, bare --color" yes "$tmp/bare"
NO_COLOR=1 "$LYNCC" check "$site" --color=always 2>"$tmp/nc-always" ; want "NO_COLOR with --color=always" yes "$tmp/nc-always"

if ! command -v script >/dev/null 2>&1; then
	echo "SKIP: no script(1) for a terminal"
	exit $fail
fi
tty() {	# NAME yes|no ENV... -- ARGS...: run on a pty, stderr into the pty
	local name=$1 w=$2
	shift 2
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" script -qec "$(printf '%q ' "$LYNCC" check "$site" "$@")" /dev/null \
	    >"$tmp/tty" </dev/null
	want "$name" "$w" "$tmp/tty"
}
tty "terminal, auto" yes TERM=xterm --
tty "terminal, NO_COLOR=1" no TERM=xterm NO_COLOR=1 --
tty "terminal, NO_COLOR empty" yes TERM=xterm NO_COLOR= --
tty "terminal, TERM=dumb" no TERM=dumb --
tty "terminal, --color=never" no TERM=xterm -- --color=never
tty "terminal, --diagnostics-output" no TERM=xterm -- --diagnostics-output="$tmp/diag.txt"
want "--diagnostics-output file" no "$tmp/diag.txt"
grep -q "used twice" "$tmp/diag.txt" || { echo "FAIL: the diagnostics file lacks the error"; fail=1; }
exit $fail
