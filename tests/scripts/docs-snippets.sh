#!/bin/sh
# docs-snippets.sh - every .lync example in README.md and docs/*.md compiles.
# An indented block whose first statement is a .lync statement is a snippet:
# a complete site (it has `site NAME;`) is checked as it is; a fragment is
# wrapped in a minimal site (site, the zones internet, dmz-ext, dmz-int,
# corp unless the fragment declares them, and a firewall on each side of the
# perimeter unless it has devices; a stdlib declaration - feature,
# flow, lbservice, rule - gets a fresh ID).  `lyncc check` must exit 0
# (warnings allowed).  A snippet meant to fail is marked in the doc by the
# line `<!-- lync: error -->` before it: then check must exit 1, with a
# diagnostic, and no crash.  Snippets that fail today because of a known
# bug are listed in XFAIL below (file:line): reported as XFAIL, and as a
# failure once they pass (XPASS), so that the list is kept true.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# known bugs: `loadbalancer X < serves EDGEPOOL; >` segfaults (issue 13,
# "Crash"; the harden helper fixes resolve_served)
XFAIL="docs/language.md:90"
python3 - "$SRCDIR" "$tmp" <<'PY'
import glob, os, re, sys
src, out = sys.argv[1], sys.argv[2]
kw = re.compile(r'^(site|domain|include|features|narrow-any|zone|party|firewall|router|'
                r'loadbalancer|feature|flow|lbservice|rule|(edge|frontend|director|mediation|'
                r'pchat|owa|rproxy) pool)\b')
docs = [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs", "*.md")))
n = 0
for path in docs:
    rel = os.path.relpath(path, src)
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("    ") and lines[i].strip() and (i == 0 or not lines[i - 1].strip()):
            start = i
            block = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            first = next((b.strip() for b in block if b.strip() and not b.strip().startswith("#")), "")
            if not kw.match(first):
                continue
            # the marker: the last non-blank line before the block
            j = start - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            expect = "error" if j >= 0 and lines[j].strip() == "<!-- lync: error -->" else "ok"
            text = "\n".join(block) + "\n"
            # a stdlib declaration (the stdlib has it already): a fresh ID
            text = re.sub(r'^(feature|flow|lbservice|rule)(\s+)([\w.-]+)',
                          lambda m: m.group(1) + m.group(2) + m.group(3) + "-docsnippet",
                          text, flags=re.M)
            if not re.search(r'^\s*site\s', text, re.M):
                declared = set(re.findall(r'^\s*zone\s+([A-Za-z][\w.-]*)\s+(?:external|perimeter|internal)\b',
                                          text, re.M))
                pre = ["site docs-snippet;"]
                for z, k in (("internet", "external"), ("dmz-ext", "perimeter"),
                             ("dmz-int", "perimeter"), ("corp", "internal")):
                    if z not in declared:
                        pre.append("zone %s %s;" % (z, k))
                if not re.search(r'^\s*(firewall|router)\s', text, re.M):
                    pre.append("firewall docs-fw-ext < between internet dmz-ext; >")
                    pre.append("firewall docs-fw-int < between dmz-int corp; >")
                text = "\n".join(pre) + "\n" + text
            n += 1
            name = "%03d" % n
            open(os.path.join(out, name + ".lync"), "w").write(text)
            open(os.path.join(out, name + ".where"), "w").write("%s:%d %s\n" % (rel, start + 1, expect))
            continue
        i += 1
print("docs-snippets: %d snippets" % n)
PY
fail=0
count=0
for f in "$tmp"/*.lync; do
	[ -f "$f" ] || continue
	count=$((count + 1))
	read -r where expect <"${f%.lync}.where"
	"$LYNCC" check "$f" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -gt 128 ] && echo "crash (signal $((rc - 128)))" >>"$tmp/err"
	xfail=0
	for x in $XFAIL; do [ "$x" = "$where" ] && xfail=1; done
	if [ "$expect" = error ]; then
		good=0; [ $rc -eq 1 ] && grep -q 'error' "$tmp/err" && good=1
	else
		good=0; [ $rc -eq 0 ] && good=1
	fi
	if [ $good -eq 1 ] && [ $xfail -eq 1 ]; then
		echo "XPASS: $where compiles now: remove it from XFAIL in $0"; fail=1
	elif [ $good -eq 1 ]; then
		:
	elif [ $xfail -eq 1 ]; then
		echo "XFAIL: $where (exit $rc; a known bug, listed in XFAIL)"
	else
		echo "FAIL: $where (expected $expect, lyncc check exited $rc):"
		head -8 "$tmp/err" | sed 's/^/    /'
		echo "  the snippet as checked:"; sed 's/^/    | /' "$f"
		fail=1
	fi
done
[ "$count" -gt 0 ] || { echo "FAIL: no .lync snippets found"; fail=1; }
[ $fail -eq 0 ] && echo "docs-snippets: $count snippets, each as documented"
exit $fail
