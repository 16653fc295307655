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

Listeners and probes are threads of this one process, each entering its
namespace with setns(2) (see InNetns), so nothing else runs inside.
"""
import ctypes
import ipaddress
import json
import os
import re
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = b"lyncc-probe\n"


# ------------------------------------------------- in-namespace sockets
#
# One process does all the talking: setns(2) with CLONE_NEWNET moves only
# the calling thread, and a socket stays in the namespace it was made in,
# so the listeners of every zone are made there and served by one thread,
# and each probe is a thread that makes its socket in its source zone.

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        raise NetError("setns: %s" % os.strerror(ctypes.get_errno()))


class InNetns:
    """with InNetns(NAME): the calling thread is in network namespace NAME."""

    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        self.back = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.ns, os.O_RDONLY)
        try:
            _setns(fd)
        finally:
            os.close(fd)

    def __exit__(self, *exc):
        try:
            _setns(self.back)
        finally:
            os.close(self.back)


def _sock(addr, proto):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    # several probes may share a source address and port, and a listener
    # may sit on it too (sport=50000 from an A/V address that also listens)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    return s


class Server:
    """Listeners on (proto, addr, port) in given namespaces; each TCP line
    or UDP datagram is answered with "seen ADDR PORT" of its peer."""

    def __init__(self):
        self.socks = {}
        self.conns = {}
        self.sel = selectors.DefaultSelector()  # epoll: no FD_SETSIZE limit
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def listen(self, ns, specs):
        with InNetns(ns):
            for proto, addr, port in specs:
                s = _sock(addr, proto)
                s.bind((addr, port))
                if proto == "tcp":
                    s.listen(128)
                s.setblocking(False)
                self.socks[s] = proto
                self.sel.register(s, selectors.EVENT_READ)

    def start(self):
        self.thread.start()

    def close(self):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(5)
        for s in list(self.socks) + list(self.conns):
            s.close()
        self.sel.close()

    def _run(self):
        while not self.stop.is_set():
            for key, _ in self.sel.select(0.2):
                try:
                    self._ready(key.fileobj)
                except OSError:
                    pass

    def _ready(self, s):
        if s in self.conns:
            peer = self.conns.pop(s)
            self.sel.unregister(s)
            try:
                if s.recv(256):
                    s.sendall(("seen %s %d\n" % (peer[0], peer[1])).encode())
            finally:
                s.close()
        elif self.socks[s] == "tcp":
            c, peer = s.accept()
            c.settimeout(2)
            self.conns[c] = peer
            self.sel.register(c, selectors.EVENT_READ)
        else:
            data, peer = s.recvfrom(256)
            s.sendto(("seen %s %d\n" % (peer[0], peer[1])).encode(), peer)


def probe(ns, p, timeout):
    """Send one packet from namespace ns: "pass" when answered, "deny" when
    nothing comes back in time, "error" for a refusal or an ICMP error (a
    policy drop is silent, so those mean the test network is wrong)."""
    res = {"result": "deny", "seen": None}
    try:
        with InNetns(ns):
            s = _sock(p["src"], p["proto"])
    except OSError as e:
        return {"result": "error", "seen": None, "why": str(e)}
    try:
        s.bind((p["src"], p.get("sport", 40000)))
        s.settimeout(timeout)
        try:
            s.connect((p["dst"], p["port"]))
            s.send(TOKEN)
            data = s.recv(256)
        except socket.timeout:
            return res
        m = re.match(rb"seen (\S+) (\d+)", data)
        if m:
            return {"result": "pass", "seen": m.group(1).decode()}
        return {"result": "error", "seen": None, "why": "answer %r" % data}
    except OSError as e:
        return {"result": "error", "seen": None, "why": str(e)}
    finally:
        s.close()


def probe_all(jobs, timeout):
    """jobs: [(namespace, packet)]; all at once, one thread each."""
    out = [None] * len(jobs)

    def one(i, ns, p):
        out[i] = probe(ns, p, timeout)

    # a socket per probe, at once: lift the soft limit on open files
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 2 * len(jobs) + 4096))
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=one, args=(i, ns, p))
               for i, (ns, p) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout + 10)
    return out


# -------------------------------------------------------------- the network

class NetError(Exception):
    pass


T0 = time.monotonic()


def debug(what):
    if os.environ.get("NFT_DEBUG"):
        print("[%.2f] %s" % (time.monotonic() - T0, what), file=sys.stderr)


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


def run_site(rulesets, packets, timeout=1.5, nat=None, isolate=False):
    """Several firewalls (name -> ruleset text) joined through the zones
    their legs share; every packet's source sits in its src_zone's
    namespace, its (real) destination in its dst_zone's, and zone
    namespaces forward, so a packet crosses every firewall between the two
    zones.  nat maps public addresses to real ones (a dict, or pairs): a
    public address is
    routed towards its real address's zone (through the firewall that
    translates it).  With isolate, every firewall gets zone namespaces of
    its own (packets then name their firewall, "fw"): several independent
    one-firewall tests at once.  Returns (results, {firewall: {flow ID:
    packets}})."""
    prefix = os.environ.get("NFT_NS_PREFIX") or "lnft%d" % os.getpid()
    run_site.n = getattr(run_site, "n", 0) + 1
    prefix = "%s-%d" % (prefix, run_site.n)
    fws = sorted(rulesets)
    ifaces = {f: {(f if isolate else "", z): i
                  for z, i in ruleset_ifaces(rulesets[f]).items()} for f in fws}
    packets = [dict(p, src_zone=(p["fw"] if isolate else "", p["src_zone"]),
                    dst_zone=(p["fw"] if isolate else "", p["dst_zone"]))
               for p in packets]
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
                raise NetError("zone %s is not a leg of %s" % (
                    z[1], z[0] or "any firewall"))
            if placed.setdefault((addr, z[0]), z) != z:
                raise NetError("address %s is in zones %s and %s" %
                               (addr, placed[(addr, z[0])][1], z[1]))
    routed = dict(placed)
    comps = sorted({c for _, c in placed})
    pairs = nat.items() if isinstance(nat, dict) else (nat or [])
    for pub, real in sorted(pairs):
        for c in comps:
            if (real, c) in placed and (pub, c) not in placed:
                routed[(pub, c)] = placed[(real, c)]
    # one `ip -batch` per namespace
    cmds = {ns: ["link set dev lo up"] for ns in adj}
    for (fn, zn), k in sorted(links.items(), key=lambda x: x[1]):
        f = [x for x in fws if fns[x] == fn][0]
        z = [x for x in zones if zns[x] == zn][0]
        ifn = ifaces[f][z]
        # fixed MACs and permanent neighbours: no ARP/ND delay (a first
        # packet held back by neighbour discovery could outlast the timeout)
        mac = "02:64:%02x:%02x:00:%%d" % (k >> 8, k & 255)
        cmds[fn] += ["link add %s address %s type veth peer name l%d address %s "
                     "netns %s" % (ifn, mac % 1, k, mac % 2, zn),
                     "neigh add 100.64.%d.2 lladdr %s dev %s nud permanent" % (
                         k, mac % 2, ifn),
                     "neigh add fd00:64:%x::2 lladdr %s dev %s nud permanent" % (
                         k, mac % 2, ifn),
                     "addr add 100.64.%d.1/30 dev %s" % (k, ifn),
                     "addr add fd00:64:%x::1/64 dev %s nodad" % (k, ifn),
                     "link set dev %s up" % ifn]
    for (fn, zn), k in sorted(links.items(), key=lambda x: x[1]):
        mac = "02:64:%02x:%02x:00:%%d" % (k >> 8, k & 255)
        cmds[zn] += ["neigh add 100.64.%d.1 lladdr %s dev l%d nud permanent" % (
                         k, mac % 1, k),
                     "neigh add fd00:64:%x::1 lladdr %s dev l%d nud permanent" % (
                         k, mac % 1, k),
                     "addr add 100.64.%d.2/30 dev l%d" % (k, k),
                     "addr add fd00:64:%x::2/64 dev l%d nodad" % (k, k),
                     "link set dev l%d up" % k]
    for (addr, c), z in sorted(routed.items()):
        v6 = ipaddress.ip_address(addr).version == 6
        if (addr, c) in placed:
            cmds[zns[z]].append("addr add %s/%d dev lo%s" % (
                addr, 128 if v6 else 32, " nodad" if v6 else ""))
        for n, m in sorted(_next_hops(adj, adj, zns[z]).items()):
            cmds[n].append("route add %s via %s" % (addr, gw(n, m, v6)))
    made, closers = [], []
    tmp = tempfile.mkdtemp(prefix="lyncc-nft-")
    debug("run_site: %d namespaces, %d packets" % (len(adj), len(packets)))
    try:
        for ns in sorted(adj):
            made.append(ns)
            sh("ip", "netns", "add", ns)
        # every namespace forwards (a zone may be a transit between two
        # firewalls); no reverse-path filter
        for ns in sorted(adj):
            # (no duplicate address detection: a tentative link-local address
            # would hold back neighbour discovery past the probes' timeout)
            sh("sh", "-c", "sysctl -qw net.ipv4.ip_forward=1 "
               "net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 "
               "net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.accept_dad=0 "
               "net.ipv6.conf.default.accept_dad=0", ns=ns)
        for ns in [fns[f] for f in fws] + [zns[z] for z in zones]:
            sh("ip", "-n", ns, "-batch", "-", inp="\n".join(cmds[ns]) + "\n")
        for f in fws:
            sh("sh", "-c", "for f in /proc/sys/net/ipv4/conf/*/rp_filter; do "
               "echo 0 >$f; done", ns=fns[f])
            path = os.path.join(tmp, "fw.nft")
            with open(path, "w") as fh:
                fh.write(rulesets[f])
            sh("nft", "-f", path, ns=fns[f])
        debug("network and rulesets ready")
        # listeners in the destination zones, probes from the source zones
        server = Server()
        closers.append(server.close)
        for z in zones:
            specs = sorted({(p["proto"], p.get("real") or p["dst"], p["port"])
                            for p in packets if p["dst_zone"] == z})
            if specs:
                server.listen(zns[z], specs)
        server.start()
        debug("listeners ready")
        results = probe_all([(zns[p["src_zone"]], p) for p in packets], timeout)
        debug("senders done")
        counters = {f: flow_counters(fns[f], tables[f]) for f in fws}
        return results, counters
    finally:
        for c in closers:
            c()
        for ns in reversed(made):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


if __name__ == "__main__":
    print(__doc__)
    sys.exit(2)
