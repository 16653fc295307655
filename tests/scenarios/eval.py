#!/usr/bin/env python3
"""eval.py - scenario tests: do the generated firewall configs let through
exactly the packets the documentation requires?

For every tests/scenarios/SCENARIO/ holding site.lync and expect.txt:

  1. compile the site once per firewall and per target
     ($LYNCC site.lync -t TARGET --device FIREWALL -o FILE);
  2. for every packet of expect.txt, decide from the SITE FILE (not from
     lyncc) which zones the packet enters and leaves the named firewall by
     (the source's zone and the destination's zone by longest-prefix match
     over the zones' networks and the addresses the pools declare in them,
     a destination that is a declared public NAT address by its real
     address, anything else in the first external zone; then the shortest
     path of firewalls and routers between the two zones);
  3. ask each target's evaluator what the device would do with that packet,
     reading the generated TEXT with the device's semantics (written here
     from the vendor documentation, not from lyncc's emitters):

     asa  Cisco ASA 9.x (8.3+ semantics).  The packet is first
          un-translated: a destination that is the mapped address of a
          static object NAT becomes the real address (ASA 8.3 and later
          match access rules on real addresses; packet-tracer shows the
          UN-NAT phase before the ACCESS-LIST phase).  Then the access list
          bound with `access-group ACL in interface NAMEIF` to the ingress
          interface is read top down, the first matching ACE decides
          (permit or deny), and a packet no ACE matches is dropped (the
          implicit deny).  A global access-group is read after the
          interface ACL.  An interface with no ACL at all falls back on
          security levels (higher to lower passes).  Two interfaces the
          text declares with the same security level never pass traffic
          without same-security-traffic permit inter-interface, ACL or not.  `any` matches
          IPv4 and IPv6, `any4`/`any6` one family.  Objects and object
          groups (network and service, nested) are expanded.
     srx  Juniper SRX (Junos flow mode, first-packet processing).  Static
          NAT and destination NAT rules of a rule-set whose `from zone`
          is the ingress zone translate the destination first; the egress
          zone comes from the route lookup on the translated address (here:
          the site's zone of the real address); then the policies of the
          (from-zone, to-zone) context are read in order, first match
          decides (permit, deny or reject), then global policies, then the
          default policy (deny-all unless `default-policy permit-all`).
          Address books, address sets (nested), applications (terms,
          source and destination ports) and application sets are expanded.

  4. compare with the expectation.  Every difference is printed as
     `SCENARIO FIREWALL packet: expected X, asa Y, srx Z`.  A difference
     listed in tests/scenarios/KNOWN-FAILURES is tolerated; a difference
     not listed fails, and so does a listed entry that no longer differs
     (the list can only shrink).

Evaluators are pluggable: TARGETS maps a target name to a function
  evaluate(text, packet, ingress_zone, egress_zone) -> "pass" | "deny"
(raising EvalError when the text cannot be read); a file
tests/scenarios/target_NAME.py with TARGET = "NAME" and evaluate() adds
one (nft) that is then run on every scenario and listed per target in
KNOWN-FAILURES.  SCEN_TARGETS=asa,srx restricts the run.

expect.txt, one packet a line ('#' starts a comment line):

  pass|deny FIREWALL SRC DST tcp|udp PORT[,PORT...] [sport=N] REASON...

PORT may list several ports (each is one packet).  Without sport= the
source port is 40000 (ephemeral, outside every documented range).  A pass
line's REASON must cite the documentation: a seed row by TechNet ID
(`Gg398739 t1 r9`: table 1 row 9 of the page; `JJ204648 prose`: the
page's text outside the tables) or a named source in
brackets (`[MS-RPPORTS]`, see /work/shared/design); a deny line says why
the packet must not pass.

KNOWN-FAILURES, one entry a line:

  SCENARIO FIREWALL TARGET SRC DST PROTO PORT [sport=N] -- REASON
  SCENARIO * TARGET compile -- REASON      (the site does not compile yet)

Usage: eval.py [--lyncc PATH] [--dir tests/scenarios] [--update-known]
               [--verbose] [SCENARIO...]
"""
import ipaddress
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

DEFAULT_SPORT = 40000
CITE_RE = re.compile(r"(?:(?:Gg398739|Gg398833|JJ205394|JJ204648|JJ618373) "
                     r"(?:t[0-9]+ r[0-9]+|prose)|\[[A-Z0-9-]+\])")


class EvalError(Exception):
    pass


def in_ranges(p, ranges):
    """ranges None means any port."""
    return ranges is None or any(lo <= p <= hi for lo, hi in ranges)


def service_matches(entries, pkt):
    """entries: [(proto, source port ranges, destination port ranges)]."""
    return any(proto == pkt.proto and in_ranges(pkt.sport, sp) and
               in_ranges(pkt.port, dp) for proto, sp, dp in entries)


class ExpectError(Exception):
    pass


def net(s):
    return ipaddress.ip_network(s, strict=False)


# ---------------------------------------------------------------- site file

def lync_tokens(text, path):
    toks = []
    for no, line in enumerate(text.split("\n"), 1):
        i = 0
        while i < len(line):
            c = line[i]
            if c == "#":
                break
            if c in " \t\r":
                i += 1
            elif c in ";<>":
                toks.append((c, no))
                i += 1
            elif c == '"':
                j = i + 1
                buf = []
                while j < len(line) and line[j] != '"':
                    if line[j] == "\\" and j + 1 < len(line):
                        j += 1
                    buf.append(line[j])
                    j += 1
                toks.append(('"' + "".join(buf), no))
                i = j + 1
            else:
                j = i
                while j < len(line) and line[j] not in " \t\r;<>#\"":
                    j += 1
                toks.append((line[i:j], no))
                i = j
    return toks


