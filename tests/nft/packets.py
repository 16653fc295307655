#!/usr/bin/env python3
"""packets.py - real packets through a compiled nftables ruleset.

Builds, for one firewall, one network namespace for the firewall and one
per zone it has a leg in, joined by veth pairs (the firewall side named as
the ruleset's header says: `#   zone ZONE: IFNAME`), loads the ruleset with
`nft -f`, starts TCP and UDP listeners on the destination addresses in the
egress zones' namespaces, sends every packet from its source address in
the ingress zone's namespace, and reports for each packet whether it was
delivered ("pass": the TCP handshake completed, or the UDP datagram was
answered) or dropped ("deny": no answer within the timeout), plus the
packet counters of the ruleset's flow rules.

Addresses: every source and destination address of the packets sits on the
zone namespace's loopback (/32 or /128).  The veth pair of leg K is
addressed 100.64.K.1/30 (firewall) and 100.64.K.2/30 (zone), and
fd00:64:K::1/64 / ::2/64: these exist only inside the namespaces.  Zone
namespaces route everything to the firewall; the firewall has a host route
to every address through the leg of its zone.

As a library: run_firewall(nft_text, packets, timeout, nat) -> (results,
counters), packets being dicts with keys src, dst, proto ("tcp"/"udp"),
port, sport, ingress, egress (zone names) and optionally real (the address
the firewall translates dst to: where the listener sits); nat maps public
addresses to real ones (for routing).  run_site(rulesets, ...) does the
same for several firewalls chained through the zones they share (packets
name src_zone and dst_zone instead).
Needs root, `ip` (iproute2) and `nft`.  Removes every namespace and process
it made, also on errors (try/finally; the shell caller adds a trap).

Internal modes (run inside a namespace by run_firewall):
  packets.py --serve SPEC...   SPEC = tcp|udp,ADDR,PORT; prints "ready"
  packets.py --send JSON       JSON = [[id, proto, src, sport, dst, port], ...]
"""
import ipaddress
import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.abspath(__file__)
TOKEN = b"lyncc-probe\n"


# ---------------------------------------------------------------- listener

def serve(specs, lifetime=120.0):
    """Listen on every spec; answer each TCP line / UDP datagram with the
    peer address it came from.  Exits after lifetime seconds."""
    socks = {}
    for spec in specs:
        proto, addr, port = spec.split(",")
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        if proto == "tcp":
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, int(port)))
            s.listen(64)
        else:
            s = socket.socket(fam, socket.SOCK_DGRAM)
            s.bind((addr, int(port)))
        s.setblocking(False)
        socks[s] = proto
    print("ready", flush=True)
    end = time.monotonic() + lifetime
    conns = {}
    while time.monotonic() < end:
        r, _, _ = select.select(list(socks) + list(conns), [], [], 0.5)
        for s in r:
            if s in conns:
                try:
                    data = s.recv(256)
                except OSError:
                    data = b""
                if data:
                    peer = conns[s]
                    try:
                        s.sendall(("seen %s %d\n" % (peer[0], peer[1])).encode())
                    except OSError:
                        pass
                s.close()
                del conns[s]
            elif socks[s] == "tcp":
                try:
                    c, peer = s.accept()
                except OSError:
                    continue
                c.setblocking(True)
                c.settimeout(2)
                conns[c] = peer
            else:
                try:
                    data, peer = s.recvfrom(256)
                    s.sendto(("seen %s %d\n" % (peer[0], peer[1])).encode(), peer)
                except OSError:
                    pass


# ------------------------------------------------------------------ sender

def probe(p, timeout, out):
    pid, proto, src, sport, dst, port = p
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    res = {"id": pid, "result": "deny", "seen": None}
    try:
        s.bind((src, sport))
        s.settimeout(timeout)
        if proto == "tcp":
            try:
                s.connect((dst, port))
            except socket.timeout:
                out.append(res)
                return
            s.sendall(TOKEN)
            data = s.recv(256)
        else:
            s.connect((dst, port))
            s.send(TOKEN)
            try:
                data = s.recv(256)
            except socket.timeout:
                out.append(res)
                return
        m = re.match(rb"seen (\S+) (\d+)", data)
        res["result"] = "pass" if m else "error"
        res["seen"] = m.group(1).decode() if m else None
        if not m:
            res["why"] = "unexpected answer %r" % data
    except OSError as e:
        # a refusal or an ICMP error means the test network is wrong
        # (a policy drop is silent)
        res["result"] = "error"
        res["why"] = str(e)
    finally:
        s.close()
    out.append(res)


