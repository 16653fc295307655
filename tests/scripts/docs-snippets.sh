#!/bin/bash
# docs-snippets.sh - every .lync example in README.md and docs/*.md
# compiles (issue 13: a documented form, `serves EDGEPOOL`, crashed and no
# test noticed).  An indented code block whose first statement is a .lync
# statement is an example (up to a shell command line in the same block):
# with a `site` statement it is checked as it is; a fragment (a pool, a
# party, devices, an include) is checked inside examples/edge-hlb.lync
# (plus two internal zones) with the example's own statements replacing
# those of the same kind and name.  `lyncc check`: the site's checks (a
# target's own limits, such as HAProxy and UDP, are the target goldens'
# business).  Errors fail the test; warnings do not.
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

def statements(text):
    """Top-level statements of a .lync text, each as (key, text)."""
    res, cur, depth = [], '', 0
    for line in text.split('\n'):
        code = re.sub(r'#.*', '', line)
        if not cur.strip() and not code.strip():
            continue
        cur += line + '\n'
        depth += code.count('<') - code.count('>')
        if depth == 0 and code.rstrip().endswith((';', '>')):
            w = cur.split()
            w = [x for x in re.sub(r'#.*', '', cur).split()]
            key = (w[0], w[2] if w[0] in ('edge', 'frontend', 'director', 'mediation',
                   'pchat', 'owa', 'rproxy') and len(w) > 2 else (w[1] if len(w) > 1 else ''))
            res.append((key, cur))
            cur = ''
    return res

base = open(os.path.join(src, 'examples', 'edge-hlb.lync')).read()
base += ('zone users internal < networks 10.20.0.0/16; >\n'
         'zone voice internal < networks 10.30.0.0/16; >\n'
         'router core < between corp users voice; >\n')
common = {}
for f in glob.glob(os.path.join(src, 'examples', 'policy-repo', 'common', '*.lync')):
    common[os.path.basename(f)] = [k for k, _ in statements(open(f).read())]
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
        # a shell command ends the example ("lyncc site.lync -o out/")
        for k, x in enumerate(b):
            if re.match(r'\s*(\$ |lyncc |sh |cmake |git )', x):
                b = b[:k]
                break
        words = [w for x in b for w in re.sub(r'#.*', '', x).split()]
        if not words or words[0] not in kw:
            continue
        n += 1
        snippet = '\n'.join(b) + '\n'
        name = '%s-%d' % (os.path.basename(f).replace('.md', ''), start)
        if 'site' not in [k[0] for k, _ in statements(snippet)]:
            mine = set(k for k, _ in statements(snippet))
            for inc in re.findall(r'include "([^"]*)"', snippet):
                mine |= set(common.get(os.path.basename(inc), []))
            # a fragment that declares load balancers replaces the base's
            # (a pool side has one load balancer)
            kinds = set(k[0] for k in mine)
            snippet = ''.join(t for k, t in statements(base) if k not in mine and
                              not (k[0] == 'loadbalancer' and 'loadbalancer' in kinds)) + snippet
        open(os.path.join(out, name + '.snippet'), 'w').write(snippet)
        open(os.path.join(out, name + '.where'), 'w').write('%s:%d' % (os.path.relpath(f, src), start))
if n == 0:
    print('docs-snippets: no .lync example found in the docs')
    sys.exit(1)
PY
fail=0
n=0
for s in "$tmp"/*.snippet; do
	where=$(cat "${s%.snippet}.where")
	n=$((n + 1))
	dir="$tmp/run-$n"
	mkdir -p "$dir/sites" "$dir/common"
	cp "$s" "$dir/sites/site.lync"
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
