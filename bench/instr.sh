#!/bin/sh
# bench/instr.sh [-s SHAPE] [-t TARGET] [LYNCC] N...
#
# Instructions executed by lyncc (valgrind --tool=callgrind) on the
# generated site of each size N (bench/gen.awk), and the growth
# instr(N)/instr(previous N).  Unlike CPU seconds, an instruction count is
# the same on every run whatever else the machine does, and it leaves out
# the memory system (cache misses, page faults): a growth near the size
# ratio shows the work itself is linear.  Valgrind runs some 50 times
# slower than the program: keep N at 10,000 or less (100,000: minutes).
#
#   -s SHAPE    shape, default edge
#   -t TARGET   check (default: `lyncc check`) or a target (-t TARGET -o DIR/)
#   LYNCC       the binary (default build/lyncc; a Release build)
#
# Measurements only: nothing here asserts a count.
set -eu
shape=edge
target=check
while getopts s:t: o; do
	case $o in
	s) shape=$OPTARG ;;
	t) target=$OPTARG ;;
	*) sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
lyncc=build/lyncc
case ${1:-} in
*[!0-9]*) lyncc=$1; shift ;;
esac
[ $# -gt 0 ] || { echo "usage: bench/instr.sh [-s SHAPE] [-t TARGET] [LYNCC] N..." >&2; exit 2; }
[ -x "$lyncc" ] || { echo "bench: $lyncc is not an executable (build first)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "bench: needs valgrind" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-8s %7s %-6s %15s %7s\n' shape n target instructions growth
prev=""
for n in "$@"; do
	site=$tmp/$shape-$n.lync
	awk -v shape="$shape" -v n="$n" -v part="$tmp/$shape-$n" -f "$here/gen.awk" >"$site"
	mkdir -p "$tmp/out"
	if [ "$target" = check ]; then
		set -- check "$site"
	else
		set -- "$site" -t "$target" -o "$tmp/out/"
	fi
	if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$lyncc" "$@" \
	    >"$tmp/stdout" 2>"$tmp/stderr"; then
		echo "bench: lyncc failed on $shape $n:" >&2
		grep -v '^==' "$tmp/stderr" | head -5 >&2
		exit 1
	fi
	ins=$(sed -n 's/^==[0-9]*== Collected : *//p' "$tmp/stderr")
	growth=-
	[ -n "$prev" ] && growth=$(awk -v a="$ins" -v b="$prev" 'BEGIN { printf "%.2f", a / b }')
	printf '%-8s %7s %-6s %15s %7s\n' "$shape" "$n" "$target" "$ins" "$growth"
	prev=$ins
	rm -rf "$tmp/out" "$tmp"/*.lync "$tmp/cg"
done
