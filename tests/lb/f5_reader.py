#!/usr/bin/env python3
"""f5_reader.py IR.json DEVICE FILE.f5.tmsh - a strict reader of the tmsh
subset lyncc's f5 backend emits, checked against the IR.

No public tmsh schema exists (shared/validators/README.md), so this reader
accepts exactly the subset written from F5's tmsh reference (bigip.conf
syntax for `tmsh load sys config merge file`):

  ltm monitor tcp, ltm profile tcp|udp, ltm persistence source-addr|cookie,
  ltm node, ltm pool, ltm virtual-address, ltm virtual

  ltm snatpool (the edge nodes' gateway)

with the properties f5.c writes, value checks (addresses, ports, masks,
enums), names defined before use, every object in the site's partition
/lyncc_SITE (references to /Common only for F5's built-in parents,
profiles and traffic group), and then, for every LB service of DEVICE in
the IR, one virtual with the right destination, protocol, pool, members,
monitor, persistence, profiles and SNAT; no A/V virtual may ever have SNAT.
Forwarding (ip-forward) virtuals - the HLB as the edge nodes' default
gateway - are checked apart: source a node address of an HLB edge pool
DEVICE serves externally, translated only to that pool's VIP of the same
service (never for A/V), and exactly the set the IR's outbound flows from
those nodes and VIPs need (gateway_expected()).
Exit 0 when all is well, 1 with a message per problem.

As a module, parse() and objects() give the object list to
f5_device.py (the update-path simulation).
"""
import ipaddress
import json
import re
import sys

NAME = re.compile(r"^/([A-Za-z][A-Za-z0-9_.-]*)/[A-Za-z0-9_.:-]+$")
BUILTIN = {"/Common/tcp", "/Common/udp", "/Common/source_addr", "/Common/cookie",
           "/Common/http", "/Common/fastL4", "/Common/traffic-group-1"}
OBJ_KEYS = {
    "ltm monitor tcp": {"defaults-from", "description", "destination"},
    "ltm profile tcp": {"defaults-from", "idle-timeout", "nagle"},
    "ltm profile udp": {"defaults-from", "idle-timeout"},
    "ltm persistence source-addr": {"defaults-from", "timeout"},
    "ltm persistence cookie": {"always-send", "cookie-name", "defaults-from",
                               "expiration", "httponly", "method"},
    "ltm node": {"address", "description"},
    "ltm pool": {"description", "load-balancing-mode", "members", "monitor"},
    "ltm virtual-address": {"address", "arp", "description", "icmp-echo",
                            "mask", "traffic-group"},
    "ltm virtual": {"description", "destination", "ip-forward", "ip-protocol",
                    "mask", "persist", "pool", "profiles", "source",
                    "source-address-translation", "translate-address",
                    "translate-port", "vlans", "vlans-enabled"},
    "ltm snatpool": {"members"},
}
FLAGS = {"ip-forward", "vlans-enabled"}	# properties without a value
errors = []


def err(msg):
    errors.append(msg)


def tokens(text):
    """Words, quoted strings, braces and newlines; '#' lines are comments."""
    out = []
    for ln, line in enumerate(text.split("\n"), 1):
        s = line.strip()
        if s.startswith("#") or not s:
            continue
        for m in re.finditer(r'"([^"\\]*)"|([{}])|([^\s{}"]+)', line):
            if m.group(1) is not None:
                out.append(("str", m.group(1), ln))
            elif m.group(2):
                out.append((m.group(2), m.group(2), ln))
            else:
                out.append(("word", m.group(3), ln))
        out.append(("nl", "\n", ln))
    return out


def parse_block(tk, i):
    """Parse 'key value...' lines and 'key {' blocks up to the closing '}'.
    Returns (list of (key, value) where value is a str, list or dict), i."""
    items = []
    while i < len(tk):
        kind, val, ln = tk[i]
        if kind == "nl":
            i += 1
            continue
        if kind == "}":
            return items, i + 1
        words = []
        while i < len(tk) and tk[i][0] in ("word", "str"):
            words.append(tk[i][1])
            i += 1
        if not words:
            err(f"line {ln}: unexpected '{val}'")
            return items, len(tk)
        if i < len(tk) and tk[i][0] == "{":
            sub, i = parse_block(tk, i + 1)
            items.append((" ".join(words), sub))
        else:
            if len(words) < 2 and words[0] not in FLAGS and not words[0].startswith("/"):
                err(f"line {ln}: '{words[0]}' without a value")
            items.append((words[0], " ".join(words[1:])))
    err("unexpected end of file inside a block")
    return items, i


