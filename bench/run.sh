#!/bin/sh
# bench/run.sh [-n SIZES] [-s SHAPES] [-t TARGETS] [-T SECONDS] [-r RUNS] [-k] [LYNCC]
#
# Speed and memory of lyncc on generated sites (bench/gen.awk) of growing
# size.  For each shape, size N and target it prints the CPU seconds
# (user+sys), the peak RSS, the bytes written, the growth ratio
# cpu(N)/cpu(previous N) and the CPU seconds of `cat` of the same output
# files into one new file (the floor: reading and writing the bytes,
# nothing else).
#
#   -n SIZES    sizes, default "1 10 100 1000 10000 100000"
#   -s SHAPES   shapes, default "edge zones clients parties chain alloc routers
#               rchain legs lbs nodes nat includes nopath misspelt
#               longnames" (bench/gen.awk)
#   -t TARGETS  default "check asa srx f5" ("check" is `lyncc check`)
#   -T SECONDS  CPU limit of one run (default 600); a run over it is reported
#               as "timeout" and the larger sizes of that shape and target
#               are skipped
#   -r RUNS     a run under 2 CPU seconds is made RUNS times in all (default
#               3) and the least CPU time is shown, as for `cat` (one slow
#               run on a shared machine is noise, not lyncc; 1: once)
#   -k          keep the generated sites and outputs (printed at the end)
#   LYNCC       the binary (default build/lyncc)
#
# Any lyncc run that fails (an error, a crash, a signal) is reported with its
# first lines of standard error, and the script exits 1 at the end.  The
# error shapes (nopath, misspelt) must fail: exit 1, with an error message;
# any other exit status of theirs is a failure.
# Measurements only: nothing here asserts a time.
set -eu
sizes="1 10 100 1000 10000 100000"
shapes="edge zones clients parties chain alloc routers rchain legs lbs nodes nat includes nopath misspelt longnames"
targets="check asa srx f5"
limit=600
runs=3
keep=0
while getopts n:s:t:T:r:k o; do
	case $o in
	n) sizes=$OPTARG ;;
	s) shapes=$OPTARG ;;
	t) targets=$OPTARG ;;
	T) limit=$OPTARG ;;
	r) runs=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
lyncc=${1:-build/lyncc}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$lyncc" ] || { echo "bench: $lyncc is not an executable (build first)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
tmp=$(mktemp -d)
[ $keep -eq 1 ] || trap 'rm -rf "$tmp"' EXIT
failed=0

cpu() {	# cpu FILE: user+sys seconds from a /usr/bin/time -f '%U %S %M %x' file
	# (its last line: a failing command's file starts "Command exited ...")
	awk 'END { printf "%.2f", $1 + $2 }' "$1"
}

least() {	# least A B: the smaller of two CPU times
	awk -v a="$1" -v b="$2" 'BEGIN { print (b + 0 < a + 0) ? b : a }'
}

again() {	# again S: is a run of S CPU seconds short enough to repeat?
	awk -v s="$1" 'BEGIN { exit !(s + 0 < 2) }'
}

echo "# $("$lyncc" --version 2>/dev/null | head -1)"
echo "# $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), $(nproc) cores, $(uname -sm)"
printf '%-8s %7s %-6s %9s %9s %12s %7s %7s %7s\n' \
	shape n target cpu_s rss_mib out_bytes growth cat_s x_cat
for shape in $shapes; do
	for t in $targets; do
		prev=""
		skip=""
		for n in $sizes; do
			site=$tmp/$shape-$n.lync
			[ -f "$site" ] || awk -v shape="$shape" -v n="$n" -v part="$tmp/$shape-$n" \
				-f "$here/gen.awk" >"$site"
			if [ -n "$skip" ]; then
				printf '%-8s %7s %-6s %9s\n' "$shape" "$n" "$t" "skipped"
				continue
			fi
			out=$tmp/out-$shape-$n-$t
			rm -rf "$out"
			mkdir -p "$out"
			if [ "$t" = check ]; then
				set -- check "$site"
			else
				set -- "$site" -t "$t" -o "$out/"
			fi
			want=0
			case $shape in nopath | misspelt) want=1 ;; esac
			rc=0
			( ulimit -t "$limit"; exec /usr/bin/time -f '%U %S %M %x' -o "$tmp/time" \
				"$lyncc" "$@" >"$out.stdout" 2>"$tmp/err" ) || rc=$?
			if [ $rc -ne 0 ] && grep -q 'Command terminated by signal \(9\|24\)' "$tmp/time" 2>/dev/null; then
				printf '%-8s %7s %-6s %9s\n' "$shape" "$n" "$t" ">${limit}s"
				skip=1
				continue
			fi
			if [ $rc -ne $want ] || { [ $want -ne 0 ] && ! grep -q 'error: ' "$tmp/err"; }; then
				echo "bench: FAILED: lyncc $* exited $rc, want $want ($(sed -n 's/^Command terminated by //p' "$tmp/time" 2>/dev/null))" >&2
				cut -c1-300 "$tmp/err" | head -5 >&2
				failed=$((failed + 1))
				skip=1
				continue
			fi
			s=$(cpu "$tmp/time")
			rss=$(awk 'END { printf "%.1f", $3 / 1024 }' "$tmp/time")
			r=1
			while [ "$r" -lt "$runs" ] && again "$s"; do
				( exec /usr/bin/time -f '%U %S %M %x' -o "$tmp/time" \
					"$lyncc" "$@" >/dev/null 2>&1 ) || :
				s=$(least "$s" "$(cpu "$tmp/time")")
				r=$((r + 1))
			done
			bytes=$( { find "$out" -type f -exec cat {} +; cat "$out.stdout"; } 2>/dev/null | wc -c)
			growth=-
			[ -n "$prev" ] && growth=$(awk -v a="$s" -v b="$prev" 'BEGIN { if (b >= 0.01) printf "%.1f", a / b; else print "-" }')
			catt=-
			xcat=-
			if [ "$t" != check ]; then
				catt=
				r=0
				while [ "$r" -lt "$runs" ]; do
					/usr/bin/time -f '%U %S %M %x' -o "$tmp/time" sh -c 'find "$1" -type f -exec cat {} + >"$0"' "$tmp/catcopy" "$out"
					rm -f "$tmp/catcopy"
					catt=$(least "${catt:-$(cpu "$tmp/time")}" "$(cpu "$tmp/time")")
					r=$((r + 1))
				done
				xcat=$(awk -v a="$s" -v b="$catt" 'BEGIN { if (b >= 0.01) printf "%.0f", a / b; else print "-" }')
			fi
			printf '%-8s %7s %-6s %9s %9s %12s %7s %7s %7s\n' \
				"$shape" "$n" "$t" "$s" "$rss" "$bytes" "$growth" "$catt" "$xcat"
			prev=$s
			[ $keep -eq 1 ] || rm -rf "$out" "$out.stdout"
		done
	done
done
[ $keep -eq 1 ] && echo "# sites and outputs kept in $tmp"
if [ $failed -ne 0 ]; then
	echo "bench: $failed lyncc runs FAILED" >&2
	exit 1
fi
