#!/usr/bin/env python3
"""check_citations.py [SEEDS_DIR] - does every seed row a `pass` line of
tests/scenarios/*/expect.txt cites document that packet's port and
protocol?  A guard against typos in the hand-written expectations: it
reads the seed pages themselves (Microsoft TechNet, one table row per
<tr>), so it runs only where they are (default /work/shared/seeds, or
$LYNCC_SEEDS); without them it says so and exits 0.

A line passes when one of the rows it cites (`Gg398739 t1 r9`,
`Gg398833 t2 r10-14`, `JJ205394 t1 r7, t3 r1`) names a port or port range
holding the packet's port, and does not name only the other protocol.
Lines citing only prose or a [SOURCE] are not checked.
"""
import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IDS = ("Gg398739", "Gg398833", "JJ205394", "JJ204648", "JJ618373")


def read_seeds(d):
    rows = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith(".txt"):
            continue
        t = open(os.path.join(d, f), encoding="utf-8").read()
        m = re.search(r"library/(\w+)\(", t)
        if not m:
            continue
        tid = m.group(1)
        for ti, body in enumerate(re.findall(r"<tbody>(.*?)</tbody>", t, re.S), 1):
            for ri, row in enumerate(re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S), 1):
                cells = [html.unescape(re.sub(r"<[^>]+>", " ", c))
                         for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                rows[(tid, ti, ri)] = cells
    return rows


def row_ports(cells):
    """The port numbers and ranges a row names (the role/port cells: the
    first, or for seed 001's tables the port column)."""
    text = " ".join(cells[:3])
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)          # 50,000
    text = text.replace("～", "-").replace("~", "-")
    out = []
    for a, b in re.findall(r"(?<![\d.])(\d{2,5})(?:\s*-\s*(\d{2,5}))?(?![\d.])", text):
        lo, hi = int(a), int(b or a)
        if 1 <= lo <= hi <= 65535:
            out.append((lo, hi))
    return out


def row_protos(cells):
    text = " ".join(cells[:4]).upper()
    tcp = "TCP" in text or "HTTP" in text or "DCOM" in text or "MTLS" in text
    udp = "UDP" in text
    return {"tcp"} if tcp and not udp else {"udp"} if udp and not tcp else {"tcp", "udp"}


def citations(reason):
    out = []
    tid = table = None
    for tok in re.findall(r"\br\d+(?:-\d+)?\b|\bt\d+\b|[A-Za-z]+\d+|[^\s,;:()]+", reason):
        if tok in IDS:
            tid, table = tok, None
        elif tid and re.fullmatch(r"t\d+", tok):
            table = int(tok[1:])
        elif tid and table and re.fullmatch(r"r\d+(?:-\d+)?", tok):
            a, _, b = tok[1:].partition("-")
            for r in range(int(a), int(b or a) + 1):
                out.append((tid, table, r))
        elif tok.startswith("[") or tok in ("and", "with", "prose"):
            continue
        elif tid and table and not re.fullmatch(r"r\d+.*", tok):
            tid = table = None
    return out


def main(argv):
    seeds = argv[1] if len(argv) > 1 else os.environ.get("LYNCC_SEEDS",
                                                         "/work/shared/seeds")
    if not os.path.isdir(seeds):
        print("check_citations: no seed pages at %s, skipped" % seeds)
        return 0
    sys.path.insert(0, HERE)
    import eval as E
    rows = read_seeds(seeds)
    bad = checked = 0
    for scen in sorted(os.listdir(HERE)):
        path = os.path.join(HERE, scen, "expect.txt")
        if not os.path.isfile(path):
            continue
        for no, verdict, fw, pkt, reason in E.read_expect(path):
            if verdict != "pass":
                continue
            cites = citations(reason)
            if not cites:
                continue
            checked += 1
            missing = [c for c in cites if c not in rows]
            if missing:
                print("%s:%d: cites %s t%d r%d, which the seed does not have" %
                      ((path, no) + missing[0]))
                bad += 1
                continue
            if not any(pkt.proto in row_protos(rows[c]) and
                       any(lo <= pkt.port <= hi for lo, hi in row_ports(rows[c]))
                       for c in cites):
                print("%s:%d: %s %d is in none of the rows it cites (%s)" %
                      (path, no, pkt.proto, pkt.port,
                       ", ".join("%s t%d r%d" % c for c in cites)))
                bad += 1
    print("check_citations: %d pass packets checked against their rows, %d wrong"
          % (checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