def parse(text):
    tk = tokens(text)
    objs = []
    i = 0
    while i < len(tk):
        if tk[i][0] == "nl":
            i += 1
            continue
        ln = tk[i][2]
        words = []
        while i < len(tk) and tk[i][0] == "word":
            words.append(tk[i][1])
            i += 1
        if i >= len(tk) or tk[i][0] != "{" or len(words) < 2:
            err(f"line {ln}: expected 'ltm TYPE /Common/NAME {{'")
            return objs
        body, i = parse_block(tk, i + 1)
        typ, name = " ".join(words[:-1]), words[-1]
        if typ not in OBJ_KEYS:
            err(f"line {ln}: object type '{typ}' is outside the subset")
        if not NAME.match(name):
            err(f"line {ln}: bad object name '{name}'")
        keys = [k for k, _ in body]
        for k in keys:
            if typ in OBJ_KEYS and k not in OBJ_KEYS[typ]:
                err(f"line {ln}: {typ} {name}: unknown property '{k}'")
        if len(keys) != len(set(keys)):
            err(f"line {ln}: {typ} {name}: a property is repeated")
        objs.append((typ, name, dict(body), ln))
    return objs


def addr(s, what):
    try:
        return ipaddress.ip_address(s)
    except ValueError:
        err(f"{what}: bad address '{s}'")
        return None


PART = [None]		# the partition, from the site name


def partition(site):
    return ("lyncc_" + re.sub(r"[^A-Za-z0-9_.-]", "_", site))[:63]


def split_dest(s, what, anyport=False):
    """'/P/1.2.3.4:443' or '/P/2001:db8::1.443' -> (addr, port); with
    anyport, port 0 (any port) is allowed."""
    pre = f"/{PART[0]}/"
    if not s.startswith(pre):
        err(f"{what}: '{s}' not in {pre}")
        return None, None
    s = s[len(pre):]
    if "." in s and ":" in s.split(".")[0] or s.startswith("::."):	# IPv6: port after the last '.'
        a, _, p = s.rpartition(".")
    else:
        a, _, p = s.rpartition(":")
    if anyport and p == "0":		# port 0: any port (forwarding virtuals)
        return addr(a, what), 0
    if not p.isdigit() or not 1 <= int(p) <= 65535:
        err(f"{what}: bad port in '{s}'")
        return None, None
    ad = addr(a, what)
    if ad is not None and ad.version == 6 and ":" in s.rpartition(".")[2]:
        err(f"{what}: IPv6 port must follow '.'")
    return ad, int(p)


EDGE_ROLES = {"edge.access": ("access", False), "edge.access-vip": ("access", True),
              "edge.webconf": ("webconf", False), "edge.webconf-vip": ("webconf", True),
              "edge.av": ("av", False), "edge.av-vip": ("av", True)}


def gateway_expected(ir, dev):
    """{(source address, protocol, port or 0, VIP or None)} the edge nodes
    originate through DEVICE, from the IR's flows (the firewall's)."""
    d = next(x for x in ir["devices"] if x["name"] == dev)
    pools = {p["name"]: p for p in ir["pools"]}
    want = set()
    for f in ir["flows"]:
        src = f["source"]
        p = pools.get(src.get("pool"))
        if f["unreachable"] or src.get("role") not in EDGE_ROLES or p is None:
            continue
        ext = next((sd for sd in p["sides"] if sd["side"] == "external"), None)
        if ext is None or ext["lb"] != "hlb" or f"{p['name']}.external" not in d["serves"] \
                or f["destination"]["zone"] == ext["zone"]:
            continue
        svc, vip = EDGE_ROLES[src["role"]]
        protos = ["tcp", "udp"] if f["protocol"] == "tcp-udp" else [f["protocol"]]
        for n in p["node_addresses"]:
            for a in n.get(svc, []):
                fam = ipaddress.ip_address(a).version
                to = None
                if vip:
                    to = next((v for v in ext["vips"].get(svc, [])
                               if ipaddress.ip_address(v).version == fam), None)
                    if to is None:
                        continue
                for pr in protos:
                    want.add((a, pr, f["port_low"] if vip else 0, to))
    # the IR's own list (expand.c lb_forwards) must say the same
    ir_fw = set()
    for x in ir.get("lb_forwards", []):
        if x["device"] != dev:
            continue
        protos = ["tcp", "udp"] if x["protocol"] == "tcp-udp" else [x["protocol"]]
        for a in x["sources"]:
            fam = ipaddress.ip_address(a).version
            to = next((v for v in x["snat_to"] if ipaddress.ip_address(v).version == fam), None)
            if x["snat_to"] and to is None:
                continue
            for pr in protos:
                ir_fw.add((a, pr, x["port_low"] if x["snat_to"] else 0, to))
    if ir_fw != want:
        err(f"gateway: the IR's lb_forwards {sorted(ir_fw - want, key=str)} / "
            f"flows {sorted(want - ir_fw, key=str)} disagree")
    return want


