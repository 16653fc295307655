#!/usr/bin/env python3
"""update.py LYNCC SRCDIR TMP - the update path of the ASA and SRX configs.

For every example and tests/fw/sites/*.lync, version 2 of the site is
version 1 with an address, a VIP and the flows changed (the edits below,
written by hand).  Each firewall's v1 and v2 files are applied to
simulated devices (asa_reader.Device, srx_reader.Device) the way the
files' headers tell the operator to:

  ASA   apply v1; apply v2; apply the retire lines of v1 that v2 does not
        have (grep/sort/comm, as in the header).  The device must then
        hold exactly what a fresh device given only v2 holds: the same
        permits, NATs, objects, groups and ACLs, nothing of v1 left; the
        same file applied again changes nothing; rolling back (v1 again,
        then retire v2) gives exactly v1.
  SRX   load replace v1, then v2: the device must hold exactly v2's group
        and permit what v2 permits.

The same on a shared firewall (`shared;`) whose own configuration has an
unrelated rule (an ACL entry / a policy of the operator): after v1 and v2
that rule is still there, and the Lync part is exactly v2's.

On examples/edge-hlb.lync, packets written by hand from the seed tables
are checked on the updated devices: the moved VIP and node, and the
public IM flows v2 turns off.
"""
import ipaddress
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import asa_reader  # noqa: E402
import srx_reader  # noqa: E402

# v1 text -> v2 text, by site: (old, new) replacements, each must apply
EDITS = {
    "edge-hlb": [("vip access 203.0.113.10;", "vip access 203.0.113.14;"),
                 ("node 2 < access 203.0.113.31;", "node 2 < access 203.0.113.41;"),
                 ("node 2 172.16.20.12;", "node 2 172.16.20.13;"),
                 ("features < sip-federation; public-im; >",
                  "features < sip-federation; >")],
    "director": [("node 1 192.0.2.40;", "node 1 192.0.2.41;"),
                 ("addresses from 192.0.2.16/29;", "addresses from 192.0.2.24/29;"),
                 ("node 1 172.18.0.10;", "node 1 172.18.0.11;"),
                 ("features < centralized-logging; >", "")],
    "edge-dns": [("vip 10.20.1.10;", "vip 10.20.1.9;"),
                 ("access 198.51.100.11;", "access 198.51.100.14;"),
                 ("features < sip-federation; xmpp-federation; centralized-logging; >",
                  "features < sip-federation; centralized-logging; >")],
    "federation": [("access 203.0.113.130;", "access 203.0.113.140;"),
                   ("vip 10.50.1.10;", "vip 10.50.1.9;"),
                   ("node 1 172.19.0.10;", "node 1 172.19.0.11;"),
                   ("features < sip-federation; xmpp-federation; public-im; >",
                    "features < sip-federation; xmpp-federation; >")],
    "internal-hlb": [("vip 10.40.1.10;", "vip 10.40.1.8;"),
                     ("node 1 10.40.1.41;", "node 1 10.40.1.45;"),
                     ("features < enterprise-voice; >", "")],
    "fw-nat-v6": [("access 172.16.0.21 nat 203.0.113.21", "access 172.16.0.25 nat 203.0.113.25"),
                  ("vip 10.20.1.10 2001:db8:20::10", "vip 10.20.1.9 2001:db8:20::9"),
                  ("features < sip-federation; >", "")],
}


class Fail(Exception):
    pass


