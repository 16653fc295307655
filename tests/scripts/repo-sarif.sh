#!/bin/bash
# repo-sarif.sh - `lyncc check --diagnostics-format=sarif` validates against
# the OASIS SARIF 2.1.0 JSON schema (vendored in tests/sarif/), on a site
# with errors, warnings and related locations, on a site with syntax errors,
# on a clean site, and on a file name that needs URI encoding.  Also checks
# that results carry a rule ID, a level and a line to annotate; that the
# tool's rules list every check of docs/checks.md (ID, name, short
# description, help text) with a helpUri whose anchor is that check's
# heading there, and every result's ruleId/ruleIndex names one of them; that
# --diagnostics-output=FILE writes the same log to FILE, nothing to stderr,
# also for a clean site; and that in an install (cmake --install with
# DESTDIR) every informationUri and helpUri resolves: the file exists in the
# installed documentation and the anchor is one of its headings.
#
# Needs python3 with jsonschema (Debian: python3-jsonschema).
# Env: LYNCC (the binary), SRCDIR (the source tree).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
schema=$SRCDIR/tests/sarif/sarif-schema-2.1.0.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "repo-sarif: python3 jsonschema is missing (apt-get install python3-jsonschema)"
	exit 1
fi

# validate FILE WANT_ERRORS WANT_WARNINGS WANT_RELATED
validate() {
	python3 - "$schema" "$@" <<'PY'
import json, sys
import jsonschema
schema_path, log_path, want_err, want_warn, want_rel, checks_md = sys.argv[1:7]
schema = json.load(open(schema_path))
jsonschema.Draft4Validator.check_schema(schema)
try:
    log = json.load(open(log_path))
except ValueError as e:
    print("%s: not JSON: %s" % (log_path, e)); sys.exit(1)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
for e in errors:
    print("%s: %s at %s" % (log_path, e.message, "/".join(map(str, e.absolute_path))))
if errors:
    sys.exit(1)
results = log["runs"][0]["results"]
levels = [r["level"] for r in results]
bad = 0
for r in results:
    if not r.get("ruleId"):
        print("%s: a result without ruleId" % log_path); bad = 1
    for l in r.get("locations", []):
        reg = l["physicalLocation"]["region"]
        if reg["startLine"] < 1 or reg["endColumn"] <= reg["startColumn"] - 1:
            print("%s: bad region %r" % (log_path, reg)); bad = 1
def need(what, n, want):
    global bad
    if want == "yes" and n == 0:
        print("%s: expected at least one %s" % (log_path, what)); bad = 1
    if want == "no" and n != 0:
        print("%s: expected no %s, got %d" % (log_path, what, n)); bad = 1
# the rules: every check heading of docs/checks.md, each with its anchor
import re
heads = [l[4:].strip() for l in open(checks_md) if l.startswith("### LYNC-")]
def anchor(h):	# GitHub's heading anchors
    return re.sub(r"[^a-z0-9 _-]", "", h.lower()).replace(" ", "-")
driver = log["runs"][0]["tool"]["driver"]
info = driver.get("informationUri", "")
if not re.match(r"(https?://[^/]|file:///)", info):
    print("%s: informationUri %r is not an absolute http(s) or file URI" % (log_path, info)); bad = 1
rules = driver.get("rules", [])
ids = [r["id"] for r in rules]
for h in heads:
    cid = h.split(":")[0]
    if cid not in ids:
        print("%s: check %s is not among the rules" % (log_path, cid)); bad = 1
        continue
    r = rules[ids.index(cid)]
    if not r.get("helpUri", "").endswith("/docs/checks.md#" + anchor(h)):
        print("%s: %s helpUri %r is not the heading %r" % (log_path, cid, r.get("helpUri"), h)); bad = 1
    if h != cid + ": " + r["shortDescription"]["text"]:
        print("%s: %s shortDescription differs from the heading %r" % (log_path, cid, h)); bad = 1
    if not r.get("name") or not r.get("help", {}).get("text"):
        print("%s: %s has no name or help" % (log_path, cid)); bad = 1
    want = "warning" if cid.startswith("LYNC-W") else "error"
    if r.get("defaultConfiguration", {}).get("level") != want:
        print("%s: %s default level is not %s" % (log_path, cid, want)); bad = 1
for res in results:
    if res["ruleId"] not in ids:
        print("%s: ruleId %s is not a rule" % (log_path, res["ruleId"])); bad = 1
    elif res.get("ruleIndex") != ids.index(res["ruleId"]):
        print("%s: ruleIndex of %s is not its rule" % (log_path, res["ruleId"])); bad = 1
need("error", levels.count("error"), want_err)
need("warning", levels.count("warning"), want_warn)
need("relatedLocation", sum(len(r.get("relatedLocations", [])) for r in results), want_rel)
sys.exit(bad)
PY
}

