#!/usr/bin/env python3
"""Cross-target check for load balancers: for every load balancer of a
site, the tmsh (-t f5), AS3 (-t f5-as3) and HAProxy (-t haproxy) outputs
must carry the same load-balanced services:

  (VIP, protocol, port) -> (members as address:port, monitor port,
                            persistence source|cookie|none, least-connections)

and the two F5 forms the same SNAT choice per service.  Each text is read
here from the vendor's syntax (tmsh through tests/lb/f5_reader.parse, AS3
as JSON, HAProxy's sections), not through lyncc's code.  A target that
refuses a device (HAProxy and UDP, LYNC-E017) is skipped with a note.

Usage: lb_diff.py LYNCC SITE.lync...   (exit 1 on any disagreement)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lb"))
import f5_reader  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "scenarios"))
import eval as E  # noqa: E402


def hostport(s):
    m = re.fullmatch(r"(?:/[^/]+/)?(\[?[0-9a-fA-F:.]+?\]?)[:.](\d+|any|\*)", s)
    if not m:
        raise ValueError("address:port %r" % s)
    return m.group(1).strip("[]"), m.group(2)


def read_f5(text):
    objs = f5_reader.parse(text)
    by = {(t, n): b for t, n, b, _ in objs}
    out = {}
    for t, n, b, _ in objs:
        if t != "ltm virtual" or "ip-forward" in b:
            continue
        ip, port = hostport(b["destination"])
        pool = by[("ltm pool", b["pool"])]
        members = frozenset(hostport(k) for k, _ in pool["members"])
        mon = by[("ltm monitor tcp", pool["monitor"])]["destination"].split(":")[1] \
            if "monitor" in pool else None
        persist = "none"
        for k, _ in b.get("persist", []):
            persist = "cookie" if ("ltm persistence cookie", k) in by else "source"
        sat = dict(b.get("source-address-translation", []))
        lb = pool.get("load-balancing-mode")
        out[(ip, b["ip-protocol"], port)] = (members, mon, persist,
                                            lb == "least-connections-member",
                                            sat.get("type") not in (None, "none"))
    return out


def read_as3(text):
    doc = json.loads(text)["declaration"]
    out = {}
    for tname, tenant in doc.items():
        if not isinstance(tenant, dict) or tenant.get("class") != "Tenant":
            continue
        for aname, app in tenant.items():
            if not isinstance(app, dict) or app.get("class") != "Application":
                continue
            for name, o in app.items():
                if not isinstance(o, dict) or not o.get("class", "").startswith("Service_") \
                        or o["class"] == "Service_Forwarding":
                    continue
                proto = {"Service_TCP": "tcp", "Service_UDP": "udp", "Service_HTTP": "tcp",
                         "Service_L4": o.get("layer4", "tcp")}[o["class"]]
                pool = app[o["pool"]]
                members = frozenset((a, str(m["servicePort"])) for m in pool["members"]
                                    for a in m["serverAddresses"])
                mon = None
                for m in pool.get("monitors", []):
                    mon = str(app[m["use"]]["targetPort"])
                persist = "none"
                for p in o.get("persistenceMethods", []):
                    pm = app[p["use"]]["persistenceMethod"] if isinstance(p, dict) else p
                    persist = "cookie" if "cookie" in pm else "source"
                for va in o["virtualAddresses"]:
                    out[(va, proto, str(o["virtualPort"]))] = (
                        members, mon, persist,
                        pool.get("loadBalancingMode") == "least-connections-member",
                        o.get("snat", "auto") != "none")
    return out


NC = re.compile(r"^#   \S+: .* VIP (\S+) UDP (\d+) -> members UDP (\d+): (.*)$")


def read_haproxy(text):
    secs = []
    out = {}
    for line in text.split("\n"):
        m = NC.match(line)
        if m:
            # a UDP service HAProxy cannot carry, listed with LYNC-W008:
            # accounted for, with its members, not silently dropped
            members = frozenset((a, m.group(3)) for a in m.group(4).split())
            out[(m.group(1), "udp", m.group(2))] = ("NOT CARRIED", members)
            continue
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if not line[0].isspace():
            secs.append((s.split(), []))
        elif secs:
            secs[-1][1].append(s.split())
    backends = {h[1]: body for h, body in secs if h[0] == "backend"}
    for h, body in secs:
        if h[0] != "frontend":
            continue
        binds = [w[1] for w in body if w[0] == "bind"]
        be = [w[1] for w in body if w[0] == "default_backend"][0]
        bb = backends[be]
        members, mon = set(), None
        for w in bb:
            if w[0] == "server":
                members.add(hostport(w[2]))
                if "port" in w:
                    mon = w[w.index("port") + 1]
        persist = "none"
        if any(w[:2] == ["stick", "on"] for w in bb):
            persist = "source"
        if any(w[0] == "cookie" for w in bb):
            persist = "cookie"
        lc = any(w[:2] == ["balance", "leastconn"] for w in bb)
        for b in binds:
            ip, port = hostport(b)
            out[(ip, "tcp", port)] = (frozenset(members), mon, persist, lc, None)
    return out


def main(argv):
    lyncc = argv[1]
    bad = 0
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for site in argv[2:]:
            r = subprocess.run([lyncc, "ir", site], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
            if r.returncode != 0:
                print("SKIP %s: %s" % (site, r.stderr.split("\n")[0]))
                continue
            for d in json.loads(r.stdout)["devices"]:
                if d["kind"] != "loadbalancer":
                    continue
                got = {}
                for t, rd in (("f5", read_f5), ("f5-as3", read_as3), ("haproxy", read_haproxy)):
                    txt, err = E.compile_site(lyncc, site, d["name"], t, tmp)
                    if txt is None:
                        print("skip %s %s -t %s: %s" % (os.path.basename(site), d["name"], t, err))
                        continue
                    got[t] = rd(txt)
                ref = got.get("f5")
                if ref is None:
                    continue
                for t, svc in got.items():
                    keys = set(ref) | set(svc)
                    for k in sorted(keys):
                        n += 1
                        a, b = ref.get(k), svc.get(k)
                        if a is None or b is None:
                            bad += 1
                            print("DIFF %s %s %s: service only in %s" % (
                                os.path.basename(site), d["name"], k, "f5" if b is None else t))
                            continue
                        if b is not None and b[0] == "NOT CARRIED":
                            if a[0] != b[1]:
                                bad += 1
                                print("DIFF %s %s %s: not carried by %s, members %s vs f5 %s" % (
                                    os.path.basename(site), d["name"], k, t, sorted(b[1]), sorted(a[0])))
                            continue
                        # HAProxy always proxies: no SNAT choice to compare
                        if t == "haproxy":
                            a, b = a[:4], b[:4]
                        if a != b:
                            bad += 1
                            print("DIFF %s %s %s: f5 %s, %s %s" % (
                                os.path.basename(site), d["name"], k, a, t, b))
    print("%d service comparisons, %d disagreements" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
