#!/usr/bin/env python3
"""Cross-vendor check: for every firewall of a site, the packets that the
ASA, SRX and nft outputs permit must be the same set.

Each generated text is read by an evaluator written from the vendor's
semantics, not from lyncc's code: tests/scenarios/eval.py's Asa and Srx
classes, and NftEval below (nft's forward-chain matching: first matching
rule's verdict, chain policy otherwise; prerouting dnat before it).

The probe packets are built from the site file and the texts: every address
literal any of the three texts names, the first and last host of every zone
network, the site's public NAT addresses and an internet host; every port
bound any text names, with its neighbours; TCP and UDP; a default source
port and the edges of the A/V source range.  For each ordered pair of the
firewall's zones, sources in the ingress zone and destinations in the
egress zone (by the site's own networks, as the scenarios read them).

Usage: vendor_diff.py LYNCC SITE.lync...   (exit 1 on any disagreement)
"""
import ipaddress
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scenarios"))
import eval as E  # noqa: E402


class NftError(Exception):
    pass


def _addr_list(tok):
    """'{ a, b/24, c-d }' or 'a' -> [network or (lo, hi)]"""
    out = []
    for w in re.split(r"[,\s{}]+", tok):
        if not w:
            continue
        if "-" in w and not w.startswith("-"):
            lo, hi = w.split("-", 1)
            out.append((ipaddress.ip_address(lo), ipaddress.ip_address(hi)))
        else:
            out.append(ipaddress.ip_network(w, strict=False))
    return out


def _addr_in(a, lst):
    for n in lst:
        if isinstance(n, tuple):
            if n[0].version == a.version and n[0] <= a <= n[1]:
                return True
        elif n.version == a.version and a in n:
            return True
    return False


def _ports(tok):
    out = []
    for w in re.split(r"[,\s{}]+", tok):
        if not w:
            continue
        if "-" in w:
            lo, hi = w.split("-")
            out.append((int(lo), int(hi)))
        else:
            out.append((int(w), int(w)))
    return out


