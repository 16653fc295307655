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
  object-group service NAME / service-object tcp|udp|tcp-udp
        [source eq P | range LO HI] destination eq P | range LO HI
  access-list ACL [line N] remark TEXT         (1-100 printable characters, no '?')
  access-list ACL [line N] extended permit object-group SVC SRC DST
        SRC, DST: any | any4 | any6 | object-group NAME
  access-list ACL [line N] extended deny object-group SVC SRC object-group NETS
        (before an ACE to any: the ACE's "any" then excludes NETS)
  access-list ACL extended deny ip any any     (the last entry of an ACL)
  access-group ACL in interface NAMEIF
  clear configure access-list ACL              (the ACL must not be bound)
  no access-list ACL ENTRY, no object-group network|service NAME,
  no object network NAME                       (refused while in use)

Checks: every name defined before use, object names at most 64 characters
of letters, digits and .!@#$%^&()-_{} (objects and groups share one
namespace), valid IPv4/IPv6 addresses, contiguous masks without host bits,
ports 1-65535 with LO <= HI, no duplicate ACEs, one access-group per
interface (the round trip checks which ACLs are bound).

read(text) returns a Config with .permits: the set of
(ingress_if, proto, src, dst, lo, hi, sport), sport "any" or (lo, hi), src/dst an ipaddress network or
"any", expanded over the groups (tcp-udp counts as tcp and udp; a pair of
addresses of different families never matches; an ACE to "any" after a
deny of networks NETS for the same service and source has the dst
("any-except", frozenset(NETS))), and .nats: the set of
(real_if, mapped_if, real, mapped).

Device() is a simulated ASA: dev.apply(text) runs a file's commands on
the running config with the device's semantics (an object re-entered
takes the new address, a group member or ACE already present is kept
once (a remark is added again), `line N` inserts, access-group rebinds the interface, clear
configure and no ... remove, refused while in use), and dev.config()
gives the same Config as read() for what the device then holds.
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


