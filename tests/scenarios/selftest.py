#!/usr/bin/env python3
"""selftest.py - the device semantics of eval.py on small hand-written
configs, so that a mistake in the evaluator cannot pass for lyncc's.

ASA (Cisco ASA 9.x): the ingress interface's ACL, first match wins (a deny
before a permit denies), implicit deny, real addresses for a statically
NATed host (8.3+), any/any4/any6, nested groups, source ports, no ACL:
security levels.  SRX (Junos): static NAT before the policy lookup, the
(from-zone, to-zone) context only, first match, default deny, global
policies, default-policy permit-all, nested sets, application terms.
"""
import ipaddress
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as E  # noqa: E402

ASA = """\
interface Gi0/0
 nameif outside
 security-level 0
interface Gi0/1
 nameif dmz
 security-level 50
interface Gi0/2
 nameif inside
interface Gi0/3
 nameif lab
 security-level 100
!
object network web
 host 172.16.0.10
object network web
 nat (dmz,outside) static 203.0.113.10
object network lan
 subnet 10.0.0.0 255.255.0.0
object network v6host
 host 2001:db8::10
object-group network inner
 network-object object lan
object-group network outer
 group-object inner
 network-object host 10.9.9.9
object-group service web-ports
 service-object tcp destination eq 443
 service-object tcp-udp destination range 3478 3479
object-group service from-media
 service-object tcp source range 50000 59999 destination eq 443
!
access-list out_in extended deny tcp host 198.51.100.66 any eq 443
access-list out_in extended permit object-group web-ports any object web
access-list out_in extended permit object-group from-media any object-group outer
access-list out_in extended permit tcp any4 object v6host eq 22
access-list out_in extended permit tcp any6 object v6host eq 23
access-list out_in extended deny ip any any
access-list dmz_in extended permit udp object web any4 eq domain
access-list dmz_in extended permit tcp object web any lt 1024
!
access-group out_in in interface outside
access-group dmz_in in interface dmz
access-list lab_in extended permit tcp any any4 eq 22
access-group lab_in in interface lab
"""

SRX = """\
<configuration>
  <security>
    <address-book><name>global</name>
      <address><name>web</name><ip-prefix>172.16.0.10/32</ip-prefix></address>
      <address><name>lan</name><ip-prefix>10.0.0.0/16</ip-prefix></address>
      <address><name>bad</name><ip-prefix>198.51.100.66/32</ip-prefix></address>
      <address-set><name>inner</name><address><name>lan</name></address></address-set>
      <address-set><name>outer</name><address-set><name>inner</name></address-set></address-set>
    </address-book>
    <nat><static><rule-set><name>rs</name><from><zone>untrust</zone></from>
      <rule><name>r1</name>
        <static-nat-rule-match><destination-address><dst-addr>203.0.113.10/32</dst-addr></destination-address></static-nat-rule-match>
        <then><static-nat><prefix><addr-prefix>172.16.0.10/32</addr-prefix></prefix></static-nat></then>
      </rule></rule-set></static></nat>
    <policies>
      <policy><from-zone-name>untrust</from-zone-name><to-zone-name>dmz</to-zone-name>
        <policy><name>no-bad</name><match><source-address>bad</source-address>
          <destination-address>any</destination-address><application>any</application></match>
          <then><deny/></then></policy>
        <policy><name>web</name><match><source-address>any</source-address>
          <destination-address>web</destination-address><application>svc</application></match>
          <then><permit/></then></policy>
      </policy>
      <policy><from-zone-name>untrust</from-zone-name><to-zone-name>trust</to-zone-name>
        <policy><name>media</name><match><source-address>any</source-address>
          <destination-address>outer</destination-address><application>media</application></match>
          <then><permit/></then></policy>
      </policy>
      <global><policy><name>g</name><match><source-address>lan</source-address>
        <destination-address>any</destination-address><application>junos-dns-udp</application>
        <from-zone>trust</from-zone></match><then><permit/></then></policy></global>
    </policies>
    <zones>
      <security-zone><name>untrust</name></security-zone>
      <security-zone><name>dmz</name></security-zone>
      <security-zone><name>trust</name></security-zone>
    </zones>
  </security>
  <applications>
    <application><name>https</name><protocol>tcp</protocol><destination-port>443</destination-port></application>
    <application><name>stun</name><term><name>t1</name><protocol>udp</protocol><destination-port>3478-3479</destination-port></term></application>
    <application><name>media</name><protocol>tcp</protocol><source-port>50000-59999</source-port><destination-port>443</destination-port></application>
    <application-set><name>svc</name><application><name>https</name></application><application><name>stun</name></application></application-set>
  </applications>
</configuration>
"""

ASA_SAME_SEC = ASA.replace("!\nobject network web\n", "same-security-traffic permit inter-interface\n!\nobject network web\n", 1)

SRX_PERMIT_ALL = SRX.replace("</policies>", "<default-policy><permit-all/></default-policy></policies>")


def pkt(src, dst, proto, port, sport=E.DEFAULT_SPORT):
    return E.Packet(ipaddress.ip_address(src), ipaddress.ip_address(dst), proto,
                    port, sport)


