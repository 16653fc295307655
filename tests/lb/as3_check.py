#!/usr/bin/env python3
"""as3_check.py IR.json DEVICE FILE.as3.json [IR DEVICE FILE ...] - validate a `-t f5-as3`
declaration against F5's AS3 schema (tests/lb/as3/) and check it against
the IR.

1. Schema: the vendored AS3 schema (draft-07) with a format checker for
   F5's formats f5ip and f5bigip (see tests/lb/as3/README.md).
2. Structure: an AS3 request (deploy, persist) holding one ADC declaration
   with updateMode selective, one tenant lyncc_SITE (the tmsh partition's
   name) and one application named after DEVICE; every `use` pointer names
   an object of the class it must have, in that application.
3. Against the IR, for every LB service of DEVICE: one Service_TCP /
   Service_UDP (Service_HTTP for cookie persistence) on VIP:port, its pool
   least-connections-member with exactly the IR's members on the member
   port, a TCP monitor on the monitor port, persistence (source-address with
   the timeout, cookie MS-WSMAN insert with ttl 0, httpOnly false, alwaysSet
   true), the idle timeout and Nagle in the profile, snat auto or none as
   the IR says; no A/V service ever has SNAT.  Forwarding services (the
   edge nodes' default gateway) match f5_reader.gateway_expected() exactly.
Exit 0 when all is well, 1 with a message per problem.
"""
import ipaddress
import json
import os
import re
import sys

import jsonschema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import f5_reader  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "as3", "as3-schema-3.56.0-10.json")
errors = []


def err(msg):
    errors.append(msg)


FMT = jsonschema.FormatChecker()


@FMT.checks("f5ip")
def f5ip(v):
    if not isinstance(v, str):
        return True
    if v in ("", "any", "any6"):
        return True
    m = re.match(r"^([^%/]+)(%\d+)?(/\d+)?$", v)
    if not m:
        return False
    try:
        a = ipaddress.ip_address(m.group(1))
    except ValueError:
        return False
    if m.group(3) and int(m.group(3)[1:]) > a.max_prefixlen:
        return False
    return True


@FMT.checks("f5bigip")
def f5bigip(v):
    return not isinstance(v, str) or re.match(r"^/[^\x00-\x20\"]+$", v) is not None


def validator():
    schema = json.load(open(SCHEMA))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=FMT)


