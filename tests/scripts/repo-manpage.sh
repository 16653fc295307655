#!/bin/bash
# repo-manpage.sh - docs/lyncc.1 and `lyncc --help` describe the same
# options: every option in the help text is defined in the man page (a
# .TP entry) and every option the man page defines is in the help text;
# every subcommand of the help synopsis has a COMMANDS entry.  The page
# renders without warnings when groff is installed.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
man=$SRCDIR/docs/lyncc.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$LYNCC" --help >"$tmp/help" || { echo "lyncc --help failed"; exit 1; }
opts() { grep -oE '(^|[[:space:][(|,])--?[A-Za-z][A-Za-z-]*' | sed 's/^[^-]*//' | sort -u; }
opts <"$tmp/help" >"$tmp/help.opts"
# the option lines of the man page: the line after each .TP in OPTIONS
awk '/^\.SH OPTIONS/{o=1; next} /^\.SH/{o=0} o && prev==".TP"{print} {prev=$0}' "$man" |
    sed 's/\\-/-/g; s/\\f[BIRP]//g' | opts >"$tmp/man.opts"
if ! diff -u "$tmp/help.opts" "$tmp/man.opts" >"$tmp/d"; then
	echo "repo-manpage: options differ between lyncc --help (-) and docs/lyncc.1 OPTIONS (+):"
	cat "$tmp/d"
	fail=1
fi
# subcommands: "lyncc WORD" in the help synopsis -> a COMMANDS entry
for c in $(sed -n 's/^ *\(usage: \)\{0,1\}lyncc \([a-z][a-z]*\) .*/\2/p' "$tmp/help" | sort -u); do
	if ! awk '/^\.SH COMMANDS/{o=1; next} /^\.SH/{o=0} o' "$man" | grep -q "^\.B.* \"\{0,1\}$c"; then
		echo "repo-manpage: subcommand '$c' has no entry under COMMANDS"
		fail=1
	fi
done
# exit codes of the help text are in EXIT STATUS
for n in 0 1 2; do
	awk '/^\.SH "?EXIT STATUS/{o=1; next} /^\.SH/{o=0} o' "$man" | grep -qx "\.B $n" || {
		echo "repo-manpage: exit status $n is not documented"; fail=1; }
done
if command -v groff >/dev/null 2>&1; then
	if ! groff -man -Tutf8 -ww -z "$man" 2>"$tmp/groff" || [ -s "$tmp/groff" ]; then
		echo "repo-manpage: groff warnings:"
		cat "$tmp/groff"
		fail=1
	fi
fi
[ $fail = 0 ] && echo "ok: $(wc -l <"$tmp/help.opts") options, man page renders"
exit $fail
