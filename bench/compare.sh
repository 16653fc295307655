#!/bin/sh
# compare.sh OLD_LYNCC NEW_LYNCC [WORKDIR] - byte-compare two lyncc builds.
#
# Runs both binaries on every example, every .lync under tests/ and every
# bench shape at N=1, 10, 100, for each target, `-t all`, each device's
# own vendor, `check`, `flows` (csv) and `ir`, and compares standard
# output, standard error, exit code and every output file.  A performance
# change must leave all of them identical.  Prints one line per
# difference and exits 1 if there was any; 0 and a count otherwise.
#
# Not part of the test suite (it needs two builds): run it before
# committing a change that should not change any output.
set -u
old=${1:?usage: compare.sh OLD_LYNCC NEW_LYNCC [WORKDIR]}
new=${2:?usage: compare.sh OLD_LYNCC NEW_LYNCC [WORKDIR]}
work=${3:-${TMPDIR:-/tmp}/lyncc-compare.$$}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
case $old in /*) ;; *) old=$(pwd)/$old ;; esac
case $new in /*) ;; *) new=$(pwd)/$new ;; esac
rm -rf "$work"
mkdir -p "$work/sites"
# every shape of gen.awk, each site in its own directory (an `includes`
# site's parts sit beside it)
for s in $(sed -n 's/^[[:space:]]*shapes = "\(.*\)"$/\1/p' "$here/gen.awk" | tr '|' ' '); do
	for n in 1 10 100; do
		d=$work/sites/$s-$n
		mkdir -p "$d"
		awk -v shape=$s -v n=$n -v part="$d/part" -f "$here/gen.awk" > "$d/site.lync"
	done
done
list=$work/list
{
	find "$root/examples" "$root/tests" -name '*.lync' -type f | LC_ALL=C sort
	ls "$work"/sites/*/site.lync
} > "$list"
nsites=0
ndiff=0
# run BIN TAG SITE ARGS...: the results of one command in $work/TAG/
run() {
	bin=$1 tag=$2
	shift 2
	d=$work/$tag
	rm -rf "$d"
	mkdir -p "$d/out"
	(cd "$d/out" && "$bin" "$@" > ../stdout 2> ../stderr; echo $? > ../rc)
	# the binaries' own paths and the work directory may differ in messages
	sed -i "s|$work/[a-z]*/out|OUT|g" "$d/stdout" "$d/stderr"
}
while read -r site; do
	nsites=$((nsites + 1))
	for cmd in asa srx f5 f5-as3 haproxy nft all own check flows ir; do
		case $cmd in
		all) set -- "$site" -t all -o dir/ ;;
		own) set -- "$site" -o own/ ;;
		check) set -- check "$site" ;;
		flows) set -- flows "$site" --format csv ;;
		ir) set -- ir "$site" ;;
		*) set -- "$site" -t "$cmd" -o out.cfg ;;
		esac
		run "$old" a "$@"
		run "$new" b "$@"
		if ! diff -r "$work/a" "$work/b" > /dev/null 2>&1; then
			echo "DIFF: $cmd $site"
			ndiff=$((ndiff + 1))
		fi
	done
done < "$list"
echo "compare: $nsites sites, $ndiff differences"
rm -rf "$work"
[ "$ndiff" -eq 0 ]
