#!/usr/bin/env python3
"""srx_reader.py - a strict reader of the Junos SRX XML subset lyncc emits.

It checks what the junos-es YANG validation (tests/validators) cannot:
IP prefix syntax, that every name a policy, address-set, application-set
or NAT rule uses is defined, that every policy matches a source, a
destination and an application and permits, that list keys come first,
that names are at most 63 characters of letters, digits and ._-, and that
only the elements lyncc writes appear:

  configuration
    security
      address-book (name global) / address (name, ip-prefix) /
                                   address-set (name, address/name)
      nat / static / rule-set (name, from/zone, rule (name,
            static-nat-rule-match/destination-address/dst-addr,
            then/static-nat/prefix/addr-prefix))
      policies / policy (from-zone-name, to-zone-name, policy (name,
            description?, match (source-address+, destination-address+,
            application+), then/permit))
      zones / security-zone (name, description?, interfaces (name)*)
    applications
      application (name, protocol tcp|udp, source-port N or N-M (optional),
                   destination-port N or N-M)
      application-set (name, application (name)+)

read(text) returns a Config with .permits: the set of
(from_zone, to_zone, proto, src, dst, lo, hi, sport), sport "any" or (lo, hi), src/dst an ipaddress network
or "any", expanded over the address-sets and application-sets (pairs of
addresses of different families never match), and .nats: the set of
(from_zone, public, real).
"""
import ipaddress
import re
import sys
import xml.etree.ElementTree as ET

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,62}$")
ANY = {"any": None, "any-ipv4": 4, "any-ipv6": 6}


class SrxError(Exception):
    pass


class Config:
    def __init__(self):
        self.addresses = {}
        self.sets = {}
        self.apps = {}
        self.appsets = {}
        self.zones = {}
        self.permits = set()
        self.nats = set()
        self.policy_count = 0


def _path(el, parents):
    return "/".join(parents + [el.tag])


def _children(el, allowed, where, first=None):
    kids = list(el)
    for k in kids:
        if k.tag not in allowed:
            raise SrxError("%s: unexpected element <%s>" % (where, k.tag))
        if k.text and k.text.strip() and len(k):
            raise SrxError("%s/%s: mixed content" % (where, k.tag))
    if first:
        if [k.tag for k in kids[:len(first)]] != first:
            raise SrxError("%s: the keys %s must come first" % (where, ", ".join(first)))
    return kids


def _text(el, where):
    if len(el):
        raise SrxError("%s: <%s> must hold text only" % (where, el.tag))
    t = el.text or ""
    if not t or t != t.strip():
        raise SrxError("%s: <%s> is empty or has blanks around its text" % (where, el.tag))
    return t


def _name(el, where):
    t = _text(el, where)
    if not NAME_RE.match(t):
        raise SrxError("%s: bad name '%s'" % (where, t))
    return t


def _one(el, tag, where):
    found = el.findall(tag)
    if len(found) != 1:
        raise SrxError("%s: expected exactly one <%s>" % (where, tag))
    return found[0]


def _prefix(t, where, host=False):
    m = re.fullmatch(r"([0-9A-Fa-f:.]+)/([0-9]{1,3})", t)
    if not m:
        raise SrxError("%s: '%s' is not ADDRESS/LENGTH" % (where, t))
    try:
        a = ipaddress.ip_address(m.group(1))
        n = ipaddress.ip_network(t)
    except ValueError:
        raise SrxError("%s: '%s' is not a valid prefix (host bits set?)" % (where, t))
    if str(a) != m.group(1):
        raise SrxError("%s: '%s' is not in canonical form" % (where, t))
    if host and n.num_addresses != 1:
        raise SrxError("%s: '%s' is not one address" % (where, t))
    return n


