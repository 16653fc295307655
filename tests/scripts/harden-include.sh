#!/bin/bash
# harden-include.sh - what `include` reads (issue 13, hostile input items
# 4, 5, 6 and 11; docs/language.md, "Includes"):
#   - only files in the site file's directory tree or an -I DIR tree
#     (/etc/passwd, ../x, a symlink out of the tree are refused);
#   - never a line of a file that did not parse as .lync;
#   - regular files only (a FIFO does not hang, /dev/zero does not eat
#     memory), at most 16 MiB;
#   - a file is known by device and inode: including itself as x, ./x and
#     .//x is a cycle, found at once; a file is included once.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "harden-include: $*"; fail=1; }
mkdir -p "$tmp/site/inc" "$tmp/other"
cd "$tmp/site" || exit 1
# the edge-hlb example, its party in an include
grep -v '^party ' "$SRCDIR/examples/edge-hlb.lync" >base.lync
grep '^party ' "$SRCDIR/examples/edge-hlb.lync" >inc/party.lync
cp inc/party.lync "$tmp/other/party.lync"

# run NAME EXPECTED-EXIT PATTERN [lyncc args...]: the site is base.lync
# plus the line in $line
run() {
	local name=$1 want=$2 pat=$3 rc
	shift 3
	{ printf '%s\n' "$line"; cat base.lync; } >"$name.lync"
	timeout 20 "$LYNCC" check "$name.lync" "$@" >out 2>err
	rc=$?
	[ "$rc" = "$want" ] || bad "$name: exit $rc, not $want: $(head -c 600 err)"
	[ -z "$pat" ] || grep -q -- "$pat" err || bad "$name: no '$pat' in: $(head -c 600 err)"
	if grep -q 'root:' err out; then bad "$name: printed a line of /etc/passwd"; fi
}

line='include "inc/party.lync";'
run ok 0 ""
line='include "/etc/passwd";'
run passwd 1 "outside the site file's directory"
line='include "../other/party.lync";'
run dotdot 1 "outside the site file's directory"
run dotdot-I 0 "" -I "$tmp/other"
line='include "party.lync";'
run search-I 0 "" -I ../other
ln -s "$tmp/other/party.lync" inc/escape.lync
line='include "inc/escape.lync";'
run symlink-out 1 "outside the site file's directory"

# a file of the tree that is not .lync: its errors, never its lines
cp /etc/passwd inc/passwd.lync 2>/dev/null || printf 'root:x:0:0:root:/root:/bin/sh\n' >inc/passwd.lync
line='include "inc/passwd.lync";'
run notlync 1 "is not a valid .lync file"

# not regular files; the size limit
mkfifo inc/fifo
line='include "inc/fifo";'
run fifo 1 "not a regular file"
line='include "zero";'
run devzero 1 "not a regular file" -I /dev
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '#' >inc/big.lync
line='include "inc/big.lync";'
run big 1 "larger than the limit of 16 MiB"

# cycles by identity, not by path text; each file once
printf 'include "cyc.lync";\ninclude "./cyc.lync";\ninclude ".//cyc.lync";\n' >cyc-head
{ cat cyc-head; cat base.lync; } >cyc.lync
timeout 20 "$LYNCC" check cyc.lync >out 2>err
rc=$?
[ $rc = 1 ] || bad "self include: exit $rc (124 is a timeout)"
[ "$(grep -c 'includes itself' err)" = 3 ] || bad "self include: $(head -c 600 err)"
printf 'include "b.lync";\n' >inc/a.lync
printf 'include "a.lync";\n' >inc/b.lync
line='include "inc/a.lync";'
run cycle2 1 "'a.lync' includes itself"
line='include "inc/party.lync"; include "./inc//party.lync";'
run twice 1 "is already included"

# the include depth limit is documented and said (docs/language.md, Limits)
mkdir -p chain
for i in $(seq 1 70); do printf 'include "c%d.lync";\n' $((i + 1)) >chain/c$i.lync; done
: >chain/c71.lync
line='include "chain/c1.lync";'
run chain 1 "includes nest too deeply (the limit is 64 files)"

[ $fail = 0 ] && echo "harden-include: ok"
exit $fail
