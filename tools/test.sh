#!/bin/sh
# test.sh [STAGE...] - the whole test suite, as CI runs it.  Warnings are
# errors here (LYNCC_WERROR=ON).  Stages, in order (default: all of them):
#   install     the README's "Install" commands verbatim, in a fresh copy of
#               the tree, installed under a temporary DESTDIR; then the
#               installed binary compiles an example
#   quickstart  `sh tools/quickstart.sh` in a fresh copy of the tree
#   package     `cpack -G DEB` of that Release build; as root dpkg -i, run the
#               installed /usr/bin/lyncc and man page, dpkg -r
#   gcc         gcc Debug build + ctest (build/)
#   clang       clang build + ctest (build-clang/)
#   asan        gcc ASan+UBSan build + ctest (build-asan/)
#   valgrind    tests/valgrind.sh on the gcc Debug binary
#   fuzz        the libFuzzer target under ASan+UBSan for LYNCC_FUZZ_SECONDS
#               (60) on tests/fuzz/corpus (build-fuzz/), then the import
#               target for 30 s on tests/fuzz/import-corpus
# Each stage prints its start time; the last line is ctest-style
# "100% tests passed, 0 tests failed out of N" when every stage passed.
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
sh tools/deps.sh test
jobs=$(nproc)
export LYNCC_WERROR=ON
stages=${*:-install quickstart package gcc clang asan valgrind fuzz}
t0=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
stage() { echo "== [$(($(date +%s) - t0))s] $*"; }
ok() { passed=$((passed + 1)); }
fail() { echo "test.sh: FAILED: $*" >&2; echo "0% tests passed, 1 tests failed: $*"; exit 1; }

# a fresh copy of the tree, as a user's clone has it (tracked and untracked
# files, no build directories)
copy_tree() {
	mkdir -p "$1"
	if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$src" ls-files -z -co --exclude-standard |
			grep -zv -e '^build' -e '^out/' | (cd "$src" && xargs -0 tar cf - --ignore-failed-read 2>/dev/null) |
			tar xf - -C "$1"
	else
		(cd "$src" && tar cf - --exclude='./build*' --exclude=./out .) | tar xf - -C "$1"
	fi
}