class NftEval:
    """The subset of nft -f syntax a ruleset needs to decide a forwarded
    packet: named interval sets, one forward base chain, dnat in
    prerouting.  Anything else in a rule is an error, not ignored."""

    def __init__(self, text):
        self.sets = {}
        self.ifzone = {}          # interface name -> zone (header comment)
        self.forward = []         # [(conds, verdict)]
        self.policy = "accept"
        self.dnat = []            # (iif, dst, to)
        for m in re.finditer(r"^#\s+zone (\S+): (\S+)\s*$", text, re.M):
            self.ifzone[m.group(2)] = m.group(1)
        for m in re.finditer(r"\bset (\w+) \{(.*?)\n\t\}", text, re.S):
            el = re.search(r"elements = \{([^}]*)\}", m.group(2))
            self.sets[m.group(1)] = _addr_list(el.group(1)) if el else []
        chain = None
        for line in text.split("\n"):
            s = line.strip()
            m = re.match(r"chain (\w+) \{", s)
            if m:
                chain = m.group(1)
                continue
            if not s or s.startswith("#") or chain is None or s == "}":
                continue
            m = re.match(r"type (\w+) hook (\w+) priority \w+; policy (\w+);", s)
            if m:
                if m.group(2) == "forward":
                    self.policy = m.group(3)
                    self.fwd_chain = chain
                continue
            if s.startswith("comment "):
                continue
            s = re.sub(r'\s+comment "[^"]*"$', "", s)
            if "hook" in s:
                raise NftError("unread: " + s)
            if chain.endswith("forward"):
                self.forward.append(self._rule(s))
            elif chain.endswith("prerouting"):
                m = re.fullmatch(r'iifname "([^"]+)" ip daddr (\S+) counter dnat ip to (\S+)', s)
                if not m:
                    raise NftError("unread prerouting rule: " + s)
                self.dnat.append((m.group(1), ipaddress.ip_address(m.group(2)),
                                  ipaddress.ip_address(m.group(3))))
            elif chain.endswith("postrouting"):
                pass      # source NAT after the filter: not a filter decision
            else:
                raise NftError("unknown chain " + chain)

    def _rule(self, s):
        toks = re.findall(r'\{[^}]*\}|"[^"]*"|\S+', s)
        conds = []
        i = 0
        verdict = None
        while i < len(toks):
            t = toks[i]
            if t in ("iifname", "oifname"):
                neg = toks[i + 1] == "!="
                if neg:
                    i += 1
                names = [x.strip('"') for x in re.split(r"[,\s{}]+", toks[i + 1]) if x]
                conds.append((t, neg, names))
                i += 2
            elif t in ("ip", "ip6") and toks[i + 1] in ("saddr", "daddr"):
                v = toks[i + 2]
                lst = self.sets[v[1:]] if v.startswith("@") else _addr_list(v)
                conds.append(("addr", 4 if t == "ip" else 6, toks[i + 1], lst))
                i += 3
            elif t in ("tcp", "udp") and toks[i + 1] in ("sport", "dport"):
                conds.append(("port", t, toks[i + 1], _ports(toks[i + 2])))
                i += 3
            elif t == "meta" and toks[i + 1] == "l4proto":
                conds.append(("l4", [x for x in re.split(r"[,\s{}]+", toks[i + 2]) if x]))
                i += 3
            elif t == "th" and toks[i + 1] in ("sport", "dport"):
                conds.append(("port", None, toks[i + 1], _ports(toks[i + 2])))
                i += 3
            elif t == "ct" and toks[i + 1] == "state":
                conds.append(("ct", toks[i + 2].split(",")))
                i += 3
            elif t == "counter":
                i += 1
            elif t in ("accept", "drop"):
                verdict = t
                i += 1
            else:
                raise NftError("unread token %r in %s" % (t, s))
        if verdict is None:
            raise NftError("no verdict: " + s)
        return conds, verdict

    def _rules_for(self, iif, oif, src, dst):
        """the forward rules whose interface and address conditions hold
        for these interfaces and addresses, in order (a rule left out
        cannot match, so the first match among them is the chain's);
        once per (interfaces, addresses): the packet loop then tries only
        these for each port, protocol and source port"""
        memo = self.__dict__.setdefault("_byif", {})
        k = (iif, oif, int(src), src.version, int(dst), dst.version)
        if k not in memo:
            memo[k] = [(c, v) for c, v in self.forward
                       if self._fixed_hold(c, iif, oif, src, dst)]
        return memo[k]

    def _fixed_hold(self, conds, iif, oif, src, dst):
        for c in conds:
            if c[0] in ("iifname", "oifname"):
                name = iif if c[0] == "iifname" else oif
                if (name in c[2]) == c[1]:
                    return False
            elif c[0] == "addr":
                a = src if c[2] == "saddr" else dst
                if a.version != c[1] or not self._addr_in(a, c[3]):
                    return False
        return True

    def _addr_in(self, a, lst):
        """_addr_in, remembered per (address, list): lst is one of this
        ruleset's own lists, alive as long as self"""
        memo = self.__dict__.setdefault("_memo", {})
        k = (int(a), a.version, id(lst))
        r = memo.get(k)
        if r is None:
            r = memo[k] = _addr_in(a, lst)
        return r

    def _match(self, conds, pkt, dst, iif, oif):
        for c in conds:
            if c[0] in ("iifname", "oifname"):
                name = iif if c[0] == "iifname" else oif
                if (name in c[2]) == c[1]:
                    return False
            elif c[0] == "addr":
                a = pkt.src if c[2] == "saddr" else dst
                if a.version != c[1] or not self._addr_in(a, c[3]):
                    return False
            elif c[0] == "port":
                if c[1] is not None and c[1] != pkt.proto:
                    return False
                p = pkt.sport if c[2] == "sport" else pkt.port
                if not any(lo <= p <= hi for lo, hi in c[3]):
                    return False
            elif c[0] == "l4":
                if pkt.proto not in c[1]:
                    return False
            elif c[0] == "ct":
                if "new" not in c[1]:
                    return False      # a new connection: not established
        return True

    def evaluate(self, pkt, ingress, egress):
        zif = {z: i for i, z in self.ifzone.items()}
        if ingress not in zif or egress not in zif:
            raise NftError("zone %s or %s has no interface in the header" % (ingress, egress))
        iif, oif = zif[ingress], zif[egress]
        dst = pkt.dst
        for i, d, to in self.dnat:
            if i == iif and d == dst:
                dst = to
                break
        for conds, verdict in self._rules_for(iif, oif, pkt.src, dst):
            if self._match(conds, pkt, dst, iif, oif):
                return "pass" if verdict == "accept" else "deny"
        return "pass" if self.policy == "accept" else "deny"


ADDR_RE = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(?:/(\d+))?(?![\w.])")
ADDR6_RE = re.compile(r"(?<![\w:])([0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})(?:/(\d+))?")