def lync_parse(text, path):
    """Statements: (words, block or None); block is a list of statements."""
    toks = lync_tokens(text, path)
    pos = 0

    def block(depth):
        nonlocal pos
        out = []
        words = []
        while pos < len(toks):
            t, no = toks[pos]
            pos += 1
            if t == ";":
                if words:
                    out.append((words, None))
                words = []
            elif t == "<":
                sub = block(depth + 1)
                out.append((words, sub))
                words = []
                # an optional ';' after '>' is swallowed by the next round
            elif t == ">":
                if depth == 0:
                    raise ExpectError("%s:%d: unbalanced '>'" % (path, no))
                if words:
                    out.append((words, None))
                return out
            else:
                words.append(t)
        if depth:
            raise ExpectError("%s: unterminated block" % path)
        if words:
            out.append((words, None))
        return out
    return block(0)


def is_addr(w):
    try:
        ipaddress.ip_address(w)
        return True
    except ValueError:
        return False


def is_prefix(w):
    if "/" not in w:
        return False
    try:
        net(w)
        return True
    except ValueError:
        return False


class Site:
    """What eval.py needs from a site file: zones (kind, networks), the
    addresses pools and parties place in zones, public NAT addresses, and
    the devices that join zones."""

    def __init__(self, path):
        self.path = path
        self.zones = {}        # name -> kind
        self.zone_order = []
        self.prefixes = []     # (network, zone)
        self.nat = {}          # public address -> real address
        self.devices = []      # (name, kind, [zones])
        self.firewalls = {}    # name -> [zones]
        with open(path, encoding="utf-8") as f:
            stmts = lync_parse(f.read(), path)
        for words, blk in stmts:
            self._top(words, blk or [])

    def _top(self, words, blk):
        if len(words) >= 3 and words[0] == "zone":
            name, kind = words[1], words[2]
            self.zones[name] = kind
            self.zone_order.append(name)
            for w, _ in blk:
                if w and w[0] == "networks":
                    for p in w[1:]:
                        self.prefixes.append((net(p), name))
        elif len(words) >= 3 and words[1] == "pool":
            self._pool(blk, None)
        elif len(words) >= 2 and words[0] == "party":
            zone = None
            addrs = []
            for w, _ in blk:
                if w and w[0] == "zone" and len(w) >= 2:
                    zone = w[1]
                elif w and w[0] == "address":
                    addrs += w[1:]
            if zone:
                for a in addrs:
                    if is_prefix(a) or is_addr(a):
                        self.prefixes.append((net(a), zone))
        elif len(words) >= 2 and words[0] in ("firewall", "router"):
            legs = []
            for w, _ in blk:
                if w and w[0] == "between":
                    legs += w[1:]
            self.devices.append((words[1], words[0], legs))
            if words[0] == "firewall":
                self.firewalls[words[1]] = legs

    def _pool(self, blk, zone):
        # the zone of this block first, then its addresses
        for w, _ in blk:
            if w and w[0] == "zone" and len(w) >= 2:
                zone = w[1]
        for w, sub in blk:
            if sub is not None:
                self._pool(sub, zone)
                continue
            i = 0
            while i < len(w):
                x = w[i]
                if x == "nat" and i + 1 < len(w) and i >= 1 and is_addr(w[i - 1]):
                    self.nat[ipaddress.ip_address(w[i + 1])] = \
                        ipaddress.ip_address(w[i - 1])
                    i += 2
                    continue
                if zone and (is_addr(x) or is_prefix(x)):
                    self.prefixes.append((net(x), zone))
                i += 1

    def real(self, addr):
        return self.nat.get(addr, addr)

    def zone_of(self, addr):
        addr = self.real(addr)
        best = None
        for n, z in self.prefixes:
            if n.version == addr.version and addr in n:
                if best is None or n.prefixlen > best[0].prefixlen:
                    best = (n, z)
        if best:
            return best[1]
        for z in self.zone_order:
            if self.zones[z] == "external":
                return z
        raise ExpectError("%s: %s is in no zone and the site has no external "
                          "zone" % (self.path, addr))

    def path_hops(self, src_zone, dst_zone):
        """The shortest path of devices from src_zone to dst_zone, devices
        tried in declaration order: a list of (device, in_zone, out_zone)."""
        if src_zone == dst_zone:
            return []
        prev = {src_zone: None}
        queue = [src_zone]
        while queue:
            nxt = []
            for z in queue:
                for name, kind, legs in self.devices:
                    if z not in legs:
                        continue
                    for o in legs:
                        if o not in prev:
                            prev[o] = (z, name)
                            nxt.append(o)
            queue = nxt
        if dst_zone not in prev:
            return None
        hops = []
        z = dst_zone
        while prev[z] is not None:
            pz, dev = prev[z]
            hops.append((dev, pz, z))
            z = pz
        return list(reversed(hops))


# ------------------------------------------------------------- expectations

class Packet:
    def __init__(self, src, dst, proto, port, sport):
        self.src = src
        self.dst = dst
        self.proto = proto
        self.port = port
        self.sport = sport

    def key(self):
        s = "%s %s %s %d" % (self.src, self.dst, self.proto, self.port)
        if self.sport != DEFAULT_SPORT:
            s += " sport=%d" % self.sport
        return s