def _port(t, where):
    m = re.fullmatch(r"([0-9]{1,5})(?:-([0-9]{1,5}))?", t)
    if not m:
        raise SrxError("%s: bad destination-port '%s'" % (where, t))
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else lo
    if not (1 <= lo <= 65535 and 1 <= hi <= 65535) or lo > hi or \
            (m.group(2) and lo == hi):
        raise SrxError("%s: port range '%s' is outside 1-65535 or empty" % (where, t))
    return lo, hi


def _address_book(cfg, ab, where):
    kids = _children(ab, {"name", "address", "address-set"}, where, ["name"])
    if _text(kids[0], where) != "global":
        raise SrxError("%s: only the global address book is written" % where)
    for k in kids[1:]:
        w = "%s/%s" % (where, k.tag)
        if k.tag == "address":
            kk = _children(k, {"name", "ip-prefix"}, w, ["name"])
            n = _name(kk[0], w)
            if n in cfg.addresses or n in cfg.sets:
                raise SrxError("%s: '%s' defined twice" % (w, n))
            cfg.addresses[n] = _prefix(_text(_one(k, "ip-prefix", w), w), w)
        elif k.tag == "address-set":
            kk = _children(k, {"name", "address", "address-set"}, w, ["name"])
            n = _name(kk[0], w)
            if n in cfg.addresses or n in cfg.sets:
                raise SrxError("%s: '%s' defined twice" % (w, n))
            members = []
            for m in kk[1:]:
                _children(m, {"name"}, w + "/" + m.tag, ["name"])
                ref = _name(_one(m, "name", w), w)
                if m.tag == "address" and ref in cfg.addresses:
                    members.append(cfg.addresses[ref])
                elif m.tag == "address-set" and ref in cfg.sets:
                    members.extend(cfg.sets[ref])
                else:
                    raise SrxError("%s: '%s' is not a defined %s" % (w, ref, m.tag))
            if not members:
                raise SrxError("%s: address-set '%s' is empty" % (w, n))
            cfg.sets[n] = members


def _applications(cfg, el, where):
    for k in _children(el, {"application", "application-set"}, where):
        w = "%s/%s" % (where, k.tag)
        if k.tag == "application":
            kk = _children(k, {"name", "protocol", "source-port", "destination-port"},
                           w, ["name"])
            n = _name(kk[0], w)
            proto = _text(_one(k, "protocol", w), w)
            if proto not in ("tcp", "udp"):
                raise SrxError("%s: protocol '%s' is not tcp or udp" % (w, proto))
            lo, hi = _port(_text(_one(k, "destination-port", w), w), w)
            sp = "any"
            if k.find("source-port") is not None:
                sp = _port(_text(_one(k, "source-port", w), w), w)
            if len(kk) != (4 if sp != "any" else 3) or n in cfg.apps or n in cfg.appsets:
                raise SrxError("%s: malformed or repeated application '%s'" % (w, n))
            cfg.apps[n] = [(proto, lo, hi, sp)]
        else:
            kk = _children(k, {"name", "application"}, w, ["name"])
            n = _name(kk[0], w)
            members = []
            for m in kk[1:]:
                _children(m, {"name"}, w + "/application", ["name"])
                ref = _name(_one(m, "name", w), w)
                if ref not in cfg.apps:
                    raise SrxError("%s: application '%s' is not defined" % (w, ref))
                members.extend(cfg.apps[ref])
            if not members or n in cfg.apps or n in cfg.appsets:
                raise SrxError("%s: empty or repeated application-set '%s'" % (w, n))
            cfg.appsets[n] = members


def _zones(cfg, el, where):
    for z in _children(el, {"security-zone"}, where):
        w = where + "/security-zone"
        kk = _children(z, {"name", "description", "interfaces"}, w, ["name"])
        n = _name(kk[0], w)
        if n in cfg.zones:
            raise SrxError("%s: zone '%s' defined twice" % (w, n))
        ifs = []
        for k in kk[1:]:
            if k.tag == "description":
                t = _text(k, w)
                if len(t) > 900:
                    raise SrxError("%s: description longer than 900" % w)
            else:
                _children(k, {"name"}, w + "/interfaces", ["name"])
                ifs.append(_text(_one(k, "name", w), w))
        cfg.zones[n] = ifs