class Device:
    """A simulated ASA running config (see the module docstring)."""

    def __init__(self):
        self.cfg = Config()
        self.cfg.acls = {}          # name -> [entry], entry: ("remark", text) or toks
        self.nat_of = {}            # object -> (real_if, mapped_if, mapped)

    # -- helpers -------------------------------------------------------------
    def _in_use(self, name):
        cfg = self.cfg
        for entries in cfg.acls.values():
            for e in entries:
                if e[0] != "remark" and name in e:
                    return True
        for members in self.members.values():
            if name in members:
                return True
        return False

    def apply(self, text, strict=False):
        """Run the commands of text.  strict: a fresh config read, where a
        name defined twice or an empty group is an error."""
        cfg = self.cfg
        if not hasattr(self, "members"):
            self.members = {}       # group -> [object names]
        mode = None
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
                self._sub(raw, toks[1:], mode, no)
                if mode and mode[0] == "object" and toks[1] == "nat":
                    mode = None
                continue
            # a top-level command: the previous mode ends
            if strict and mode and mode[0] in ("network-group", "service-group") and \
                    not (cfg.groups.get(mode[1]) or cfg.services.get(mode[1])):
                raise AsaError("line %d: object-group %s is empty" % (no, mode[1]))
            if mode and mode[0] == "object" and mode[1] not in cfg.objects:
                raise AsaError("line %d: object %s has no address" % (no, mode[1]))
            mode = None
            if "" in toks:
                raise AsaError("line %d: double blank" % no)
            mode = self._top(raw, toks, no, strict)
        return self

    def _sub(self, raw, toks, mode, no):
        cfg = self.cfg
        if "" in toks or mode is None:
            raise AsaError("line %d: sub-command outside a command mode: %r" % (no, raw))
        kind, name = mode
        if kind == "interface":
            if toks[0] == "nameif" and len(toks) == 2:
                if not NAMEIF_RE.match(toks[1]) or toks[1] in \
                        [v for k, v in cfg.nameifs.items() if k != name]:
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
                m = re.fullmatch(r"nat \(([^,() ]+),([^,() ]+)\) static (\S+)", raw[1:])
                if not m or name not in cfg.objects:
                    raise AsaError("line %d: bad nat line %r" % (no, raw))
                real = cfg.objects[name]
                mapped = _ip(m.group(3), no, real.version)
                if real.num_addresses != 1:
                    raise AsaError("line %d: static NAT of a subnet" % no)
                # one NAT per object: a new one replaces it
                self.nat_of[name] = (m.group(1), m.group(2), mapped)
                return
            if toks[0] == "host" and len(toks) == 2:
                a = _ip(toks[1], no)
                net = ipaddress.ip_network(a)
            elif toks[0] == "subnet" and len(toks) == 3:
                a = _ip(toks[1], no, 4)
                n = _mask_len(toks[2], no)
                try:
                    net = ipaddress.ip_network("%s/%d" % (a, n))
                except ValueError:
                    raise AsaError("line %d: host bits set in %s %s" %
                                   (no, toks[1], toks[2]))
            elif toks[0] == "subnet" and len(toks) == 2 and "/" in toks[1]:
                a, _, ln = toks[1].partition("/")
                _ip(a, no, 6)
                if not re.fullmatch(r"[0-9]{1,3}", ln) or int(ln) > 128:
                    raise AsaError("line %d: bad IPv6 prefix length" % no)
                try:
                    net = ipaddress.ip_network(toks[1])
                except ValueError:
                    raise AsaError("line %d: host bits set in %s" % (no, toks[1]))
            else:
                raise AsaError("line %d: unknown object command %r" % (no, raw))
            if name in self._defined_now:
                raise AsaError("line %d: object %s already has an address" % (no, name))
            self._defined_now.add(name)
            if name in cfg.objects and cfg.objects[name] != net and self._in_use(name):
                raise AsaError("line %d: object %s is in use; its address cannot "
                               "change" % (no, name))
            cfg.objects[name] = net
        elif kind == "network-group":
            if len(toks) != 3 or toks[:2] != ["network-object", "object"]:
                raise AsaError("line %d: expected network-object object NAME" % no)
            if toks[2] not in cfg.objects:
                raise AsaError("line %d: object '%s' used before it is defined" %
                               (no, toks[2]))
            if toks[2] not in self.members[name]:      # a repeat is kept once
                self.members[name].append(toks[2])
            cfg.groups[name] = [cfg.objects[o] for o in self.members[name]]
        elif kind == "service-group":
            if len(toks) < 5 or toks[0] != "service-object" or \
                    toks[1] not in ("tcp", "udp", "tcp-udp"):
                raise AsaError("line %d: bad service-object %r" % (no, raw))
            rest, sp = toks[2:], "any"
            if rest[0] == "source":
                sp, rest = self._ports(rest[1:], no, raw)
            if not rest or rest[0] != "destination":
                raise AsaError("line %d: bad service-object %r" % (no, raw))
            (lo, hi), rest = self._ports(rest[1:], no, raw)
            if rest:
                raise AsaError("line %d: trailing words in %r" % (no, raw))
            protos = ["tcp", "udp"] if toks[1] == "tcp-udp" else [toks[1]]
            for p in protos:
                if (p, lo, hi, sp) not in cfg.services[name]:
                    cfg.services[name].append((p, lo, hi, sp))

    @staticmethod
    def _ports(toks, no, raw):
        """eq P | range LO HI at the start of toks: ((lo, hi), the rest)."""
        if len(toks) >= 2 and toks[0] == "eq":
            p = _port(toks[1], no)
            return (p, p), toks[2:]
        if len(toks) >= 3 and toks[0] == "range":
            lo, hi = _port(toks[1], no), _port(toks[2], no)
            if lo >= hi:
                raise AsaError("line %d: range %d %d is empty or one port "
                               "(use eq)" % (no, lo, hi))
            return (lo, hi), toks[3:]
        raise AsaError("line %d: bad service-object %r" % (no, raw))

    def _top(self, raw, toks, no, strict):
        cfg = self.cfg
        if toks[0] == "interface" and len(toks) == 2:
            if not IFNAME_RE.match(toks[1]) or (strict and toks[1] in cfg.nameifs):
                raise AsaError("line %d: bad or repeated interface %s" % (no, toks[1]))
            return ("interface", toks[1])
        if toks == ["same-security-traffic", "permit", "inter-interface"]:
            return None
        if toks[:2] == ["object", "network"] and len(toks) == 3:
            if toks[2] not in cfg.objects:
                _new_name(cfg, toks[2], no)
            self._defined_now = set()
            return ("object", toks[2])
        if toks[:2] in (["object-group", "network"], ["object-group", "service"]) and \
                len(toks) == 3:
            net = toks[1] == "network"
            known = cfg.groups if net else cfg.services
            if strict or toks[2] not in known:
                _new_name(cfg, toks[2], no)
                known[toks[2]] = []
                if net:
                    self.members[toks[2]] = []
            return ("network-group" if net else "service-group", toks[2])
        if toks[:3] == ["clear", "configure", "access-list"] and len(toks) == 4:
            if toks[3] in cfg.access_groups.values():
                raise AsaError("line %d: access-list %s is still bound to an "
                               "interface" % (no, toks[3]))
            cfg.acls.pop(toks[3], None)
            cfg.closed.discard(toks[3])
            return None
        if toks[:3] == ["no", "object-group", "network"] or \
                toks[:3] == ["no", "object-group", "service"]:
            name = toks[3] if len(toks) == 4 else None
            known = cfg.groups if toks[2] == "network" else cfg.services
            if name not in known:
                raise AsaError("line %d: no object-group %s: not defined" % (no, name))
            if self._in_use(name):
                raise AsaError("line %d: object-group %s is in use" % (no, name))
            del known[name]
            self.members.pop(name, None)
            return None
        if toks[:3] == ["no", "object", "network"] and len(toks) == 4:
            if toks[3] not in cfg.objects:
                raise AsaError("line %d: no object %s: not defined" % (no, toks[3]))
            if self._in_use(toks[3]):
                raise AsaError("line %d: object %s is in use" % (no, toks[3]))
            del cfg.objects[toks[3]]
            self.nat_of.pop(toks[3], None)
            return None
        if toks[0] == "no" and toks[1:2] == ["access-list"] and len(toks) >= 4:
            entries = cfg.acls.get(toks[2])
            e = self._entry(raw.split(" ", 3)[3], toks[3:], no, check=False)
            if entries is None or e not in entries:
                raise AsaError("line %d: no such entry in %s" % (no, toks[2]))
            entries.remove(e)
            return None
        if toks[0] == "access-list" and len(toks) >= 4:
            acl = toks[1]
            if not ACL_RE.match(acl):
                raise AsaError("line %d: bad access-list name %s" % (no, acl))
            rest, rtoks = raw.split(" ", 2)[2], toks[2:]
            pos = None
            if rtoks[0] == "line":
                if len(rtoks) < 3 or not re.fullmatch(r"[1-9][0-9]{0,5}", rtoks[1]):
                    raise AsaError("line %d: bad line number" % no)
                pos = int(rtoks[1])
                rest, rtoks = rest.split(" ", 2)[2], rtoks[2:]
            entries = cfg.acls.setdefault(acl, [])
            e = self._entry(rest, rtoks, no)
            if e == ("extended", "deny", "ip", "any", "any"):
                if strict and acl in cfg.closed:
                    raise AsaError("line %d: second closing deny in %s" % (no, acl))
                cfg.closed.add(acl)
            elif acl in cfg.closed and pos is None and e not in entries:
                raise AsaError("line %d: entry after the closing deny of %s" % (no, acl))
            if e[0] != "remark" and e in entries:
                if strict:
                    raise AsaError("line %d: duplicate ACE" % no)
                return None             # the ASA keeps the one it has
            # a remark is always added (the ASA keeps repeated remarks)
            if pos is None or pos > len(entries):
                entries.append(e)
            else:
                entries.insert(pos - 1, e)
            return None
        if toks[0] == "access-group" and len(toks) == 5 and toks[2:4] == ["in", "interface"]:
            if toks[1] not in cfg.acls:
                raise AsaError("line %d: access-list %s is not defined" % (no, toks[1]))
            if strict and toks[4] in cfg.access_groups:
                raise AsaError("line %d: second access-group on %s" % (no, toks[4]))
            # an interface the config does not declare is assumed to have
            # that nameif already (lyncc writes interface blocks only for
            # zones with an IFNAME); the round trip checks it is a zone
            if not NAMEIF_RE.match(toks[4]):
                raise AsaError("line %d: bad interface name %s" % (no, toks[4]))
            cfg.access_groups[toks[4]] = toks[1]    # rebinds
            return None
        raise AsaError("line %d: unsupported command %r" % (no, raw))

    def _entry(self, rest, toks, no, check=True):
        """An ACE or remark as stored: ("remark", text) or the tuple of words."""
        cfg = self.cfg
        if toks[0] == "remark":
            text = rest.split(" ", 1)[1] if " " in rest else ""
            if not 1 <= len(text) <= 100 or "?" in text or text != text.strip():
                raise AsaError("line %d: remark must be 1-100 characters "
                               "without '?'" % no)
            return ("remark", text)
        if toks == ["extended", "deny", "ip", "any", "any"]:
            return tuple(toks)
        if toks[:3] not in (["extended", "permit", "object-group"],
                            ["extended", "deny", "object-group"]) or len(toks) < 6:
            raise AsaError("line %d: unsupported access-list entry %r" % (no, rest))
        if check:
            if toks[3] not in cfg.services:
                raise AsaError("line %d: service object-group '%s' used before it "
                               "is defined" % (no, toks[3]))
            src, n1 = _side(cfg, toks[4:], no)
            dst, n2 = _side(cfg, toks[4 + n1:], no)
            if 4 + n1 + n2 != len(toks):
                raise AsaError("line %d: trailing words in %r" % (no, rest))
            if isinstance(src, str) and isinstance(dst, str):
                raise AsaError("line %d: permits any to any" % no)
            if toks[1] == "deny" and isinstance(dst, str):
                raise AsaError("line %d: a deny names its networks" % no)
        return tuple(toks)

    def config(self, closed=True):
        """The Config the device holds; closed: every ACL must end with
        deny ip any any and be bound (a dedicated firewall)."""
        cfg = self.cfg
        cfg.nats = {(r, m, cfg.objects[o].network_address, mp)
                    for o, (r, m, mp) in self.nat_of.items()}
        cfg.permits = set()
        cfg.ace_count = 0
        by_acl = {}
        for ifc, acl in cfg.access_groups.items():
            by_acl.setdefault(acl, []).append(ifc)
        for acl, entries in cfg.acls.items():
            if closed and acl not in cfg.closed:
                raise AsaError("access-list %s does not end with deny ip any any" % acl)
            aces = [e for e in entries if e[0] != "remark"]
            if closed and aces and aces[-1] != ("extended", "deny", "ip", "any", "any"):
                raise AsaError("access-list %s: entries after its closing deny" % acl)
            denies = {}
            done = False
            for e in entries:
                if e[0] == "remark":
                    continue
                if e == ("extended", "deny", "ip", "any", "any"):
                    done = True
                    continue
                if done:
                    continue        # after deny ip any any: never matches
                toks = list(e)
                svc = toks[3]
                src, n1 = _side(cfg, toks[4:], 0)
                dst, n2 = _side(cfg, toks[4 + n1:], 0)
                skey = (svc, tuple(toks[4:4 + n1]))
                if toks[1] == "deny":
                    denies.setdefault(skey, set()).update(dst)
                    continue
                cfg.ace_count += 1
                exc = frozenset(denies.get(skey, ()))
                for s in _expand(src, dst):
                    for d in _expand(dst, src):
                        if not _matches(s, d):
                            continue
                        dd = _norm(d)
                        if dd == "any" and exc:
                            dd = ("any-except", exc)
                        elif dd != "any" and any(dd.version == x.version and
                                                 dd.subnet_of(x) for x in
                                                 denies.get(skey, ())):
                            continue
                        for (p, lo, hi, sp) in cfg.services[svc]:
                            for ifc in by_acl.get(acl, []):
                                cfg.permits.add((ifc, p, _norm(s), dd, lo, hi, sp))
        return cfg


def read(text, shared=False):
    """A fresh device, one file: the strict reader."""
    dev = Device().apply(text, strict=True)
    return dev.config(closed=not shared)


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
