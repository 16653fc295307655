#!/bin/bash
# repo-determinism.sh - the output bytes are the same across runs, working
# directories and checkouts.  For each examples/*.lync:
#   - each target, `-t TARGET -o DIR/`, twice from the source tree with a
#     relative path and once from another directory with an absolute path:
#     the same files with the same bytes (or the same diagnostics, for a
#     target that does not apply); at least one target must compile it;
#   - `ir`, `flows --format csv` and `flows --format dot` in two copies of
#     the examples at different paths (relative paths, as a CI job runs
#     them): cmp.  (`ir` names source files as given, like diagnostics, so
#     it is compared across checkouts rather than across spellings of the
#     path.)
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
mkdir -p "$tmp/elsewhere" "$tmp/a/checkout" "$tmp/b/another/checkout"
cp -R "$SRCDIR/examples/." "$tmp/a/checkout/"
cp -R "$SRCDIR/examples/." "$tmp/b/another/checkout/"

same_dirs() {	# DIR1 DIR2 WHAT
	if ! diff -r -q "$1" "$2" >"$tmp/d" 2>&1; then
		echo "repo-determinism: $3 differs:"
		cat "$tmp/d"
		fail=1
	fi
}

n=0
for f in "$SRCDIR"/examples/*.lync; do
	name=$(basename "$f" .lync)
	n=$((n + 1))
	ok=0
	for t in asa srx nft f5 f5-as3 haproxy; do
		for run in 1 2 3; do
			mkdir -p "$tmp/out$run/$name/$t"
			if [ $run = 3 ]; then
				(cd "$tmp/elsewhere" && "$LYNCC" "$f" -t $t -o "$tmp/out3/$name/$t/")
			else
				(cd "$SRCDIR" && "$LYNCC" "examples/$name.lync" -t $t -o "$tmp/out$run/$name/$t/")
			fi >/dev/null 2>"$tmp/err$run"
			echo $? >"$tmp/rc$run"
		done
		# a target that does not apply (no such device, or one it cannot
		# express) fails the same way every time, and writes nothing
		if ! cmp -s "$tmp/rc1" "$tmp/rc2" || ! cmp -s "$tmp/rc1" "$tmp/rc3" ||
		    ! cmp -s "$tmp/err1" "$tmp/err2"; then
			echo "repo-determinism: $name -t $t: exit status or diagnostics differ between runs"
			fail=1
		fi
		[ "$(cat "$tmp/rc1")" = 0 ] && ok=$((ok + 1))
		same_dirs "$tmp/out1/$name/$t" "$tmp/out2/$name/$t" "$name -t $t: run 1 vs run 2"
		same_dirs "$tmp/out1/$name/$t" "$tmp/out3/$name/$t" "$name -t $t: relative vs absolute path"
	done
	if [ $ok = 0 ]; then
		echo "repo-determinism: $name: no target compiles it"
		fail=1
	fi
	for cmd in "ir" "flows --format csv" "flows --format dot"; do
		# shellcheck disable=SC2086
		(cd "$tmp/a/checkout" && "$LYNCC" $cmd "$name.lync") >"$tmp/x1" 2>&1
		# shellcheck disable=SC2086
		(cd "$tmp/b/another/checkout" && "$LYNCC" $cmd "$name.lync") >"$tmp/x2" 2>&1
		# shellcheck disable=SC2086
		(cd "$tmp/b/another/checkout" && "$LYNCC" $cmd "$name.lync") >"$tmp/x3" 2>&1
		if ! cmp -s "$tmp/x1" "$tmp/x2" || ! cmp -s "$tmp/x2" "$tmp/x3"; then
			echo "repo-determinism: $name: '$cmd' differs between runs or checkouts:"
			diff "$tmp/x1" "$tmp/x2" | head -20
			fail=1
		fi
	done
done
[ "$n" -gt 0 ] || { echo "repo-determinism: no examples"; exit 1; }
# the headers carry versions and the input's base name, never a time or a path
if grep -rlE '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}|'"$tmp"'|'"$SRCDIR" "$tmp/out1" "$tmp/out3" >"$tmp/leaks"; then
	echo "repo-determinism: a timestamp or a path in:"
	cat "$tmp/leaks"
	fail=1
fi
[ $fail = 0 ] && echo "ok: $n examples, identical bytes"
exit $fail