def check(ir, dev, doc, v):
    for e in v.iter_errors(doc):
        e = jsonschema.exceptions.best_match([e]) if not e.context else \
            jsonschema.exceptions.best_match(e.context)
        err(f"schema: at {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
    if doc.get("class") != "AS3" or doc.get("action") != "deploy" or doc.get("persist") is not True:
        err("not an AS3 deploy request with persist true")
    dec = doc.get("declaration", {})
    if dec.get("class") != "ADC" or dec.get("updateMode") != "selective":
        err("declaration: class ADC, updateMode selective expected")
    part = f5_reader.partition(ir["site"])
    tenants = [k for k, x in dec.items() if isinstance(x, dict) and x.get("class") == "Tenant"]
    if tenants != [part]:
        err(f"tenants {tenants}, want [{part}]")
        return
    ten = dec[part]
    appname = re.sub(r"[^A-Za-z0-9_.-]", "_", dev)
    apps = [k for k, x in ten.items() if isinstance(x, dict) and x.get("class") == "Application"]
    if apps != [appname]:
        err(f"applications {apps}, want [{appname}]")
        return
    app = ten[appname]
    objs = {k: x for k, x in app.items() if isinstance(x, dict)}

    def use(ptr, classes, what):
        if not isinstance(ptr, dict) or set(ptr) != {"use"}:
            err(f"{what}: pointer {ptr} is not {{use: NAME}}")
            return None
        o = objs.get(ptr["use"])
        if o is None or o.get("class") not in classes:
            err(f"{what}: '{ptr['use']}' is not a {classes} of the application")
            return None
        return o

    svcs = [s for s in ir["lb_services"] if s["device"] == dev]
    virts = {}
    fwds = {}
    for k, o in objs.items():
        c = o.get("class")
        if c in ("Service_TCP", "Service_UDP", "Service_HTTP"):
            key = (str(ipaddress.ip_address(o["virtualAddresses"][0])), o["virtualPort"],
                   "udp" if c == "Service_UDP" else "tcp")
            if key in virts:
                err(f"{k}: two services on {key}")
            virts[key] = (k, o)
        elif c == "Service_Forwarding":
            fwds[k] = o
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
    if len(virts) != len(svcs):
        err(f"{len(virts)} services for {len(svcs)} LB services")
    for s in svcs:
        what = f"{s['id']} ({s['vip']} {s['protocol']} {s['port']})"
        key = (str(ipaddress.ip_address(s["vip"])), s["port"], s["protocol"])
        if key not in virts:
            err(f"{what}: no service")
            continue
        name, o = virts[key]
        want_cls = "Service_HTTP" if s["persistence"] == "cookie" else \
            "Service_UDP" if s["protocol"] == "udp" else "Service_TCP"
        if o["class"] != want_cls:
            err(f"{what}: class {o['class']}, want {want_cls}")
        if o.get("snat") != ("auto" if s["snat"] else "none"):
            err(f"{what}: snat {o.get('snat')}, IR says {s['snat']}")
        if s["vip"] in av_vips and (s["vip"] not in shared_vips or ".av-" in s["id"]) \
                and o.get("snat") != "none":
            err(f"{what}: an A/V service has SNAT")
        if o.get("translateServerAddress") is not True or o.get("translateServerPort") is not True:
            err(f"{what}: address and port translation must be on (no DSR)")
        pool = objs.get(o.get("pool"))
        if pool is None or pool.get("class") != "Pool":
            err(f"{what}: pool {o.get('pool')} missing")
            continue
        if pool.get("loadBalancingMode") != "least-connections-member":
            err(f"{what}: loadBalancingMode {pool.get('loadBalancingMode')}")
        got = set()
        for m in pool.get("members", []):
            for a in m.get("serverAddresses", []):
                got.add((str(ipaddress.ip_address(a)), m.get("servicePort")))
        want = {(str(ipaddress.ip_address(m.split(":", 1)[1])), s["member_port"])
                for m in s["members"]}
        if got != want:
            err(f"{what}: members {sorted(got)}, IR {sorted(want)}")
        mons = pool.get("monitors", [])
        mon = use(mons[0], ("Monitor",), what) if len(mons) == 1 else None
        if mon is None or mon.get("monitorType") != "tcp" or \
                mon.get("targetPort") != s["monitor_tcp_port"] or mon.get("send") != "":
            err(f"{what}: monitor is not a TCP connect to {s['monitor_tcp_port']}")
        prof = use(o.get("profileUDP" if s["protocol"] == "udp" else "profileTCP"),
                   ("UDP_Profile",) if s["protocol"] == "udp" else ("TCP_Profile",), what)
        if prof is not None:
            if prof.get("idleTimeout") != (s["idle_timeout"] or 1800):
                err(f"{what}: idleTimeout {prof.get('idleTimeout')}")
            if s["protocol"] == "tcp" and (prof.get("nagle") == "disable") != (not s["nagle"]):
                err(f"{what}: Nagle differs from the IR")
        pm = o.get("persistenceMethods")
        if s["persistence"] == "none":
            if pm != []:
                err(f"{what}: persistence {pm}, IR none")
        elif not isinstance(pm, list) or len(pm) != 1:
            err(f"{what}: wants one persistence method, has {pm}")
        else:
            pr = use(pm[0], ("Persist",), what)
            if pr is None:
                pass
            elif s["persistence"] == "source":
                if pr.get("persistenceMethod") != "source-address" or \
                        pr.get("duration") != (s["persistence_timeout"] or 1200):
                    err(f"{what}: source-address persistence wrong: {pr}")
            elif pr.get("persistenceMethod") != "cookie" or pr.get("cookieMethod") != "insert" \
                    or pr.get("cookieName") != "MS-WSMAN" or pr.get("ttl") != 0 or \
                    pr.get("httpOnly") is not False or pr.get("alwaysSet") is not True:
                err(f"{what}: cookie persistence must be MS-WSMAN insert, ttl 0, "
                    f"not httpOnly, always set: {pr}")
    # the edge nodes' default gateway
    got = set()
    for k, o in fwds.items():
        va = o.get("virtualAddresses", [])
        if o.get("forwardingType") != "ip" or len(va) != 1 or not isinstance(va[0], list):
            err(f"{k}: forwarding service needs forwardingType ip and one [dest, source]")
            continue
        dst, src = va[0]
        if ipaddress.ip_network(dst).prefixlen != 0:
            err(f"{k}: destination {dst} is not the wildcard")
        net = ipaddress.ip_network(src)
        if net.num_addresses != 1:
            err(f"{k}: source {src} is not one host")
        # only what arrives on the nodes' VLAN (review R5)
        vl = f5_reader.node_vlan(ir, str(net.network_address))
        if o.get("allowVlans") != [{"bigip": vl}] or "rejectVlans" in o:
            err(f"{k}: forwarding service needs allowVlans [{{bigip: {vl}}}], has "
                f"{o.get('allowVlans')}")
        to = None
        if isinstance(o.get("snat"), dict):
            sp = use(o["snat"], ("SNAT_Pool",), k)
            addrs = sp.get("snatAddresses", []) if sp else []
            if len(addrs) != 1:
                err(f"{k}: SNAT pool must hold one address")
                continue
            to = addrs[0]
        elif o.get("snat") != "none":
            err(f"{k}: snat {o.get('snat')}")
        got.add((str(net.network_address), o.get("layer4"), o.get("virtualPort"), to))
    want = f5_reader.gateway_expected(ir, dev)
    for x in sorted(want - got, key=str):
        err(f"gateway: missing forwarding service for {x}")
    for x in sorted(got - want, key=str):
        err(f"gateway: forwarding service {x} that no IR flow needs")
    av = {a for p in ir["pools"] for n in p["node_addresses"] for a in n.get("av", [])}
    # a node address A/V shares with Access (one address, distinct ports)
    # is translated on the Access flows' ports; A/V's own are untranslated
    av -= {a for p in ir["pools"] for n in p["node_addresses"]
           for k in ("access", "webconf") for a in n.get(k, [])}
    for a, _, _, to in got:
        if a in av and to is not None:
            err(f"gateway: A/V node {a} is source-translated")


def main():
    args = sys.argv[1:]
    if not args or len(args) % 3:
        print(__doc__)
        return 2
    v = validator()
    bad = 0
    for i in range(0, len(args), 3):
        del errors[:]
        ir = json.load(open(args[i]))
        raw = open(args[i + 2], "rb").read()
        try:
            raw.decode("ascii")
        except UnicodeDecodeError:
            err("the declaration is not ASCII")
        doc = json.loads(raw)
        check(ir, args[i + 1], doc, v)
        for e in errors:
            print(f"as3_check: {args[i + 2]}: {e}")
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
