#!/bin/sh
# deps.sh build|test - make sure Debian's packages for building (and, with
# "test", for the test suite) are installed.  As root it installs what is
# missing with apt-get; otherwise it prints the exact apt-get line and fails.
set -eu
build="build-essential cmake pkg-config flex bison libxml2-dev libcmocka-dev"
# test-only: the real haproxy (haproxy -c, live test), yanglint + xsltproc
# (Juniper's YANG models), python3 (independent test-side readers of the
# generated configs), python3-jsonschema (SARIF and F5 AS3 schemas), graphviz (dot),
# valgrind (leak check), socat and iproute2 (live tests), groff (man page),
# nftables (nft -c validates -t nft output; real packets through it in netns),
# zsh (zsh -n on completions/_lyncc)
# clang + libclang-rt-14-dev (the clang build and the libFuzzer target),
# time (GNU time: bench/run.sh), dpkg-dev and file (cpack -G DEB shlibdeps)
test="haproxy libyang2-tools xsltproc python3 python3-jsonschema graphviz valgrind socat iproute2 groff-base nftables zsh clang libclang-rt-14-dev time dpkg-dev file"
want=$build
[ "${1:-build}" = test ] && want="$build $test"
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "deps: missing packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 2
fi
