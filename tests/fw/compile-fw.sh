#!/bin/sh
# compile-fw.sh LYNCC SITE.lync OUTDIR [lyncc options...]
#
# Writes OUTDIR/ir.json and, for every firewall of the site,
# OUTDIR/DEVICE.asa.cfg and OUTDIR/DEVICE.srx.xml (one `-t asa|srx --device`
# run each, so the firewall files do not depend on the other targets).
# Prints the firewall names, one per line.  Exit non-zero on any failure.
set -eu
lyncc=$1 site=$2 out=$3
shift 3
mkdir -p "$out"
# ir takes only its own options: drop the compile-only --no-header
irargs=""
for a in "$@"; do
	[ "$a" = --no-header ] || irargs="$irargs $a"
done
# shellcheck disable=SC2086
"$lyncc" ir "$site" $irargs -o "$out/ir.json"
fws=$(python3 -c 'import json,sys
for d in json.load(open(sys.argv[1]))["devices"]:
    if d["kind"] == "firewall": print(d["name"])' "$out/ir.json")
for d in $fws; do
	"$lyncc" "$site" -t asa --device "$d" -o "$out/$d.asa.cfg" "$@"
	"$lyncc" "$site" -t srx --device "$d" -o "$out/$d.srx.xml" "$@"
	echo "$d"
done
