#!/usr/bin/env python3
"""asa_reader.py - a strict reader of the Cisco ASA 9.x command subset lyncc emits.

Written from Cisco's ASA command reference, independently of backends/asa.c.
It accepts exactly these commands (anything else is an error):

  ! comment
  interface IFNAME / nameif NAME / security-level 0-100 / description TEXT
  same-security-traffic permit inter-interface
  object network NAME / host IP | subnet IPV4 MASK | subnet IPV6/LEN
  object network NAME / nat (REAL_IF,MAPPED_IF) static IP   (object defined before)
  object-group network NAME / network-object object NAME
  object-group service NAME / service-object tcp|udp|tcp-udp destination eq P | range LO HI
  access-list ACL remark TEXT                  (1-100 printable characters, no '?')
  access-list ACL extended permit object-group SVC SRC DST
        SRC, DST: any | any4 | any6 | object-group NAME
  access-list ACL extended deny ip any any     (the last entry of an ACL)
  access-group ACL in interface NAMEIF

Checks: every name defined before use, object names at most 64 characters
of letters, digits and .!@#$%^&()-_{} (objects and groups share one
namespace), valid IPv4/IPv6 addresses, contiguous masks without host bits,
ports 1-65535 with LO <= HI, no duplicate ACEs, one access-group per
interface, each ACL applied.

read(text) returns a Config with .permits: the set of
(ingress_if, proto, src, dst, lo, hi), src/dst an ipaddress network or
"any", expanded over the groups (tcp-udp counts as tcp and udp; a pair of
addresses of different families never matches), and .nats: the set of
(real_if, mapped_if, real, mapped).
"""
import ipaddress
import re
import sys

NAME_RE = re.compile(r"^[A-Za-z0-9.!@#$%^&()\-_{}]{1,64}$")
ACL_RE = re.compile(r"^[A-Za-z0-9._\-]{1,241}$")
NAMEIF_RE = re.compile(r"^[A-Za-z0-9._\-]{1,48}$")
IFNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9/._:\-]*$")


class AsaError(Exception):
    pass


class Config:
    def __init__(self):
        self.objects = {}       # name -> network
        self.groups = {}        # name -> [network]
        self.services = {}      # name -> [(proto, lo, hi)]
        self.acls = {}          # name -> [entry]
        self.closed = set()     # ACLs whose deny ip any any was seen
        self.access_groups = {} # interface -> acl
        self.nameifs = {}       # ifname -> nameif
        self.nats = set()
        self.permits = set()
        self.ace_count = 0


def _port(tok, line):
    if not re.fullmatch(r"[0-9]{1,5}", tok):
        raise AsaError("line %d: port '%s' is not a number" % (line, tok))
    p = int(tok)
    if not 1 <= p <= 65535:
        raise AsaError("line %d: port %d is outside 1-65535" % (line, p))
    return p


def _ip(tok, line, version=None):
    try:
        a = ipaddress.ip_address(tok)
    except ValueError:
        raise AsaError("line %d: '%s' is not an IP address" % (line, tok))
    if version and a.version != version:
        raise AsaError("line %d: '%s' is not IPv%d" % (line, tok, version))
    if str(a) != tok:
        raise AsaError("line %d: '%s' is not in canonical form" % (line, tok))
    return a


def _mask_len(tok, line):
    m = _ip(tok, line, 4)
    bits = int(m)
    n = bin(bits).count("1")
    if bits != ((0xffffffff << (32 - n)) & 0xffffffff):
        raise AsaError("line %d: mask %s is not contiguous" % (line, tok))
    return n


def _new_name(cfg, name, line):
    if not NAME_RE.match(name):
        raise AsaError("line %d: bad object name '%s'" % (line, name))
    if name in cfg.objects or name in cfg.groups or name in cfg.services:
        raise AsaError("line %d: name '%s' is defined twice" % (line, name))


def _families_match(a, b):
    if a == "any" or b == "any":
        return True
    return a.version == b.version


def _side(cfg, toks, line):
    """An ACE address: returns (members, consumed), members a list of
    networks or the string any4/any6/any."""
    if toks and toks[0] in ("any", "any4", "any6"):
        return toks[0], 1
    if len(toks) >= 2 and toks[0] == "object-group":
        if toks[1] not in cfg.groups:
            raise AsaError("line %d: network object-group '%s' used before it is "
                           "defined" % (line, toks[1]))
        return cfg.groups[toks[1]], 2
    raise AsaError("line %d: expected any, any4, any6 or object-group NAME" % line)


def _expand(side, other):
    """Concrete members of side, each paired later with other's members."""
    if isinstance(side, str):
        return [side]
    return side


def _matches(s, d):
    """Does an ACE with source s and destination d (network or any*) match
    some packet?  any4/any6 only match addresses of their family."""
    fam = {"any4": 4, "any6": 6}
    for x, y in ((s, d), (d, s)):
        if x in fam and not isinstance(y, str) and y.version != fam[x]:
            return False
    if not isinstance(s, str) and not isinstance(d, str):
        return s.version == d.version
    return True