# the first indented block of a README section (its command lines),
# comments dropped
readme_block() {
	awk -v sec="$1" '
		/^## / { on = ($0 == "## " sec); next }
		on && /^    [^ ]/ { sub(/^    /, ""); sub(/[ \t]+#.*/, ""); print; got = 1; next }
		on && got && /^[^ ]/ { on = 0 }
	' "$src/README.md"
}

ctest_in() {	# ctest_in DIR [ctest args]: run the suite in a build directory
	d=$1; shift
	(cd "$d" && ctest --output-on-failure -j"$jobs" "$@") || fail "ctest in $d"
}

version=$(sed -n 's/^project(lyncc VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

for s in $stages; do
	case $s in
	install)
		stage "README install, verbatim, in a fresh copy (LYNCC_WERROR=ON)"
		copy_tree "$tmp/readme"
		readme_block Install >"$tmp/install.sh"
		grep -q 'cmake --install' "$tmp/install.sh" || fail "README has no Install block"
		sed 's/^/    /' "$tmp/install.sh"
		(cd "$tmp/readme" && DESTDIR="$tmp/root" sh -eux "$tmp/install.sh" >"$tmp/install.log" 2>&1) ||
			{ tail -30 "$tmp/install.log"; fail "README install"; }
		bin=$tmp/root/usr/local/bin/lyncc
		[ -x "$bin" ] || fail "no $bin after cmake --install"
		[ -f "$tmp/root/usr/local/share/man/man1/lyncc.1.gz" ] || fail "no man page installed"
		# CMAKE_INSTALL_PREFIX (GNUInstallDirs) is honoured too
		(cd "$tmp/readme" && cmake --install build --prefix "$tmp/prefix" >/dev/null) ||
			fail "cmake --install --prefix"
		for f in bin/lyncc share/man/man1/lyncc.1.gz share/doc/lyncc/copyright; do
			[ -f "$tmp/prefix/$f" ] || fail "--prefix: no $f"
		done
		if [ -f completions/lyncc.bash ]; then
			[ -f "$tmp/prefix/share/bash-completion/completions/lyncc" ] || fail "no bash completion installed"
		fi
		if [ -f completions/_lyncc ]; then
			[ -f "$tmp/prefix/share/zsh/vendor-completions/_lyncc" ] || fail "no zsh completion installed"
		fi
		"$bin" --version | grep -q "^lyncc $version " || fail "installed --version is not $version"
		"$bin" check examples/edge-hlb.lync || fail "installed lyncc check"
		mkdir -p "$tmp/inst-out"
		for t in asa srx f5; do
			"$bin" examples/edge-hlb.lync -t $t -o "$tmp/inst-out/" || fail "installed lyncc -t $t"
			ls "$tmp/inst-out" | grep -q "\.$t\." || fail "installed lyncc wrote no $t config"
		done
		echo "install: $(ls "$tmp/inst-out" | wc -l) files from the installed binary"
		ok ;;
	quickstart)
		stage "quick start: sh tools/quickstart.sh, in a fresh copy"
		copy_tree "$tmp/qs"
		(cd "$tmp/qs" && sh tools/quickstart.sh) || fail "quickstart"
		for t in asa srx f5; do
			ls "$tmp/qs/out/edge-hlb/" | grep -q "\.$t\." || fail "quickstart wrote no $t config"
		done
		ok ;;
	package)
		stage "Debian package: cpack -G DEB"
		[ -d "$tmp/readme/build" ] || fail "the package stage needs the install stage"
		(cd "$tmp/readme/build" && cpack -G DEB >"$tmp/cpack.log" 2>&1) ||
			{ tail -20 "$tmp/cpack.log"; fail "cpack"; }
		deb=$(ls "$tmp"/readme/build/lyncc_*.deb)
		dpkg-deb -c "$deb" >"$tmp/deb.list"
		want="./usr/bin/lyncc ./usr/share/man/man1/lyncc.1.gz ./usr/share/doc/lyncc/copyright"
		[ -f completions/lyncc.bash ] && want="$want ./usr/share/bash-completion/completions/lyncc"
		[ -f completions/_lyncc ] && want="$want ./usr/share/zsh/vendor-completions/_lyncc"
		for f in $want; do
			grep -q " $f\$" "$tmp/deb.list" || { cat "$tmp/deb.list"; fail "$f not in $deb"; }
		done
		if [ "$(id -u)" -eq 0 ] && ! dpkg-query -W lyncc >/dev/null 2>&1; then
			dpkg -i "$deb" >/dev/null || fail "dpkg -i"
			/usr/bin/lyncc --version | grep -q "^lyncc $version " || fail "packaged --version"
			/usr/bin/lyncc check examples/edge-hlb.lync || fail "packaged lyncc check"
			man -w lyncc >/dev/null 2>&1 || [ -f /usr/share/man/man1/lyncc.1.gz ] || fail "packaged man page"
			dpkg -r lyncc >/dev/null || fail "dpkg -r"
			echo "package: $(basename "$deb") installed, run and removed"
		else
			echo "package: $(basename "$deb") built; not installed (needs root and no lyncc package installed)"
		fi
		ok ;;
	gcc)
		stage "gcc Debug build and test"
		cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug -DLYNCC_WERROR=ON >/dev/null
		cmake --build build -j"$jobs" >/dev/null || fail "gcc build"
		ctest_in build
		ok ;;
	clang)
		stage "clang build and test"
		CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLYNCC_WERROR=ON >/dev/null
		cmake --build build-clang -j"$jobs" >/dev/null || fail "clang build"
		ctest_in build-clang
		ok ;;
	asan)
		stage "ASan+UBSan build and test"
		cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLYNCC_SANITIZE=ON -DLYNCC_WERROR=ON >/dev/null
		cmake --build build-asan -j"$jobs" >/dev/null || fail "ASan build"
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 ctest_in build-asan
		ok ;;
	valgrind)
		stage "valgrind"
		[ -x build/lyncc ] || fail "the valgrind stage needs the gcc stage"
		sh tests/valgrind.sh build/lyncc || fail valgrind
		ok ;;
	fuzz)
		stage "libFuzzer, ASan+UBSan, ${LYNCC_FUZZ_SECONDS:-60} s"
		sh tests/fuzz/run.sh build-fuzz "${LYNCC_FUZZ_SECONDS:-60}" || fail "fuzzer"
		stage "libFuzzer on lyncc import, ASan+UBSan, 30 s"
		sh tests/fuzz/run.sh build-fuzz 30 1 import || fail "import fuzzer"
		ok ;;
	*)
		fail "unknown stage $s" ;;
	esac
done
stage "done"
echo "100% tests passed, 0 tests failed out of $passed"