def lyncc(exe, site, target, device, out):
    r = subprocess.run([exe, site, "-t", target, "--device", device, "-o", out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Fail("lyncc %s -t %s --device %s: %s" % (site, target, device, r.stderr))
    with open(out, encoding="utf-8") as f:
        return f.read()


def firewalls(exe, site):
    r = subprocess.run([exe, "ir", site], capture_output=True, text=True)
    if r.returncode != 0:
        raise Fail("lyncc ir %s: %s" % (site, r.stderr))
    return [d for d in json.loads(r.stdout)["devices"] if d["kind"] == "firewall"]


def retire(old, new):
    """The header's procedure: the !retire lines of old that new lacks,
    sorted (C locale), without the '!retire N ' prefix."""
    def lines(t):
        return sorted(set(l for l in t.split("\n") if l.startswith("!retire ")))
    keep = set(lines(new))
    return "".join(l[len("!retire 1 "):] + "\n" for l in lines(old) if l not in keep)


def asa_state(dev, closed=True):
    c = dev.config(closed=closed)
    return {"permits": c.permits, "nats": c.nats, "objects": dict(c.objects),
            "groups": {k: sorted(map(str, v)) for k, v in c.groups.items()},
            "services": {k: sorted(v) for k, v in c.services.items()},
            # with the remarks: the reader appends a remark each time one
            # is entered (as the ASA does), so an update or a re-apply
            # that re-adds an unchanged ACL's remarks differs here (R11)
            "acls": {k: list(v) for k, v in c.acls.items()},
            "bound": dict(c.access_groups)}


def same(what, a, b):
    if a != b:
        diff = []
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                x, y = a.get(k), b.get(k)
                if isinstance(x, dict) and isinstance(y, dict):
                    diff.append("%s: differ in %s" % (k, sorted(
                        n for n in set(x) | set(y) if x.get(n) != y.get(n))[:4]))
                elif isinstance(x, set) and isinstance(y, set):
                    xs, ys = set(x), set(y)
                    diff.append("%s: only in device %s; only in expected %s" %
                                (k, sorted(map(str, xs - ys))[:4],
                                 sorted(map(str, ys - xs))[:4]))
                else:
                    diff.append("%s differs" % k)
        raise Fail("%s: %s" % (what, "; ".join(diff)))


def fresh_asa(*texts):
    dev = asa_reader.Device()
    for i, t in enumerate(texts):
        dev.apply(t, strict=(i == 0))
    return dev


def check_asa(name, v1, v2):
    want = asa_state(fresh_asa(v2))
    dev = fresh_asa(v1)
    same(name + " asa v1", asa_state(dev), asa_state(fresh_asa(v1)))
    dev.apply(v2)
    dev.apply(retire(v1, v2))
    same(name + " asa v1 -> v2", asa_state(dev), want)
    dev.apply(v2)
    dev.apply(retire(v2, v2))
    same(name + " asa v2 applied twice", asa_state(dev), want)
    dev.apply(v1)
    dev.apply(retire(v2, v1))
    same(name + " asa rollback to v1", asa_state(dev), asa_state(fresh_asa(v1)))
    if asa_state(fresh_asa(v1))["permits"] == want["permits"]:
        raise Fail(name + " asa: v2 permits the same as v1 (the edit changed nothing)")
    dev = fresh_asa(v1)
    dev.apply(v2)
    dev.apply(retire(v1, v2))
    return dev


# the operator's own configuration on a shared ASA: per interface, an ACL
# with an unrelated permit and the closing deny, bound to the interface
def asa_operator(zones):
    t = ["object network web-server", " host 198.18.9.80",
         "object-group network web-servers", " network-object object web-server",
         "object-group service web-http", " service-object tcp destination eq 80"]
    for z in zones:
        t += ["access-list %s_access_in extended permit object-group web-http any4 "
              "object-group web-servers" % z,
              "access-list %s_access_in extended deny ip any any" % z,
              "access-group %s_access_in in interface %s" % (z, z)]
    return "\n".join(t) + "\n"


def check_asa_shared(name, zones, v1, v2):
    base = asa_operator(zones)
    want = asa_state(fresh_asa(base, v2))
    dev = fresh_asa(base, v1)
    dev.apply(v2)
    dev.apply(retire(v1, v2))
    got = asa_state(dev)
    # the order of the Lync entries at the top of a shared ACL may differ
    # (v2's new entries go in above the ones v1 already had); what they
    # permit may not (compared with the permits)
    for st in (got, want):
        st["acl-entries"] = {k: sorted(v) for k, v in st.pop("acls").items()}
    same(name + " shared asa v1 -> v2", got, want)
    for z in zones:
        acl = dev.cfg.acls.get("%s_access_in" % z)
        if not acl or acl[-1] != ("extended", "deny", "ip", "any", "any"):
            raise Fail("%s shared asa: %s_access_in lost its own closing deny" % (name, z))
        if (z, "tcp", "any", ipaddress.ip_network("198.18.9.80/32"), 80, 80, "any") \
                not in got["permits"]:
            raise Fail("%s shared asa: the operator's rule on %s is gone" % (name, z))
        if got["bound"].get(z) != "%s_access_in" % z:
            raise Fail("%s shared asa: %s was rebound" % (name, z))


def srx_group(text):
    root = srx_reader._parse(text)
    return srx_reader.ET.tostring(srx_reader._copy(root.find("groups")))


def check_srx(name, v1, v2):
    dev = srx_reader.Device().load(v1, "replace").load(v2, "replace")
    want = srx_reader.read(v2)
    got = dev.config()
    if got.permits != want.permits or got.nats != want.nats:
        raise Fail("%s srx v1 -> v2: permits differ: extra %s, missing %s" % (
            name, sorted(map(str, got.permits - want.permits))[:3],
            sorted(map(str, want.permits - got.permits))[:3]))
    if srx_group(srx_reader.ET.tostring(dev.root).decode()) != srx_group(v2):
        raise Fail("%s srx: the group is not exactly v2's" % name)
    if srx_reader.read(v1).permits == want.permits:
        raise Fail(name + " srx: v2 permits the same as v1")
    return dev


def srx_operator(zones):
    zs = "".join("<security-zone><name>%s</name><interfaces><name>ge-0/0/%d.0</name>"
                 "</interfaces></security-zone>" % (z, i) for i, z in enumerate(zones))
    return ("<configuration><security><address-book><name>global</name><address>"
            "<name>web-server</name><ip-prefix>198.18.9.80/32</ip-prefix></address>"
            "</address-book><policies><policy><from-zone-name>%s</from-zone-name>"
            "<to-zone-name>%s</to-zone-name><policy><name>web-80</name><match>"
            "<source-address>any</source-address><destination-address>web-server"
            "</destination-address><application>web-http</application></match><then>"
            "<permit/></then></policy></policy></policies><zones>%s</zones>"
            "</security><applications><application><name>web-http</name><protocol>tcp"
            "</protocol><destination-port>80</destination-port></application>"
            "</applications></configuration>" % (zones[0], zones[1], zs))


def check_srx_shared(name, zones, v1, v2):
    base = srx_operator(zones)
    dev = srx_reader.Device(base).load(v1, "replace").load(v2, "replace")
    want = srx_reader.Device(base).load(v2, "replace").config()
    got = dev.config()
    if got.permits != want.permits:
        raise Fail("%s shared srx: permits differ from the operator's + v2's" % name)
    if (zones[0], zones[1], "tcp", "any", ipaddress.ip_network("198.18.9.80/32"), 80, 80,
            "any") not in got.permits:
        raise Fail("%s shared srx: the operator's policy is gone" % name)


def sport_ok(sp, sport):
    return sp == "any" or sp[0] <= sport <= sp[1]


def permitted_asa(cfg, ifc, proto, src, dst, port, sport):
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    for (i, p, ps, pd, lo, hi, sp) in cfg.permits:
        if i != ifc or p != proto or not lo <= port <= hi or not sport_ok(sp, sport):
            continue
        if ps != "any" and s not in ps:
            continue
        if isinstance(pd, tuple):
            if any(d in n for n in pd[1] if n.version == d.version):
                continue
        elif pd != "any" and d not in pd:
            continue
        return True
    return False


def permitted_srx(cfg, fz, tz, proto, src, dst, port, sport):
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    return any(f == fz and t == tz and p == proto and lo <= port <= hi and
               sport_ok(sp, sport) and
               (ps == "any" or s in ps) and (pd == "any" or d in pd)
               for (f, t, p, ps, pd, lo, hi, sp) in cfg.permits)


# examples/edge-hlb.lync after the update, fw-ext (internet | dmz-ext):
# (from, to, proto, src, dst, port, permitted, why)
EDGE_HLB = [
    ("internet", "dmz-ext", "tcp", "198.18.0.7", "203.0.113.14", 443, 40000, True,
     "Gg398739 t3 r3: any -> Access Edge VIP SIP/TLS 443 (the new VIP)"),
    ("internet", "dmz-ext", "tcp", "198.18.0.7", "203.0.113.10", 443, 40000, False,
     "the old VIP is no longer the Access Edge"),
    ("internet", "dmz-ext", "tcp", "198.51.100.5", "203.0.113.14", 5061, 40000, True,
     "Gg398739 t3 r4: federated partner -> Access Edge VIP SIP/MTLS 5061"),
    ("dmz-ext", "internet", "tcp", "203.0.113.23", "198.51.100.5", 443, 50000, True,
     "Gg398739 t1 r4 (PR 6011: source ports 50000-59999, to TCP 443): A/V Edge "
     "media to a federated partner"),
    ("dmz-ext", "internet", "udp", "203.0.113.23", "198.18.0.7", 3478, 50000, False,
     "v2 turns public IM off: A/V Edge media to an arbitrary public IM host "
     "(seed 002 'public IM connectivity') is gone; only federation partners remain"),
    ("dmz-ext", "internet", "tcp", "203.0.113.41", "198.18.0.7", 80, 40000, True,
     "Gg398739 t1 r1: Access Edge node -> any HTTP 80 (CRL), the moved node 2"),
    ("dmz-ext", "internet", "tcp", "203.0.113.31", "198.18.0.7", 80, 40000, False,
     "node 2's old address is no longer an Edge node"),
]


def main(argv):
    exe, src, tmp = argv[1], argv[2], argv[3]
    sites = sorted([os.path.join(src, "examples", f) for f in
                    os.listdir(os.path.join(src, "examples")) if f.endswith(".lync")] +
                   [os.path.join(src, "tests/fw/sites", f) for f in
                    os.listdir(os.path.join(src, "tests/fw/sites")) if f.endswith(".lync")])
    fail = 0
    for site in sites:
        name = os.path.basename(site)[:-5]
        if name not in EDITS:
            print("FAIL %s: no v2 edits in tests/fw/update.py" % name)
            fail = 1
            continue
        with open(site, encoding="utf-8") as f:
            v1 = f.read()
        v2 = v1
        for old, new in EDITS[name]:
            if old not in v2:
                print("FAIL %s: edit %r does not apply" % (name, old))
                fail = 1
            v2 = v2.replace(old, new)
        texts, variants = {"v1": v1, "v2": v2}, {}
        for shared in (False, True):
            for k in ("v1", "v2"):
                t = texts[k]
                if shared:
                    t = re.sub(r"^(firewall \S+ <)", r"\1 shared;", t, flags=re.M)
                p = os.path.join(tmp, "%s-%s%s.lync" % (name, k, "-shared" if shared else ""))
                with open(p, "w", encoding="utf-8") as f:
                    f.write(t)
                variants[k + ("s" if shared else "")] = p
        try:
            for fw in firewalls(exe, variants["v1"]):
                d, zones = fw["name"], [i["zone"] for i in fw["interfaces"]]
                out = lambda k, t: lyncc(exe, variants[k], t, d,  # noqa: E731
                                         os.path.join(tmp, "%s-%s-%s.%s" % (name, d, k, t)))
                asa = check_asa("%s/%s" % (name, d), out("v1", "asa"), out("v2", "asa"))
                srx = check_srx("%s/%s" % (name, d), out("v1", "srx"), out("v2", "srx"))
                check_asa_shared("%s/%s" % (name, d), zones, out("v1s", "asa"),
                                 out("v2s", "asa"))
                check_srx_shared("%s/%s" % (name, d), zones, out("v1s", "srx"),
                                 out("v2s", "srx"))
                if name == "edge-hlb" and d == "fw-ext":
                    ac, sc = asa.config(), srx.config()
                    for (fz, tz, proto, s, dd, port, sport, want, why) in EDGE_HLB:
                        a = permitted_asa(ac, fz, proto, s, dd, port, sport)
                        b = permitted_srx(sc, fz, tz, proto, s, dd, port, sport)
                        if a != want or b != want:
                            raise Fail("edge-hlb fw-ext after update: %s %s -> %s %s/%d: "
                                       "asa %s srx %s, want %s (%s)" % (
                                           fz, s, dd, proto, port, a, b, want, why))
                print("ok   %s/%s: v1 -> v2 leaves exactly v2 (asa, srx, shared)" %
                      (name, d))
        except (Fail, asa_reader.AsaError, srx_reader.SrxError) as e:
            print("FAIL %s" % e)
            fail = 1
    return fail


if __name__ == "__main__":
    sys.exit(main(sys.argv))