def _resolve_addr(cfg, ref, where):
    if ref in ANY:
        return [ref]
    if ref in cfg.addresses:
        return [cfg.addresses[ref]]
    if ref in cfg.sets:
        return cfg.sets[ref]
    raise SrxError("%s: address '%s' is not defined" % (where, ref))


def _matches(s, d):
    for x, y in ((s, d), (d, s)):
        if isinstance(x, str) and ANY[x] and not isinstance(y, str) and \
                y.version != ANY[x]:
            return False
    if not isinstance(s, str) and not isinstance(d, str):
        return s.version == d.version
    return True


def _norm(x):
    return "any" if isinstance(x, str) else x


def _policies(cfg, el, where):
    names = set()
    for ctx in _children(el, {"policy"}, where):
        w = where + "/policy"
        kk = _children(ctx, {"from-zone-name", "to-zone-name", "policy"}, w,
                       ["from-zone-name", "to-zone-name"])
        fz, tz = _text(kk[0], w), _text(kk[1], w)
        for z in (fz, tz):
            if z not in cfg.zones:
                raise SrxError("%s: zone '%s' is not defined" % (w, z))
        if len(kk) == 2:
            raise SrxError("%s: no policies from %s to %s" % (w, fz, tz))
        for p in kk[2:]:
            pw = "%s[%s->%s]/policy" % (w, fz, tz)
            pk = _children(p, {"name", "description", "match", "then"}, pw, ["name"])
            n = _name(pk[0], pw)
            if n in names:
                raise SrxError("%s: policy name '%s' used twice" % (pw, n))
            names.add(n)
            pw = "%s[%s]" % (pw, n)
            d = p.find("description")
            if d is not None and len(_text(d, pw)) > 900:
                raise SrxError("%s: description longer than 900" % pw)
            match = _one(p, "match", pw)
            _children(match, {"source-address", "destination-address", "application"},
                      pw + "/match")
            srcs, dsts, svcs = [], [], []
            for k in match:
                ref = _text(k, pw)
                if k.tag == "source-address":
                    srcs.extend(_resolve_addr(cfg, ref, pw))
                elif k.tag == "destination-address":
                    dsts.extend(_resolve_addr(cfg, ref, pw))
                elif ref in cfg.apps:
                    svcs.extend(cfg.apps[ref])
                elif ref in cfg.appsets:
                    svcs.extend(cfg.appsets[ref])
                else:
                    raise SrxError("%s: application '%s' is not defined (and 'any' "
                                   "is never written)" % (pw, ref))
            if not srcs or not dsts or not svcs:
                raise SrxError("%s: the match needs a source, a destination and an "
                               "application" % pw)
            then = _one(p, "then", pw)
            _children(then, {"permit"}, pw + "/then")
            permit = _one(then, "permit", pw)
            if len(permit) or (permit.text or "").strip():
                raise SrxError("%s: <permit/> must be empty" % pw)
            if all(isinstance(s, str) for s in srcs) and \
                    all(isinstance(x, str) for x in dsts):
                raise SrxError("%s: permits any to any" % pw)
            cfg.policy_count += 1
            for s in srcs:
                for dd in dsts:
                    if not _matches(s, dd):
                        continue
                    for (proto, lo, hi, sp) in svcs:
                        cfg.permits.add((fz, tz, proto, _norm(s), _norm(dd), lo, hi, sp))


