#!/bin/bash
# harden-filename.sh - a file name is not configuration (issue 13, hostile
# input item 1): a site file whose name holds a newline, a CR and an ESC
# compiles for every target with the name escaped (\x0a, \x0d, \x1b) in the
# header, so no line of the name becomes a config line; diagnostics print
# the name escaped too, and never a raw control byte.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "harden-filename: $*"; fail=1; }
cd "$tmp" || exit 1
name=$'site\nbackend evil\n  server x 192.0.2.66:80\r\e[2J.lync'
cp "$SRCDIR/examples/edge-dns.lync" "$name"
for t in asa srx f5 haproxy nft; do
	"$LYNCC" "$name" -t "$t" -o "out.$t" --device "$(
		case $t in asa|srx|nft) echo fw-edge-ext ;; *) echo web-hlb ;; esac)" 2>err
	rc=$?
	if [ $rc != 0 ]; then
		# a target this build does not have is not this test's business
		grep -q "unknown target" err && continue
		bad "-t $t: exit $rc: $(head -c 300 err)"
		continue
	fi
	# the name stays on its header line, escaped (\x0a; a backend may
	# encode the backslash further, as %5C)
	grep -q 'input: site.*x0abackend evil' "out.$t" ||
		bad "-t $t: the header does not name the file escaped"
	grep -n 'evil' "out.$t" | grep -v 'input: site.*x0abackend evil' &&
		bad "-t $t: a line of the file name is a config line"
	LC_ALL=C grep -q $'[\r\e]' "out.$t" && bad "-t $t: a CR or ESC of the file name is in the config"
done
# a diagnostic names the file escaped
printf 'site x;\nnodez 1;\n' >"$name"
"$LYNCC" check "$name" >/dev/null 2>err
LC_ALL=C grep -q $'[\r\e]' err && bad "a diagnostic printed a raw CR or ESC"
grep -q '^site\\x0abackend evil\\x0a  server x 192.0.2.66:80\\x0d\\x1b\[2J.lync:2:1: error' err ||
	bad "the diagnostic does not name the file escaped: $(head -c 300 err | od -c | head -5)"
[ $fail = 0 ] && echo "harden-filename: ok"
exit $fail
