/*
 * check.c - the documented deployment rules as checks.
 *
 * Each check has a stable ID, a severity, a message at the offending
 * object, a fix hint and the citation of the rule it enforces.  The checks
 * run in the order of check_table (errors first, then warnings), each over
 * the site in declaration order, so the output is deterministic.
 *
 *   check_run.c    the driver: check_site() runs every check in order
 *   check_addr.c   addresses: edge public IPs, conflicts, NAT, families
 *   check_site.c   pools, features, LB modes, topology, targets, stdlib
 *   check.c        the table and the helpers the others share (the bottom
 *                  layer: it calls none of them)
 *
 * Addresses are named at the word that wrote them: the IR keeps the
 * location of each statement, and loc_find() looks inside that statement
 * for the word.  An address allocated from `addresses from` points at the
 * block.
 */
#include "check_impl.h"
#include "arena.h"
#include "backend.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#define SEED000	"Gg398739"
#define SEED001	"Gg398833"
#define SEED002	"JJ205394"

const struct check_info check_table[] = {
	{ "LYNC-E001", "SNAT on the A/V edge service behind a hardware load balancer",
	  "edge.hlb.av-no-snat",
	  "A hardware load balancer in front of an edge pool may source-NAT the\n"
	  "Access and Web Conferencing edge services, but not the A/V edge service:\n"
	  "for STUN/TURN/FTURN to work, the A/V edge answers with the real server\n"
	  "address, not the VIP, and needs the client's own source address.  In a\n"
	  "site, `snat access webconf av;` on an edge pool with `lb hlb` is this\n"
	  "error (on `av`); a stdlib lbservice for the A/V VIP with `snat required`\n"
	  "is too.\n"
	  "Source:\n" SEED000 ", HLB requirements, bullets 1, 2\n"
	  "and 5; [SFB-LB] \"the load balancer must not change the source address\n"
	  "of the client\".",
	  SEED000 ": HLB requirements, bullets 1-2 (SNAT allowed for Access and "
	  "Web Conferencing, not for A/V)" },
	{ "LYNC-E002", "HLB edge pool: public addresses are not 3 VIPs + 3 per node",
	  "edge.hlb.public-ips",
	  "Every edge server interface and every HLB VIP of a hardware-load-balanced\n"
	  "edge pool uses a public IP address: one per real server interface and one\n"
	  "per VIP (\"N+1\").  A pool of two edge servers needs 9: 3 VIPs (Access,\n"
	  "Web Conferencing, A/V) and 3 per server.  A missing VIP, an extra or\n"
	  "duplicated address, or an address in a private range is an error that\n"
	  "names the address and says how many are needed in all.\n"
	  "Source:\n" SEED000 ", HLB requirements, bullet 3;\n"
	  "[SFB-EDGEENV] (HLB: 3 + 3N addresses).",
	  SEED000 ": HLB requirements, bullet 3 (public IPs: one per VIP and one "
	  "per server interface, 9 for 2 servers)" },
	{ "LYNC-E003", "DNS-load-balanced edge pool: not 3 public addresses per node, no VIPs",
	  "edge.dns.public-ips",
	  "A DNS-load-balanced edge pool with public IP addresses has one public\n"
	  "address per edge service (Access, Web Conferencing, A/V) on each node and\n"
	  "no VIPs: DNS hands out every node's own address.  A VIP on such a pool,\n"
	  "or more than one address per service and node, is an error.\n"
	  "Source:\n" SEED002 " (scaled consolidated edge, DNS load balancing with\n"
	  "public IP addresses); [SFB-EDGEENV] (DNS LB: 3N addresses); [MS-DNSLB].",
	  SEED002 ": scaled consolidated edge, DNS load balancing with public IP "
	  "addresses (3 per node, no VIPs); SFB-EDGEENV: DNS LB needs 3N addresses" },
	{ "LYNC-E004", "A/V edge traffic would reach the VIP only, not the real servers",
	  "edge.hlb.av-established-to-real",
	  "Behind a hardware load balancer the A/V edge service answers with the\n"
	  "real server's public address, and established A/V traffic goes to the\n"
	  "real server, not to the HLB.  So the external firewall must keep each\n"
	  "node's real public A/V address and pass the media flows to it.  An A/V\n"
	  "node address in a private range (no NAT is allowed with an HLB), an A/V\n"
	  "node address equal to a VIP, or a firewall that passes A/V to the VIP but\n"
	  "not to the nodes is an error.\n"
	  "Source:\n" SEED000 ", HLB requirements, bullets 2, 6\n"
	  "and 7; [MS-HLBEDGE-EN].",
	  SEED000 ": HLB requirements, bullets 2, 6, 7 (A/V answers with the real "
	  "server address; established A/V goes to the real server)" },
	{ "LYNC-E005", "address used twice", NULL,
	  "Every VIP, node address and NAT public address of a site belongs to\n"
	  "exactly one interface.  The same address in two places is an error; the\n"
	  "note shows where it was first used.\n"
	  "Source:\n" SEED000 ", HLB requirements, bullet 3 (one address per server\n"
	  "interface and per VIP).",
	  SEED000 ": HLB requirements, bullet 3 (one address per interface and VIP)" },
	{ "LYNC-E006", "two edge services on one address and port", NULL,
	  "The Access, Web Conferencing and A/V edge services all listen on TCP 443\n"
	  "(SIP/TLS, PSOM and TURN over TCP), so on standard ports they need distinct\n"
	  "IP addresses.  Services of one edge node (or of the HLB VIP) may share an\n"
	  "address only on distinct ports [SFB-EDGEENV]: two of them on one address\n"
	  "that listen on one protocol and port once the site's `port access|webconf|av\n"
	  "N;` lines apply (docs/language.md) are an error.  The message names the port\n"
	  "(what each service listens on comes from the stdlib flows to it, with the\n"
	  "flows marked `listener` on the site's port); the hint gives Topology\n"
	  "Builder's single-address ports, `port access 5061; port webconf 444; port\n"
	  "av 443;` [EDGE-1IP-PORTS].  A/V's UDP 3478 does not clash with a TCP port\n"
	  "3478.  Services of different nodes on one address are always this error.\n"
	  "A share that passes is LYNC-W009.  Behind static NAT the services that\n"
	  "share an address share its translation: one real address translated to two\n"
	  "public ones (or two to one) is LYNC-E005 (`edge-single-ip-nat-bad.lync`).\n"
	  "Source:\n"
	  "Gg398739 t1 and t3, JJ205394 t1 (external interface tables: each\n"
	  "service has its own public IP address); [F5-DEVC]; [SFB-EDGEENV];\n"
	  "[EDGE-1IP-PORTS].",
	  SEED000 " t1 and t3: external interface tables (Access, Web Conferencing and A/V "
	  "each on TCP 443 of their own address)" },
	{ "LYNC-E007", "edge internal and external interfaces in one subnet",
	  "edge.separate-networks-no-routing",
	  "An edge server's internal interface is on a different network from its\n"
	  "external interfaces, and routing between them is disabled.  An edge pool\n"
	  "whose two sides are in one zone, or whose internal and external addresses\n"
	  "fall in one declared network, is an error.\n"
	  "Source: [MS-HLBREQ] and [SFB-LB] (edge internal interface on a different\n"
	  "network, routing between them disabled); [F5-DEVC] (separate IP networks).",
	  "MS-HLBREQ: the Edge internal interface is on a different network from the "
	  "external one, and routing between them is disabled" },
	{ "LYNC-E008", "private external edge address with no NAT", NULL,
	  "The external addresses of an edge server must be reachable from the\n"
	  "Internet.  A private (RFC 1918, RFC 6598, ULA ...) external address is\n"
	  "only right behind a firewall that translates it, and then the site must\n"
	  "say so: `av 172.16.0.23 nat 203.0.113.23;`.  A private external address\n"
	  "with no NAT, or a NAT public address in a private range, is an error.\n"
	  "(Behind a hardware load balancer NAT is not allowed at all: see\n"
	  "LYNC-E002, LYNC-E004 and LYNC-E018.)\n"
	  "Source: [MS-AVFW], [SFB-EDGEENV] (NAT on the edge external side, single\n"
	  "edge or DNS load balancing only).",
	  "MS-AVFW: external edge addresses are public, or private behind a "
	  "declared static NAT (single edge or DNS load balancing only)" },
	{ "LYNC-E009", "IPv4/IPv6 mismatch", "edge.ipv4-in-scenarios",
	  "Lync 2013 edge and front-end servers support IPv4 and IPv6, but a load\n"
	  "balancer can only balance a VIP to members of the same family.  A VIP\n"
	  "whose family no node of the pool has, or a pool in which some nodes have\n"
	  "an address of a family that other nodes lack, is an error.\n"
	  "Source:\n" SEED000 " and " SEED002 " (\"In addition to IPv4, the Edge\n"
	  "Server now supports IPv6\").",
	  SEED002 ": the Edge Server supports IPv6 in addition to IPv4" },
	{ "LYNC-E010", "more addresses than nodes", NULL,
	  "A node (one server) has one address per service and family, and a pool\n"
	  "side has one VIP per service and family.  Two addresses of one family on\n"
	  "a node usually mean that the node count is wrong or two nodes were\n"
	  "written on one line.\n"
	  "Source:\n" SEED000 ", HLB requirements, bullet 3 (one address per server\n"
	  "interface).",
	  SEED000 ": HLB requirements, bullet 3 (one address per server interface)" },
	{ "LYNC-E011", "hardware-load-balanced pool without a VIP", NULL,
	  "A pool side that says `lb hlb` is reached through the load balancer's\n"
	  "VIP; without one there is nothing for clients or the firewall to use.\n"
	  "Give the VIP (`vip ADDRESS;`) or let lyncc allocate it (`addresses from\n"
	  "PREFIX;`).\n"
	  "Source:\n" SEED001 " t2, \"HLB ports (HLB only)\"; [MS-HLBREQ].",
	  SEED001 " t2: hardware load balancer ports (HLB-only pools)" },
	{ "LYNC-E012", "DNS-load-balanced pool without the HLB its web services need",
	  "lb.dns-needs-hlb-for-web",
	  "DNS load balancing does not work for client-to-server web traffic.  A\n"
	  "front-end or director pool that uses DNS load balancing still needs a\n"
	  "hardware load balancer for HTTP and HTTPS (80, 443, 8080, 4443), reached\n"
	  "at a VIP (the internal web services FQDN resolves to it).\n"
	  "Source:\n" SEED001 " t3, \"HLB ports (DNS LB)\" (translated: \"front-end pools and\n"
	  "director pools that use DNS load balancing must also deploy a hardware\n"
	  "load balancer\");\n"
	  "[MS-LBREQ], [MS-DNSLB].",
	  SEED001 " t3: HLB ports (DNS LB): DNS-load-balanced front-end and director "
	  "pools still need a hardware load balancer" },
	{ "LYNC-E013", "mediation pool without a front end", NULL,
	  "A standalone Mediation pool relays calls between PSTN gateways and a\n"
	  "front-end pool (its next hop); a site with a mediation pool and no\n"
	  "front-end pool cannot have its flows placed (e.g. SIP TCP 5070, which\n"
	  "the mediation server uses for requests from the front end).  Collocated\n"
	  "mediation (`mediation collocated;`) lives on a front-end pool.\n"
	  "Source:\n" SEED001 " t1, server ports by role (Mediation Server rows).",
	  SEED001 " t1: server ports by role, Mediation Server TCP 5070 (requests "
	  "from the Front End Server)" },
	{ "LYNC-E014", "feature needs a role the site lacks", NULL,
	  "Features turn on documented flow sets, and each needs the servers that\n"
	  "carry them: SIP federation, public IM connectivity and survivable branch\n"
	  "sites need an edge pool (Access Edge); XMPP federation needs an edge pool\n"
	  "(XMPP proxy) and a front-end pool with `xmpp-gateway;`; federation with\n"
	  "OCS 2007 extends SIP federation; mobility and dial-in conferencing need a\n"
	  "front-end pool; enterprise voice needs a mediation server (standalone or\n"
	  "collocated).  A feature turned on without them would produce no flows.\n"
	  "Source:\n" SEED000 " (XMPP proxy on the Edge, XMPP gateway on the Front\n"
	  "End); JJ618373 (federation and public IM via the Access\n"
	  "Edge); " SEED001 ".",
	  "JJ618373: federation, public IM and XMPP go through the "
	  "Access Edge; the XMPP gateway runs on a Front End pool" },
	{ "LYNC-E015", "edge pool mixes load-balancing modes",
	  "edge.lb-same-both-sides",
	  "Both interfaces of an edge pool use the same load-balancing method: DNS\n"
	  "load balancing on one side and a hardware load balancer on the other is\n"
	  "not supported.\n"
	  "Source: [MS-LBREQ] Load balancing requirements for Lync Server 2013\n"
	  "(the edge pool's two interfaces use the same method; DNS load balancing\n"
	  "on one and a hardware load balancer on the other is unsupported);\n"
	  "[MS-HLBREQ], [MS-COMP], [MS-DNSLB].",
	  "MS-LBREQ: an Edge pool uses the same load-balancing method on its "
	  "internal and external interfaces" },
	{ "LYNC-E016", "flow between zones that no device connects", NULL,
	  "Every flow that applies to the site goes from one zone to another through\n"
	  "declared devices: firewalls filter it, and a `router` is the explicit\n"
	  "unfiltered hop.  Flows inside one zone need nothing.  A flow between two\n"
	  "zones that no chain of firewalls and routers connects cannot be placed on\n"
	  "any device, so it is an error (one per pair of zones).\n"
	  "Source: docs/language.md, \"Devices and routing\".",
	  "docs/language.md: a flow between zones crosses the firewalls and routers "
	  "on the path between them" },
	{ "LYNC-E017", "HAProxy cannot load-balance UDP", NULL,
	  "HAProxy proxies TCP (and HTTP) only; it cannot balance UDP.  A load\n"
	  "balancer whose every service is UDP would have an empty config for\n"
	  "HAProxy, so that is an error; one that also carries TCP services gets\n"
	  "them, and LYNC-W008 names the UDP ones left out.  Ways out: DNS load\n"
	  "balancing for the pool (`lb dns;`: no VIPs, every node's own\n"
	  "addresses), or another load balancer target (e.g. -t f5).\n"
	  "Source:\n" SEED000 " t3 and t4, the external and internal interface VIPs\n"
	  "(A/V UDP 3478 on each VIP); HAProxy documentation (TCP and HTTP modes\n"
	  "only).",
	  SEED000 " t3: external interface VIP, A/V STUN/MSTURN UDP 3478" },
	{ "LYNC-E018", "NAT with a hardware-load-balanced edge pool",
	  "edge.hlb.no-nat",
	  "NAT on the edge external side is supported only for a single edge server\n"
	  "or a DNS-load-balanced pool, never for a pool behind a hardware load\n"
	  "balancer: the HLB topology needs publicly routable addresses with no NAT\n"
	  "or port translation on every external edge address.\n"
	  "Source: [MS-AVFW], [TB-IPOPT], [SFB-EDGEENV]; " SEED000 ", HLB\n"
	  "requirements, bullet 5 (translated: \"NAT cannot be configured on the HLB\n"
	  "for A/V traffic\").",
	  "MS-AVFW: NAT on the Edge external side is for a single Edge or DNS load "
	  "balancing, never with a hardware load balancer" },
	{ "LYNC-E019", "NAT on the edge internal side",
	  "edge.nat.symmetric-keep-source",
	  "NAT is supported on the external edge interfaces only.  The internal\n"
	  "interface talks to internal servers with its real address.\n"
	  "Source: [MS-AVFW], [SFB-EDGEENV] (NAT only on the external Edge\n"
	  "interface, never the internal).",
	  "MS-AVFW: NAT only on the external Edge interface, never the internal one" },
	{ "LYNC-E020", "internal edge VIP carries Web Conferencing 8057 or XMPP 23456",
	  "edge.hlb.int-vip-no-8057-23456",
	  "The internal hardware load balancer of an edge pool may balance the\n"
	  "Access Edge and A/V Edge traffic only; the internal Web Conferencing\n"
	  "Edge (PSOM TCP 8057) and the internal XMPP proxy (TCP 23456) go to each\n"
	  "node's own address.  An lbservice or flow that puts 8057 or 23456 on the\n"
	  "internal edge VIP (in the stdlib or the site) is an error.\n"
	  "Source: [MS-HLBREQ], [SFB-LB]; " SEED000 " t2 and t4, internal interface tables.",
	  "MS-HLBREQ: the internal Edge HLB balances Access and A/V traffic only, "
	  "never Web Conferencing 8057 or XMPP 23456" },
	{ "LYNC-E021", "edge or reverse proxy with no external zone", NULL,
	  "The edge and reverse-proxy flows run to and from parties outside the\n"
	  "organisation (remote clients, federation partners, the Internet), which\n"
	  "live in the site's first zone of kind `external`.  A site with an edge or\n"
	  "reverse-proxy pool and no external zone has nowhere to put them, so\n"
	  "those flows would silently be left out.\n"
	  "Source: docs/language.md, \"Parties\".",
	  "docs/language.md: parties outside the organisation default to the first "
	  "external zone" },
	{ "LYNC-E022", "address outside its zone's networks", NULL,
	  "A VIP or node address of a pool side lies in none of the networks of\n"
	  "the zone the side is placed in (checked when the zone lists networks\n"
	  "of that address family).  The firewalls would be given permits to an\n"
	  "address that is not on the zone's networks, and the real address would\n"
	  "get none.  Use an address of the zone, or add its network to the zone.\n"
	  "NAT public addresses are not checked (they are in another zone);\n"
	  "addresses allocated from a block outside the zone are reported once,\n"
	  "as LYNC-E024.\n"
	  "Source: docs/language.md, \"Top level\" (a zone's networks).",
	  "docs/language.md: a zone's networks hold its pools' addresses" },
	{ "LYNC-E023", "special address", NULL,
	  "An interface address, VIP, zone network or party prefix that cannot be\n"
	  "one: the unspecified address (0.0.0.0, ::), the limited broadcast\n"
	  "address 255.255.255.255, 0.0.0.0/8 (loopback is LYNC-W006), link-local\n"
	  "(169.254.0.0/16, fe80::/10: never forwarded by a firewall), multicast\n"
	  "(224.0.0.0/4, ff00::/8), reserved (240.0.0.0/4), or the network or\n"
	  "broadcast address of an IPv4 zone network of /30 or wider.  A permit\n"
	  "for such an address is either meaningless or much wider than meant.\n"
	  "Source: RFC 1122 section 3.2.1.3, RFC 6890 (special-purpose address\n"
	  "registries), RFC 4291 (IPv6 addressing).",
	  "RFC 6890: special-purpose IPv4 and IPv6 address registries" },
	{ "LYNC-E024", "allocation block outside its zone", NULL,
	  "`addresses from BLOCK;` allocates a pool side's addresses from BLOCK,\n"
	  "but BLOCK is not inside any network of the side's zone, so every\n"
	  "allocated address would be outside the zone.\n"
	  "Source: docs/language.md, \"Pools\".",
	  "docs/language.md: addresses are allocated from a block of the zone" },
	{ "LYNC-E025", "zones overlap", NULL,
	  "Two zones list overlapping networks.  Every address belongs to one\n"
	  "zone: lyncc places parties and queried addresses by the zones'\n"
	  "networks, and firewalls filter by the zone a packet comes from, so an\n"
	  "address in two zones would cross the firewall legs of whichever zone\n"
	  "came first.  (Found in one sorted sweep, so the check is n log n in\n"
	  "the number of networks.)\n"
	  "Source: docs/language.md, \"Devices and routing\".",
	  "docs/language.md: a zone is a network segment behind one firewall leg" },
	{ "LYNC-E026", "party narrowed to 0.0.0.0/0 or ::/0", NULL,
	  "`party NAME < address 0.0.0.0/0; >` (or `::/0`) narrows nothing: it is\n"
	  "any address of the family, so a flow from that party to a destination\n"
	  "narrowed the same way would be an any-to-any permit, which lyncc never\n"
	  "generates. Narrow the party to the prefixes it uses, or leave it\n"
	  "unnarrowed to keep the documented \"any\".\n"
	  "Source: docs/language.md, \"Parties\".",
	  "docs/language.md: a party is narrowed to the prefixes it uses" },
	{ "LYNC-W001", "device that no flow crosses", NULL,
	  "A firewall that filters no flow, a router that no flow crosses, or a\n"
	  "load balancer that carries no load-balanced service is probably placed\n"
	  "between the wrong zones (or serves the wrong pool).  Its configuration\n"
	  "would be empty.",
	  NULL },
	{ "LYNC-W002", "zone that nothing uses", NULL,
	  "A zone that holds no pool, is the end of no flow and is crossed by no\n"
	  "flow is probably a leftover or a misspelt reference.",
	  NULL },
	{ "LYNC-W003", "A/V service without SNAT needs transparent mode on HAProxy", NULL,
	  "An A/V edge service behind a load balancer keeps the client's source\n"
	  "address (no SNAT).  HAProxy does that only in transparent mode, which\n"
	  "needs: a Linux kernel with TPROXY support and HAProxy built with it,\n"
	  "`source 0.0.0.0 usesrc clientip` on the backend, and the edge nodes'\n"
	  "default route via the HAProxy host, so that their replies pass back\n"
	  "through it.\n"
	  "Source:\n" SEED000 ", HLB requirements, bullets 2 and 9 (no SNAT for A/V;\n"
	  "the HLB is the edge servers' default gateway); [KEMP-2010] (transparency\n"
	  "needs the load balancer as the real servers' default gateway).",
	  SEED000 ": HLB requirements, bullets 2 and 9 (no SNAT for A/V; the HLB "
	  "VIP is the edge servers' default gateway)" },
	{ "LYNC-W004", "hardware-load-balanced pool that no load balancer serves", NULL,
	  "The site declares load balancers, but none of them serves this pool side\n"
	  "although it says `lb hlb` (or, for a DNS-load-balanced front end or\n"
	  "director, has a web VIP).  Its load-balanced services would be generated\n"
	  "for no device.  Add the pool to a load balancer's `serves` list.",
	  NULL },
	{ "LYNC-W005", "feature that loses failover on a DNS-load-balanced edge pool",
	  "edge.hlb.when-required",
	  "Public IM connectivity and federation with OCS 2007 / 2007 R2 need a\n"
	  "hardware load balancer on the edge pool for high availability: with DNS\n"
	  "load balancing the partners' servers do not fail over to another edge\n"
	  "node.  The site works, but loses failover for that traffic.\n"
	  "Source: [MS-HLBREQ], [MS-DNSLB] (an Edge HLB is required when federating\n"
	  "with OCS 2007 / 2007 R2 or for public IM connectivity).",
	  "MS-HLBREQ: an Edge HLB is required for high availability with OCS 2007 "
	  "federation and public IM connectivity" },
	{ "LYNC-W006", "loopback address", NULL,
	  "An interface address, VIP, zone network or party prefix in 127.0.0.0/8\n"
	  "or ::1.  Loopback packets never leave a host, so no firewall or load\n"
	  "balancer between two hosts sees them: a site like this only works as a\n"
	  "lab on one machine (the test suite's live HAProxy site,\n"
	  "`tests/lb/live-site.lync`, is one), never on a network.  A warning,\n"
	  "not an error, for that reason; `-Werror` makes it one.\n"
	  "Source: RFC 1122 section 3.2.1.3 (g), RFC 4291 section 2.5.3.",
	  "RFC 1122 3.2.1.3: loopback addresses never appear outside a host" },
	{ "LYNC-W007", "NATed edge pool whose nodes must hairpin through the NAT",
	  "edge.nat.hairpin",
	  "A pool of two or more Edge Servers behind static NAT: each node's A/V\n"
	  "Edge service reaches the other nodes on their public A/V addresses, so\n"
	  "the NAT firewall must send that traffic back out of the interface it\n"
	  "came in on, with both translations (hairpin or U-turn NAT: on ASA\n"
	  "`same-security-traffic permit intra-interface` with the static NAT\n"
	  "entries; on SRX destination and source NAT within the zone).  lyncc\n"
	  "writes the filter rules and the static NAT entries, not the device's\n"
	  "hairpin policy, so it says so once per pool, at the first NATed A/V\n"
	  "address.\n"
	  "Source: [MS-AVFW] (with NAT, Edge Servers in a pool communicate with\n"
	  "each other using their public A/V addresses), [SFB-EDGEENV].",
	  "MS-AVFW: Edge Servers of a NATed pool reach each other on their public "
	  "A/V addresses" },
	{ "LYNC-W008", "UDP service that HAProxy leaves out", NULL,
	  "HAProxy proxies TCP (and HTTP) only.  For a load balancer that carries\n"
	  "TCP and UDP services (an HLB edge pool: A/V STUN/TURN UDP 3478 on the\n"
	  "A/V VIP of the external side and on the internal VIP), `-t haproxy`\n"
	  "writes the TCP services (SIP/TLS, PSOM, A/V TCP 443, the internal\n"
	  "side) and lists the UDP ones in a `# NOT CARRIED` comment of the\n"
	  "config, but nothing answers them: until something does, clients reach\n"
	  "A/V only over TCP 443, the fallback.  Carry them with a UDP load\n"
	  "balancer on the same VIP that keeps the client's address (no SNAT, as\n"
	  "every A/V service), or use another load balancer target for the device\n"
	  "(e.g. -t f5), or DNS load balancing for the pool (`lb dns;`).\n"
	  "`-Werror` makes it a failure.  The A/V TCP 443 service HAProxy does\n"
	  "carry is transparent (LYNC-W003).\n"
	  "Source: " SEED000 " t3 and t4, the external and internal interface\n"
	  "VIPs (A/V UDP 3478 on each VIP); " SEED000 ", HLB requirements, bullets 1\n"
	  "and 2 (no SNAT for A/V); HAProxy documentation (TCP and HTTP modes\n"
	  "only).",
	  SEED000 " t3: external interface VIP, A/V STUN/MSTURN UDP 3478" },
	{ "LYNC-W009", "edge services sharing one public address", NULL,
	  "Two or all three external edge services of a node, or of the HLB VIP, on\n"
	  "one public address, each on its own port (`port access 5061; port webconf\n"
	  "444; port av 443;`).  Microsoft supports it but does not recommend it:\n"
	  "remote users' firewalls may block the ports other than TCP 443\n"
	  "[SFB-EDGEENV].  Reported once per pool, at the first shared address, with\n"
	  "the services and their ports; not when the pool has a LYNC-E006.  The\n"
	  "address counts follow: 1 + N public addresses with an HLB (one VIP shared by\n"
	  "the three services, one per node), N with DNS load balancing.\n"
	  "Source: [SFB-EDGEENV], [EDGE-1IP-PORTS].",
	  "SFB-EDGEENV: a single IP address for all three edge services needs "
	  "distinct ports per service; supported, not recommended" },
	{ "LYNC-W010", "PSTN gateways without a media port range", NULL,
	  "The site describes its PSTN gateways (party pstn-gateways) and has a\n"
	  "Mediation Server (a stand-alone pool or collocated on a front end), but\n"
	  "does not give the gateways' own media (RTP) port range.  The gateway's\n"
	  "media to the Mediation Server is opened on the Mediation Server's range,\n"
	  "TCP/UDP 49152-57500 (Gg398833 t1 r39: every internal server that\n"
	  "terminates audio, the Mediation Server included), but the Mediation\n"
	  "Server's media to the gateway goes to the gateway's range, which no seed\n"
	  "gives: lyncc writes no rule for it.  Add `media-ports LO-HI;` to the\n"
	  "party (the range from the gateway's documentation or configuration).\n"
	  "Source:\n" SEED001 " t1 r39 (the Mediation Server's media range only).",
	  SEED001 " t1 r39: media port range of the servers that terminate audio, "
	  "the Mediation Server included; the gateway's own range is the site's" },
	{ "LYNC-W011", "enterprise-voice without party pstn-gateways", NULL,
	  "The site enables enterprise-voice but does not name its PSTN gateways\n"
	  "(`party pstn-gateways < address PREFIX...; >`).  The gateway flows\n"
	  "(SIP 5067/5068 to the Mediation service, SIP and media from it to the\n"
	  "gateway) then use the party's default, every internal host, clients\n"
	  "included.  Name the gateways' addresses (or their zone).\n"
	  "Source: Gg398833 t1 r23-26, r47-48 (the peer is the PSTN gateway).",
	  "Gg398833 t1 r23-26: SIP requests from the PSTN gateway to the Mediation "
	  "Server" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct check_info *
check_find(const char *id)
{
	size_t i;

	for (i = 0; check_table[i].id; i++)
		if (strcmp(check_table[i].id, id) == 0)
			return &check_table[i];
	return NULL;
}

/* ---- reporting ----------------------------------------------------------- */

static const char *
rule_cite(struct cctx *cx, const struct check_info *ci)
{
	const struct ir_rule *r;
	char *s = "";
	size_t i;

	if (ci->rule == NULL || (r = ir_rule_find(cx->site, ci->rule)) == NULL ||
	    r->ncites == 0)
		return ci->cite;
	for (i = 0; i < r->ncites; i++)
		s = arena_printf(cx->a, "%s%s%s", s, i ? "; " : "",
		    ir_cite_format(cx->a, &r->cites[i]));
	return s;
}

struct diag *
report(struct cctx *cx, const char *id, const struct srcloc *loc, const char *fmt, ...)
{
	const struct check_info *ci = check_find(id);
	struct diag *d;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = arena_vprintf(cx->a, fmt, ap);
	va_end(ap);
	d = diag_add(cx->dc, strncmp(id, "LYNC-W", 6) == 0 ? DIAG_WARNING : DIAG_ERROR,
	    id, loc && loc->src ? loc : NULL, "%s", msg);
	if (ci)
		diag_cite(cx->dc, d, rule_cite(cx, ci));
	return d;
}

/* ---- locations ------------------------------------------------------------- */

static bool
is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' ||
	    c == '/' || c == '-';
}

/*
 * Look through the statement that starts at `from` (up to its ';', or the
 * '>' that closes its block) for the first word that m accepts.
 */
bool
loc_find(const struct srcloc *from, word_match m, const void *arg, struct srcloc *out)
{
	const struct source *s = from->src;
	size_t i, lstart;
	unsigned line;
	int depth = 0;

	if (s == NULL || from->line == 0 || from->line > s->nlines)
		return false;
	line = from->line;
	lstart = s->lines[line - 1];
	i = lstart + (from->col ? from->col - 1 : 0);
	while (i < s->len) {
		char c = s->text[i];

		if (c == '\n') {
			line++;
			lstart = ++i;
			continue;
		}
		if (c == '#') {
			while (i < s->len && s->text[i] != '\n')
				i++;
			continue;
		}
		if (c == '"') {
			for (i++; i < s->len && s->text[i] != '"' && s->text[i] != '\n'; i++)
				if (s->text[i] == '\\' && i + 1 < s->len)
					i++;
			i++;
			continue;
		}
		if (is_word_char(c)) {
			size_t b = i;

			while (i < s->len && is_word_char(s->text[i]))
				i++;
			if (m(s->text + b, i - b, arg)) {
				memset(out, 0, sizeof(*out));
				out->src = s;
				out->line = out->end_line = line;
				out->col = (unsigned)(b - lstart) + 1;
				out->end_col = (unsigned)(i - lstart);
				return true;
			}
			continue;
		}
		if (c == '<')
			depth++;
		else if ((c == '>' && --depth <= 0) || (c == ';' && depth == 0))
			return false;
		i++;
	}
	return false;
}

bool
match_text(const char *w, size_t len, const void *arg)
{
	const char *t = arg;

	return strlen(t) == len && strncmp(w, t, len) == 0;
}

static bool
match_parsed(const char *w, size_t len, const void *arg, bool want_prefix)
{
	char buf[ADDR_STRLEN];
	struct ir_addr a;
	const char *why;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, w, len);
	buf[len] = '\0';
	return addr_parse(buf, &a, want_prefix, &why) == 0 && addr_cmp(&a, arg) == 0;
}

