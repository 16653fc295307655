#!/bin/sh
# quickstart.sh [SITE.lync] - install build dependencies, build lyncc, and
# compile an example site (examples/edge-hlb.lync by default) for every
# target that has a device in the site, into out/<site>/.
set -eu
cd "$(dirname "$0")/.."
site=${1:-examples/edge-hlb.lync}
sh tools/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLYNCC_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
name=$(basename "$site" .lync)
out=out/$name
mkdir -p "$out"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
./build/lyncc check "$site"
for t in asa srx nft f5 f5-as3 haproxy; do
	case $t in	# the file name ending of each target (backends/*.c)
	asa) ext=asa.cfg ;; srx) ext=srx.xml ;; nft) ext=nft ;;
	f5) ext=f5.tmsh ;; f5-as3) ext=as3.json ;; haproxy) ext=haproxy.cfg ;;
	esac
	# one file per target and device; a target the site cannot use says why
	if ./build/lyncc "$site" -t "$t" -o "$out/" 2>"$err"; then
		echo "$t: wrote $(cd "$out" && ls -- *."$ext" | tr '\n' ' ')"
		# what the files leave to the user (HAProxy: the UDP it cannot carry)
		grep -E ': warning: .*\[LYNC-W008\]' "$err" | sed 's/^/    /'
	else
		echo "$t: not generated:"
		grep -E ': (error|warning): |^  hint: ' "$err" | sed 's/^/    /'
	fi
done