def read_expect(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            t = line.split()
            where = "%s:%d" % (path, no)
            if len(t) < 7 or t[0] not in ("pass", "deny"):
                raise ExpectError("%s: expected 'pass|deny FIREWALL SRC DST PROTO "
                                  "PORT REASON'" % where)
            verdict, fw, src, dst, proto, ports = t[:6]
            rest = t[6:]
            sport = DEFAULT_SPORT
            if rest and rest[0].startswith("sport="):
                sport = int(rest[0][6:])
                rest = rest[1:]
            reason = " ".join(rest)
            if not reason:
                raise ExpectError("%s: no reason" % where)
            if verdict == "pass" and not CITE_RE.search(reason):
                raise ExpectError("%s: a pass line must cite a seed row "
                                  "(Gg398739 t1 r9) or a [SOURCE]" % where)
            if proto not in ("tcp", "udp"):
                raise ExpectError("%s: protocol must be tcp or udp" % where)
            try:
                s = ipaddress.ip_address(src)
                d = ipaddress.ip_address(dst)
            except ValueError as e:
                raise ExpectError("%s: %s" % (where, e))
            for p in ports.split(","):
                if not re.fullmatch(r"[0-9]{1,5}", p) or not 1 <= int(p) <= 65535:
                    raise ExpectError("%s: bad port %s" % (where, p))
                out.append((no, verdict, fw, Packet(s, d, proto, int(p), sport),
                            reason))
    return out


# ---------------------------------------------------------------------- ASA

ASA_PORTS = {"www": 80, "http": 80, "https": 443, "domain": 53, "ssh": 22,
             "sip": 5060, "ldap": 389, "ldaps": 636, "smtp": 25, "ftp": 21,
             "telnet": 23, "netbios-ssn": 139, "sqlnet": 1521,
             "h323": 1720, "rtsp": 554}


def asa_port(tok):
    if tok in ASA_PORTS:
        return ASA_PORTS[tok]
    if not re.fullmatch(r"[0-9]{1,5}", tok):
        raise EvalError("unknown ASA port '%s'" % tok)
    return int(tok)


def asa_mask(m):
    bits = bin(int(ipaddress.IPv4Address(m))).count("1")
    return bits


class Asa:
    """The parts of an ASA configuration that decide a packet's fate."""

    def __init__(self, text):
        self.ifaces = {}          # nameif -> security level
        self.same_sec = False
        self.objects = {}         # network object -> [network]
        self.ngroups = {}         # network group -> [network]
        self.sgroups = {}         # service group -> [(proto, sport, dport)]
        self.pgroups = {}         # port group -> [(lo, hi)]
        self.svcobj = {}          # service object -> [(proto, sport, dport)]
        self.nat = []             # (real_if, mapped_if, real net, mapped net)
        self.acls = {}            # name -> [(action, protos, src, sport, dst, dport)]
        self.groups = {}          # nameif -> acl
        self.global_acl = None
        self._nameif = {}         # physical interface -> nameif
        self._level = {}          # physical interface -> security level
        self._read(text)

    # -- helpers
    def _netspec(self, t, i):
        """An address operand at t[i]: returns ([networks] or 'any*', next)."""
        w = t[i]
        if w in ("any", "any4", "any6"):
            return w, i + 1
        if w == "host":
            return [net(t[i + 1])], i + 2
        if w == "object":
            if t[i + 1] not in self.objects:
                raise EvalError("network object %s is not defined" % t[i + 1])
            return self.objects[t[i + 1]], i + 2
        if w == "object-group":
            if t[i + 1] not in self.ngroups:
                raise EvalError("network object-group %s is not defined" % t[i + 1])
            return self.ngroups[t[i + 1]], i + 2
        if w == "interface":
            raise EvalError("ACE on an interface address is not supported")
        if "/" in w:
            return [net(w)], i + 1
        if is_addr(w) and i + 1 < len(t) and is_addr(t[i + 1]):
            return [net("%s/%d" % (w, asa_mask(t[i + 1])))], i + 2
        raise EvalError("bad address operand '%s'" % w)

    def _portspec(self, t, i):
        """An optional port operand: returns ([(lo, hi)] or None, next)."""
        if i >= len(t):
            return None, i
        w = t[i]
        if w == "eq":
            p = asa_port(t[i + 1])
            return [(p, p)], i + 2
        if w == "range":
            return [(asa_port(t[i + 1]), asa_port(t[i + 2]))], i + 3
        if w == "lt":
            return [(1, asa_port(t[i + 1]) - 1)], i + 2
        if w == "gt":
            return [(asa_port(t[i + 1]) + 1, 65535)], i + 2
        if w == "neq":
            p = asa_port(t[i + 1])
            return [(1, p - 1), (p + 1, 65535)], i + 2
        if w == "object-group" and i + 1 < len(t) and t[i + 1] in self.pgroups:
            return self.pgroups[t[i + 1]], i + 2
        return None, i

    def _service_entry(self, t):
        """service-object PROTO [source OP..] [destination OP..]"""
        proto = t[0]
        protos = {"tcp": ["tcp"], "udp": ["udp"], "tcp-udp": ["tcp", "udp"],
                  "ip": ["tcp", "udp"]}.get(proto)
        if protos is None:
            raise EvalError("service protocol %s not supported" % proto)
        i = 1
        sport = dport = None
        while i < len(t):
            if t[i] == "source":
                sport, i = self._portspec(t, i + 1)
            elif t[i] == "destination":
                dport, i = self._portspec(t, i + 1)
            else:
                dport, j = self._portspec(t, i)
                if j == i:
                    raise EvalError("bad service entry %r" % " ".join(t))
                i = j
        return [(p, sport, dport) for p in protos]

    def _read(self, text):
        mode = None
        for no, raw in enumerate(text.split("\n"), 1):
            line = raw.rstrip()
            if not line or line.startswith("!") or line.startswith(":"):
                if line.startswith("!"):
                    mode = None
                continue
            try:
                if raw.startswith(" "):
                    self._sub(mode, line.split())
                else:
                    mode = self._top(line.split())
            except (EvalError, IndexError, ValueError) as e:
                raise EvalError("asa line %d: %s: %r" % (no, e, line))

    def _sub(self, mode, t):
        if mode is None:
            raise EvalError("sub-command outside a mode")
        kind, name = mode
        if kind == "interface":
            # the ASA's default security level: 100 for nameif inside, else 0
            if t[0] == "nameif":
                self._nameif[name] = t[1]
                self.ifaces[t[1]] = self._level.get(name,
                                                    100 if t[1] == "inside" else 0)
            elif t[0] == "security-level":
                self._level[name] = int(t[1])
                if name in self._nameif:
                    self.ifaces[self._nameif[name]] = int(t[1])
            return
        if kind == "object":
            if t[0] == "host":
                self.objects[name] = [net(t[1])]
            elif t[0] == "subnet":
                if "/" in t[1]:
                    self.objects[name] = [net(t[1])]
                else:
                    self.objects[name] = [net("%s/%d" % (t[1], asa_mask(t[2])))]
            elif t[0] == "range":
                a, b = ipaddress.ip_address(t[1]), ipaddress.ip_address(t[2])
                self.objects[name] = list(ipaddress.summarize_address_range(a, b))
            elif t[0] == "nat":
                m = re.fullmatch(r"\(([^,]+),([^)]+)\)", t[1])
                if not m or t[2] != "static" or len(t) != 4:
                    raise EvalError("only 'nat (REAL,MAPPED) static ADDR' is "
                                    "supported")
                if name not in self.objects:
                    raise EvalError("nat on object %s without address" % name)
                real = self.objects[name]
                if len(real) != 1:
                    raise EvalError("static NAT of a range")
                self.nat.append((m.group(1), m.group(2), real[0],
                                 net("%s/%d" % (t[3], real[0].prefixlen))))
            elif t[0] == "description":
                pass
            else:
                raise EvalError("unknown object command")
            return
        if kind == "network-group":
            if t[0] == "network-object":
                if t[1] == "object":
                    if t[2] not in self.objects:
                        raise EvalError("object %s is not defined" % t[2])
                    self.ngroups[name] += self.objects[t[2]]
                elif t[1] == "host":
                    self.ngroups[name].append(net(t[2]))
                elif "/" in t[1]:
                    self.ngroups[name].append(net(t[1]))
                else:
                    self.ngroups[name].append(net("%s/%d" % (t[1], asa_mask(t[2]))))
            elif t[0] == "group-object":
                self.ngroups[name] += self.ngroups[t[1]]
            elif t[0] != "description":
                raise EvalError("unknown network group command")
            return
        if kind == "service-group":
            if t[0] == "service-object":
                if t[1] == "object":
                    self.sgroups[name] += self.svcobj[t[2]]
                else:
                    self.sgroups[name] += self._service_entry(t[1:])
            elif t[0] == "group-object":
                self.sgroups[name] += self.sgroups[t[1]]
            elif t[0] != "description":
                raise EvalError("unknown service group command")
            return
        if kind == "port-group":
            if t[0] == "port-object":
                ports, _ = self._portspec(t, 1)
                self.pgroups[name] += ports
            elif t[0] == "group-object":
                self.pgroups[name] += self.pgroups[t[1]]
            elif t[0] != "description":
                raise EvalError("unknown port group command")
            return
        if kind == "service-object":
            if t[0] == "service":
                self.svcobj[name] = self._service_entry(t[1:])
            elif t[0] != "description":
                raise EvalError("unknown service object command")
            return
        raise EvalError("unknown mode")

    def _top(self, t):
        w = t[0]
        if w == "interface":
            return ("interface", t[1])
        if t == ["same-security-traffic", "permit", "inter-interface"]:
            self.same_sec = True
            return None
        if w == "object" and t[1] == "network":
            self.objects.setdefault(t[2], [])
            if not self.objects[t[2]]:
                del self.objects[t[2]]
            return ("object", t[2])
        if w == "object" and t[1] == "service":
            return ("service-object", t[2])
        if w == "object-group" and t[1] == "network":
            self.ngroups[t[2]] = []
            return ("network-group", t[2])
        if w == "object-group" and t[1] == "service":
            if len(t) == 4:             # object-group service NAME tcp|udp|tcp-udp
                self.pgroups[t[2]] = []
                return ("port-group", t[2])
            self.sgroups[t[2]] = []
            return ("service-group", t[2])
        if w == "access-list":
            self._ace(t)
            return None
        if w == "access-group":
            if t[2] == "global":
                self.global_acl = t[1]
            elif t[2:4] == ["in", "interface"]:
                if t[4] in self.groups:
                    raise EvalError("two access-groups in on %s" % t[4])
                self.groups[t[4]] = t[1]
            elif t[2:4] == ["out", "interface"]:
                raise EvalError("outbound access-groups are not supported")
            return None
        if w in ("hostname", "names", "name"):
            return None
        raise EvalError("unsupported command")

    def _ace(self, t):
        name = t[1]
        if t[2] == "remark":
            self.acls.setdefault(name, [])
            return
        if t[2] != "extended" or t[3] not in ("permit", "deny"):
            raise EvalError("unsupported access-list form")
        action = t[3]
        i = 4
        # protocol / service
        if t[i] in ("tcp", "udp", "ip"):
            protos = {"tcp": ["tcp"], "udp": ["udp"], "ip": ["tcp", "udp"]}[t[i]]
            svc = None
            i += 1
        elif t[i] == "object-group" and t[i + 1] in self.sgroups:
            svc = self.sgroups[t[i + 1]]
            protos = None
            i += 2
        elif t[i] == "object" and t[i + 1] in self.svcobj:
            svc = self.svcobj[t[i + 1]]
            protos = None
            i += 2
        else:
            raise EvalError("unsupported ACE protocol '%s'" % t[i])
        src, i = self._netspec(t, i)
        sport = None
        if svc is None:
            sport, i = self._portspec(t, i)
        dst, i = self._netspec(t, i)
        dport = None
        if svc is None:
            dport, i = self._portspec(t, i)
        while i < len(t):
            if t[i] in ("log", "inactive"):
                if t[i] == "inactive":
                    return
                i += 1
                while i < len(t) and t[i] not in ("inactive",):
                    i += 1
            else:
                raise EvalError("trailing words in ACE")
        if svc is None:
            svc = [(p, sport, dport) for p in protos]
        self.acls.setdefault(name, []).append((action, svc, src, dst))

    # -- semantics
    def _addr_in(self, a, spec):
        """_addr_in_spec, remembered per (address, spec): the packet
        loops of the review tests ask the same question for every port
        (spec is one of this text's own lists, alive as long as self)."""
        memo = self.__dict__.setdefault("_memo", {})
        k = (int(a), a.version, id(spec))
        r = memo.get(k)
        if r is None:
            r = memo[k] = self._addr_in_spec(a, spec)
        return r

    @staticmethod
    def _addr_in_spec(a, spec):
        if spec == "any":
            return True
        if spec == "any4":
            return a.version == 4
        if spec == "any6":
            return a.version == 6
        return any(a.version == n.version and a in n for n in spec)

    def _acl_decides(self, acl, pkt, dst):
        # the ACEs whose addresses match, in order, found once per (ACL,
        # source, destination): the first of them whose service matches
        # is the first matching ACE
        memo = self.__dict__.setdefault("_aces", {})
        k = (acl, int(pkt.src), pkt.src.version, int(dst), dst.version)
        if k not in memo:
            memo[k] = [(action, svc) for action, svc, src, dstspec in self.acls.get(acl, [])
                       if self._addr_in(pkt.src, src) and self._addr_in(dst, dstspec)]
        for action, svc in memo[k]:
            if service_matches(svc, pkt):
                return "pass" if action == "permit" else "deny"
        return None

    def evaluate(self, pkt, ingress, egress):
        dst = pkt.dst
        for real_if, mapped_if, real, mapped in self.nat:
            if mapped_if in (ingress, "any") and dst.version == mapped.version \
                    and dst in mapped:
                dst = real[int(dst) - int(mapped.network_address)] \
                    if real.num_addresses > 1 else real.network_address
                break
        # interfaces of the same security level do not talk unless
        # same-security-traffic permit inter-interface, whatever the ACL
        # says (decidable when the text declares both interfaces)
        if ingress in self.ifaces and egress in self.ifaces and \
                self.ifaces[ingress] == self.ifaces[egress] and not self.same_sec:
            return "deny"
        acl = self.groups.get(ingress)
        if acl is None and self.global_acl is None:
            lin = self.ifaces.get(ingress, 0)
            lout = self.ifaces.get(egress, 0)
            if lin > lout or (lin == lout and self.same_sec):
                return "pass"
            return "deny"
        if acl is not None:
            r = self._acl_decides(acl, pkt, dst)
            if r:
                return r
        if self.global_acl is not None:
            r = self._acl_decides(self.global_acl, pkt, dst)
            if r:
                return r
        return "deny"




# ---------------------------------------------------------------------- SRX

# Junos predefined applications (junos-defaults) that a config may name.
JUNOS_APPS = {
    "junos-http": [("tcp", None, [(80, 80)])],
    "junos-https": [("tcp", None, [(443, 443)])],
    "junos-dns-udp": [("udp", None, [(53, 53)])],
    "junos-dns-tcp": [("tcp", None, [(53, 53)])],
    "junos-ssh": [("tcp", None, [(22, 22)])],
    "junos-smb": [("tcp", None, [(139, 139)]), ("tcp", None, [(445, 445)])],
    "junos-ms-sql": [("tcp", None, [(1433, 1433)])],
    "junos-sip": [("udp", None, [(5060, 5060)]), ("tcp", None, [(5060, 5060)])],
    "junos-ldap": [("tcp", None, [(389, 389)])],
}


def srx_ports(t):
    if t is None:
        return None
    t = t.strip()
    names = {"http": 80, "https": 443, "domain": 53, "ssh": 22, "sip": 5060}
    m = re.fullmatch(r"([0-9]{1,5}|[a-z]+)(?:-([0-9]{1,5}))?", t)
    if not m:
        raise EvalError("bad SRX port '%s'" % t)
    a = int(m.group(1)) if m.group(1).isdigit() else names.get(m.group(1))
    if a is None:
        raise EvalError("unknown SRX port name '%s'" % t)
    b = int(m.group(2)) if m.group(2) else a
    return [(a, b)]


def _txt(el, tag):
    x = el.find(tag)
    return None if x is None or x.text is None else x.text.strip()


def _srx_inherit(root):
    """Junos configuration groups: the statements of each group named by a
    top-level <apply-groups> are inherited (a group's list entries come
    after the local ones of the same list; what is local wins)."""
    groups = {_txt(g, "name"): g for g in root.findall("groups")}
    applied = [a.text.strip() for a in root.findall("apply-groups") if a.text]
    if not applied:
        return root
    eff = ET.Element("configuration")
    for k in root:
        if k.tag not in ("groups", "apply-groups"):
            eff.append(k)

    def key(el):
        if el.tag == "policy" and el.find("from-zone-name") is not None:
            return (el.tag, _txt(el, "from-zone-name"), _txt(el, "to-zone-name"))
        if len(el) and el[0].tag == "name":
            return (el.tag, (el[0].text or "").strip())
        if not len(el):
            return (el.tag, (el.text or "").strip())
        return (el.tag,)

    def inherit(dst, src):
        index = {key(k): k for k in dst}
        for c in src:
            old = index.get(key(c))
            if old is None:
                dst.append(c)
            elif len(c):
                inherit(old, c)

    for name in applied:
        if name not in groups:
            raise EvalError("srx: apply-groups %s: no such group" % name)
        inherit(eff, [k for k in groups[name] if k.tag != "name"])
    return eff


class Srx:
    def __init__(self, text):
        try:
            root = ET.fromstring(text)
        except ET.ParseError as e:
            raise EvalError("srx: not XML: %s" % e)
        if root.tag != "configuration":
            raise EvalError("srx: root is not <configuration>")
        root = _srx_inherit(root)
        sec = root.find("security")
        if sec is None:
            raise EvalError("srx: no <security>")
        self.addr = {}
        self.asets = {}
        for ab in sec.iter("address-book"):
            self._address_book(ab)
        for zone in sec.findall("zones/security-zone"):
            for ab in zone.findall("address-book"):
                self._address_book(ab)
        self.apps = dict(JUNOS_APPS)
        self.appsets = {}
        apps = root.find("applications")
        if apps is not None:
            for a in apps.findall("application"):
                self.apps[_txt(a, "name")] = self._app(a)
            for s in apps.findall("application-set"):
                self.appsets[_txt(s, "name")] = s
        self.zones = {_txt(z, "name") for z in sec.findall("zones/security-zone")}
        self.nat = []      # (from_zone, match networks, match ports, real base)
        nat = sec.find("nat")
        if nat is not None:
            self._nat(nat)
        self.policies = {}  # (from, to) -> [(srcs, dsts, apps, action)]
        self.global_policies = []
        self.default = "deny"
        pol = sec.find("policies")
        if pol is not None:
            for ctx in pol.findall("policy"):
                key = (_txt(ctx, "from-zone-name"), _txt(ctx, "to-zone-name"))
                lst = self.policies.setdefault(key, [])
                for p in ctx.findall("policy"):
                    if p.find("inactive") is not None or p.get("inactive"):
                        continue
                    lst.append(self._policy(p))
            for g in pol.findall("global/policy"):
                self.global_policies.append(self._policy(g))
            dp = pol.find("default-policy")
            if dp is not None and dp.find("permit-all") is not None:
                self.default = "pass"

    def _address_book(self, ab):
        for a in ab.findall("address"):
            name = _txt(a, "name")
            if a.find("ip-prefix") is not None:
                self.addr[name] = [net(_txt(a, "ip-prefix"))]
            elif a.find("range-address") is not None:
                r = a.find("range-address")
                lo = ipaddress.ip_address(_txt(r, "name"))
                hi = ipaddress.ip_address(_txt(r, "to/range-high"))
                self.addr[name] = list(ipaddress.summarize_address_range(lo, hi))
            else:
                raise EvalError("srx: address %s has no ip-prefix" % name)
        for s in ab.findall("address-set"):
            self.asets[_txt(s, "name")] = s

    def _resolve_addr(self, name, depth=0):
        if name in ("any",):
            return "any"
        if name == "any-ipv4":
            return "any4"
        if name == "any-ipv6":
            return "any6"
        if name in self.addr:
            return self.addr[name]
        if name in self.asets and depth < 16:
            out = []
            s = self.asets[name]
            for m in s.findall("address"):
                out += self._resolve_addr(_txt(m, "name"), depth + 1)
            for m in s.findall("address-set"):
                out += self._resolve_addr(_txt(m, "name"), depth + 1)
            return out
        raise EvalError("srx: address %s is not defined" % name)

    def _app(self, a):
        terms = a.findall("term") or [a]
        out = []
        for t in terms:
            proto = _txt(t, "protocol")
            if proto not in ("tcp", "udp"):
                raise EvalError("srx: application protocol %s not supported" % proto)
            out.append((proto, srx_ports(_txt(t, "source-port")),
                        srx_ports(_txt(t, "destination-port"))))
        return out

    def _resolve_app(self, name, depth=0):
        if name == "any":
            return [("tcp", None, None), ("udp", None, None)]
        if name in self.apps:
            return self.apps[name]
        if name in self.appsets and depth < 16:
            out = []
            for m in self.appsets[name].findall("application"):
                out += self._resolve_app(_txt(m, "name"), depth + 1)
            for m in self.appsets[name].findall("application-set"):
                out += self._resolve_app(_txt(m, "name"), depth + 1)
            return out
        raise EvalError("srx: application %s is not defined" % name)

    def _policy(self, p):
        m = p.find("match")
        if m is None:
            raise EvalError("srx: policy without match")
        srcs = [self._resolve_addr(x.text.strip()) for x in m.findall("source-address")]
        dsts = [self._resolve_addr(x.text.strip()) for x in m.findall("destination-address")]
        apps = []
        for x in m.findall("application"):
            apps += self._resolve_app(x.text.strip())
        fz = [x.text.strip() for x in m.findall("from-zone")]
        tz = [x.text.strip() for x in m.findall("to-zone")]
        neg_s = m.find("source-address-excluded") is not None
        neg_d = m.find("destination-address-excluded") is not None
        then = p.find("then")
        if then is None:
            raise EvalError("srx: policy without then")
        if then.find("permit") is not None:
            action = "pass"
        elif then.find("deny") is not None or then.find("reject") is not None:
            action = "deny"
        else:
            raise EvalError("srx: policy action not understood")
        if not srcs or not dsts or not apps:
            raise EvalError("srx: policy %s lacks source, destination or "
                            "application" % _txt(p, "name"))
        return (srcs, dsts, apps, action, neg_s, neg_d, fz, tz)

    def _nat(self, nat):
        pools = {}
        for pool in nat.findall("destination/pool"):
            pools[_txt(pool, "name")] = net(_txt(pool, "address/ipaddr"))
        for rs in nat.findall("static/rule-set") + nat.findall("destination/rule-set"):
            fz = _txt(rs, "from/zone")
            if fz is None:
                raise EvalError("srx: NAT rule-set not bound to a zone")
            for r in rs.findall("rule"):
                m = r.find("static-nat-rule-match")
                if m is None:
                    m = r.find("dest-nat-rule-match")
                if m is None:
                    raise EvalError("srx: NAT rule without a match")
                dsts = [net(x.text.strip()) for x in m.iter("dst-addr")]
                ports = None
                dp = m.find("destination-port")
                if dp is not None:
                    ports = srx_ports(_txt(dp, "name") or dp.text)
                then = r.find("then")
                if then.find("static-nat/prefix/addr-prefix") is not None:
                    real = net(then.find("static-nat/prefix/addr-prefix").text)
                elif then.find("destination-nat/pool/pool-name") is not None:
                    real = pools[then.find("destination-nat/pool/pool-name").text.strip()]
                elif then.find("destination-nat/off") is not None or \
                        then.find("static-nat/inet") is not None:
                    real = None
                else:
                    raise EvalError("srx: NAT action not understood")
                self.nat.append((fz, dsts, ports, real))

    def _in(self, a, specs):
        """_in_specs, remembered per (address, specs) as Asa._addr_in"""
        memo = self.__dict__.setdefault("_memo", {})
        k = (int(a), a.version, id(specs))
        r = memo.get(k)
        if r is None:
            r = memo[k] = self._in_specs(a, specs)
        return r

    @staticmethod
    def _in_specs(a, specs):
        for s in specs:
            if s == "any":
                return True
            if s == "any4" and a.version == 4:
                return True
            if s == "any6" and a.version == 6:
                return True
            if isinstance(s, list) and any(a.version == n.version and a in n
                                           for n in s):
                return True
        return False

    def evaluate(self, pkt, ingress, egress):
        if ingress not in self.zones or egress not in self.zones:
            return "deny"     # an interface in no zone drops everything
        dst = pkt.dst
        for fz, dsts, ports, real in self.nat:
            if fz != ingress:
                continue
            hit = [n for n in dsts if n.version == dst.version and dst in n]
            if not hit or (ports and not any(lo <= pkt.port <= hi
                                             for lo, hi in ports)):
                continue
            if real is not None:
                off = int(dst) - int(hit[0].network_address)
                dst = ipaddress.ip_address(int(real.network_address) + off)
            break
        # the policies whose zones and addresses match, in order, found
        # once per (zones, source, destination): the first of them whose
        # applications match is the first matching policy
        memo = self.__dict__.setdefault("_pols", {})
        k = (ingress, egress, int(pkt.src), pkt.src.version, int(dst), dst.version)
        if k not in memo:
            lists = list(self.policies.get((ingress, egress), []))
            lists += [g for g in self.global_policies
                      if (not g[6] or ingress in g[6]) and (not g[7] or egress in g[7])]
            memo[k] = [(apps, action)
                       for srcs, dsts, apps, action, neg_s, neg_d, _, _ in lists
                       if self._in(pkt.src, srcs) != neg_s and self._in(dst, dsts) != neg_d]
        for apps, action in memo[k]:
            if service_matches(apps, pkt):
                return action
        return self.default


def device_evaluator(cls):
    """evaluate(text, packet, ingress, egress) for a device class, reading
    each text once."""
    cache = {}

    def evaluate(text, pkt, ingress, egress):
        if id(text) not in cache or cache[id(text)][0] is not text:
            cache[id(text)] = (text, cls(text))
        return cache[id(text)][1].evaluate(pkt, ingress, egress)
    return evaluate


# lyncc -t NAME -> evaluate(text, packet, ingress_zone, egress_zone).
TARGETS = {
    "asa": device_evaluator(Asa),
    "srx": device_evaluator(Srx),
}


def load_target_plugins(where):
    """A file tests/scenarios/target_NAME.py defining TARGET (the lyncc -t
    name) and evaluate(text, packet, ingress_zone, egress_zone) adds a
    target without touching this file (the packet: .src, .dst ipaddress
    objects, .proto 'tcp'|'udp', .port, .sport; raise EvalError when the
    text cannot be read)."""
    import importlib.util
    for f in sorted(os.listdir(where)):
        m = re.fullmatch(r"target_([a-z0-9]+)\.py", f)
        if not m:
            continue
        spec = importlib.util.spec_from_file_location("target_" + m.group(1),
                                                      os.path.join(where, f))
        mod = importlib.util.module_from_spec(spec)
        sys.modules.setdefault("eval", sys.modules[__name__])
        spec.loader.exec_module(mod)
        TARGETS[mod.TARGET] = mod.evaluate


# ------------------------------------------------------------------ driver

def compile_site(lyncc, site, fw, target, tmp):
    out = os.path.join(tmp, "%s.%s" % (fw, target))
    r = subprocess.run([lyncc, site, "-t", target, "--device", fw, "-o", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode != 0:
        return None, (r.stderr.strip().split("\n") or ["failed"])[0]
    with open(out, encoding="utf-8") as f:
        return f.read(), None


def query_check(lyncc, scen, site, site_path, exp, texts, targets):
    """Does `lyncc query -t TARGET` say what the devices on the packet's
    path do with the generated text?  Prints each disagreement; returns
    their number and the number of answers compared."""
    n = 0
    asked = 0
    done = set()
    for no, verdict, fw, pkt, reason in exp:
        if pkt.key() in done:
            continue
        done.add(pkt.key())
        try:
            hops = site.path_hops(site.zone_of(pkt.src), site.zone_of(pkt.dst)) or []
        except ExpectError:
            continue
        hops = [h for h in hops if h[0] in site.firewalls]
        for t in targets:
            per = []
            for dev, izone, ezone in hops:
                try:
                    per.append((dev, TARGETS[t](texts[(dev, t)], pkt, izone, ezone)))
                except (EvalError, KeyError, AttributeError, ValueError):
                    per = None
                    break
            if per is None:
                continue
            device = "pass" if all(a == "pass" for _, a in per) else "deny"
            r = subprocess.run([lyncc, "query", site_path, "--from", str(pkt.src),
                                "--to", str(pkt.dst), "--proto", pkt.proto,
                                "--port", str(pkt.port), "--sport", str(pkt.sport),
                                "-t", t],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if r.returncode not in (0, 1):
                continue
            query = "pass" if r.returncode == 0 else "deny"
            asked += 1
            if query != device:
                n += 1
                print("QUERY %s %s %s: lyncc query says %s, the %s text %s (%s)" %
                      (scen, t, pkt.key(), query, t, device,
                       ", ".join("%s %s" % x for x in per)))
    return n, asked


def read_known(path, strict=True):
    known = {}
    if not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, reason = line.partition(" -- ")
            if not sep or not reason.strip():
                raise ExpectError("%s:%d: expected 'ENTRY -- REASON'" % (path, no))
            if strict and reason.strip() == "unclassified":
                raise ExpectError("%s:%d: give the entry a reason (why lyncc gets "
                                  "it wrong, with the issue)" % (path, no))
            key = " ".join(key.split())
            if key in known:
                raise ExpectError("%s:%d: listed twice" % (path, no))
            known[key] = (reason.strip(), no)
    return known


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--lyncc", default=os.environ.get("LYNCC", "lyncc"))
    ap.add_argument("--dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--update-known", action="store_true",
                    help="rewrite KNOWN-FAILURES with the current differences "
                         "(keeps existing reasons)")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--query", action="store_true",
                    help="also compare `lyncc query -t TARGET` with the device "
                         "answer on the whole path (informational, slow)")
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args(argv[1:])
    load_target_plugins(os.path.dirname(os.path.abspath(__file__)))
    targets = [t for t in os.environ.get("SCEN_TARGETS", ",".join(TARGETS)).split(",")
               if t]
    for t in targets:
        if t not in TARGETS:
            print("unknown target %s" % t)
            return 2
    known_path = os.path.join(args.dir, "KNOWN-FAILURES")
    try:
        known = read_known(known_path, strict=not args.update_known)
    except ExpectError as e:
        print("ERROR %s" % e)
        return 1
    names = args.scenarios or sorted(
        d for d in os.listdir(args.dir)
        if os.path.isfile(os.path.join(args.dir, d, "site.lync")))
    diffs = {}          # key -> description
    bad = 0             # harness errors (expectation or evaluation errors)
    total = 0
    seen_scen = set()
    query_disagreements = 0
    query_asked = 0
    split = 0           # packets where the targets' answers differ
    with tempfile.TemporaryDirectory() as tmp:
        for scen in names:
            seen_scen.add(scen)
            sdir = os.path.join(args.dir, scen)
            site_path = os.path.join(sdir, "site.lync")
            try:
                site = Site(site_path)
                exp = read_expect(os.path.join(sdir, "expect.txt"))
            except (ExpectError, OSError, ValueError) as e:
                print("ERROR %s: %s" % (scen, e))
                bad += 1
                continue
            for fw in sorted({fw for _, _, fw, _, _ in exp} - set(site.firewalls)):
                print("ERROR %s: expect.txt names firewall %s that the site does "
                      "not declare" % (scen, fw))
                bad += 1
            texts = {}
            compile_err = {}
            for t in targets:
                for fw in site.firewalls:
                    txt, err = compile_site(args.lyncc, site_path, fw, t,
                                            os.path.join(tmp))
                    if txt is None:
                        compile_err[t] = err
                    texts[(fw, t)] = txt
            if args.query:
                qn, qa = query_check(
                    args.lyncc, scen, site, site_path, exp, texts,
                    [t for t in targets if t not in compile_err])
                query_disagreements += qn
                query_asked += qa
            for t, err in sorted(compile_err.items()):
                key = "%s * %s compile" % (scen, t)
                diffs[key] = "%s: lyncc -t %s fails: %s" % (scen, t, err)
            n_scen = 0
            for no, verdict, fw, pkt, reason in exp:
                if fw not in site.firewalls:
                    continue
                total += 1
                n_scen += 1
                try:
                    szone = site.zone_of(pkt.src)
                    dzone = site.zone_of(pkt.dst)
                except ExpectError as e:
                    print("ERROR %s:%d: %s" % (scen, no, e))
                    bad += 1
                    continue
                hops = site.path_hops(szone, dzone)
                hop = [h for h in (hops or []) if h[0] == fw]
                if not hop:
                    print("ERROR %s expect.txt:%d: %s (%s -> %s) does not cross %s"
                          % (scen, no, pkt.key(), szone, dzone, fw))
                    bad += 1
                    continue
                _, izone, ezone = hop[0]
                answers = {}
                for t in targets:
                    if t in compile_err:
                        answers[t] = "compile-error"
                        continue
                    try:
                        answers[t] = TARGETS[t](texts[(fw, t)], pkt, izone, ezone)
                    except (EvalError, KeyError, AttributeError, ValueError) as e:
                        answers[t] = "error"
                        print("ERROR %s %s %s: cannot evaluate: %s" % (scen, fw, t, e))
                        bad += 1
                ans = " ".join("%s %s" % (t, answers[t]) for t in targets)
                if len({answers[t] for t in targets}) > 1:
                    split += 1
                    if args.verbose:
                        print("SPLIT %s %s %s: %s" % (scen, fw, pkt.key(), ans))
                for t in targets:
                    if t in compile_err or answers[t] == verdict:
                        continue
                    key = "%s %s %s %s" % (scen, fw, t, pkt.key())
                    diffs[key] = ("%s %s %s (%s->%s): expected %s, %s  [line %d: %s]"
                                  % (scen, fw, pkt.key(), izone, ezone, verdict,
                                     ans, no, reason))
                if args.verbose:
                    print("     %s %s %s: expected %s, %s" % (scen, fw, pkt.key(),
                                                            verdict, ans))
            print("scenario %s: %d packets" % (scen, n_scen))
    # compare with KNOWN-FAILURES
    new = [k for k in diffs if k not in known]
    covered = lambda k: k.split(" ")[0] in seen_scen  # noqa: E731
    fixed = [k for k in known if k not in diffs and covered(k)]
    listed = [k for k in diffs if k in known]
    for k in sorted(listed):
        if args.verbose:
            print("known [%s] %s  (%s)" % (k.split(" ")[2], diffs[k], known[k][0]))
    for k in sorted(new, key=known_sort_key):
        print("FAIL [%s] %s" % (k.split(" ")[2], diffs[k]))
    for k in sorted(fixed):
        print("FIXED (remove from KNOWN-FAILURES line %d) %s -- %s" %
              (known[k][1], k, known[k][0]))
    print("%d packets in %d scenarios, %d targets: %d differences "
          "(%d known), %d new, %d fixed, %d errors" %
          (total, len(names), len(targets), len(diffs), len(listed), len(new),
           len(fixed), bad))
    print("%d packets where the targets disagree with each other" % split)
    if args.query:
        print("%d packets where lyncc query and the generated text disagree "
              "(of %d answers compared)" % (query_disagreements, query_asked))
    if args.update_known:
        with open(known_path, "w", encoding="utf-8") as f:
            f.write(KNOWN_HEADER)
            for k in sorted(diffs, key=known_sort_key):
                reason = known[k][0] if k in known else "unclassified"
                f.write("%s -- %s\n" % (k, reason))
            for k in sorted(known):
                if k not in diffs and not covered(k):
                    f.write("%s -- %s\n" % (k, known[k][0]))
        print("wrote %s" % known_path)
        return 0 if not bad else 1
    return 1 if (new or fixed or bad) else 0


def known_sort_key(k):
    return k.split(" ")[:3] + [k]


KNOWN_HEADER = """\
# Scenario packets where lyncc's output differs from the documentation
# today (tests/scenarios/eval.py).  One entry a line:
#   SCENARIO FIREWALL TARGET SRC DST PROTO PORT [sport=N] -- REASON
#   SCENARIO * TARGET compile -- REASON
# The test fails on a difference not listed here AND on a listed entry
# that no longer differs: fix the compiler, then delete its lines.
# eval.py --update-known rewrites the list (keeping reasons); never add
# an entry without a reason.
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv))