def _nat(cfg, el, where):
    _children(el, {"static"}, where)
    st = _one(el, "static", where)
    names = set()
    for rs in _children(st, {"rule-set"}, where + "/static"):
        w = where + "/static/rule-set"
        kk = _children(rs, {"name", "from", "rule"}, w, ["name"])
        names.add(_name(kk[0], w))
        fr = _one(rs, "from", w)
        _children(fr, {"zone"}, w + "/from")
        zone = _text(_one(fr, "zone", w), w)
        if zone not in cfg.zones:
            raise SrxError("%s: zone '%s' is not defined" % (w, zone))
        for r in rs.findall("rule"):
            rw = w + "/rule"
            rk = _children(r, {"name", "static-nat-rule-match", "then"}, rw, ["name"])
            rn = _name(rk[0], rw)
            if rn in names:
                raise SrxError("%s: name '%s' used twice" % (rw, rn))
            names.add(rn)
            m = _one(r, "static-nat-rule-match", rw)
            _children(m, {"destination-address"}, rw + "/static-nat-rule-match")
            da = _one(m, "destination-address", rw)
            _children(da, {"dst-addr"}, rw)
            pub = _prefix(_text(_one(da, "dst-addr", rw), rw), rw, host=True)
            t = _one(r, "then", rw)
            _children(t, {"static-nat"}, rw + "/then")
            sn = _one(t, "static-nat", rw)
            _children(sn, {"prefix"}, rw + "/then/static-nat")
            pf = _one(sn, "prefix", rw)
            _children(pf, {"addr-prefix"}, rw)
            real = _prefix(_text(_one(pf, "addr-prefix", rw), rw), rw, host=True)
            if real.version != pub.version:
                raise SrxError("%s: NAT between address families" % rw)
            cfg.nats.add((zone, pub.network_address, real.network_address))


def _body(cfg, root, where, zones_needed=True):
    """The security/applications content of a configuration (or group)."""
    kids = [k for k in root if k.tag in ("security", "applications")]
    if [k.tag for k in kids] not in (["security", "applications"], ["security"]):
        raise SrxError("%s: expected <security> then <applications>" % where)
    sec = _one(root, "security", where)
    _children(sec, {"address-book", "nat", "policies", "zones"}, where + "/security")
    apps = root.find("applications")
    if apps is not None:
        _applications(cfg, apps, "applications")
    zones = sec.findall("zones")
    if zones:
        _zones(cfg, zones[0], "security/zones")
    elif zones_needed:
        raise SrxError("security: expected exactly one <zones>")
    ab = sec.findall("address-book")
    if len(ab) > 1:
        raise SrxError("security: more than one address book")
    if ab:
        _address_book(cfg, ab[0], "security/address-book")
    nat = sec.findall("nat")
    if nat:
        _nat(cfg, nat[0], "security/nat")
    pol = sec.findall("policies")
    if pol:
        _policies(cfg, pol[0], "security/policies")
    return cfg


def _parse(text):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise SrxError("not well-formed XML: %s" % e)
    if root.tag != "configuration" or root.attrib:
        raise SrxError("the root must be a plain <configuration>")
    return root


def read(text, shared_zones=None):
    """One lyncc file: <configuration> holding one <groups replace="replace">
    (name lync-..., security, applications) and <apply-groups> naming it.
    shared_zones: the zones a shared firewall already has (its file has no
    <zones>)."""
    root = _parse(text)
    kids = _children(root, {"groups", "apply-groups"}, "configuration")
    if [k.tag for k in kids] != ["groups", "apply-groups"]:
        raise SrxError("configuration: expected one <groups> then <apply-groups>")
    g = kids[0]
    if g.attrib != {"replace": "replace"}:
        raise SrxError("groups: the group must carry replace=\"replace\"")
    gk = _children(g, {"name", "security", "applications"}, "groups", ["name"])
    name = _text(gk[0], "groups")
    if not name.startswith("lync-") or _text(kids[1], "apply-groups") != name:
        raise SrxError("groups: name '%s' must start with lync- and be applied" % name)
    cfg = Config()
    if shared_zones is not None:
        for z in shared_zones:
            cfg.zones[z] = []
    _body(cfg, g, "groups", zones_needed=shared_zones is None)
    for n in list(cfg.addresses) + list(cfg.sets) + list(cfg.apps) + list(cfg.appsets):
        if not n.startswith("lync-"):
            raise SrxError("name '%s' does not start with lync-" % n)
    cfg.group = name
    return cfg