run() {	# NAME DIR FILE EXPECTED_RC WANT_ERRORS WANT_WARNINGS WANT_RELATED [ARGS...]
	local name=$1 dir=$2 file=$3 want_rc=$4 e=$5 w=$6 r=$7 rc
	shift 7
	(cd "$dir" && "$LYNCC" check "$file" --diagnostics-format=sarif "$@") \
	    >"$tmp/$name.out" 2>"$tmp/$name.sarif"
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		echo "repo-sarif: $name: exit $rc, expected $want_rc"
		fail=1
	fi
	if [ -s "$tmp/$name.out" ]; then
		echo "repo-sarif: $name: check wrote to standard output"
		fail=1
	fi
	if validate "$tmp/$name.sarif" "$e" "$w" "$r" "$SRCDIR/docs/checks.md"; then
		echo "ok: $name"
	else
		fail=1
	fi
}

# errors (one with a related location), warnings
run findings "$SRCDIR/tests/sarif" findings.lync 1 yes yes yes
# the same with -Werror: the warnings become errors
run findings-werror "$SRCDIR/tests/sarif" findings.lync 1 yes no yes -Werror
# resolver errors: a duplicate name (note) and a misspelt property (hint)
printf 'site x;\nzone a internal;\nzone a external;\nfrontend pool fe < nodez 2; >\n' \
    >"$tmp/my site.lync"
run syntax "$tmp" "my site.lync" 1 yes no yes
# a clean example: an empty result list is still a valid log
run clean "$SRCDIR/examples" edge-hlb.lync 0 no no no

# --diagnostics-output=FILE: the same log in FILE, stderr and stdout empty,
# the exit status unchanged; a clean site still gets a (result-less) log
for c in "findings $SRCDIR/tests/sarif/findings.lync 1" "clean $SRCDIR/examples/edge-hlb.lync 0"; do
	set -- $c
	(cd "$(dirname "$2")" && "$LYNCC" check "$(basename "$2")" --diagnostics-format=sarif \
	    --diagnostics-output="$tmp/$1.file.sarif") >"$tmp/$1.file.out" 2>"$tmp/$1.file.err"
	rc=$?
	if [ "$rc" != "$3" ] || [ -s "$tmp/$1.file.out" ] || [ -s "$tmp/$1.file.err" ]; then
		echo "repo-sarif: $1 --diagnostics-output: exit $rc (want $3), or output on stdout/stderr"
		cat "$tmp/$1.file.err"
		fail=1
	elif ! cmp -s "$tmp/$1.sarif" "$tmp/$1.file.sarif"; then
		echo "repo-sarif: $1 --diagnostics-output differs from the log on stderr"
		fail=1
	else
		echo "ok: $1 --diagnostics-output"
	fi
done
# a file that cannot be written: exit 2
"$LYNCC" check "$SRCDIR/examples/edge-hlb.lync" --diagnostics-format=sarif \
    --diagnostics-output="$tmp/no/such/dir/x.sarif" 2>"$tmp/nodir.err"
rc=$?
if [ "$rc" != 2 ] || ! grep -q "cannot write" "$tmp/nodir.err"; then
	echo "repo-sarif: --diagnostics-output into a missing directory: exit $rc, expected 2"
	fail=1
else
	echo "ok: --diagnostics-output unwritable"
fi

# the URIs resolve in an install: DESTDIR=... cmake --install BUILDDIR, then
# the installed binary links its logs to its own documentation
if [ -n "${BUILDDIR:-}" ] && [ -f "$BUILDDIR/cmake_install.cmake" ]; then
	if ! DESTDIR="$tmp/root" cmake --install "$BUILDDIR" >"$tmp/install.log" 2>&1; then
		cat "$tmp/install.log"
		echo "repo-sarif: cmake --install failed"
		fail=1
	fi
	bin=$(find "$tmp/root" -path '*/bin/lyncc' -type f | head -1)
	if [ -z "$bin" ]; then
		echo "repo-sarif: no bin/lyncc under DESTDIR"
		fail=1
	else
		(cd "$SRCDIR/tests/sarif" && "$bin" check findings.lync --diagnostics-format=sarif) \
		    2>"$tmp/installed.sarif"
		python3 - "$tmp/installed.sarif" "$tmp/root" <<'PY' || fail=1
import json, re, sys, os, urllib.parse
log = json.load(open(sys.argv[1]))
root = sys.argv[2]
driver = log["runs"][0]["tool"]["driver"]
uris = [driver["informationUri"]] + [r["helpUri"] for r in driver["rules"]]
def anchor(h):
    return re.sub(r"[^a-z0-9 _-]", "", h.lower()).replace(" ", "-")
bad = 0
heads = {}
for u in uris:
    if u.startswith("https://") or u.startswith("http://"):
        continue	# a published build (-DLYNCC_HOMEPAGE_URL): not checked offline
    if not u.startswith("file:///"):
        print("installed: %r is not a file URI" % u); bad = 1; continue
    path, _, frag = u[len("file://"):].partition("#")
    path = urllib.parse.unquote(path)
    if not path.startswith(root + "/"):
        print("installed: %r is not in the install (%s)" % (u, root)); bad = 1; continue
    if not os.path.isfile(path):
        print("installed: %r names no file" % u); bad = 1; continue
    if frag:
        if path not in heads:
            heads[path] = {anchor(l.lstrip("#").strip()) for l in open(path) if l.startswith("#")}
        if frag not in heads[path]:
            print("installed: %r: no heading with that anchor" % u); bad = 1
n = len(uris)
if not bad:
    print("ok: %d URIs of the installed binary resolve in its documentation" % n)
sys.exit(bad)
PY
	fi
fi

exit $fail
