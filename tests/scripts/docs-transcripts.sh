#!/bin/bash
# docs-transcripts.sh - every `$ lyncc ...` session shown in README.md and
# docs/*.md prints what the documentation says it prints.  A block is an
# indented code block whose first line is `    $ lyncc ...` (continued
# with a trailing backslash); the rest of the block is the expected
# output.  A line `...` (indented or not) stands for any number of
# lines.  The commands run in a scratch copy of the repository's
# examples/: `sites/...` ones in examples/policy-repo, the rest at the top,
# where new/edge-hlb.lync is examples/edge-hlb.lync with the Edge's node 2
# moved to 172.16.20.13 (the change docs/policy-repos.md reviews).
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/new"
cp -r "$SRCDIR/examples" "$tmp/examples"
sed 's/node 2 172\.16\.20\.12;/node 2 172.16.20.13;/' "$SRCDIR/examples/edge-hlb.lync" >"$tmp/new/edge-hlb.lync"
cmp -s "$SRCDIR/examples/edge-hlb.lync" "$tmp/new/edge-hlb.lync" && { echo "FAIL: the node-2 edit did not apply"; exit 1; }
python3 - "$SRCDIR" "$tmp" "$LYNCC" <<'PY'
import glob, os, re, shlex, subprocess, sys
src, tmp, lyncc = sys.argv[1:4]
lyncc = os.path.abspath(lyncc)
files = [os.path.join(src, 'README.md')] + sorted(glob.glob(os.path.join(src, 'docs', '*.md')))
blocks = []
for f in files:
    lines = open(f, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        if lines[i].startswith('    $ lyncc '):
            start = i + 1
            cmd = lines[i][6:]
            while cmd.endswith('\\'):
                i += 1
                cmd = cmd[:-1] + ' ' + lines[i].strip()
            i += 1
            out = []
            while i < len(lines) and (lines[i].startswith('    ') or lines[i] == ''):
                out.append(lines[i][4:])
                i += 1
            while out and out[-1] == '':
                out.pop()
            blocks.append((os.path.relpath(f, src), start, cmd, out))
        else:
            i += 1

def match(exp, got):
    """exp lines against got lines, '...' matching any run of lines."""
    memo = {}
    def m(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(exp):
            r = j == len(got)
        elif exp[i].strip() == '...':
            r = any(m(i + 1, k) for k in range(j, len(got) + 1))
        else:
            r = j < len(got) and exp[i] == got[j] and m(i + 1, j + 1)
        memo[(i, j)] = r
        return r
    return m(0, 0)

bad = 0
if len(blocks) < 2:
    print('FAIL: expected at least the diff and query sessions of docs/policy-repos.md, found %d' % len(blocks))
    sys.exit(1)
for f, line, cmd, exp in blocks:
    argv = shlex.split(cmd)
    cwd = os.path.join(tmp, 'examples', 'policy-repo') if any(a.startswith('sites/') for a in argv) else tmp
    p = subprocess.run([lyncc] + argv[1:], cwd=cwd, capture_output=True, text=True)
    got = p.stdout.rstrip('\n').split('\n')
    if not match(exp, got):
        bad += 1
        print('FAIL: %s:%d: `%s` (exit %d) printed:' % (f, line, cmd, p.returncode))
        print('\n'.join('    ' + x for x in got[:60]))
        print(p.stderr[:400])
    else:
        print('ok: %s:%d: %s' % (f, line, cmd))
sys.exit(1 if bad else 0)
PY