def send(packets, timeout):
    out = []
    threads = [threading.Thread(target=probe, args=(p, timeout, out)) for p in packets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout + 5)
    print(json.dumps(out), flush=True)


# -------------------------------------------------------------- the network

class NetError(Exception):
    pass


def sh(*args, ns=None, check=True, inp=None):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    r = subprocess.run(cmd, input=inp, capture_output=True, text=True, timeout=30)
    if check and r.returncode != 0:
        raise NetError("%s: %s" % (" ".join(cmd), (r.stderr or r.stdout).strip()))
    return r.stdout


def ruleset_ifaces(text):
    """zone -> interface, from the ruleset's header."""
    m = dict(re.findall(r"^#   zone (\S+): (\S+)$", text, re.M))
    if not m:
        raise NetError("the ruleset's header names no interfaces")
    return m


def ruleset_table(text):
    m = re.search(r"^table inet (\S+) \{$", text, re.M)
    if not m:
        raise NetError("no `table inet NAME {` in the ruleset")
    return m.group(1)


def flow_counters(fw_ns, table):
    """flow ID -> packets counted by its rules (comments "ID: ..." / "ID")."""
    data = json.loads(sh("nft", "-j", "list", "table", "inet", table, ns=fw_ns))
    counts = {}
    for item in data["nftables"]:
        rule = item.get("rule")
        if not rule or rule.get("chain") != "lyncc_forward" or "comment" not in rule:
            continue
        fid = re.split(r"[: ]", rule["comment"], maxsplit=1)[0]
        if not any("accept" in e for e in rule["expr"]):
            continue
        for e in rule["expr"]:
            if "counter" in e:
                counts[fid] = counts.get(fid, 0) + e["counter"]["packets"]
    return counts


def run_firewall(nft_text, packets, timeout=1.5, nat=None):
    """One firewall: sources in its ingress zone's namespace, destinations in
    the egress zone's (packets name them "ingress" and "egress")."""
    pk = [dict(p, src_zone=p["ingress"], dst_zone=p["egress"]) for p in packets]
    results, counters = run_site({"fw": nft_text}, pk, timeout, nat)
    return results, counters["fw"]


def _next_hops(nodes, adj, target):
    """node -> its neighbour one step closer to target (BFS, sorted)."""
    nxt, queue, seen = {}, [target], {target}
    while queue:
        q = []
        for n in queue:
            for m in sorted(adj[n]):
                if m not in seen:
                    seen.add(m)
                    nxt[m] = n
                    q.append(m)
        queue = q
    return nxt


