#!/usr/bin/env python3
"""run_expect.py [--drop REGEX] LYNCC SITE.lync EXPECT - real packets for an
expectation file.  --drop deletes the ruleset's lines matching REGEX before
loading it (the test's proof that it can fail).

EXPECT lines (tests/nft/*.expect):

  pass|deny FIREWALL SRC DST tcp|udp PORT[,PORT...] [sport=N] in=ZONE out=ZONE
      [real=ADDR] [seen=ADDR] [flow=ID|ID...] REASON...

real=: the address a static NAT translates DST to (the listener's);
seen=: the source the listener must see (a static NAT's public address).

FIREWALL may be a path, FW1+FW2+...: those packets go through the whole
site at once (packets.run_site: every firewall of every path line, chained
through the zones they share; in= and out= are then the source's and the
destination's zones), and each firewall of the path must count the packet
once on flow=.

For each firewall named, compiles SITE with `LYNCC SITE -t nft --device FW`,
sends every packet for real (packets.run_firewall) and checks:
  - each packet is delivered (pass) or dropped (deny) as expected;
  - the flow rules' counters hold exactly the delivered packets: each
    delivered connection is counted once (its first packet; the rest are
    `ct state established`), so the sum over the flow rules equals the
    number of delivered packets, and every flow= named counts exactly the
    delivered packets naming it;
  - the listener saw the packet's own source address, or seen=.
Prints one line per packet that differs and a summary per firewall.
Exit 0 when all agree, 1 otherwise, 2 on a setup error.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import packets  # noqa: E402


def parse(path):
    out = []
    with open(path) as f:
        for no, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            w = line.split()
            if len(w) < 6 or w[0] not in ("pass", "deny") or w[4] not in ("tcp", "udp"):
                raise SystemExit("%s:%d: bad line" % (path, no))
            opts, rest = {}, []
            for x in w[6:]:
                k, eq, v = x.partition("=")
                if eq and k in ("sport", "in", "out", "real", "seen", "flow") and not rest:
                    opts[k] = v
                else:
                    rest.append(x)
            if "in" not in opts or "out" not in opts:
                raise SystemExit("%s:%d: needs in= and out=" % (path, no))
            for port in w[5].split(","):
                out.append({"expect": w[0], "fw": w[1], "src": w[2], "dst": w[3],
                            "proto": w[4], "port": int(port),
                            "sport": int(opts.get("sport", 40000)),
                            "ingress": opts["in"], "egress": opts["out"],
                            "real": opts.get("real"), "flow": opts.get("flow"),
                            "seen": opts.get("seen", w[2]),
                            "line": no, "why": " ".join(rest)})
    return out


def flow_count(counters, flows):
    """Packets counted on flow ID, or on any of A|B|..."""
    return sum(counters.get(f, 0) for f in flows.split("|"))


def show(p):
    return "%s %s -> %s %s/%d" % (p["fw"], p["src"], p["dst"], p["proto"], p["port"])


def check_firewall(lyncc, site, fw, pk, tmp, drop=None):
    text = compile_nft(lyncc, site, fw, tmp, drop)
    nat = {p["dst"]: p["real"] for p in pk if p["real"]}
    nat.update({p["seen"]: p["src"] for p in pk if p["seen"] != p["src"]})
    results, counters = packets.run_firewall(text, pk, nat=nat)
    ok = True
    delivered = 0
    per_flow = {}
    for p, r in zip(pk, results):
        got = r["result"] if r else "error"
        if got == "pass":
            delivered += 1
            if p["flow"]:
                per_flow[p["flow"]] = per_flow.get(p["flow"], 0) + 1
            if r["seen"] != p["seen"]:
                print("  %s: delivered, but the listener saw source %s" % (show(p),
                                                                          r["seen"]))
                ok = False
        if got != p["expect"]:
            print("  %s: expected %s, nft %s%s  (line %d: %s)" % (
                show(p), p["expect"], got, " (%s)" % r.get("why") if r and
                r.get("why") else "", p["line"], p["why"]))
            ok = False
    total = sum(counters.values())
    if total != delivered:
        print("  %s: flow rules counted %d packets, %d were delivered" % (fw, total,
                                                                         delivered))
        ok = False
    for fid, n in sorted(per_flow.items()):
        if flow_count(counters, fid) != n:
            print("  %s: flow %s counted %d, %d delivered packets name it" % (
                fw, fid, flow_count(counters, fid), n))
            ok = False
    hit = sorted(f for f, n in counters.items() if n)
    print("%s: %s (%d packets: %d pass, %d deny expected; flows hit: %s)" % (
        fw, "ok" if ok else "MISMATCH", len(pk),
        sum(p["expect"] == "pass" for p in pk), sum(p["expect"] == "deny" for p in pk),
        " ".join(hit) or "none"))
    return ok


def compile_nft(lyncc, site, fw, tmp, drop):
    path = os.path.join(tmp, fw + ".nft")
    r = subprocess.run([lyncc, site, "-t", "nft", "--device", fw, "-o", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise packets.NetError("lyncc -t nft --device %s: %s" % (fw, r.stderr.strip()))
    with open(path) as f:
        text = f.read()
    if drop:
        text = "".join(x for x in text.splitlines(True) if not re.search(drop, x))
    return text


def check_paths(lyncc, site, pk, tmp, drop=None):
    """The FW1+FW2 lines: the whole site at once."""
    fws = sorted({f for p in pk for f in p["fw"].split("+")})
    texts = {f: compile_nft(lyncc, site, f, tmp, drop) for f in fws}
    nat = {p["dst"]: p["real"] for p in pk if p["real"]}
    nat.update({p["seen"]: p["src"] for p in pk if p["seen"] != p["src"]})
    sp = [dict(p, src_zone=p["ingress"], dst_zone=p["egress"]) for p in pk]
    results, counters = packets.run_site(texts, sp, nat=nat)
    ok = True
    want = {f: {} for f in fws}
    crossings = 0
    for p, r in zip(pk, results):
        got = r["result"] if r else "error"
        if got != p["expect"]:
            print("  %s: expected %s, nft %s%s  (line %d: %s)" % (
                show(p), p["expect"], got, " (%s)" % r.get("why") if r and
                r.get("why") else "", p["line"], p["why"]))
            ok = False
        if got == "pass":
            if r["seen"] != p["seen"]:
                print("  %s: delivered, but the listener saw source %s" % (show(p),
                                                                          r["seen"]))
                ok = False
            for f in p["fw"].split("+"):
                crossings += 1
                if p["flow"]:
                    want[f][p["flow"]] = want[f].get(p["flow"], 0) + 1
    total = sum(sum(c.values()) for c in counters.values())
    if total != crossings:
        print("  site: the flow rules of %s counted %d packets; the delivered "
              "packets crossed them %d times" % (" ".join(fws), total, crossings))
        ok = False
    for f in fws:
        for fid, n in sorted(want[f].items()):
            if flow_count(counters[f], fid) != n:
                print("  %s: flow %s counted %d, %d delivered packets cross it" % (
                    f, fid, flow_count(counters[f], fid), n))
                ok = False
    print("site %s: %s (%d packets through %d chained firewalls, %d firewall "
          "crossings counted)" % (os.path.basename(site), "ok" if ok else "MISMATCH",
                                  len(pk), len(fws), total))
    return ok


def main(argv):
    drop = None
    if len(argv) == 6 and argv[1] == "--drop":
        drop = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) != 4:
        print(__doc__)
        return 2
    lyncc, site, expect = argv[1:]
    pk = parse(expect)
    paths = [p for p in pk if "+" in p["fw"]]
    pk = [p for p in pk if "+" not in p["fw"]]
    fws = []
    for p in pk:
        if p["fw"] not in fws:
            fws.append(p["fw"])
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for fw in fws:
            try:
                ok &= check_firewall(lyncc, site, fw, [p for p in pk if p["fw"] == fw],
                                     tmp, drop)
            except packets.NetError as e:
                print("%s: setup failed: %s" % (fw, e))
                return 2
        if paths:
            try:
                ok &= check_paths(lyncc, site, paths, tmp, drop)
            except packets.NetError as e:
                print("site: setup failed: %s" % e)
                return 2
    return 0 if ok else 1


if __name__ == "__main__":
    # a timeout's SIGTERM unwinds, so that run_site removes its namespaces
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    sys.exit(main(sys.argv))