bool
match_addr(const char *w, size_t len, const void *arg)
{
	return match_parsed(w, len, arg, false);
}

bool
match_prefix(const char *w, size_t len, const void *arg)
{
	return match_parsed(w, len, arg, true);
}

/* `node N` inside a side block: the word "node" followed by N */
struct node_match {
	char	n[16];
	bool	after_node;
};

static bool
match_node(const char *w, size_t len, const void *arg)
{
	struct node_match *nm = (struct node_match *)(uintptr_t)arg;
	bool hit = nm->after_node && strlen(nm->n) == len && strncmp(w, nm->n, len) == 0;

	nm->after_node = len == 4 && strncmp(w, "node", 4) == 0;
	return hit;
}

/* Where the statement of node n on that side of p starts. */
struct srcloc
node_stmt_loc(const struct ir_pool *p, enum ir_side_kind side, unsigned n)
{
	const struct ir_side *sd = &p->side[side];
	struct node_match nm;
	struct srcloc at;

	if (sd->loc.src) {
		memset(&nm, 0, sizeof(nm));
		snprintf(nm.n, sizeof(nm.n), "%u", n);
		if (loc_find(&sd->loc, match_node, &nm, &at)) {
			at.col -= 5;	/* back to "node" (one space apart) */
			return at;
		}
	}
	return p->nodes[n - 1].loc;
}

