#!/bin/bash
# repo-checks-doc.sh - docs/checks.md and `lyncc explain` say the same about
# every check (one source: the check table, compiler/check.c, whose text
# docs/checks.md repeats):
#   - every check the binary knows (the list `lyncc explain` prints for an
#     unknown ID) has a "### ID: title" section and a summary table row, and
#     the docs list no check the binary does not know;
#   - the section title, the summary row's title and severity are
#     explain's first line "ID: title" and the ID's letter (E, W);
#   - the section's text (between "Severity:" and "Tests:") is explain's
#     text, word for word (white space and Markdown `code` marks aside).
# A self-test first feeds the comparison a changed word, so it can fail.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$LYNCC" explain LYNC-NONE >/dev/null 2>"$tmp/list"
awk '/^the checks are:/ { on = 1; next } on && /^  LYNC-/ { print $1 }' "$tmp/list" >"$tmp/ids"
[ "$(wc -l <"$tmp/ids")" -ge 30 ] || { echo "FAIL: no check list from lyncc explain"; exit 1; }
while read -r id; do
	"$LYNCC" explain "$id" >"$tmp/$id.txt" 2>&1 || { echo "FAIL: explain $id"; exit 1; }
done <"$tmp/ids"

compare() {	# CHECKS.MD
	python3 - "$1" "$tmp" <<'PY'
import os, re, sys
md = open(sys.argv[1]).read()
tmp = sys.argv[2]
ids = open(os.path.join(tmp, "ids")).read().split()
def norm(s):
    return re.sub(r"\s+", " ", s.replace("`", "")).strip()
bad = 0
def fail(msg):
    global bad
    print("FAIL: " + msg)
    bad = 1
secs = {}
for m in re.finditer(r"(?ms)^### (LYNC-[EW][0-9]{3}): ([^\n]*)\n(.*?)(?=^#{2,3} |\Z)", md):
    secs[m.group(1)] = (m.group(2), m.group(3))
rows = {}
for m in re.finditer(r"(?m)^\| (LYNC-[EW][0-9]{3}) \| (error|warning) \| ([^|]*) \|", md):
    rows[m.group(1)] = (m.group(2), m.group(3).strip())
for cid in sorted(set(secs) - set(ids)):
    fail("docs/checks.md describes %s, which lyncc does not know" % cid)
for cid in sorted(set(rows) - set(ids)):
    fail("docs/checks.md's summary lists %s, which lyncc does not know" % cid)
for cid in ids:
    out = open(os.path.join(tmp, cid + ".txt")).read()
    first, _, rest = out.partition("\n\n")
    text = rest.split("\nrule ")[0]	# the stdlib rule, if any, follows
    title = first.partition(": ")[2]
    if cid not in secs:
        fail("%s has no section in docs/checks.md" % cid)
        continue
    if secs[cid][0] != title:
        fail("%s: docs/checks.md's title %r is not explain's %r" % (cid, secs[cid][0], title))
    if cid not in rows:
        fail("%s has no row in docs/checks.md's summary table" % cid)
    else:
        sev = "error" if cid[5] == "E" else "warning"
        if rows[cid] != (sev, title):
            fail("%s: summary row %r is not (%r, %r)" % (cid, rows[cid], sev, title))
    paras = [p for p in re.split(r"\n\s*\n", secs[cid][1].strip())
             if not p.startswith("Severity:") and not p.startswith("Tests:")]
    doc = norm("\n".join(paras))
    if doc != norm(text):
        a, b = doc.split(" "), norm(text).split(" ")
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        fail("%s: docs/checks.md and explain differ from word %d: docs %r, explain %r" %
             (cid, i + 1, " ".join(a[i:i + 8]), " ".join(b[i:i + 8])))
sys.exit(bad)
PY
}

# self-test: a changed word in a copy of the docs is found
sed 's/^zone the side is placed in (checked/zone the pool is placed in (checked/' \
    "$SRCDIR/docs/checks.md" >"$tmp/changed.md"
if cmp -s "$SRCDIR/docs/checks.md" "$tmp/changed.md" || compare "$tmp/changed.md" >/dev/null; then
	echo "FAIL: self-test: a changed word in docs/checks.md was not found"
	exit 1
fi

compare "$SRCDIR/docs/checks.md" || exit 1
echo "ok: $(wc -l <"$tmp/ids") checks, docs/checks.md and lyncc explain agree"
