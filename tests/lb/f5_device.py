#!/usr/bin/env python3
"""f5_device.py - a simulated BIG-IP configuration store for the update-path
test (tests/scripts/lb-update.sh): it runs the tmsh commands a generated
file's header documents, with the semantics of F5's tmsh reference that
matter for an update:

  tmsh create auth partition P        the partition /P exists
  tmsh load sys config merge file F [verify]
                                      every object of F (bigip.conf syntax,
                                      read with f5_reader.parse) is created,
                                      or replaces the object of that type
                                      and name; its partition must exist;
                                      every reference (pool, monitor,
                                      profile, persistence, snatpool) must
                                      name an object of the result or an F5
                                      built-in; a virtual's destination
                                      address and a snatpool member get an
                                      automatic virtual-address or
                                      snat-translation; `verify` checks
                                      without changing anything
  tmsh -c 'cd /P; delete ltm TYPE all; ...'
                                      deletes every object of TYPE in /P, in
                                      the order given; deleting an object
                                      that another (remaining) object refers
                                      to fails, as on the device
  tmsh save sys config                no change

  f5_device.py STATE.json COMMAND-LINE [FILE-MAP]
      apply one command line to the state (created when missing); the
      file named in the command is read from the FILE-MAP argument
      ("/var/tmp/x.tmsh=local/path").  Exit 1 with the error the device
      would print.
  f5_device.py STATE.json --dump      the objects, one "TYPE NAME" a line
  f5_device.py STATE.json --add TYPE NAME KEY=VALUE...
      add an unrelated object (a pre-existing /Common pool, say)
"""
import json
import os
import re
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import f5_reader  # noqa: E402

BUILTIN = f5_reader.BUILTIN


def load(path):
    if os.path.exists(path):
        st = json.load(open(path))
    else:
        st = {"partitions": ["Common"], "objects": []}
    st["objects"] = {(t, n): b for t, n, b in st["objects"]}
    return st


def save(st, path):
    out = dict(st)
    out["objects"] = sorted([t, n, b] for (t, n), b in st["objects"].items())
    json.dump(out, open(path, "w"), indent=1, sort_keys=True)


def refs(typ, body):
    """(type prefix, name) of every object this one refers to: F5 names
    are per type (a snat-translation and a virtual-address may share one)."""
    out = []
    if typ == "ltm pool":
        if "monitor" in body:
            out.append(("ltm monitor", body["monitor"]))
        for m, _ in body.get("members", []):
            out.append(("ltm node", node_of(m)))
    if typ == "ltm virtual":
        if "pool" in body:
            out.append(("ltm pool", body["pool"]))
        out += [("ltm persistence", k) for k, _ in body.get("persist", [])]
        out += [("ltm profile", k) for k, _ in body.get("profiles", [])]
        sat = dict(body.get("source-address-translation", []))
        if "pool" in sat:
            out.append(("ltm snatpool", sat["pool"]))
        out.append(("ltm virtual-address", vaddr_of(body.get("destination", ""))))
    if typ == "ltm snatpool":
        out += [("ltm snat-translation", k) for k, _ in body.get("members", [])]
    return [(t, n) for t, n in out if n]


def resolves(objs, ref):
    t, n = ref
    return n in BUILTIN or any(k[1] == n and k[0].startswith(t) for k in objs)


def vaddr_of(dest):
    """'/P/1.2.3.4:443' -> '/P/1.2.3.4'; IPv6 '/P/2001:db8::1.443'."""
    m = re.match(r"^(/[^/]+/)(.*)$", dest)
    if not m:
        return None
    a = m.group(2)
    a = a.rpartition(".")[0] if ":" in a.split(".")[0] or a.startswith("::.") else \
        a.rpartition(":")[0]
    return m.group(1) + a


def node_of(member):
    return vaddr_of(member)


def merge(st, path, verify):
    errs = []
    f5_reader.errors.clear()
    objs = f5_reader.parse(open(path).read())
    if f5_reader.errors:
        return [f"{path}: {e}" for e in f5_reader.errors]
    new = dict(st["objects"])
    for typ, name, body, ln in objs:
        part = name.split("/")[1]
        if part not in st["partitions"]:
            errs.append(f"line {ln}: {typ} {name}: partition {part} does not exist")
        new[(typ, name)] = body
        # objects the device creates by itself
        if typ == "ltm virtual":
            va = vaddr_of(body.get("destination", ""))
            if va and not any(t == "ltm virtual-address" and n == va for t, n in new):
                new[("ltm virtual-address", va)] = {"auto": "yes"}
        if typ == "ltm snatpool":
            for k, _ in body.get("members", []):
                new[("ltm snat-translation", k)] = {"auto": "yes"}
        if typ == "ltm pool":
            for m, _ in body.get("members", []):
                nd = node_of(m)
                if not any(t == "ltm node" and n == nd for t, n in new):
                    new[("ltm node", nd)] = {"auto": "yes"}
    for (typ, name), body in new.items():
        for r in refs(typ, body):
            if not resolves(new, r):
                errs.append(f"{typ} {name}: {r[0]} '{r[1]}' does not exist")
    if not errs and not verify:
        st["objects"] = new
    return errs


def delete_all(st, part, typ):
    doomed = {k for k in st["objects"] if k[0] == typ and k[1].startswith(f"/{part}/")}
    rest = {k: b for k, b in st["objects"].items() if k not in doomed}
    for (t, n), b in rest.items():
        for r in refs(t, b):
            if not resolves(rest, r):
                return [f"cannot delete {r[0]} {r[1]}: in use by {t} {n}"]
    st["objects"] = rest
    return []


def run(st, line, files):
    w = shlex.split(line)
    if not w or w[0] != "tmsh":
        return [f"not a tmsh command: {line}"]
    w = w[1:]
    if w[:3] == ["create", "auth", "partition"] and len(w) == 4:
        if w[3] in st["partitions"]:
            return [f"partition {w[3]} already exists"]
        st["partitions"].append(w[3])
        return []
    if w[:5] == ["load", "sys", "config", "merge", "file"] and len(w) in (6, 7):
        if len(w) == 7 and w[6] != "verify":
            return [f"unknown option {w[6]}"]
        return merge(st, files[w[5]], len(w) == 7)
    if w[:3] == ["save", "sys", "config"] and len(w) == 3:
        return []
    if w[0] == "-c" and len(w) == 2:
        cwd = "Common"
        for cmd in [c.strip() for c in w[1].split(";") if c.strip()]:
            c = cmd.split()
            if c[0] == "cd" and len(c) == 2 and c[1].startswith("/"):
                cwd = c[1][1:]
                if cwd not in st["partitions"]:
                    return [f"cd: no partition {cwd}"]
            elif c[0] == "delete" and c[-1] == "all" and c[1] == "ltm":
                e = delete_all(st, cwd, " ".join(c[1:-1]))
                if e:
                    return e
            else:
                return [f"unsupported in -c: {cmd}"]
        return []
    return [f"unsupported command: {line}"]


def main():
    st_path = sys.argv[1]
    st = load(st_path)
    if sys.argv[2] == "--dump":
        for (t, n) in sorted(st["objects"]):
            print(t, n)
        return 0
    if sys.argv[2] == "--add":
        body = dict(kv.split("=", 1) for kv in sys.argv[5:])
        st["objects"][(sys.argv[3], sys.argv[4])] = body
        save(st, st_path)
        return 0
    files = dict(kv.split("=", 1) for kv in sys.argv[3:])
    errs = run(st, sys.argv[2], files)
    for e in errs:
        print(f"f5_device: {e}")
    if errs:
        return 1
    save(st, st_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