struct srcloc
addr_loc(const struct ir_pool *p, enum ir_side_kind side, enum ir_svc svc,
    unsigned node, const struct ir_addr *a)
{
	const struct ir_side *sd = &p->side[side];
	struct srcloc from, at;

	from = node ? node_stmt_loc(p, side, node) : sd->vip_loc[svc];
	/* `node 1 < access A; webconf B; >`: look in the service's statement */
	if (node && p->kind == POOL_EDGE && side == SIDE_EXT && from.src &&
	    loc_find(&from, match_text, ir_svc_name[svc], &at))
		from = at;
	if (from.src && loc_find(&from, match_addr, a, &at))
		return at;
	if (sd->allocated)
		return sd->block_loc;
	if (from.src)
		return from;
	return sd->loc.src ? sd->loc : p->loc;
}

/* ---- names --------------------------------------------------------------- */

const char *
fmt_addr(struct cctx *cx, const struct ir_addr *a)
{
	char buf[ADDR_STRLEN];

	return arena_strdup(cx->a, addr_format(a, buf, sizeof(buf)));
}

const char *
pool_name(struct cctx *cx, const struct ir_pool *p)
{
	return arena_printf(cx->a, "%s pool '%s'", ir_pool_kind_name[p->kind], p->name);
}

/* "av " for edge services, "" for a pool's only service */
const char *
svc_word(struct cctx *cx, const struct ir_pool *p, enum ir_svc svc)
{
	if (svc == SVC_PRIMARY)
		return "";
	return arena_printf(cx->a, "%s ", ir_svc_name[svc]);
}

