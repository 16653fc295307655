#!/bin/sh
# test.sh - the whole test suite, as CI runs it: install what is needed,
# build and run every test, then again under AddressSanitizer and
# UndefinedBehaviorSanitizer, then a valgrind leak check of the CLI.
set -eu
cd "$(dirname "$0")/.."
sh tools/deps.sh test
jobs=$(nproc)

echo "== build and test"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build -j"$jobs" >/dev/null
(cd build && ctest --output-on-failure -j"$jobs")

echo "== build and test with ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLYNCC_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
	ctest --output-on-failure -j"$jobs")

echo "== valgrind"
sh tests/valgrind.sh build/lyncc