# ---- a simulated device: load merge | replace | override | update ------------

LEAF_LISTS = {"apply-groups", "source-address", "destination-address"}


def _key(el):
    """The identity of a list entry among its siblings (None: a container or
    a leaf, identified by its tag)."""
    if el.tag == "policy" and el.find("from-zone-name") is not None:
        return (el.tag, el.findtext("from-zone-name"), el.findtext("to-zone-name"))
    first = el[0] if len(el) else None
    if first is not None and first.tag == "name":
        return (el.tag, first.text)
    if el.tag in LEAF_LISTS or (el.tag == "application" and not len(el)):
        return (el.tag, el.text)
    return (el.tag,)


def _copy(el):
    c = ET.Element(el.tag)
    c.text = el.text
    for k in el:
        c.append(_copy(k))
    return c


def _merge(dst, src, replace_tags):
    """Merge src's children into dst (Junos semantics: list entries by key,
    leaves replaced, leaf-list values added); with replace_tags, an element
    carrying replace="replace" replaces its counterpart whole."""
    index = {_key(k): k for k in dst}
    for c in src:
        k = _key(c)
        old = index.get(k)
        if old is None:
            n = _copy(c)
            dst.append(n)
            index[k] = n
        elif replace_tags and c.get("replace") == "replace":
            pos = list(dst).index(old)
            dst.remove(old)
            n = _copy(c)
            dst.insert(pos, n)
            index[k] = n
        elif not len(c):
            old.text = c.text
        else:
            _merge(old, c, replace_tags)


class Device:
    """A simulated SRX candidate configuration."""

    def __init__(self, text=None):
        self.root = ET.Element("configuration")
        if text:
            self.root = _copy(_parse(text))

    def load(self, text, mode):
        new = _parse(text)
        if mode == "merge":
            _merge(self.root, new, False)
        elif mode == "replace":
            _merge(self.root, new, True)
        elif mode in ("override", "update"):
            # both leave the configuration equal to the file
            self.root = _copy(new)
        else:
            raise SrxError("unknown load mode %s" % mode)
        return self

    def effective(self):
        """The configuration with the applied groups inherited: local
        statements first, a group's list entries after them."""
        eff = ET.Element("configuration")
        groups = {g.findtext("name"): g for g in self.root.findall("groups")}
        for k in self.root:
            if k.tag not in ("groups", "apply-groups"):
                eff.append(_copy(k))
        for a in self.root.findall("apply-groups"):
            g = groups.get(a.text)
            if g is None:
                raise SrxError("apply-groups %s: no such group" % a.text)
            body = ET.Element("x")
            for k in g:
                if k.tag != "name":
                    body.append(k)
            _inherit(eff, body)
        return eff

    def config(self):
        """The permits the device enforces (read()'s Config)."""
        eff = self.effective()
        if eff.find("applications") is None:
            ET.SubElement(eff, "applications")
        order = {"security": 0, "applications": 1}
        kids = sorted(list(eff), key=lambda k: order.get(k.tag, 2))
        for k in list(eff):
            eff.remove(k)
        for k in kids:
            eff.append(k)
        return _body(Config(), eff, "device")


def _inherit(dst, src):
    """Like _merge, but what dst has wins (inheritance)."""
    index = {_key(k): k for k in dst}
    for c in src:
        old = index.get(_key(c))
        if old is None:
            dst.append(_copy(c))
        elif len(c):
            _inherit(old, c)


def main(argv):
    rc = 0
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                cfg = read(f.read())
        except SrxError as e:
            print("%s: %s" % (path, e))
            rc = 1
            continue
        print("%s: ok, %d policies, %d permitted tuples, %d static NATs" %
              (path, cfg.policy_count, len(cfg.permits), len(cfg.nats)))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