/* The service of the nodes behind a VIP of that service. */
enum ir_svc
member_svc(const struct ir_pool *p, enum ir_svc svc)
{
	return p->kind == POOL_EDGE || p->kind == POOL_RPROXY ? svc : SVC_PRIMARY;
}

/* "the av VIP", "node 2's internal address", "node 1's av NAT public address" */
const char *
use_short(struct cctx *cx, const struct use *u)
{
	if (u->nat)
		return arena_printf(cx->a, "node %u's %sNAT public address", u->node,
		    svc_word(cx, u->pool, u->svc));
	if (u->node == 0)
		return arena_printf(cx->a, "the %sVIP", svc_word(cx, u->pool, u->svc));
	return arena_printf(cx->a, "node %u's %saddress", u->node,
	    svc_word(cx, u->pool, u->svc));
}

/* "node 2's internal address of edge pool 'edge01'" */
const char *
use_name(struct cctx *cx, const struct use *u)
{
	return arena_printf(cx->a, "%s of %s", use_short(cx, u), pool_name(cx, u->pool));
}

/* "the av VIP 203.0.113.12 of edge pool 'edge01'" */
const char *
use_addr(struct cctx *cx, const struct use *u)
{
	return arena_printf(cx->a, "%s %s of %s", use_short(cx, u),
	    fmt_addr(cx, &u->addr), pool_name(cx, u->pool));
}

