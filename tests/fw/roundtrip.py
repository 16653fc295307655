#!/usr/bin/env python3
"""roundtrip.py IR.json DIR - does each firewall config permit exactly its flows?

IR.json is `lyncc ir SITE`; DIR holds DEVICE.asa.cfg and DEVICE.srx.xml for
every firewall of the site.  For each firewall, the flows that cross it
(the site's flows whose path names it, paired in order with the device's
"ID from->to" entries) are expanded to tuples

  ASA: (ingress zone, proto, src, dst, port_lo, port_hi, sport)
  SRX: (from zone, to zone, proto, src, dst, port_lo, port_hi, sport)
  (sport: "any", or the documented source port range)

(src/dst: each address, or "any"; tcp-udp counts as tcp and udp; address
pairs of different families are left out, as no packet has them), and
compared with what asa_reader / srx_reader compute from the config: nothing
missing, nothing extra.  The static NATs must match the device's too.
Exit 1 with the differences on any mismatch.
"""
import ipaddress
import json
import re
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import asa_reader  # noqa: E402
import srx_reader  # noqa: E402


def _addrs(ep):
    a = ep["addresses"]
    if a == "any":
        return ["any"]
    return [ipaddress.ip_network(x) for x in a]


def _compatible(s, d):
    if s == "any" or d == "any":
        return True
    return s.version == d.version


def asa_dst(ir, dev, to, d, s):
    """What an ASA ACE to "any" permits: the egress zone's networks when
    it has some, else any except the firewall's other legs' networks
    (SRX binds "any" by its zone pair instead)."""
    if d != "any":
        return [d]
    nets = {z["name"]: [ipaddress.ip_network(n) for n in z["networks"]]
            for z in ir["zones"]}
    if nets[to]:
        return [n for n in nets[to] if _compatible(s, n)]
    other = frozenset(n for i in dev["interfaces"] if i["zone"] != to
                      for n in nets[i["zone"]])
    return [("any-except", other)] if other else ["any"]


def expected(ir, dev):
    """(asa tuples, srx tuples, nats) for one firewall."""
    flows = [f for f in ir["flows"] if dev["name"] in f["path"]]
    entries = dev["flows"]
    if len(flows) != len(entries):
        raise SystemExit("%s: %d flows have it in their path but it lists %d" %
                         (dev["name"], len(flows), len(entries)))
    asa, srx = set(), set()
    for f, e in zip(flows, entries):
        fid, _, zones = e.partition(" ")
        frm, _, to = zones.partition("->")
        if fid != f["id"]:
            raise SystemExit("%s: flow order differs: %s vs %s" % (dev["name"], fid,
                                                                   f["id"]))
        protos = ["tcp", "udp"] if f["protocol"] == "tcp-udp" else [f["protocol"]]
        srcs, dsts = _addrs(f["source"]), _addrs(f["destination"])
        if srcs == ["any"] and dsts == ["any"]:
            raise SystemExit("%s: flow %s is any to any" % (dev["name"], fid))
        for p in protos:
            for s in srcs:
                for d in dsts:
                    if not _compatible(s, d):
                        continue
                    sp = "any" if not f.get("source_port_low") else \
                        (f["source_port_low"], f["source_port_high"])
                    for ad in asa_dst(ir, dev, to, d, s):
                        asa.add((frm, p, s, ad, f["port_low"], f["port_high"], sp))
                    srx.add((frm, to, p, s, d, f["port_low"], f["port_high"], sp))
    nats = set()
    for n in dev["static_nat"]:
        real, _, pub = n.partition(" -> ")
        nats.add((ipaddress.ip_address(real), ipaddress.ip_address(pub)))
    return asa, srx, nats


def _show(t):
    return " ".join(str(x) for x in t)


def compare(what, want, got):
    missing, extra = want - got, got - want
    for t in sorted(missing, key=_show):
        print("  %s: MISSING %s" % (what, _show(t)))
    for t in sorted(extra, key=_show):
        print("  %s: EXTRA   %s" % (what, _show(t)))
    return not missing and not extra


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    with open(argv[1]) as f:
        ir = json.load(f)
    ok = True
    for dev in ir["devices"]:
        if dev["kind"] != "firewall":
            continue
        asa_want, srx_want, nat_want = expected(ir, dev)
        base = os.path.join(argv[2], dev["name"])
        try:
            with open(base + ".asa.cfg", encoding="ascii") as f:
                text = f.read()
            asa = asa_reader.read(text)
            bound = set(asa.access_groups)
            # what the operator does for a zone without an interface in
            # the site: bind its ACL as the header says
            binds = re.findall(r"^! zone (\S+): no interface in the site; bind it "
                               r"with\n!   access-group (\S+) in interface NAMEIF$",
                               text, re.M)
            if binds:
                dev_sim = asa_reader.Device().apply(text, strict=True)
                dev_sim.apply("".join("access-group %s in interface %s\n" % (a, z)
                                      for z, a in binds))
                asa = dev_sim.config()
            with open(base + ".srx.xml", encoding="utf-8") as f:
                srx = srx_reader.read(f.read())
        except (asa_reader.AsaError, srx_reader.SrxError, OSError,
                UnicodeDecodeError) as e:
            print("%s: %s" % (dev["name"], e))
            ok = False
            continue
        good = compare("asa", asa_want, asa.permits)
        good &= compare("srx", srx_want, srx.permits)
        good &= compare("asa nat", nat_want, {(r, m) for (_, _, r, m) in asa.nats})
        good &= compare("srx nat", nat_want, {(r, p) for (_, p, r) in srx.nats})
        # every leg has an ACL (an interface without one would pass traffic
        # to lower security levels) and every zone is declared on the SRX
        zones = {i["zone"] for i in dev["interfaces"]}
        # bound: the zones the file defines an interface for (all of them
        # when it defines none: the nameifs are the zone names)
        named = {i["zone"] for i in dev["interfaces"] if i["ifname"]}
        good &= compare("asa access-group", named or zones, bound)
        good &= compare("srx zones", zones, set(srx.zones))
        # ACE and policy counts follow the flows (merged across pools), not
        # addresses x ports
        if asa.ace_count > len(dev["flows"]) or srx.policy_count > len(dev["flows"]):
            print("  %d flows but %d ACEs and %d policies" % (len(dev["flows"]),
                  asa.ace_count, srx.policy_count))
            good = False
        print("%s: %s (%d flows, %d asa tuples, %d srx tuples, %d NATs)" %
              (dev["name"], "ok" if good else "MISMATCH", len(dev["flows"]),
               len(asa.permits), len(srx.permits), len(nat_want)))
        ok &= good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
