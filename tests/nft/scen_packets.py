#!/usr/bin/env python3
"""scen_packets.py [--lyncc PATH] [--dir tests/scenarios] [--known FILE]
                   [--update-known] [-v] [SCENARIO...]

The scenario expectations (tests/scenarios/*/expect.txt, written by hand
from the seed pages) answered a third way: by real packets through the
`-t nft` ruleset, loaded in network namespaces (packets.run_firewall: one
namespace per firewall and per zone of it).  The zones a packet enters and
leaves the named firewall by, and the real address of a public NAT
destination, come from tests/scenarios/eval.py's reading of the SITE FILE
(Site.zone_of, Site.path_hops), exactly as for the ASA and SRX readers; the
same packets are also answered by eval.py's ASA and SRX evaluators, so
every line that differs says who differs:

  DIFF SCENARIO FIREWALL SRC DST PROTO PORT: expected X, asa Y, srx Z, nft W

(DIFF lines with -v; SPLIT lines, always, where the two readers differ.)

Checks:
  - nft agrees with the expectation, unless tests/nft/KNOWN-FAILURES lists
    the packet (same format as tests/scenarios/KNOWN-FAILURES, target nft);
    a listed packet that now agrees fails too (the list only shrinks);
  - nft agrees with the ASA and SRX readers wherever those two agree with
    each other: the three renderings of one policy must not disagree
    (printed as DISAGREE; fails unless KNOWN-FAILURES lists it as
    "SCENARIO FIREWALL readers PACKET -- REASON");
  - the flow rules' counters hold exactly the delivered packets (each
    delivered connection counted once on some flow rule).
Exit 0 when all hold, 1 otherwise, 2 on a harness error.
"""
import argparse
import os
import signal
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "scenarios"))
import eval as scen  # noqa: E402  tests/scenarios/eval.py
import packets  # noqa: E402


def known_key(name, fw, pkt):
    return "%s %s nft %s" % (name, fw, pkt.key())


def prepare(args, name, tmp, diffs):
    """Compile a scenario's firewalls and list its packets: (site, texts,
    lines, packets), or None when lyncc refuses the site for nft (one
    difference, as in eval.py)."""
    sdir = os.path.join(args.dir, name)
    site_path = os.path.join(sdir, "site.lync")
    site = scen.Site(site_path)
    exp = scen.read_expect(os.path.join(sdir, "expect.txt"))
    texts = {}
    for fw in sorted({e[2] for e in exp}):
        for t in ("nft", "asa", "srx"):
            texts[(fw, t)], err = scen.compile_site(args.lyncc, site_path, fw, t, tmp)
            if texts[(fw, t)] is None and t == "nft":
                # as eval.py: a site the target refuses is one difference
                diffs["%s * nft compile" % name] = "%s: lyncc -t nft fails: %s" % (
                    name, err)
                return None
    # every packet of every firewall, each firewall with zone namespaces of
    # its own, all sent at once
    lines, pk, index = [], [], {}
    for no, verdict, fw, pkt, reason in exp:
        hops = site.path_hops(site.zone_of(pkt.src), site.zone_of(pkt.dst)) or []
        hop = [h for h in hops if h[0] == fw]
        if not hop:
            raise scen.ExpectError("%s expect.txt:%d: %s does not cross %s" % (
                name, no, pkt.key(), fw))
        _, izone, ezone = hop[0]
        key = (fw, pkt.key(), izone, ezone)
        if key not in index:
            real = site.real(pkt.dst)
            index[key] = len(pk)
            pk.append({"fw": name + "|" + fw, "src": str(site.real(pkt.src)), "dst": str(pkt.dst),
                       "real": str(real) if real != pkt.dst else None,
                       "proto": pkt.proto, "port": pkt.port, "sport": pkt.sport,
                       "src_zone": izone, "dst_zone": ezone})
        lines.append((no, verdict, fw, pkt, reason, izone, ezone, index[key]))
    return site, texts, lines, pk