/* "a" or "an" before a word */
const char *
article(const char *w)
{
	return strchr("aeiouAEIOU", w[0]) && w[0] ? "an" : "a";
}

const char *
family_name(int fam)
{
	return fam == 6 ? "IPv6" : "IPv4";
}

/* ---- the address uses of the site ------------------------------------------ */

/* count: only count (the first pass sizes the array exactly: tens of
 * addresses per pool, doubling would leave as much again in the arena) */
static void
add_use(struct cctx *cx, bool count, struct ir_pool *p, enum ir_side_kind side,
    enum ir_svc svc, unsigned node, bool nat, const struct ir_addr *a,
    const struct srcloc *loc)
{
	struct use *u;

	if (count) {
		cx->nuses++;
		return;
	}
	u = VEC_PUSH(cx->a, cx->uses, cx->nuses, cx->capuses);
	memset(u, 0, sizeof(*u));
	u->pool = p;
	u->side = side;
	u->svc = svc;
	u->node = node;
	u->nat = nat;
	u->addr = *a;
	u->loc = loc ? *loc : addr_loc(p, side, svc, node, a);
}

/* VIPs first, then nodes in order, then NAT public addresses: declaration
 * order within each pool. */
static void
collect_pass(struct cctx *cx, bool count)
{
	size_t i, k;
	unsigned n;
	int d, s;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];

		for (d = SIDE__N - 1; d >= 0; d--) {
			if (!p->side[d].used)
				continue;
			for (s = 0; s < SVC__N; s++)
				for (k = 0; k < p->side[d].vip[s].n; k++)
					add_use(cx, count, p, (enum ir_side_kind)d,
					    (enum ir_svc)s, 0, false, &p->side[d].vip[s].v[k],
					    NULL);
		}
		for (d = SIDE__N - 1; d >= 0; d--) {
			if (!p->side[d].used)
				continue;
			for (n = 0; n < p->nnodes; n++)
				for (s = 0; s < SVC__N; s++) {
					if (!svc_on_side(p, (enum ir_side_kind)d, (enum ir_svc)s))
						continue;
					for (k = 0; k < p->nodes[n].addr[s].n; k++)
						add_use(cx, count, p, (enum ir_side_kind)d,
						    (enum ir_svc)s, n + 1, false,
						    &p->nodes[n].addr[s].v[k], NULL);
				}
		}
		for (k = 0; k < p->nnats; k++)
			add_use(cx, count, p, nat_side(p, p->nats[k].svc),
			    p->nats[k].svc, p->nats[k].node, true, &p->nats[k].pub,
			    &p->nats[k].loc);
	}
}

