#!/bin/sh
# valgrind.sh LYNCC - run the CLI on every example and every bad-input case
# under valgrind; any leak or memory error fails.
set -u
lyncc=$1
cd "$(dirname "$0")/.."
fail=0
run() {
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		"$lyncc" "$@" >/dev/null 2>/tmp/lyncc-vg.$$
	if [ $? -eq 99 ]; then
		echo "valgrind: errors in: lyncc $*"
		cat /tmp/lyncc-vg.$$
		fail=1
	fi
}
n=0
for f in examples/*.lync; do
	run ir "$f"; run check "$f"; run flows "$f" --format csv
	for t in asa srx nft f5 f5-as3 haproxy; do run "$f" -t "$t" -o /dev/null; done
	n=$((n + 1))
done
for f in tests/golden/*/*.lync; do run check "$f"; n=$((n + 1)); done
run flows --all
rm -f /tmp/lyncc-vg.$$
[ $fail -eq 0 ] && echo "valgrind: $n inputs, no leaks or memory errors"
exit $fail
