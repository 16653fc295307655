#!/bin/sh
# build.sh - compile every site of this policy repository for every target
# it names, into out/SITE/DEVICE.EXT, and fail on any error.
#
#   ./build.sh                  LYNCC=lyncc, warnings allowed
#   LYNCC=/path/to/lyncc WERROR=1 ./build.sh
#
# Each sites/*.lync names its targets on a line "# targets: asa f5".  For
# each site: `lyncc check` (every target's checks), then one compile per
# target with -o out/SITE/ (one file per device).  Set SARIF=1 to also
# write sarif/SITE.sarif, kept whether the build fails or not, for a code
# host to annotate the pull request.  A failed build leaves out/ as it was.
set -u
LYNCC=${LYNCC:-lyncc}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2
rm -rf out.tmp
mkdir -p out.tmp
if [ "${SARIF:-0}" = 1 ]; then
	rm -rf sarif
	mkdir -p sarif
fi
status=0
for site in sites/*.lync; do
	name=$(basename "$site" .lync)
	targets=$(sed -n 's/^# targets: *//p' "$site" | head -n 1)
	if [ -z "$targets" ]; then
		echo "$site: no '# targets:' line" >&2
		status=1
		continue
	fi
	# the sites include ../common/*.lync: allow that tree (includes are
	# confined to the site file's directory otherwise)
	flags="-I common"
	[ "${WERROR:-0}" = 1 ] && flags="$flags -Werror"
	if [ "${SARIF:-0}" = 1 ]; then
		# shellcheck disable=SC2086
		"$LYNCC" check "$site" $flags --diagnostics-format=sarif 2>"sarif/$name.sarif"
	fi
	mkdir -p "out.tmp/$name"
	for t in $targets; do
		# shellcheck disable=SC2086
		if "$LYNCC" "$site" -t "$t" $flags -o "out.tmp/$name/"; then
			echo "ok    $site -t $t"
		else
			echo "FAIL  $site -t $t" >&2
			status=1
		fi
	done
done
if [ $status != 0 ]; then
	rm -rf out.tmp
	echo "build failed: nothing written to out/" >&2
	exit $status
fi
rm -rf out
mv out.tmp out
find out -type f | LC_ALL=C sort
