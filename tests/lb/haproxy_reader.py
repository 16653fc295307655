#!/usr/bin/env python3
"""haproxy_reader.py IR.json DEVICE haproxy.cfg - check a generated
haproxy.cfg against the IR (haproxy -c checks the syntax; this checks that
every LB service of DEVICE is there with the documented settings).

For each service: a frontend that binds VIP:port and names a backend; that
backend has balance leastconn, one server per IR member on the member port
with `check port MONITOR`, `timeout server` = idle timeout, a stick-table
on src with the persistence timeout when persistence is source (none
otherwise), `cookie MS-WSMAN insert` for cookie persistence, and `source
0.0.0.0 usesrc clientip` exactly when the service keeps the client address.
A UDP service (HAProxy has none) must have no frontend and be named in the
file's NOT CARRIED comment (LYNC-W008).
Exit 0 when all is well, 1 with a message per problem.
"""
import ipaddress
import json
import sys


def sections(text):
    out = {}
    cur = None
    for line in text.split("\n"):
        s = line.split("#", 1)[0].rstrip()
        if not s.strip():
            continue
        if not line[0].isspace():
            w = s.split()
            cur = (w[0], w[1] if len(w) > 1 else "")
            out[cur] = []
        elif cur is not None:
            out[cur].append(s.split())
    return out


def fmt(a, port):
    ip = ipaddress.ip_address(a)
    return f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"


def main():
    ir = json.load(open(sys.argv[1]))
    dev = sys.argv[2]
    text = open(sys.argv[3]).read()
    sec = sections(text)
    errors = []
    svcs = [s for s in ir["lb_services"] if s["device"] == dev and
            s["protocol"] != "udp"]
    udp = [s for s in ir["lb_services"] if s["device"] == dev and
           s["protocol"] == "udp"]
    head = text.split("\nglobal\n", 1)[0].split("\n")
    if udp and "# NOT CARRIED: HAProxy cannot load-balance UDP, so this " \
            "file leaves out" not in head:
        errors.append("UDP services but no NOT CARRIED comment")
    for s in udp:
        if not any(l.startswith("#   %s: " % s["id"]) and
                   "VIP %s UDP %s -> " % (s["vip"], s["port"]) in l for l in head):
            errors.append(f"UDP service {s['id']} not listed as NOT CARRIED")
    fronts = {k[1]: v for k, v in sec.items() if k[0] == "frontend"}
    backs = {k[1]: v for k, v in sec.items() if k[0] == "backend"}
    binds = {}
    for name, lines in fronts.items():
        for w in lines:
            if w[0] == "bind":
                binds[w[1]] = name
    if len(fronts) != len(svcs) or len(backs) != len(svcs):
        errors.append(f"{len(fronts)} frontends, {len(backs)} backends for "
                      f"{len(svcs)} services")
    for s in svcs:
        what = f"{s['id']} ({s['vip']} {s['port']})"
        fe = binds.get(fmt(s["vip"], s["port"]))
        if fe is None:
            errors.append(f"{what}: no frontend binds it")
            continue
        fl = fronts[fe]
        be = [w[1] for w in fl if w[0] == "default_backend"]
        if not be or be[0] not in backs:
            errors.append(f"{what}: frontend {fe} has no backend")
            continue
        bl = backs[be[0]]
        idle = s["idle_timeout"] or 1800
        if ["timeout", "client", f"{idle}s"] not in fl:
            errors.append(f"{what}: timeout client is not {idle}s")
        if ["timeout", "server", f"{idle}s"] not in bl:
            errors.append(f"{what}: timeout server is not {idle}s")
        if ["balance", "leastconn"] not in bl:
            errors.append(f"{what}: not balance leastconn")
        servers = set()
        for w in bl:
            if w[0] == "server":
                if w[3:6] != ["check", "port", str(s["monitor_tcp_port"])]:
                    errors.append(f"{what}: server {w[1]} lacks check port "
                                  f"{s['monitor_tcp_port']}")
                servers.add(w[2])
        want = {fmt(m.split(":", 1)[1], s["member_port"]) for m in s["members"]}
        if servers != want:
            errors.append(f"{what}: servers {sorted(servers)}, IR {sorted(want)}")
        stick = [w for w in bl if w[0] in ("stick-table", "stick")]
        if s["persistence"] == "source":
            t = s["persistence_timeout"] or 1200
            if ["stick", "on", "src"] not in bl or not any(
                    w[0] == "stick-table" and f"{t}s" in w for w in bl):
                errors.append(f"{what}: no stick-table on src expiring after {t}s")
        elif stick:
            errors.append(f"{what}: persistence {s['persistence']} but a stick-table")
        if s["persistence"] == "cookie" and \
                ["cookie", "MS-WSMAN", "insert"] not in bl:
            errors.append(f"{what}: no 'cookie MS-WSMAN insert'")
        tp = any(w[0] == "source" and w[2:] == ["usesrc", "clientip"] for w in bl)
        if tp != s["transparent"]:
            errors.append(f"{what}: transparent source is {tp}, IR {s['transparent']}")
    for e in errors:
        print(f"haproxy_reader: {sys.argv[3]}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