def run_site(rulesets, packets, timeout=1.5, nat=None):
    """Several firewalls (name -> ruleset text) joined through the zones
    their legs share; every packet's source sits in its src_zone's
    namespace, its (real) destination in its dst_zone's, and zone
    namespaces forward, so a packet crosses every firewall between the two
    zones.  nat maps public addresses to real ones: a public address is
    routed towards its real address's zone (through the firewall that
    translates it).  Returns (results, {firewall: {flow ID: packets}})."""
    prefix = os.environ.get("NFT_NS_PREFIX") or "lnft%d" % os.getpid()
    run_site.n = getattr(run_site, "n", 0) + 1
    prefix = "%s-%d" % (prefix, run_site.n)
    fws = sorted(rulesets)
    ifaces = {f: ruleset_ifaces(rulesets[f]) for f in fws}
    tables = {f: ruleset_table(rulesets[f]) for f in fws}
    zones = sorted({z for f in fws for z in ifaces[f]})
    fns = {f: "%s-f%d" % (prefix, i) for i, f in enumerate(fws)}
    zns = {z: "%s-z%d" % (prefix, i) for i, z in enumerate(zones)}
    # links: leg L of firewall f in zone z; f side .1, zone side .2
    links = {}
    adj = {n: set() for n in list(fns.values()) + list(zns.values())}
    for f in fws:
        for z in sorted(ifaces[f]):
            links[(fns[f], zns[z])] = len(links) + 1
            adj[fns[f]].add(zns[z])
            adj[zns[z]].add(fns[f])

    def gw(here, there, v6):
        """the address of `there` on its link with `here`"""
        key = (here, there) if (here, there) in links else (there, here)
        k = links[key]
        side = 1 if there in fns.values() else 2
        return ("fd00:64:%x::%d" if v6 else "100.64.%d.%d") % (k, side)

    # addresses: sources in src_zone, (real) destinations in dst_zone
    placed = {}
    for p in packets:
        for addr, z in ((p["src"], p["src_zone"]), (p.get("real") or p["dst"],
                                                    p["dst_zone"])):
            if z not in zns:
                raise NetError("zone %s is not a leg of any firewall" % z)
            if placed.setdefault(addr, z) != z:
                raise NetError("address %s is in zones %s and %s" %
                               (addr, placed[addr], z))
    routed = dict(placed)
    for pub, real in sorted((nat or {}).items()):
        if real in placed and pub not in placed:
            routed[pub] = placed[real]
    # one `ip -batch` per namespace
    cmds = {ns: ["link set dev lo up"] for ns in adj}
    for (fn, zn), k in sorted(links.items(), key=lambda x: x[1]):
        f = [x for x in fws if fns[x] == fn][0]
        z = [x for x in zones if zns[x] == zn][0]
        ifn = ifaces[f][z]
        cmds[fn] += ["link add %s type veth peer name l%d netns %s" % (ifn, k, zn),
                     "addr add 100.64.%d.1/30 dev %s" % (k, ifn),
                     "addr add fd00:64:%x::1/64 dev %s nodad" % (k, ifn),
                     "link set dev %s up" % ifn]
    for (fn, zn), k in sorted(links.items(), key=lambda x: x[1]):
        cmds[zn] += ["addr add 100.64.%d.2/30 dev l%d" % (k, k),
                     "addr add fd00:64:%x::2/64 dev l%d nodad" % (k, k),
                     "link set dev l%d up" % k]
    for addr, z in sorted(routed.items()):
        v6 = ipaddress.ip_address(addr).version == 6
        if addr in placed:
            cmds[zns[z]].append("addr add %s/%d dev lo%s" % (
                addr, 128 if v6 else 32, " nodad" if v6 else ""))
        for n, m in sorted(_next_hops(adj, adj, zns[z]).items()):
            cmds[n].append("route add %s via %s" % (addr, gw(n, m, v6)))
    made, procs = [], []
    tmp = tempfile.mkdtemp(prefix="lyncc-nft-")
    try:
        for ns in sorted(adj):
            made.append(ns)
            sh("ip", "netns", "add", ns)
        # every namespace forwards (a zone may be a transit between two
        # firewalls); no reverse-path filter
        for ns in sorted(adj):
            sh("sh", "-c", "sysctl -qw net.ipv4.ip_forward=1 "
               "net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 "
               "net.ipv4.conf.default.rp_filter=0", ns=ns)
        for ns in [fns[f] for f in fws] + [zns[z] for z in zones]:
            sh("ip", "-n", ns, "-batch", "-", inp="\n".join(cmds[ns]) + "\n")
        for f in fws:
            sh("sh", "-c", "for f in /proc/sys/net/ipv4/conf/*/rp_filter; do "
               "echo 0 >$f; done", ns=fns[f])
            path = os.path.join(tmp, "fw.nft")
            with open(path, "w") as fh:
                fh.write(rulesets[f])
            sh("nft", "-f", path, ns=fns[f])
        # listeners
        for z in zones:
            specs = sorted({"%s,%s,%d" % (p["proto"], p.get("real") or p["dst"],
                                          p["port"])
                            for p in packets if p["dst_zone"] == z})
            if not specs:
                continue
            pr = subprocess.Popen(["ip", "netns", "exec", zns[z], sys.executable, HERE,
                                   "--serve"] + specs, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
            procs.append(pr)
            r, _, _ = select.select([pr.stdout], [], [], 10)
            if not r or pr.stdout.readline().strip() != "ready":
                raise NetError("listener in zone %s did not start: %s" %
                               (z, pr.stderr.read() if pr.poll() is not None else ""))
        # senders, one per source zone, all at once
        senders = []
        for z in zones:
            mine = [[i, p["proto"], p["src"], p.get("sport", 40000), p["dst"], p["port"]]
                    for i, p in enumerate(packets) if p["src_zone"] == z]
            if mine:
                senders.append(subprocess.Popen(
                    ["ip", "netns", "exec", zns[z], sys.executable, HERE, "--send",
                     json.dumps(mine), str(timeout)], stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, text=True))
        results = [None] * len(packets)
        for s in senders:
            out, err = s.communicate(timeout=timeout + 30)
            if s.returncode != 0:
                raise NetError("sender failed: %s" % err.strip())
            for r in json.loads(out):
                results[r["id"]] = r
        counters = {f: flow_counters(fns[f], tables[f]) for f in fws}
        return results, counters
    finally:
        for pr in procs:
            pr.kill()
            pr.wait()
        for ns in reversed(made):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "--send":
        send(json.loads(sys.argv[2]), float(sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