def _norm(x):
    return "any" if isinstance(x, str) else x


def read(text):
    cfg = Config()
    mode = None         # (kind, name) of the current sub-mode
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for no, raw in enumerate(lines, 1):
        if not raw or any(ord(c) < 0x20 or ord(c) > 0x7e for c in raw):
            raise AsaError("line %d: empty line or a character outside printable "
                           "ASCII" % no)
        if raw != raw.rstrip():
            raise AsaError("line %d: trailing blanks" % no)
        if raw.startswith("!"):
            mode = None
            continue
        sub = raw.startswith(" ")
        toks = raw.split(" ")
        if sub:
            toks = toks[1:]
            if "" in toks or mode is None:
                raise AsaError("line %d: sub-command outside a command mode: %r" %
                               (no, raw))
            kind, name = mode
            if kind == "interface":
                if toks[0] == "nameif" and len(toks) == 2:
                    if not NAMEIF_RE.match(toks[1]) or toks[1] in cfg.nameifs.values():
                        raise AsaError("line %d: bad or repeated nameif" % no)
                    cfg.nameifs[name] = toks[1]
                elif toks[0] == "security-level" and len(toks) == 2:
                    if not re.fullmatch(r"[0-9]{1,3}", toks[1]) or int(toks[1]) > 100:
                        raise AsaError("line %d: security-level is 0-100" % no)
                elif toks[0] == "description":
                    d = raw[len(" description "):]
                    if not 1 <= len(d) <= 200 or "?" in d:
                        raise AsaError("line %d: bad interface description" % no)
                else:
                    raise AsaError("line %d: unknown interface command %r" % (no, raw))
            elif kind == "object":
                if toks[0] == "nat":
                    m = re.fullmatch(r"nat \(([^,() ]+),([^,() ]+)\) static (\S+)",
                                     raw[1:])
                    if not m or name not in cfg.objects:
                        raise AsaError("line %d: bad nat line %r" % (no, raw))
                    real = cfg.objects[name]
                    mapped = _ip(m.group(3), no, real.version)
                    if real.num_addresses != 1:
                        raise AsaError("line %d: static NAT of a subnet" % no)
                    cfg.nats.add((m.group(1), m.group(2), real.network_address, mapped))
                    mode = None
                elif name in cfg.objects:
                    raise AsaError("line %d: object %s already has an address" %
                                   (no, name))
                elif toks[0] == "host" and len(toks) == 2:
                    a = _ip(toks[1], no)
                    cfg.objects[name] = ipaddress.ip_network(a)
                elif toks[0] == "subnet" and len(toks) == 3:
                    a = _ip(toks[1], no, 4)
                    n = _mask_len(toks[2], no)
                    try:
                        cfg.objects[name] = ipaddress.ip_network("%s/%d" % (a, n))
                    except ValueError:
                        raise AsaError("line %d: host bits set in %s %s" %
                                       (no, toks[1], toks[2]))
                elif toks[0] == "subnet" and len(toks) == 2 and "/" in toks[1]:
                    a, _, ln = toks[1].partition("/")
                    _ip(a, no, 6)
                    if not re.fullmatch(r"[0-9]{1,3}", ln) or int(ln) > 128:
                        raise AsaError("line %d: bad IPv6 prefix length" % no)
                    try:
                        cfg.objects[name] = ipaddress.ip_network(toks[1])
                    except ValueError:
                        raise AsaError("line %d: host bits set in %s" % (no, toks[1]))
                else:
                    raise AsaError("line %d: unknown object command %r" % (no, raw))
            elif kind == "network-group":
                if len(toks) != 3 or toks[:2] != ["network-object", "object"]:
                    raise AsaError("line %d: expected network-object object NAME" % no)
                if toks[2] not in cfg.objects:
                    raise AsaError("line %d: object '%s' used before it is defined" %
                                   (no, toks[2]))
                cfg.groups[name].append(cfg.objects[toks[2]])
            elif kind == "service-group":
                if len(toks) not in (5, 6) or toks[0] != "service-object" or \
                        toks[1] not in ("tcp", "udp", "tcp-udp") or \
                        toks[2] != "destination":
                    raise AsaError("line %d: bad service-object %r" % (no, raw))
                if toks[3] == "eq" and len(toks) == 5:
                    lo = hi = _port(toks[4], no)
                elif toks[3] == "range" and len(toks) == 6:
                    lo, hi = _port(toks[4], no), _port(toks[5], no)
                    if lo >= hi:
                        raise AsaError("line %d: range %d %d is empty or one port "
                                       "(use eq)" % (no, lo, hi))
                else:
                    raise AsaError("line %d: bad service-object %r" % (no, raw))
                protos = ["tcp", "udp"] if toks[1] == "tcp-udp" else [toks[1]]
                for p in protos:
                    cfg.services[name].append((p, lo, hi))
            continue
        # a top-level command: the previous mode ends
        if mode and mode[0] in ("network-group", "service-group") and \
                not (cfg.groups.get(mode[1]) or cfg.services.get(mode[1])):
            raise AsaError("line %d: object-group %s is empty" % (no, mode[1]))
        if mode and mode[0] == "object" and mode[1] not in cfg.objects:
            raise AsaError("line %d: object %s has no address" % (no, mode[1]))
        mode = None
        if "" in toks:
            raise AsaError("line %d: double blank" % no)
        if toks[0] == "interface" and len(toks) == 2:
            if not IFNAME_RE.match(toks[1]) or toks[1] in cfg.nameifs:
                raise AsaError("line %d: bad or repeated interface %s" % (no, toks[1]))
            mode = ("interface", toks[1])
        elif toks == ["same-security-traffic", "permit", "inter-interface"]:
            pass
        elif toks[:2] == ["object", "network"] and len(toks) == 3:
            if toks[2] not in cfg.objects:
                _new_name(cfg, toks[2], no)
            mode = ("object", toks[2])
        elif toks[:2] == ["object-group", "network"] and len(toks) == 3:
            _new_name(cfg, toks[2], no)
            cfg.groups[toks[2]] = []
            mode = ("network-group", toks[2])
        elif toks[:2] == ["object-group", "service"] and len(toks) == 3:
            _new_name(cfg, toks[2], no)
            cfg.services[toks[2]] = []
            mode = ("service-group", toks[2])
        elif toks[0] == "access-list" and len(toks) >= 4:
            acl = toks[1]
            if not ACL_RE.match(acl):
                raise AsaError("line %d: bad access-list name %s" % (no, acl))
            if acl in cfg.closed:
                raise AsaError("line %d: entry after the closing deny of %s" % (no, acl))
            entries = cfg.acls.setdefault(acl, [])
            if toks[2] == "remark":
                text = raw.split(" remark ", 1)[1]
                if not 1 <= len(text) <= 100 or "?" in text or text != text.strip():
                    raise AsaError("line %d: remark must be 1-100 characters "
                                   "without '?'" % no)
                continue
            if toks[2:] == ["extended", "deny", "ip", "any", "any"]:
                cfg.closed.add(acl)
                continue
            if toks[2:5] != ["extended", "permit", "object-group"] or len(toks) < 8:
                raise AsaError("line %d: unsupported access-list entry %r" % (no, raw))
            svc = toks[5]
            if svc not in cfg.services:
                raise AsaError("line %d: service object-group '%s' used before it "
                               "is defined" % (no, svc))
            src, n1 = _side(cfg, toks[6:], no)
            dst, n2 = _side(cfg, toks[6 + n1:], no)
            if 6 + n1 + n2 != len(toks):
                raise AsaError("line %d: trailing words in %r" % (no, raw))
            if isinstance(src, str) and isinstance(dst, str):
                raise AsaError("line %d: permits any to any" % no)
            key = tuple(toks[2:])
            if key in entries:
                raise AsaError("line %d: duplicate ACE" % no)
            entries.append(key)
            cfg.ace_count += 1
            for s in _expand(src, dst):
                for d in _expand(dst, src):
                    if not _matches(s, d):
                        continue
                    for (p, lo, hi) in cfg.services[svc]:
                        cfg.permits.add((acl, p, _norm(s), _norm(d), lo, hi))
        elif toks[0] == "access-group" and len(toks) == 5 and \
                toks[2:4] == ["in", "interface"]:
            if toks[1] not in cfg.acls:
                raise AsaError("line %d: access-list %s is not defined" % (no, toks[1]))
            if toks[4] in cfg.access_groups:
                raise AsaError("line %d: second access-group on %s" % (no, toks[4]))
            # an interface the config does not declare is assumed to have
            # that nameif already (lyncc writes interface blocks only for
            # zones with an IFNAME); the round trip checks it is a zone
            if not NAMEIF_RE.match(toks[4]):
                raise AsaError("line %d: bad interface name %s" % (no, toks[4]))
            cfg.access_groups[toks[4]] = toks[1]
        else:
            raise AsaError("line %d: unsupported command %r" % (no, raw))
    for acl in cfg.acls:
        if acl not in cfg.closed:
            raise AsaError("access-list %s does not end with deny ip any any" % acl)
        if acl not in cfg.access_groups.values():
            raise AsaError("access-list %s is not applied to an interface" % acl)
    # permits keyed by the ingress interface
    by_acl = {}
    for ifc, acl in cfg.access_groups.items():
        by_acl.setdefault(acl, []).append(ifc)
    cfg.permits = {(ifc,) + t[1:] for t in cfg.permits for ifc in by_acl[t[0]]}
    return cfg


def main(argv):
    rc = 0
    for path in argv[1:]:
        try:
            with open(path, encoding="ascii") as f:
                cfg = read(f.read())
        except (AsaError, UnicodeDecodeError) as e:
            print("%s: %s" % (path, e))
            rc = 1
            continue
        print("%s: ok, %d ACEs, %d permitted tuples, %d static NATs" %
              (path, cfg.ace_count, len(cfg.permits), len(cfg.nats)))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
