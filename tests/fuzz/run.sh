#!/bin/sh
# tests/fuzz/run.sh [BUILDDIR [SECONDS [JOBS [import]]]] - build the libFuzzer target
# with clang (-DLYNCC_FUZZ=ON: ASan+UBSan, coverage) in BUILDDIR (default
# build-fuzz) and fuzz for SECONDS (default 60) with JOBS processes (1),
# starting from the committed corpus (tests/fuzz/corpus), the examples and
# the golden cases, with the language's dictionary (tests/fuzz/lync.dict).
# New inputs go to a scratch directory, not into the repository (removed
# afterwards unless LYNCC_FUZZ_KEEP=1, which prints how to merge them).
# A crash, leak, sanitizer report or timeout fails the run and leaves the
# input as BUILDDIR/fuzz-artifacts/crash-*; once fixed, commit that file to
# tests/fuzz/corpus/ so the ctest fuzz/corpus replays it in every build.
# With a fourth argument "import": the `lyncc import` target instead
# (lyncc_fuzz_import, fuzz_import.c), from tests/fuzz/import-corpus and the
# import fixtures (tests/import/*.xml, *.tbxml, hostile/*.xml), no
# dictionary; its crashes go to tests/fuzz/import-corpus/ (ctest
# fuzz/import-corpus).
set -eu
cd "$(dirname "$0")/../.."
bd=${1:-build-fuzz}
secs=${2:-60}
jobs=${3:-1}
what=${4:-lync}
case $what in
lync)	target=lyncc_fuzz corpus=tests/fuzz/corpus
	dict=-dict="$PWD/tests/fuzz/lync.dict" ;;
import)	target=lyncc_fuzz_import corpus=tests/fuzz/import-corpus dict= ;;
*)	echo "usage: $0 [BUILDDIR [SECONDS [JOBS [import]]]]" >&2; exit 2 ;;
esac
CC=${CC:-clang} cmake -S . -B "$bd" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DLYNCC_FUZZ=ON -DLYNCC_TESTS=OFF -DLYNCC_WERROR="${LYNCC_WERROR:-OFF}" >/dev/null
cmake --build "$bd" -j"$(nproc)" --target "$target" >/dev/null
work=$(mktemp -d)
mkdir -p "$work/corpus" "$bd/fuzz-artifacts"
seeds=$work/seeds
mkdir -p "$seeds"
# the seeds: examples and golden cases (flattened, names kept apart)
if [ "$what" = import ]; then
	set -- tests/import/*.xml tests/import/*.tbxml tests/import/hostile/*.xml
else
	set -- examples/*.lync tests/golden/*/*.lync
fi
for f in "$@"; do
	cp "$f" "$seeds/$(echo "$f" | tr / _)"
done
# includes in an input resolve against this empty directory
cd "$work"
set +e
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
"$OLDPWD/$bd/tests/fuzz/$target" -max_total_time="$secs" -timeout=10 \
	-rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
	${dict:+"$dict"} -artifact_prefix="$OLDPWD/$bd/fuzz-artifacts/" \
	$( [ "$jobs" -gt 1 ] && echo "-jobs=$jobs -workers=$jobs" ) \
	"$work/corpus" "$OLDPWD/$corpus" "$seeds" >"$work/log" 2>&1
rc=$?
set -e
cd "$OLDPWD"
grep -E '^stat::|^Done|SUMMARY|ERROR' "$work/log" || true
if [ $rc -ne 0 ]; then
	sed -n '/==ERROR\|runtime error\|SUMMARY/,+25p' "$work/log" | head -60
	echo "fuzz: FAILED (exit $rc); the input is in $bd/fuzz-artifacts/:"
	ls -t "$bd/fuzz-artifacts" | head -3
	echo "fuzz: new corpus inputs kept in $work/corpus"
	exit 1
fi
echo "fuzz: $secs s, no crash; $(ls "$work/corpus" | wc -l) new inputs"
if [ -n "${LYNCC_FUZZ_KEEP:-}" ]; then
	echo "      kept in $work/corpus; to add them to the committed corpus:"
	echo "      $bd/tests/fuzz/$target -merge=1 $corpus $work/corpus"
else
	rm -rf "$work"
fi