def text_addrs(text):
    out = set()
    for m in ADDR_RE.finditer(text):
        try:
            if m.group(2):
                n = ipaddress.ip_network(m.group(0), strict=False)
                out.update(edge_hosts(n))
            else:
                out.add(ipaddress.ip_address(m.group(1)))
        except ValueError:
            pass
    for m in ADDR6_RE.finditer(text):
        if "::" not in m.group(1) and m.group(1).count(":") < 7:
            continue
        try:
            if m.group(2):
                out.update(edge_hosts(ipaddress.ip_network(m.group(0), strict=False)))
            else:
                out.add(ipaddress.ip_address(m.group(1)))
        except ValueError:
            pass
    return out


def edge_hosts(n):
    if n.num_addresses <= 2:
        return {n.network_address, n.broadcast_address}
    return {n.network_address + 1, n.broadcast_address - 1}


PORT_RE = re.compile(r"(?:dport|sport|eq|range|port|destination-port|source-port)"
                     r"\s*[>\s]*(\d+)(?:[-\s]+(\d+))?")


def text_ports(text):
    out = set()
    for m in re.finditer(r"\b(\d{1,5})\b", text):
        p = int(m.group(1))
        if 0 < p < 65536:
            out.update((p - 1, p, p + 1))
    return {p for p in out if 0 < p < 65536}


def main(argv):
    lyncc = argv[1]
    bad = 0
    total = 0
    passed = 0
    targets = ("asa", "srx", "nft")
    with tempfile.TemporaryDirectory() as tmp:
        for site_path in argv[2:]:
            site = E.Site(site_path)
            for fw, legs in sorted(site.firewalls.items()):
                texts, evs = {}, {}
                for t in targets:
                    txt, err = E.compile_site(lyncc, site_path, fw, t, tmp)
                    if txt is None:
                        print("SKIP %s %s -t %s: %s" % (site_path, fw, t, err))
                        continue
                    texts[t] = txt
                    evs[t] = {"asa": E.Asa, "srx": E.Srx, "nft": NftEval}[t](txt)
                if len(evs) < 2:
                    continue
                # numbers that are ports: every number of the rule lines
                ports = set()
                addrs = set()
                for txt in texts.values():
                    addrs |= text_addrs(txt)
                    body = "\n".join(l for l in txt.split("\n")
                                     if not l.lstrip().startswith(("!", "#", "<!--")))
                    body = ADDR_RE.sub(" ", body)
                    ports |= text_ports(body)
                ports = sorted(p for p in ports if p < 1024 or p in range(1024, 65536))
                for n, _ in site.prefixes:
                    addrs |= edge_hosts(n)
                for pub in site.nat:
                    addrs.add(ipaddress.ip_address(pub))
                addrs.add(ipaddress.ip_address("198.18.0.7"))
                addrs.add(ipaddress.ip_address("2001:db8:ffff::7"))
                byzone = {}
                for a in addrs:
                    try:
                        byzone.setdefault(site.zone_of(a), set()).add(a)
                    except E.ExpectError:
                        pass
                for iz in legs:
                    for ez in legs:
                        if iz == ez:
                            continue
                        srcs = sorted(byzone.get(iz, ()), key=lambda a: (a.version, a))
                        dsts = sorted(byzone.get(ez, ()), key=lambda a: (a.version, a))
                        for s in srcs:
                            for d in dsts:
                                if s.version != d.version:
                                    continue
                                for proto in ("tcp", "udp"):
                                    for sport in (E.DEFAULT_SPORT, 50000, 60000):
                                        for p in ports:
                                            pkt = E.Packet(s, d, proto, p, sport)
                                            total += 1
                                            ans = {t: ev.evaluate(pkt, iz, ez)
                                                   for t, ev in evs.items()}
                                            if "pass" in ans.values():
                                                passed += 1
                                            if len(set(ans.values())) > 1:
                                                bad += 1
                                                if bad <= 200:
                                                    print("DIFF %s %s %s->%s %s: %s" % (
                                                        os.path.basename(os.path.dirname(site_path))
                                                        if site_path.endswith("site.lync")
                                                        else os.path.basename(site_path),
                                                        fw, iz, ez, pkt.key() +
                                                        " sport=%d" % sport,
                                                        " ".join("%s=%s" % kv for kv in sorted(ans.items()))))
    print("%d packets compared, %d passed by some target, %d disagreements"
          % (total, passed, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
