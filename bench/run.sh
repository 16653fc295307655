#!/bin/sh
# bench/run.sh [LYNCC] - speed and memory of lyncc on generated sites of
# growing size (zones, pools, firewalls).  Prints wall time and peak RSS per
# run, and, with valgrind, the instruction count (repeatable across runs).
# Measurements only: nothing here asserts a limit.
set -eu
lyncc=${1:-build/lyncc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() {	# gen N: a site with N front-end pools, N client zones, one firewall each
	n=$1
	echo "site bench$n;"
	echo "zone internet external;"
	echo "zone dmz perimeter;"
	echo "zone dmz-int perimeter;"
	echo "edge pool edge < nodes 4; lb hlb; external < zone dmz; addresses from 203.0.113.0/26; > internal < zone dmz-int; addresses from 172.16.0.0/24; > >"
	echo "firewall fw-ext < between internet dmz; >"
	i=1
	while [ "$i" -le "$n" ]; do
		echo "zone srv$i internal;"
		echo "frontend pool fe$i < nodes 8; lb hlb; zone srv$i; addresses from 10.$((i / 250)).$((i % 250)).0/24; >"
		echo "firewall fw$i < between dmz-int srv$i; >"
		echo "loadbalancer lb$i < serves fe$i; >"
		i=$((i + 1))
	done
	echo "loadbalancer lb-edge < serves edge; >"
}
printf '%-8s %-8s %10s %10s %14s\n' pools target seconds maxrss_kb instructions
for n in 1 10 50 200; do
	gen "$n" >"$tmp/site$n.lync"
	for t in asa srx f5; do
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$lyncc" "$tmp/site$n.lync" -t "$t" \
			-o "$tmp/out/" >/dev/null 2>&1 || mkdir -p "$tmp/out"
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$lyncc" "$tmp/site$n.lync" -t "$t" \
			-o "$tmp/out/" >/dev/null 2>"$tmp/err" || { echo "lyncc failed:"; head -3 "$tmp/err"; }
		ins=-
		if command -v valgrind >/dev/null && [ "$n" -le 50 ]; then
			ins=$(valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$lyncc" \
				"$tmp/site$n.lync" -t "$t" -o "$tmp/out/" 2>&1 >/dev/null |
				sed -n 's/.*Collected : *//p')
		fi
		printf '%-8s %-8s %10s %10s %14s\n' "$n" "$t" $(cat "$tmp/time") "$ins"
	done
done
