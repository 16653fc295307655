#!/bin/sh
# stdlib-rows.sh - every row of every seed table is in the stdlib, with the
# right protocol, ports, endpoints (and so direction), conditions, source
# ports and citation (tests/stdlib/seed-rows.tsv, one line per seed row);
# and each feature switch adds exactly the flows that are conditional on it
# (a `default on` feature: turning it off removes exactly them).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$LYNCC" flows --all --format csv >"$tmp/flows.csv" || exit 1
"$LYNCC" flows --all --services >"$tmp/lb.csv" || exit 1
python3 - "$SRCDIR" "$tmp" "$LYNCC" <<'PY'
import csv, os, subprocess, sys
src, tmp, lyncc = sys.argv[1:4]
flows = {r["id"]: r for r in csv.DictReader(open(os.path.join(tmp, "flows.csv")))}
lbs = {r["id"]: r for r in csv.DictReader(open(os.path.join(tmp, "lb.csv")))}
fail = 0
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(src, "tests/stdlib/seed-rows.tsv"))]
expect = {"Gg398739": 33, "Gg398833": 91, "JJ205394": 37, "JJ204648": 9,
          "JJ618373": 10}
# How a reader finds a row: the page's TechNet ID (its front matter) and the
# table's position on the page (docs/sources.md); prose sections by name.
pages = {"Gg398739": ["external interface nodes", "internal interface nodes",
             "external interface VIP", "internal interface VIP"],
         "Gg398833": ["server ports by role", "HLB ports (HLB only)",
             "HLB ports (DNS LB)", "client ports"],
         "JJ205394": ["external interface nodes", "internal interface nodes",
             "federation", "public IM connectivity", "XMPP"],
         "JJ204648": ["single director"],
         "JJ618373": ["SIP federation", "public IM connectivity", "XMPP"]}
def cite_of(page, table, row):
    tables = pages[page]
    if table in tables:
        return "%s t%d r%s" % (page, tables.index(table) + 1, row)
    return "%s %s %s" % (page, table, row)
# A row the seed states unconditionally may hang on a `default on` feature
# (a switch that defaults as the seed does, issue 11): the tsv says `-`
# (read from the seed), the flow's `feature X` of a default-on X is left
# out of the comparison.  Which features default on is read from the
# stdlib's features.lync, not from the tsv.
import re
defon = set(re.findall(r"feature ([a-z0-9-]+) <[^>]*?default on;",
                       open(os.path.join(src, "stdlib/features.lync")).read(), re.S))
def seed_when(w):
    parts = [x for x in w.split("; ") if x and x.replace("feature ", "", 1) not in defon
             or not x.startswith("feature ")]
    return "; ".join(x for x in parts if x) or "-"
count = {}
for r in rows:
    if len(r) != 11:
        print("FAIL: malformed tsv line", r); fail = 1; continue
    f, table, row, kind, ident, proto, ports, frm, to, when, sports = r
    count[f] = count.get(f, 0) + 1
    cite = cite_of(f, table, row)
    if kind == "none":
        continue
    if kind == "flow":
        d = flows.get(ident)
        if d is None:
            print("FAIL: %s: no flow %s" % (cite, ident)); fail = 1; continue
        got = (d["proto"], d["ports"], d["from"], d["to"], seed_when(d["when"]),
               d["source_ports"] or "-")
        want = (proto, ports, frm, to, when, sports)
        if got != want:
            print("FAIL: %s: flow %s is %s, seed says %s" % (cite, ident, got, want)); fail = 1
    else:
        d = lbs.get(ident)
        if d is None:
            print("FAIL: %s: no lbservice %s" % (cite, ident)); fail = 1; continue
        got = (d["proto"], d["port"], d["vip"])
        if got != (proto, ports, to):
            print("FAIL: %s: lbservice %s is %s, seed says %s" % (cite, ident, got, (proto, ports, to))); fail = 1
    if cite not in d["citations"].split("; "):
        print("FAIL: %s is not cited by %s" % (cite, ident)); fail = 1
for f, n in expect.items():
    if count.get(f) != n:
        print("FAIL: %s has %d rows in the tsv, the seed has %d" % (f, count.get(f, 0), n)); fail = 1

# Feature switches: a site with everything, with and without each feature.
base = open(os.path.join(src, "examples/edge-hlb.lync")).read()
base = base.replace("features < sip-federation; public-im; >", "FEATURES")
base += "\nfrontend pool fe02 < nodes 1; zone corp; node 1 10.10.2.11; xmpp-gateway; mediation collocated; >\n"
base += "director pool dir < nodes 1; zone corp; node 1 10.10.3.11; >\n"
feats = sorted({w.split()[1] for r in flows.values() for w in r["when"].split("; ")
                if w.startswith("feature ") or w.startswith("no-feature ")})
def ids(features):
    p = os.path.join(tmp, "site.lync")
    # every feature named: on if listed, else off (default-on ones too)
    open(p, "w").write(base.replace("FEATURES", "features < %s >" % "".join(
        (x + "; ") if x in features else (x + " off; ") for x in feats)))
    out = subprocess.run([lyncc, "flows", p, "--format", "csv"], capture_output=True, text=True)
    if out.returncode != 0:
        print("FAIL: site with", features, out.stderr); sys.exit(1)
    return {r["id"] for r in csv.DictReader(out.stdout.splitlines())}
none = ids([])
allf = ids(feats)
for x in feats:
    on = ids([x])
    added = on - none
    cond = {i for i, r in flows.items() if "feature " + x in r["when"].split("; ")}
    # flows that need only this feature (and no other) must appear
    only = {i for i in cond if all(w == "feature " + x or not w.startswith("feature ")
                                   for w in flows[i]["when"].split("; ") if w)}
    if not added <= cond:
        print("FAIL: feature %s adds unconditional flows %s" % (x, sorted(added - cond))); fail = 1
    if not (only & allf) <= added:
        print("FAIL: feature %s does not add %s" % (x, sorted((only & allf) - added))); fail = 1
    negc = {i for i, r in flows.items() if "no-feature " + x in r["when"].split("; ")}
    if (none - on) - negc:
        print("FAIL: feature %s removes %s" % (x, sorted((none - on) - negc))); fail = 1
    off = ids([y for y in feats if y != x])
    if (allf - off) - cond:
        print("FAIL: turning %s off removes unrelated flows %s" % (x, sorted((allf - off) - cond))); fail = 1
print("stdlib rows: %d seed rows checked, %d features switched" % (len(rows), len(feats)))
sys.exit(fail)
PY