CASES = [
    # target, text, (src, dst, proto, port[, sport]), ingress, egress, expected, why
    ("asa", ASA, ("198.18.0.1", "203.0.113.10", "tcp", 443), "outside", "dmz", "pass",
     "mapped address un-NATed to the real address the ACL names"),
    ("asa", ASA, ("198.18.0.1", "172.16.0.10", "tcp", 443), "outside", "dmz", "pass",
     "the real address itself"),
    ("asa", ASA, ("198.51.100.66", "203.0.113.10", "tcp", 443), "outside", "dmz", "deny",
     "a deny before the permit wins"),
    ("asa", ASA, ("198.18.0.1", "203.0.113.10", "tcp", 444), "outside", "dmz", "deny",
     "implicit deny"),
    ("asa", ASA, ("198.18.0.1", "203.0.113.10", "udp", 3479), "outside", "dmz", "pass",
     "tcp-udp range"),
    ("asa", ASA, ("198.18.0.1", "203.0.113.10", "udp", 3480), "outside", "dmz", "deny",
     "range neighbour"),
    ("asa", ASA, ("198.18.0.1", "10.0.3.4", "tcp", 443, 50000), "outside", "inside", "pass",
     "nested group and source port in range"),
    ("asa", ASA, ("198.18.0.1", "10.0.3.4", "tcp", 443, 49999), "outside", "inside", "deny",
     "source port outside the range"),
    ("asa", ASA, ("198.18.0.1", "10.9.9.9", "tcp", 443, 59999), "outside", "inside", "pass",
     "host in the outer group"),
    ("asa", ASA, ("2001:db8:1::1", "2001:db8::10", "tcp", 22), "outside", "inside", "deny",
     "any4 does not match an IPv6 source"),
    ("asa", ASA, ("2001:db8:1::1", "2001:db8::10", "tcp", 23), "outside", "inside", "pass",
     "any6"),
    ("asa", ASA, ("172.16.0.10", "198.18.0.1", "udp", 53), "dmz", "outside", "pass",
     "named port"),
    ("asa", ASA, ("172.16.0.10", "10.0.0.1", "udp", 53), "dmz", "inside", "pass",
     "an ACE to any4 also reaches the other interfaces (the leak issue 10 describes)"),
    ("asa", ASA, ("172.16.0.10", "198.18.0.1", "tcp", 1023), "dmz", "outside", "pass",
     "lt 1024"),
    ("asa", ASA, ("172.16.0.10", "198.18.0.1", "tcp", 1024), "dmz", "outside", "deny",
     "lt is strict"),
    ("asa", ASA, ("10.0.0.1", "198.18.0.1", "tcp", 22), "inside", "outside", "pass",
     "no ACL: higher security level to lower passes (inside defaults to 100)"),
    ("asa", ASA, ("10.0.0.1", "10.1.0.1", "tcp", 22), "inside", "lab", "deny",
     "no ACL: equal levels without same-security-traffic"),
    ("asa", ASA, ("10.1.0.1", "10.0.0.1", "tcp", 22), "lab", "inside", "deny",
     "the ACL permits, but equal levels without same-security-traffic"),
    ("asa", ASA_SAME_SEC, ("10.1.0.1", "10.0.0.1", "tcp", 22), "lab", "inside", "pass",
     "equal levels with same-security-traffic: the ACL decides"),
    ("asa", ASA_SAME_SEC, ("10.1.0.1", "10.0.0.1", "tcp", 23), "lab", "inside", "deny",
     "equal levels with same-security-traffic: the ACL's implicit deny"),
    ("srx", SRX, ("198.18.0.1", "203.0.113.10", "tcp", 443), "untrust", "dmz", "pass",
     "static NAT before the policy lookup"),
    ("srx", SRX, ("198.51.100.66", "203.0.113.10", "tcp", 443), "untrust", "dmz", "deny",
     "first match: deny"),
    ("srx", SRX, ("198.18.0.1", "203.0.113.10", "udp", 3479), "untrust", "dmz", "pass",
     "application term in a set"),
    ("srx", SRX, ("198.18.0.1", "203.0.113.10", "tcp", 3478), "untrust", "dmz", "deny",
     "other protocol"),
    ("srx", SRX, ("198.18.0.1", "10.0.0.5", "tcp", 443), "untrust", "dmz", "deny",
     "only the zone pair's policies apply"),
    ("srx", SRX, ("198.18.0.1", "10.0.0.5", "tcp", 443, 55555), "untrust", "trust", "pass",
     "nested address sets, source port"),
    ("srx", SRX, ("198.18.0.1", "10.0.0.5", "tcp", 443), "untrust", "trust", "deny",
     "source port outside the application's"),
    ("srx", SRX, ("10.0.0.5", "198.18.0.1", "udp", 53), "trust", "untrust", "pass",
     "global policy with from-zone"),
    ("srx", SRX, ("10.0.0.5", "172.16.0.10", "tcp", 22), "trust", "dmz", "deny",
     "default deny"),
    ("srx", SRX_PERMIT_ALL, ("10.0.0.5", "172.16.0.10", "tcp", 22), "trust", "dmz", "pass",
     "default-policy permit-all"),
    ("srx", SRX, ("10.0.0.5", "172.16.0.10", "tcp", 22), "trust", "nowhere", "deny",
     "a zone the device does not have"),
]


def main():
    bad = 0
    for target, text, p, ingress, egress, want, why in CASES:
        got = E.TARGETS[target](text, pkt(*p), ingress, egress)
        if got != want:
            print("FAIL selftest %s %s (%s->%s): expected %s, got %s: %s" %
                  (target, p, ingress, egress, want, got, why))
            bad += 1
    print("selftest: %d cases, %d failed" % (len(CASES), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
