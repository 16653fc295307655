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

As a library: run_firewall(nft_text, packets, timeout) -> (results,
counters), packets being dicts with keys src, dst, proto ("tcp"/"udp"),
port, sport, ingress, egress (zone names) and optionally real (the address
the firewall translates dst to: where the listener sits).
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


def run_firewall(nft_text, packets, timeout=1.5, prefix=None):
    prefix = prefix or os.environ.get("NFT_NS_PREFIX") or "lnft%d" % os.getpid()
    ifaces = ruleset_ifaces(nft_text)
    table = ruleset_table(nft_text)
    zones = sorted(ifaces)
    run_firewall.n = getattr(run_firewall, "n", 0) + 1
    prefix = "%s-%d" % (prefix, run_firewall.n)
    fw = prefix + "-fw"
    zns = {z: "%s-z%d" % (prefix, i) for i, z in enumerate(zones)}
    # addresses: sources in the ingress zone, (real) destinations in the
    # egress zone
    placed = {}
    for p in packets:
        for addr, z in ((p["src"], p["ingress"]), (p.get("real") or p["dst"],
                                                   p["egress"])):
            if z not in zns:
                raise NetError("zone %s is not a leg of this firewall" % z)
            if placed.setdefault(addr, z) != z:
                raise NetError("address %s is in zones %s and %s" %
                               (addr, placed[addr], z))
    # one `ip -batch` per namespace
    cmds = {ns: ["link set dev lo up"] for ns in [fw] + list(zns.values())}
    for k, z in enumerate(zones, 1):
        ifn, zn = ifaces[z], zns[z]
        cmds[fw] += ["link add %s type veth peer name leg netns %s" % (ifn, zn),
                     "addr add 100.64.%d.1/30 dev %s" % (k, ifn),
                     "addr add fd00:64:%x::1/64 dev %s nodad" % (k, ifn),
                     "link set dev %s up" % ifn]
    for k, z in enumerate(zones, 1):
        cmds[zns[z]] += ["addr add 100.64.%d.2/30 dev leg" % k,
                         "addr add fd00:64:%x::2/64 dev leg nodad" % k,
                         "link set dev leg up",
                         "route add default via 100.64.%d.1" % k,
                         "route add default via fd00:64:%x::1" % k]
    for addr, z in sorted(placed.items()):
        k = zones.index(z) + 1
        if ipaddress.ip_address(addr).version == 6:
            cmds[zns[z]].append("addr add %s/128 dev lo nodad" % addr)
            cmds[fw].append("route add %s via fd00:64:%x::2" % (addr, k))
        else:
            cmds[zns[z]].append("addr add %s/32 dev lo" % addr)
            cmds[fw].append("route add %s via 100.64.%d.2" % (addr, k))
    made, procs = [], []
    tmp = tempfile.mkdtemp(prefix="lyncc-nft-")
    try:
        for ns in [fw] + [zns[z] for z in zones]:
            made.append(ns)
            sh("ip", "netns", "add", ns)
        # forwarding, and no reverse-path filter on the firewall
        sh("sh", "-c", "sysctl -qw net.ipv4.ip_forward=1 "
           "net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 "
           "net.ipv4.conf.default.rp_filter=0", ns=fw)
        for ns in [fw] + [zns[z] for z in zones]:
            sh("ip", "-n", ns, "-batch", "-", inp="\n".join(cmds[ns]) + "\n")
        sh("sh", "-c", "for f in /proc/sys/net/ipv4/conf/*/rp_filter; do "
           "echo 0 >$f; done", ns=fw)
        path = os.path.join(tmp, "fw.nft")
        with open(path, "w") as f:
            f.write(nft_text)
        sh("nft", "-f", path, ns=fw)
        # listeners
        for z in zones:
            specs = sorted({"%s,%s,%d" % (p["proto"], p.get("real") or p["dst"],
                                          p["port"])
                            for p in packets if p["egress"] == z})
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
        # senders, one per ingress zone, all at once
        senders = []
        for z in zones:
            mine = [[i, p["proto"], p["src"], p.get("sport", 40000), p["dst"], p["port"]]
                    for i, p in enumerate(packets) if p["ingress"] == z]
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
        counters = flow_counters(fw, table)
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
