#!/bin/sh
# fuzz-smoke.sh - lyncc never crashes: feed it deterministic mutations of
# every example and golden case (byte flips, truncations, deletions,
# duplicated lines, deep nesting) of every example and 40 golden cases
# (a seeded sample) and require exit status 0 or 1 and no
# sanitizer report.  Bounded: a fixed number of inputs, a seeded generator.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$SRCDIR" "$tmp" <<'PY'
import os, random, sys, glob
src, out = sys.argv[1], sys.argv[2]
rnd = random.Random(20261121)
# every example and a fixed sample of 40 golden cases: a bounded run (the
# libFuzzer target, tests/fuzz/, does the long search; fuzz/corpus replays
# every golden case in every build)
goldens = sorted(glob.glob(os.path.join(src, "tests", "golden", "*", "*.lync")))
seeds = sorted(glob.glob(os.path.join(src, "examples", "*.lync"))) + \
    sorted(rnd.sample(goldens, min(40, len(goldens))))
n = 0
for path in seeds:
    data = open(path, "rb").read()
    for k in range(12):
        b = bytearray(data)
        op = k % 6
        if op == 0 and b:
            for _ in range(rnd.randint(1, 8)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
        elif op == 1:
            b = b[:rnd.randint(0, len(b))]
        elif op == 2 and b:
            i = rnd.randrange(len(b)); del b[i:i + rnd.randint(1, 40)]
        elif op == 3:
            lines = b.split(b"\n"); rnd.shuffle(lines); b = bytearray(b"\n".join(lines))
        elif op == 4:
            b += bytes(rnd.choice(b"<>;\"#ab1.:/-") for _ in range(64))
        else:
            b = bytearray(b"a <" * 5000 + b">" * 4000)
        open(os.path.join(out, "f%05d.lync" % n), "wb").write(bytes(b))
        n += 1
print(n, "inputs")
PY
fail=0
for f in "$tmp"/f*.lync; do
	for cmd in check ir; do
		"$LYNCC" $cmd "$f" >/dev/null 2>"$tmp/err"
		rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
			echo "FAIL: lyncc $cmd $(basename "$f") exited $rc"; head -5 "$tmp/err"
			cp "$f" "/tmp/lyncc-crash-$(basename "$f")"; fail=1
		elif grep -q -e "Sanitizer" -e "runtime error" "$tmp/err"; then
			echo "FAIL: sanitizer report on $(basename "$f")"; head -5 "$tmp/err"; fail=1
		fi
	done
done
[ $fail -eq 0 ] && echo "fuzz-smoke: no crashes"
exit $fail
