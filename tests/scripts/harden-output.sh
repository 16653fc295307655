#!/bin/bash
# harden-output.sh - how a run writes its outputs (issue 13, hostile input
# items 7 and 10; docs/lyncc.1, -o):
#   - -o DIR/ writes one file per device, however many (no cap);
#   - a run writes every output to a temporary file first and renames them
#     only when all were written: a full disk (here: a file size limit)
#     leaves last run's files as they were, and no temporary file behind;
#   - -o naming an input file (or a symlink to it) is refused, the source
#     unchanged; -o a symlink to a block device is refused;
#   - an existing output keeps its mode; -o "" is a usage error.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "harden-output: $*"; fail=1; }
cd "$tmp" || exit 1
cp "$SRCDIR/examples/director.lync" site.lync

# 1. 70 firewalls more than the site's two: 72 ASA files
{ cat site.lync; for i in $(seq 1 70); do echo "firewall fwx$i < between edge-int servers; >"; done; } >many.lync
"$LYNCC" many.lync -t asa -o many/ --max-errors 0 >/dev/null 2>&1
[ $? = 0 ] || bad "-o DIR/ with 72 firewalls failed"
n=$(find many -name '*.cfg' | wc -l)
[ "$n" = 72 ] || bad "-o DIR/ wrote $n of 72 device files"

# 2. all or nothing: a file size limit makes the larger configs fail
"$LYNCC" site.lync -t all -o out/ >/dev/null 2>&1 || bad "first -t all failed"
cp -a out before
sed 's/192\.0\.2\./192.0.2./; s/^site \(.*\);/site \1-v2;/' site.lync >site2.lync
grep -q -- '-v2;' site2.lync || bad "could not change the site"
(trap '' XFSZ; ulimit -f 20; "$LYNCC" site2.lync -t all -o out/ >/dev/null 2>err; echo $? >rc)
[ "$(cat rc)" = 2 ] || bad "a failed write exited $(cat rc), not 2"
diff -r before out >/dev/null || bad "a failed run changed some outputs: $(diff -rq before out | head -3)"
[ -z "$(find out -name '*.tmp*')" ] || bad "temporary files left: $(ls -a out)"
grep -q "nothing was written" err || bad "no 'nothing was written' message: $(cat err)"

# 3. -o the input file, directly or through a symlink
cp site.lync keep.lync
for o in site.lync ./site.lync lnk; do
	ln -sf site.lync lnk
	"$LYNCC" site.lync -t asa --device fw-ext -o "$o" >/dev/null 2>err
	rc=$?
	[ $rc = 2 ] || bad "-o $o (the input) exited $rc"
	grep -q "input file" err || bad "-o $o: no reason given: $(cat err)"
	cmp -s site.lync keep.lync || { bad "-o $o overwrote the input"; cp keep.lync site.lync; }
done

# 4. a symlink to a block device (our own node, a minor no driver has)
if [ "$(id -u)" = 0 ] && mknod blk b 7 250 2>/dev/null; then
	ln -s blk blklnk
	"$LYNCC" site.lync -t asa --device fw-ext -o blklnk >/dev/null 2>err
	rc=$?
	[ $rc = 2 ] && grep -q "block device" err || bad "-o a symlink to a block device: exit $rc, $(cat err)"
else
	echo "harden-output: (not root: block device case skipped)"
fi

# 5. the mode of an existing output is kept; a new one follows the umask
touch m.cfg && chmod 600 m.cfg
"$LYNCC" site.lync -t asa --device fw-ext -o m.cfg 2>/dev/null || bad "-o m.cfg failed"
[ "$(stat -c %a m.cfg)" = 600 ] || bad "mode 0600 became $(stat -c %a m.cfg)"
(umask 027; "$LYNCC" site.lync -t asa --device fw-ext -o new.cfg 2>/dev/null)
[ "$(stat -c %a new.cfg)" = 640 ] || bad "umask 027: new file mode $(stat -c %a new.cfg)"
ln -s m.cfg mlink
"$LYNCC" site.lync -t asa --device fw-ext -o mlink 2>/dev/null || bad "-o symlink failed"
[ -L mlink ] || bad "-o symlink replaced the symlink"

# 6. -o "" is a usage error
"$LYNCC" site.lync -t asa --device fw-ext -o "" >/dev/null 2>err
rc=$?
[ $rc = 2 ] && grep -q -- "-o needs a file name" err || bad "-o '': exit $rc, $(cat err)"
"$LYNCC" ir site.lync -o "" >/dev/null 2>&1
[ $? = 2 ] || bad "ir -o '' is not a usage error"

[ $fail = 0 ] && echo "harden-output: ok"
exit $fail
