#!/bin/bash
# docs-snippets.sh - every .lync example in README.md and docs/*.md
# compiles (issue 13: a documented form, `serves EDGEPOOL`, crashed and no
# test noticed).  An indented code block whose first statement is a .lync
# statement is an example: with a `site` statement it is checked as it is,
# every target's checks included; a fragment (a pool, a party, an include)
# is checked inside a small site with the zones and firewalls the examples
# use.  `lyncc check` (the site's checks; a target's own limits, such as
# HAProxy and UDP, are the target goldens' business).  Errors fail the
# test; warnings do not.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$SRCDIR" "$tmp" <<'PY' || exit 1
import glob, os, re, sys
src, out = sys.argv[1], sys.argv[2]
kw = {'site', 'domain', 'include', 'features', 'zone', 'edge', 'frontend',
      'director', 'mediation', 'pchat', 'owa', 'rproxy', 'party', 'firewall',
      'loadbalancer', 'router', 'narrow-any'}
n = 0
for f in [os.path.join(src, 'README.md')] + sorted(glob.glob(os.path.join(src, 'docs', '*.md'))):
    lines = open(f, encoding='utf-8').read().split('\n')
    blocks, cur, start, fence = [], [], 0, False
    for i, l in enumerate(lines + ['']):
        if l.startswith('```'):
            fence = not fence
            continue
        # an indented code block starts after a blank line (in markdown
        # it cannot continue a paragraph or a list item)
        if not fence and ((l.startswith('    ') and (cur or i == 0 or lines[i - 1].strip() == ''))
                          or (cur and l.strip() == '')):
            if not cur:
                start = i + 1
            cur.append(l[4:])
        elif cur:
            blocks.append((start, cur))
            cur = []
    for start, b in blocks:
        words = [w for x in b for w in re.sub(r'#.*', '', x).split()]
        if not words or words[0] not in kw:
            continue
        n += 1
        name = '%s-%d' % (os.path.basename(f).replace('.md', ''), start)
        open(os.path.join(out, name + '.snippet'), 'w').write('\n'.join(b) + '\n')
        open(os.path.join(out, name + '.where'), 'w').write('%s:%d' % (os.path.relpath(f, src), start))
if n == 0:
    print('docs-snippets: no .lync example found in the docs')
    sys.exit(1)
PY
# the context of a fragment: the zones and firewalls of the examples
cat >"$tmp/base.lync" <<'LYNC'
site docs-example;
domain contoso.com;
zone internet external;
zone dmz-ext perimeter < networks 203.0.113.0/24; >
zone dmz-int perimeter < networks 172.16.20.0/24; >
zone corp internal < networks 10.10.0.0/16; >
zone users internal < networks 10.20.0.0/16; >
zone voice internal < networks 10.30.0.0/16; >
firewall fw-ext < between internet dmz-ext; >
firewall fw-int < between dmz-int corp; >
router core < between corp users voice; >
LYNC
fail=0
n=0
for s in "$tmp"/*.snippet; do
	where=$(cat "${s%.snippet}.where")
	n=$((n + 1))
	dir="$tmp/run-$n"
	mkdir -p "$dir/sites" "$dir/common"
	if grep -q '^ *site ' "$s"; then
		cp "$s" "$dir/sites/site.lync"
	else
		cat "$tmp/base.lync" "$s" >"$dir/sites/site.lync"
	fi
	# includes of the docs name the policy repository's shared files
	cp "$SRCDIR"/examples/policy-repo/common/*.lync "$dir/common/"
	if ! (cd "$dir" && "$LYNCC" check sites/site.lync -I common) >"$dir/out" 2>&1; then
		echo "docs-snippets: the example at $where does not compile:"
		grep -v '^ *[0-9]* |\|^ *|' "$dir/out" | head -20
		fail=1
	fi
done
[ $fail = 0 ] && echo "docs-snippets: $n examples compile"
exit $fail
