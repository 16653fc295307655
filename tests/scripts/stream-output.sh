#!/bin/bash
# stream-output.sh - lyncc compile writes each config to its temporary file
# while the backend generates it, in 1 MiB chunks (compiler/output.c,
# issue 14), and keeps every guarantee of writing it in one piece:
#   1. a config larger than the chunk is byte-identical to the same config
#      written in one piece: -o FILE and -o DIR/ (streamed) against -o -
#      (standard output: held in memory, written after the run succeeded),
#      for the balancer and nft targets on a generated 200-pool edge site;
#   2. a write that fails in the middle of the stream (a file size limit:
#      EFBIG, as a full disk gives ENOSPC) exits 2 and says so; nothing is
#      left under the output's name, an existing output keeps its old bytes,
#      no temporary file stays, and -o DIR/ that the run made is removed;
#      with -t all, a failure on one device leaves none of the others;
#   3. -o /dev/full (written in place, at the end) exits 2.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "stream-output: $*"; fail=1; }
cd "$tmp" || exit 1
chunk=1048576

awk -v shape=edge -v n=200 -v part="$tmp/edge-200" -f "$SRCDIR/bench/gen.awk" >edge.lync ||
	{ echo "stream-output: gen.awk failed"; exit 1; }

# 1. streamed and in one piece: the same bytes
big=0
for t in f5 f5-as3 haproxy nft asa srx; do
	"$LYNCC" edge.lync -t "$t" -o "dir-$t/" 2>/dev/null || bad "-t $t -o dir-$t/ failed"
	for f in "dir-$t"/*; do
		dev=$(basename "$f"); dev=${dev%%.*}
		"$LYNCC" edge.lync -t "$t" --device "$dev" -o - >one.out 2>/dev/null ||
			bad "-t $t --device $dev -o - failed"
		"$LYNCC" edge.lync -t "$t" --device "$dev" -o file.out 2>/dev/null ||
			bad "-t $t --device $dev -o file.out failed"
		[ -s one.out ] || bad "-t $t --device $dev -o -: empty"
		cmp -s one.out file.out || bad "-t $t $dev: -o FILE differs from -o -"
		cmp -s one.out "$f" || bad "-t $t $dev: -o DIR/ differs from -o -"
		[ "$(wc -c <one.out)" -gt $chunk ] && big=$((big + 1))
	done
done
# the f5, f5-as3 and nft configs of both sides' devices pass the chunk
[ $big -ge 5 ] || bad "only $big configs are larger than $chunk bytes: the test lost its point"

# 2. a write that fails in the middle of the stream
lim() {	# lim KIB CMD...: run with a file size limit, SIGXFSZ ignored; rc in rc
	local k=$1; shift
	(trap '' XFSZ; ulimit -f "$k"; "$@" >/dev/null 2>err; echo $? >rc)
}
"$LYNCC" edge.lync -t f5 --device hlb-ext -o - >full.out 2>/dev/null
size=$(wc -c <full.out)
[ "$size" -gt $((3 * chunk)) ] || bad "hlb-ext's f5 config is $size bytes, not over 3 chunks"
# bash counts ulimit -f in KiB: fail at the first chunk, and after two
for k in 512 2560; do
	rm -f new.out
	lim "$k" "$LYNCC" edge.lync -t f5 --device hlb-ext -o new.out
	[ "$(cat rc)" = 2 ] || bad "limit ${k}K: exit $(cat rc), not 2"
	[ -e new.out ] && bad "limit ${k}K: new.out exists ($(wc -c <new.out) bytes)"
	grep -q "cannot write 'new.out'" err || bad "limit ${k}K: no message: $(head -c 300 err)"
	grep -q "File too large" err || bad "limit ${k}K: the error is not EFBIG's: $(head -c 300 err)"
	# an existing output keeps its old bytes
	echo "last run's config" >old.out
	lim "$k" "$LYNCC" edge.lync -t f5 --device hlb-ext -o old.out
	[ "$(cat rc)" = 2 ] || bad "limit ${k}K over an old file: exit $(cat rc)"
	[ "$(cat old.out)" = "last run's config" ] || bad "limit ${k}K: the old output changed"
	# a directory the run made is removed again
	lim "$k" "$LYNCC" edge.lync -t f5 -o newdir/
	[ "$(cat rc)" = 2 ] || bad "limit ${k}K, -o newdir/: exit $(cat rc)"
	[ -e newdir ] && bad "limit ${k}K: newdir/ was left: $(ls -a newdir)"
	[ -z "$(find . -name '.*.tmp*')" ] || bad "limit ${k}K: temporary files left: $(find . -name '.*.tmp*')"
done
# -t all into an existing directory: asa, srx and haproxy fit in 2.5 MiB,
# the f5 hlb-ext config does not: no file at all
mkdir all
lim 2560 "$LYNCC" edge.lync -t all -o all/
[ "$(cat rc)" = 2 ] || bad "-t all with a failing device: exit $(cat rc)"
[ -z "$(ls -A all)" ] || bad "-t all with a failing device left: $(ls -A all)"
grep -q "nothing was written" err || bad "-t all: no 'nothing was written': $(head -c 300 err)"
# the same run without the limit writes them all (the limit was the cause)
"$LYNCC" edge.lync -t all -o all/ 2>/dev/null || bad "-t all -o all/ failed"
[ -n "$(ls -A all)" ] || bad "-t all wrote nothing"

# 3. /dev/full: written in place after the run, ENOSPC
if [ -c /dev/full ]; then
	"$LYNCC" edge.lync -t f5 --device hlb-ext -o /dev/full >/dev/null 2>err
	rc=$?
	[ $rc = 2 ] || bad "-o /dev/full: exit $rc, not 2"
	grep -q "No space left" err || bad "-o /dev/full: $(head -c 300 err)"
fi

[ $fail = 0 ] && echo "stream-output: ok"
exit $fail
