#!/bin/bash
# repo-policy-repo.sh - the sample policy repository (examples/policy-repo)
# builds: every site, every target it names, into out/, twice with the same
# bytes; SARIF=1 writes a log per site; a site with an error fails the
# build, names the site and leaves the previous out/ alone; `make` works.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
cp -R "$SRCDIR/examples/policy-repo" "$tmp/repo"
rm -rf "$tmp/repo/out" "$tmp/repo/out.tmp" "$tmp/repo/sarif"
cd "$tmp/repo" || exit 1

if ! LYNCC=$LYNCC SARIF=1 ./build.sh >"$tmp/log1" 2>&1; then
	echo "repo-policy-repo: the build failed:"; cat "$tmp/log1"; exit 1
fi
nsites=$(ls sites/*.lync | wc -l)
for s in sites/*.lync; do
	name=$(basename "$s" .lync)
	for t in $(sed -n 's/^# targets: *//p' "$s"); do
		if ! ls out/"$name"/*."$t".* >/dev/null 2>&1; then
			echo "repo-policy-repo: no $t output for $name"; fail=1
		fi
	done
	[ -f "sarif/$name.sarif" ] || { echo "repo-policy-repo: no sarif/$name.sarif"; fail=1; }
done
cp -R out "$tmp/out1"
LYNCC=$LYNCC ./build.sh >/dev/null 2>&1 || { echo "repo-policy-repo: second build failed"; fail=1; }
diff -r "$tmp/out1" out >/dev/null || { echo "repo-policy-repo: two builds differ"; fail=1; }
# a broken site: the build fails, says which, and out/ is untouched
echo "frontend pool broken < nodez 2; >" >>sites/dr.lync
if LYNCC=$LYNCC ./build.sh >"$tmp/log2" 2>&1; then
	echo "repo-policy-repo: a site with an error did not fail the build"; fail=1
fi
grep -q "FAIL  sites/dr.lync" "$tmp/log2" || { echo "repo-policy-repo: the failure does not name the site:"; cat "$tmp/log2"; fail=1; }
diff -r "$tmp/out1" out >/dev/null || { echo "repo-policy-repo: a failed build changed out/"; fail=1; }
[ -e out.tmp ] && { echo "repo-policy-repo: out.tmp left behind"; fail=1; }
cp "$SRCDIR/examples/policy-repo/sites/dr.lync" sites/dr.lync
if command -v make >/dev/null 2>&1; then
	make -s LYNCC="$LYNCC" >/dev/null 2>&1 || { echo "repo-policy-repo: make failed"; fail=1; }
	make -s check LYNCC="$LYNCC" >/dev/null 2>&1 || { echo "repo-policy-repo: make check failed"; fail=1; }
fi
[ $fail = 0 ] && echo "ok: $nsites sites, $(find out -type f | wc -l) device configs"
exit $fail