def node_vlan(ir, addr):
    """The BIG-IP VLAN a forwarding virtual from node address ADDR must be
    enabled on: /Common/ and the zone of its pool's external side (a load
    balancer has no `interface`, docs/lb-backends.md), or None."""
    a = ipaddress.ip_address(addr)
    for p in ir["pools"]:
        if any(ipaddress.ip_address(x) == a for n in p["node_addresses"]
               for k in ("access", "webconf", "av") for x in n.get(k, [])):
            ext = next((sd for sd in p["sides"] if sd["side"] == "external"), None)
            return "/Common/" + ext["zone"] if ext else None
    return None


def check_gateway(ir, dev, by, fwds):
    av = set()
    for p in ir["pools"]:
        for n in p["node_addresses"]:
            av.update(n.get("av", []))
    # a node address A/V shares with Access (one address, distinct ports)
    # is translated on the Access flows' ports; A/V's own are untranslated
    av -= {a for p in ir["pools"] for n in p["node_addresses"]
           for k in ("access", "webconf") for a in n.get(k, [])}
    got = set()
    for n, b in fwds.items():
        a, port = split_dest(b.get("destination", ""), n, anyport=True)
        if a is None or int(a) != 0:
            err(f"{n}: a forwarding virtual's destination must be the wildcard address")
        if b.get("mask") != "any" or b.get("translate-address") != "disabled" or \
                b.get("translate-port") != "disabled":
            err(f"{n}: forwarding virtual needs mask any and no address/port translation")
        if [k for k, _ in b.get("profiles", [])] != ["/Common/fastL4"]:
            err(f"{n}: forwarding virtual needs the fastL4 profile only")
        src = b.get("source", "")
        net = ipaddress.ip_network(src, strict=True) if "/" in src else None
        if net is None or net.num_addresses != 1:
            err(f"{n}: source {src} is not one host")
            continue
        sat = dict(b.get("source-address-translation", []))
        to = None
        if sat.get("type") == "snat":
            sp = by.get(("ltm snatpool", sat.get("pool")))
            mem = [k for k, _ in sp.get("members", [])] if sp else []
            if len(mem) != 1:
                err(f"{n}: snatpool {sat.get('pool')} must hold one address")
                continue
            to = mem[0].rpartition("/")[2]
        elif sat.get("type") != "none":
            err(f"{n}: source-address-translation {sat}")
        a0 = str(net.network_address)
        # only what arrives on the nodes' VLAN (review R5)
        vl = [k for k, _ in b.get("vlans", [])] if isinstance(b.get("vlans"), list) else None
        if "vlans-enabled" not in b or vl != [node_vlan(ir, a0)]:
            err(f"{n}: forwarding virtual needs vlans {{ {node_vlan(ir, a0)} }} "
                f"vlans-enabled, has {vl} {'vlans-enabled' in b}")
        if a0 in av and to is not None:
            err(f"{n}: A/V node {a0} is source-translated (must keep its address)")
        got.add((a0, b.get("ip-protocol"), port, to))
    want = gateway_expected(ir, dev)
    for x in sorted(want - got, key=str):
        err(f"gateway: missing forwarding virtual for {x}")
    for x in sorted(got - want, key=str):
        err(f"gateway: forwarding virtual {x} that no IR flow needs")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    ir = json.load(open(sys.argv[1]))
    dev = sys.argv[2]
    PART[0] = partition(ir["site"])
    objs = parse(open(sys.argv[3]).read())
    by = {}
    seen = set()
    for typ, name, body, ln in objs:
        if not name.startswith(f"/{PART[0]}/"):
            err(f"line {ln}: {typ} {name} is outside the partition /{PART[0]}")
        # names used must be defined before use
        refs = []
        if typ == "ltm pool":
            refs.append(("ltm monitor tcp", body.get("monitor")))
        if typ == "ltm virtual":
            if "pool" in body or "ip-forward" not in body:
                refs.append(("ltm pool", body.get("pool")))
            for k, _ in body.get("persist", []):
                refs.append(("persist", k))
            for k, _ in body.get("profiles", []):
                refs.append(("profile", k))
            sat = dict(body.get("source-address-translation", []))
            if "pool" in sat:
                refs.append(("ltm snatpool", sat["pool"]))
        for v in body.values() if isinstance(body, dict) else []:
            if isinstance(v, str) and v.startswith("/Common/") and v not in BUILTIN:
                err(f"line {ln}: {typ} {name} refers to {v} outside the partition")
        for rt, rn in refs:
            if rn in BUILTIN:
                continue
            ok = any((t, rn) in seen for t in OBJ_KEYS) if rt in ("persist", "profile") \
                else (rt, rn) in seen
            if not ok:
                err(f"line {ln}: {typ} {name} uses '{rn}' before it is defined")
        if (typ, name) in seen:
            err(f"line {ln}: {typ} {name} defined twice")
        seen.add((typ, name))
        by[(typ, name)] = body
        # value checks
        if typ == "ltm monitor tcp":
            d = body.get("destination", "")
            if body.get("defaults-from") != "/Common/tcp" or not re.match(r"^\*:\d+$", d):
                err(f"{name}: monitor needs defaults-from /Common/tcp and destination *:PORT")
        if typ in ("ltm profile tcp", "ltm profile udp"):
            if not body.get("idle-timeout", "").isdigit():
                err(f"{name}: idle-timeout must be seconds")
            if body.get("nagle", "disabled") not in ("enabled", "disabled", "auto"):
                err(f"{name}: bad nagle")
        if typ in ("ltm node", "ltm virtual-address"):
            if addr(body.get("address", ""), name) is not None and \
                    name != f"/{PART[0]}/" + body["address"]:
                err(f"{name}: name and address differ")
        for k in ("arp", "icmp-echo", "translate-address", "translate-port",
                  "always-send", "httponly"):
            if k in body and body[k] not in ("enabled", "disabled"):
                err(f"{name}: {k} must be enabled or disabled")

    mons = {n: b for (t, n), b in by.items() if t == "ltm monitor tcp"}
    pools = {n: b for (t, n), b in by.items() if t == "ltm pool"}
    virts = {}
    fwds = {}
    for (t, n), b in by.items():
        if t == "ltm virtual" and "ip-forward" in b:
            fwds[n] = b
        elif t == "ltm virtual":
            a, p = split_dest(b.get("destination", ""), n)
            virts[(str(a), p, b.get("ip-protocol"))] = (n, b)
    check_gateway(ir, dev, by, fwds)
    av_vips = set()
    for p in ir["pools"]:
        if p["kind"] == "edge":
            for sd in p["sides"]:
                av_vips.update(sd["vips"].get("av", []))
    # a VIP the A/V service shares with Access / Web Conferencing (one
    # address, distinct ports: `port access 5061;`) is A/V only on A/V's
    # own services
    shared_vips = {v for p in ir["pools"] if p["kind"] == "edge" for sd in p["sides"]
                   for k in ("access", "webconf") for v in sd["vips"].get(k, [])}

    svcs = [s for s in ir["lb_services"] if s["device"] == dev]
    if len(virts) != len(svcs):
        err(f"{len(virts)} virtual servers for {len(svcs)} LB services")
    for s in svcs:
        key = (str(ipaddress.ip_address(s["vip"])), s["port"], s["protocol"])
        what = f"{s['id']} ({s['vip']} {s['protocol']} {s['port']})"
        if key not in virts:
            err(f"{what}: no virtual server")
            continue
        vn, v = virts[key]
        v6 = ipaddress.ip_address(s["vip"]).version == 6
        want_mask = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" if v6 else "255.255.255.255"
        if v.get("mask") != want_mask:
            err(f"{what}: mask {v.get('mask')}")
        if v.get("source") != ("::/0" if v6 else "0.0.0.0/0"):
            err(f"{what}: source {v.get('source')}")
        if ("ltm virtual-address", f"/{PART[0]}/" + s["vip"]) not in by:
            err(f"{what}: no ltm virtual-address for the VIP")
        # never DSR: the BIG-IP translates address and port
        if v.get("translate-address") != "enabled" or v.get("translate-port") != "enabled":
            err(f"{what}: translate-address/translate-port must be enabled")
        snat = dict(v.get("source-address-translation", [])).get("type")
        if snat != ("automap" if s["snat"] else "none"):
            err(f"{what}: SNAT type {snat}, IR says snat={s['snat']}")
        if s["vip"] in av_vips and (s["vip"] not in shared_vips or ".av-" in s["id"]) \
                and snat != "none":
            err(f"{what}: an A/V virtual has SNAT")
        if s["transparent"] and "members route back" not in v.get("description", ""):
            err(f"{what}: a no-SNAT virtual does not say the members route back")
        # pool, members, monitor, balancing
        pool = pools.get(v.get("pool"))
        if pool is None:
            err(f"{what}: pool {v.get('pool')} missing")
            continue
        if pool.get("load-balancing-mode") != "least-connections-member":
            err(f"{what}: load-balancing-mode {pool.get('load-balancing-mode')}")
        got = set()
        for mname, mbody in pool.get("members", []):
            a, p = split_dest(mname, what)
            if a is None:
                continue
            if dict(mbody).get("address") != str(a):
                err(f"{what}: member {mname} address {dict(mbody).get('address')}")
            if ("ltm node", f"/{PART[0]}/" + str(a)) not in by:
                err(f"{what}: member {mname} has no ltm node")
            got.add((str(a), p))
        want = {(str(ipaddress.ip_address(m.split(":", 1)[1])), s["member_port"])
                for m in s["members"]}
        if got != want:
            err(f"{what}: members {sorted(got)}, IR {sorted(want)}")
        mon = mons.get(pool.get("monitor"))
        if mon is None or mon.get("destination") != f"*:{s['monitor_tcp_port']}":
            err(f"{what}: monitor is not TCP {s['monitor_tcp_port']}")
        # profiles: TCP/UDP with the idle timeout (and Nagle off where asked)
        profs = [k for k, _ in v.get("profiles", [])]
        kind = "ltm profile " + s["protocol"]
        pb = [by[(kind, k)] for k in profs if (kind, k) in by]
        if len(pb) != 1:
            err(f"{what}: wants exactly one {kind} profile, has {profs}")
        else:
            if pb[0].get("idle-timeout") != str(s["idle_timeout"] or 1800):
                err(f"{what}: idle-timeout {pb[0].get('idle-timeout')}")
            if s["protocol"] == "tcp" and (pb[0].get("nagle") == "disabled") != (not s["nagle"]):
                err(f"{what}: Nagle setting differs from the IR")
        # persistence
        pers = [k for k, _ in v.get("persist", [])]
        if s["persistence"] == "none":
            if pers:
                err(f"{what}: persistence {pers}, IR none")
        elif len(pers) != 1:
            err(f"{what}: wants one persistence profile, has {pers}")
        elif s["persistence"] == "source":
            pb = by.get(("ltm persistence source-addr", pers[0]))
            if pb is None or pb.get("defaults-from") != "/Common/source_addr" or \
                    pb.get("timeout") != str(s["persistence_timeout"] or 1200):
                err(f"{what}: source-address persistence profile wrong")
            if dict(v["persist"])[pers[0]] != [("default", "yes")]:
                err(f"{what}: persistence not default yes")
        elif s["persistence"] == "cookie":
            pb = by.get(("ltm persistence cookie", pers[0]))
            if pb is None or pb.get("cookie-name") != "MS-WSMAN" or \
                    pb.get("expiration") != "0" or pb.get("httponly") != "disabled" or \
                    pb.get("method") != "insert":
                err(f"{what}: cookie persistence must be MS-WSMAN, insert, no expiry, "
                    "not httpOnly")
            if "/Common/http" not in profs:
                err(f"{what}: cookie persistence without an http profile")
    for e in errors:
        print(f"f5_reader: {sys.argv[3]}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
