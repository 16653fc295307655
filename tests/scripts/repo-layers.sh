#!/bin/bash
# repo-layers.sh - the layout draws as layers, read from the built objects
# (a file calls another when it uses a symbol the other defines, `nm`):
#   1. no circle between files, in the library and the command line;
#   2. the library (compiler/, backends/) never calls cli/;
#   3. the resolver's files call only the layers below them
#      (compiler/resolve_impl.h): resolve.c (driver) > the statement
#      families and the finish phases > resolve_words.c > ir_names.c, and
#      no two files of one layer call each other;
#   4. the later phases (expand, checks, flows, backends, ir_json) never
#      call the resolver: what they share with it is in ir_names.c.
# A self-test first feeds the checks a graph with each mistake, so they can
# fail.  Env: BUILDDIR (CMakeFiles/lyncc_core.dir, CMakeFiles/lyncc.dir).
set -u
: "${BUILDDIR:?}"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# edges "A B": A uses a symbol defined in B (file paths as in the tree)
edges() {
	local o f
	for o in "$@"; do
		f=${o#*.dir/}
		f=${f%.o}
		nm "$o" | awk -v f="$f" '$2 ~ /^[TDBRC]$/ { print "D", f, $3 }
		    $1 == "U" { print "U", f, $2 }'
	done | awk '$1 == "D" { def[$3] = $2; next }
	    { use[++n] = $2 " " $3 }
	    END { for (i = 1; i <= n; i++) { split(use[i], a, " ")
		if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]] } }' |
	    sort -u
}

# rank of a resolver file (higher calls lower), or empty for other files
rank() {
	case $1 in
	compiler/ir_names.c) echo 0 ;;
	compiler/resolve_words.c) echo 1 ;;
	compiler/resolve_top.c | compiler/resolve_pool.c | compiler/resolve_party.c | \
	    compiler/resolve_device.c | compiler/resolve_stdlib.c | \
	    compiler/resolve_refs.c | compiler/resolve_alloc.c) echo 2 ;;
	compiler/resolve.c) echo 3 ;;
	compiler/resolve*.c)
		echo "FAIL: $1 is a resolver file with no layer (add it to rank() here" \
		    "and to compiler/resolve_impl.h)" >&2
		echo 9 ;;
	esac
}

# the checks on an edge list (file $1); prints each violation
check() {
	local a b ra rb bad=0
	if ! tsort "$1" >/dev/null 2>"$tmp/loop"; then
		echo "FAIL: the files call each other in a circle:" \
		    "$(grep -v 'input contains a loop' "$tmp/loop" | sed 's/^tsort: //' |
		    tr '\n' ' ')"
		bad=1
	fi
	while read -r a b; do
		case $a:$b in
		compiler/*:cli/* | backends/*:cli/*)
			echo "FAIL: the library calls the command line: $a -> $b"
			bad=1 ;;
		compiler/expand*:compiler/resolve* | compiler/check*:compiler/resolve* | \
		    compiler/flows.c:compiler/resolve* | compiler/ir_json.c:compiler/resolve* | \
		    backends/*:compiler/resolve*)
			echo "FAIL: a later phase calls the resolver: $a -> $b"
			bad=1 ;;
		esac
		ra=$(rank "$a")
		rb=$(rank "$b")
		if [ -n "$ra" ] && [ -n "$rb" ] && [ "$rb" -ge "$ra" ]; then
			echo "FAIL: $a (layer $ra) calls $b (layer $rb)"
			bad=1
		fi
	done <"$1"
	return $bad
}

# self-test: each mistake is found
printf '%s\n' 'compiler/a.c compiler/b.c' 'compiler/b.c compiler/a.c' >"$tmp/t1"
printf '%s\n' 'compiler/driver.c cli/cli.c' >"$tmp/t2"
printf '%s\n' 'compiler/resolve_pool.c compiler/resolve_party.c' >"$tmp/t3"
printf '%s\n' 'compiler/resolve_words.c compiler/resolve_refs.c' >"$tmp/t4"
printf '%s\n' 'compiler/expand.c compiler/resolve_words.c' >"$tmp/t5"
printf '%s\n' 'compiler/resolve_refs.c compiler/resolve_alloc.c' >"$tmp/t6"
for t in 1 2 3 4 5 6; do
	if check "$tmp/t$t" >/dev/null; then
		echo "FAIL: self-test $t: the mistake was not found"
		fail=1
	fi
done
printf '%s\n' 'compiler/resolve.c compiler/resolve_pool.c' \
    'compiler/resolve_pool.c compiler/resolve_words.c' \
    'compiler/resolve_words.c compiler/ir_names.c' 'cli/cli.c compiler/driver.c' >"$tmp/ok"
check "$tmp/ok" || { echo "FAIL: self-test: a good graph was refused"; fail=1; }

objs=$(find "$BUILDDIR/CMakeFiles/lyncc_core.dir" "$BUILDDIR/CMakeFiles/lyncc.dir" \
    -name '*.c.o' \( -path '*/compiler/*' -o -path '*/backends/*' -o -path '*/cli/*' \) |
    sort)
n=$(echo "$objs" | grep -c .)
[ "$n" -ge 40 ] || { echo "FAIL: only $n objects found under $BUILDDIR"; exit 1; }
edges $objs >"$tmp/edges"
grep -q '^compiler/resolve.c compiler/resolve_words.c$' "$tmp/edges" ||
    { echo "FAIL: no edge resolve.c -> resolve_words.c: the graph is not read"; fail=1; }
check "$tmp/edges" || fail=1
[ $fail = 0 ] && echo "ok: $n files, $(wc -l <"$tmp/edges") calls between them, in layers"
exit $fail