void
collect_uses(struct cctx *cx)
{
	size_t n0 = cx->nuses;

	collect_pass(cx, true);
	if (cx->nuses > cx->capuses) {	/* room for exactly these */
		struct use *v = arena_alloc(cx->a, cx->nuses * sizeof(*v));

		if (n0)
			memcpy(v, cx->uses, n0 * sizeof(*v));
		cx->uses = v;
		cx->capuses = cx->nuses;
	}
	cx->nuses = n0;
	collect_pass(cx, false);
}

bool
svc_on_side(const struct ir_pool *p, enum ir_side_kind side, enum ir_svc svc)
{
	if (p->kind == POOL_EDGE)
		return side == SIDE_EXT ? (svc == SVC_ACCESS || svc == SVC_WEBCONF ||
		    svc == SVC_AV) : svc == SVC_INTERNAL;
	if (p->kind == POOL_RPROXY)
		return side == SIDE_EXT ? svc == SVC_EXTERNAL : svc == SVC_INTERNAL;
	return side == SIDE_INT && svc == SVC_PRIMARY;
}

enum ir_side_kind
nat_side(const struct ir_pool *p, enum ir_svc svc)
{
	if (p->kind == POOL_EDGE || p->kind == POOL_RPROXY)
		return svc == SVC_INTERNAL ? SIDE_INT : SIDE_EXT;
	return SIDE_INT;
}

bool
is_hlb_edge(const struct ir_pool *p)
{
	return p->kind == POOL_EDGE && p->side[SIDE_EXT].lb == LB_HLB;
}