def judge(args, name, prep, results, counters, diffs, stats):
    """Compare one scenario's answers; print what differs.  True if fine."""
    site, texts, lines, pk = prep
    ok = True
    fws = sorted({p["fw"].split("|", 1)[1] for p in pk
                  if p["fw"].startswith(name + "|")})
    for fw in fws:
        key = name + "|" + fw
        delivered = sum(1 for p, r in zip(pk, results)
                        if p["fw"] == key and r and r["result"] == "pass")
        if sum(counters[key].values()) != delivered:
            print("FAIL %s %s: the flow rules counted %d packets, %d were delivered"
                  % (name, fw, sum(counters[key].values()), delivered))
            ok = False
        print("scenario %s %s: %d packets sent (%d delivered), %d flow rules hit" %
              (name, fw, sum(1 for p in pk if p["fw"] == key), delivered,
               sum(1 for n in counters[key].values() if n)))
    for no, verdict, fw, pkt, reason, izone, ezone, i in lines:
        r = results[i]
        got = r["result"] if r else "error"
        if got == "error":
            print("ERROR %s %s %s: %s" % (name, fw, pkt.key(), r.get("why") if r
                                          else "no answer"))
            ok = False
        if got == "pass":
            want = {str(pkt.src), pk[i]["src"]} | {
                str(p) for p, real in site.nat.items() if str(real) == pk[i]["src"]}
            if r["seen"] not in want:
                print("FAIL %s %s %s: delivered, but the listener saw source %s"
                      % (name, fw, pkt.key(), r["seen"]))
                ok = False
        other = {}
        for t in ("asa", "srx"):
            if texts[(fw, t)] is None:
                other[t] = "compile-error"
                continue
            try:
                other[t] = scen.TARGETS[t](texts[(fw, t)], pkt, izone, ezone)
            except (scen.EvalError, KeyError, AttributeError, ValueError):
                other[t] = "error"
        stats["packets"] += 1
        ans = "asa %s, srx %s, nft %s" % (other["asa"], other["srx"], got)
        k = known_key(name, fw, pkt)
        if got != verdict:
            diffs[k] = "%s %s %s (%s->%s): expected %s, %s  [line %d: %s]" % (
                name, fw, pkt.key(), izone, ezone, verdict, ans, no, reason)
        if other["asa"] == other["srx"] != got and got != "error" and \
                other["asa"] in ("pass", "deny"):
            # listed in KNOWN-FAILURES as "SCENARIO FIREWALL readers PACKET"
            diffs["%s %s readers %s" % (name, fw, pkt.key())] = (
                "DISAGREE %s %s %s (%s->%s): expected %s, %s  [line %d]" % (
                    name, fw, pkt.key(), izone, ezone, verdict, ans, no))
            stats["disagree"] += 1
            stats["differ"].setdefault(name, set()).add("nft")
        elif other["asa"] != other["srx"]:
            stats["differ"].setdefault(name, set()).add("asa/srx")
            print("SPLIT %s %s %s (%s->%s): expected %s, %s  [line %d]" % (
                name, fw, pkt.key(), izone, ezone, verdict, ans, no))
        elif (other["asa"] != verdict or got != verdict) and args.verbose:
            print("DIFF %s %s %s: expected %s, %s" % (name, fw, pkt.key(),
                                                      verdict, ans))
    return ok


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--lyncc", default=os.environ.get("LYNCC", "lyncc"))
    ap.add_argument("--dir", default=os.path.join(HERE, "..", "scenarios"))
    ap.add_argument("--known", default=os.path.join(HERE, "KNOWN-FAILURES"))
    ap.add_argument("--update-known", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args(argv[1:])
    known = scen.read_known(args.known)
    names = args.scenarios or sorted(
        d for d in os.listdir(args.dir)
        if os.path.isfile(os.path.join(args.dir, d, "site.lync")))
    diffs, stats = {}, {"packets": 0, "disagree": 0, "differ": {}}
    ok = True
    # every scenario's firewalls in one network (each firewall with zone
    # namespaces of its own), so that all packets wait out one timeout
    preps, rulesets, pk, nat = {}, {}, [], set()
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            try:
                preps[name] = prepare(args, name, tmp, diffs)
            except (scen.ExpectError, OSError, ValueError) as e:
                print("ERROR %s: %s" % (name, e))
                return 2
    for name, prep in sorted(preps.items()):
        if prep is None:
            continue
        site, texts, lines, p = prep
        prep_off = len(pk)
        preps[name] = (site, texts, [l[:-1] + (l[-1] + prep_off,) for l in lines],
                       p, prep_off)
        pk += p
        for q in p:
            rulesets[q["fw"]] = texts[(q["fw"].split("|", 1)[1], "nft")]
        # a public NAT address is routed towards its real one per firewall
        nat |= {(str(a), str(b)) for a, b in site.nat.items()}
    try:
        results, counters = packets.run_site(rulesets, pk, nat=nat, isolate=True)
    except packets.NetError as e:
        print("ERROR: %s" % e)
        return 2
    for name, prep in sorted(preps.items()):
        if prep is None:
            continue
        site, texts, lines, p, off = prep
        ok &= judge(args, name, (site, texts, lines, pk), results, counters, diffs,
                    stats)
    covered = lambda k: k.split(" ")[0] in names  # noqa: E731
    new = sorted(k for k in diffs if k not in known)
    fixed = sorted(k for k in known if k not in diffs and covered(k))
    for k in new:
        print("FAIL %s%s" % ("" if diffs[k].startswith("DISAGREE") else "[nft] ",
                             diffs[k]))
    for k in fixed:
        print("FIXED (remove from %s line %d) %s -- %s" % (
            os.path.basename(args.known), known[k][1], k, known[k][0]))
    print("%d packets in %d scenarios through nft: %d differ from the expectation "
          "(%d known), %d new, %d fixed; %d packets where nft disagrees with both "
          "readers (counted among the differences)" % (
              stats["packets"], len(names), len(diffs), len(diffs) - len(new),
              len(new), len(fixed), stats["disagree"]))
    # agreement: the scenarios where the three renderings answer differently
    agree = [n for n in names if n in preps and preps[n] is not None and
             n not in stats["differ"]]
    print("agreement: the ASA reader, the SRX reader and nft packets give the same "
          "answer on every packet of %d of %d scenarios%s" % (
              len(agree), len(names), "".join(
                  "; %s differs (%s)" % (n, ", ".join(sorted(w)))
                  for n, w in sorted(stats["differ"].items()))))
    for n in names:
        if n not in agree and n not in stats["differ"]:
            print("agreement: %s not compared (lyncc -t nft refuses it)" % n)
    if args.update_known:
        with open(args.known, "w", encoding="utf-8") as f:
            f.write(scen.KNOWN_HEADER.replace(
                "today (tests/scenarios/eval.py)",
                "today, by real packets through -t nft\n# (tests/nft/scen_packets.py)")
                .replace("eval.py --update-known", "scen_packets.py --update-known"))
            reasons = {}
            for k, (r, _) in known.items():
                reasons[k] = r
            for k in sorted(diffs, key=scen.known_sort_key):
                f.write("%s -- %s\n" % (k, reasons.get(k) or
                                        asa_reason(k, args.dir) or "unclassified"))
        print("wrote %s" % args.known)
        return 0
    return 0 if ok and not new and not fixed else 1


def asa_reason(k, d):
    """The reason tests/scenarios/KNOWN-FAILURES gives the same packet on asa."""
    try:
        theirs = scen.read_known(os.path.join(d, "KNOWN-FAILURES"))
    except scen.ExpectError:
        return None
    w = k.split(" ")
    for t in ("asa", "srx"):
        w[2] = t
        r = theirs.get(" ".join(w))
        if r:
            return r[0]
    return None


if __name__ == "__main__":
    # a timeout's SIGTERM unwinds, so that run_site removes its namespaces
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    sys.exit(main(sys.argv))
