#!/usr/bin/env python3
"""More v1 -> v2 changes than tests/fw/update.py makes, through its
simulated ASA and SRX (the header's procedure: apply v2, retire what v1
had and v2 has not; SRX load replace), dedicated and shared:

  rename   a pool renamed (edge01 -> edge02): every object-group name changes
  nofed    a feature removed with its party (sip-federation, the partners)
  natmove  a static NAT's real address changed, the public one kept
  natpub   a static NAT's public address changed, the real one kept

Each must leave the device holding exactly what v2 alone gives (update.py's
check_* functions), nothing of v1, and the operator's own rule on a shared
firewall.  The edits are written by hand; a missing edit is a failure.
"""
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fw"))
import update as U  # noqa: E402

CASES = [
    ("examples/edge-hlb.lync", "rename", [("edge01", "edge02")]),
    ("examples/edge-hlb.lync", "nofed", [
        ("features < sip-federation; public-im; >", "features < public-im; >"),
        ("party federation-partners < address 198.51.100.0/24; >", "")]),
    ("tests/scenarios/edge-dns-nat/site.lync", "natmove", [
        ("access 172.16.0.21 nat 203.0.113.21", "access 172.16.0.41 nat 203.0.113.21")]),
    ("tests/scenarios/edge-dns-nat/site.lync", "natpub", [
        ("access 172.16.0.21 nat 203.0.113.21", "access 172.16.0.21 nat 203.0.113.41")]),
]


def check_asa(name, v1, v2):
    """update.check_asa without its 'v2 must permit something else' (a
    rename or a NAT change keeps the permits)."""
    want = U.asa_state(U.fresh_asa(v2))
    dev = U.fresh_asa(v1)
    dev.apply(v2)
    dev.apply(U.retire(v1, v2))
    U.same(name + " asa v1 -> v2", U.asa_state(dev), want)
    # the same file again: asa_state compares the remarks too, which the
    # reader appends on every entry as the ASA does (R11)
    dev.apply(v2)
    dev.apply(U.retire(v2, v2))
    U.same(name + " asa v2 applied twice", U.asa_state(dev), want)
    dev.apply(v1)
    dev.apply(U.retire(v2, v1))
    U.same(name + " asa rollback to v1", U.asa_state(dev), U.asa_state(U.fresh_asa(v1)))


def legacy(text):
    """A dedicated ASA file as lyncc wrote it before R11 was fixed: the
    comment lines above the ACEs were `access-list ACL remark TEXT` (and
    the ACL names differ, their TAG hashed the remarks)."""
    acls = sorted(set(re.findall(r"^access-list (\S+) ", text, re.M)))
    out, pending = [], []
    for l in text.split("\n"):
        m = re.match(r"access-list (\S+) ", l)
        if l.startswith("! ") and not l.startswith("! zone "):
            pending.append(l)
            continue
        if m and pending:
            out += ["access-list %s remark %s" % (m.group(1), p[2:]) for p in pending]
        else:
            out += pending
        pending = []
        out.append(l)
    text = "\n".join(out + pending)
    for a in acls:
        text = re.sub(r"\b%s\b" % re.escape(a), a + "-old", text)
    return text


def check_legacy(name, old, v2):
    """Last week's device (an old file applied twice, so each remark
    twice) updated to v2: every old remark must be gone."""
    want = U.asa_state(U.fresh_asa(v2))
    dev = U.fresh_asa(old, old)
    if not any(e[0] == "remark" for v in dev.cfg.acls.values() for e in v):
        raise U.Fail(name + " legacy: the old file has no remarks (the model is wrong)")
    dev.apply(v2)
    dev.apply(U.retire(old, v2))
    U.same(name + " asa old-format -> v2", U.asa_state(dev), want)


def check_srx(name, v1, v2):
    dev = U.srx_reader.Device().load(v1, "replace").load(v2, "replace")
    want = U.srx_reader.read(v2)
    got = dev.config()
    if got.permits != want.permits or got.nats != want.nats:
        raise U.Fail("%s srx v1 -> v2: permits or NATs differ from v2's" % name)
    if U.srx_group(U.srx_reader.ET.tostring(dev.root).decode()) != U.srx_group(v2):
        raise U.Fail("%s srx: the group is not exactly v2's" % name)


def main(argv):
    exe, src = argv[1], argv[2]
    fail = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rel, tag, edits in CASES:
            with open(os.path.join(src, rel), encoding="utf-8") as f:
                v1 = f.read()
            v2 = v1
            for old, new in edits:
                if old not in v2:
                    print("FAIL %s %s: edit %r does not apply" % (rel, tag, old))
                    fail = 1
                v2 = v2.replace(old, new)
            paths = {}
            for shared in (False, True):
                for k, t in (("v1", v1), ("v2", v2)):
                    if shared:
                        t = re.sub(r"^(firewall \S+ <)", r"\1 shared;", t, flags=re.M)
                    key = k + ("s" if shared else "")
                    paths[key] = os.path.join(tmp, "%s-%s.lync" % (tag, key))
                    with open(paths[key], "w", encoding="utf-8") as f:
                        f.write(t)
            name = "%s(%s)" % (os.path.basename(os.path.dirname(rel)) if rel.endswith(
                "site.lync") else os.path.basename(rel)[:-5], tag)
            try:
                for fw in U.firewalls(exe, paths["v1"]):
                    d, zones = fw["name"], [i["zone"] for i in fw["interfaces"]]

                    def out(k, t):
                        return U.lyncc(exe, paths[k], t, d,
                                       os.path.join(tmp, "%s-%s-%s.%s" % (tag, d, k, t)))
                    a1, a2 = out("v1", "asa"), out("v2", "asa")
                    s1, s2 = out("v1", "srx"), out("v2", "srx")
                    if a1 == a2:
                        print("skip %s/%s: the edit does not change this firewall" % (name, d))
                        continue
                    check_asa("%s/%s" % (name, d), a1, a2)
                    check_legacy("%s/%s" % (name, d), legacy(a1), a2)
                    check_srx("%s/%s" % (name, d), s1, s2)
                    U.check_asa_shared("%s/%s" % (name, d), zones, out("v1s", "asa"),
                                       out("v2s", "asa"))
                    U.check_srx_shared("%s/%s" % (name, d), zones, out("v1s", "srx"),
                                       out("v2s", "srx"))
                    print("ok   %s/%s: v1 -> v2 leaves exactly v2" % (name, d))
            except (U.Fail, U.asa_reader.AsaError, U.srx_reader.SrxError) as e:
                print("FAIL %s" % e)
                fail = 1
    return fail


if __name__ == "__main__":
    sys.exit(main(sys.argv))
