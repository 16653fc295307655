/*
 * ir.h - the resolved, vendor-neutral model of one site.
 *
 * resolve.c builds it from the parse trees of the site and the stdlib;
 * expand.c fills in the flows and load-balanced services that apply; check.c
 * judges it; backends read it and never change it.  Everything lives in the
 * compilation's arena.  Arrays are (pointer, count) pairs in a stable order:
 * declaration order for what the user wrote, stdlib order for flows.
 *
 * Reading guide:
 *   ir_site      the whole site: zones, pools, parties, devices
 *   ir_pool      a Lync pool (edge, front end, ...): nodes, sides, VIPs
 *   ir_flowdef   a stdlib flow (template);   ir_flow   one that applies
 *   ir_lbdef     a stdlib LB service;        ir_lbsvc  one that applies
 *   ir_device    a firewall, load balancer or router and what crosses it
 */
#ifndef LYNCC_COMPILER_IR_H
#define LYNCC_COMPILER_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "diag.h"

struct arena;

/* ---- address sets ---------------------------------------------------- */

struct ir_addrset {
	bool		 any;		/* "any": v is empty */
	struct ir_addr	*v;		/* sorted, unique */
	size_t		 n, cap;
};

void	addrset_add(struct arena *, struct ir_addrset *, const struct ir_addr *);
void	addrset_union(struct arena *, struct ir_addrset *, const struct ir_addrset *);
void	addrset_sort(struct ir_addrset *);
bool	addrset_has(const struct ir_addrset *, const struct ir_addr *);

/* ---- zones ------------------------------------------------------------- */

enum ir_zone_kind { ZONE_EXTERNAL, ZONE_PERIMETER, ZONE_INTERNAL };

struct ir_zone {
	const char		*name;
	enum ir_zone_kind	 kind;
	struct ir_addrset	 networks;	/* may be empty */
	const char		*description;	/* may be NULL; free text */
	struct srcloc		 loc;
	unsigned		 index;
	unsigned		 uses;		/* nonzero: endpoints placed in it */
};

/* ---- pools ------------------------------------------------------------- */

enum ir_pool_kind {
	POOL_EDGE, POOL_FRONTEND, POOL_DIRECTOR, POOL_MEDIATION,
	POOL_PCHAT, POOL_OWA, POOL_RPROXY, POOL__N
};
extern const char *const ir_pool_kind_name[POOL__N];	/* "edge", "frontend", ... */

/* The addresses a node has, by service.  Edge: ACCESS, WEBCONF, AV on the
 * external side, INTERNAL on the internal side.  Reverse proxy: EXTERNAL
 * and INTERNAL.  Every other pool: PRIMARY. */
enum ir_svc {
	SVC_PRIMARY, SVC_ACCESS, SVC_WEBCONF, SVC_AV, SVC_INTERNAL, SVC_EXTERNAL,
	SVC_WEBEXT,		/* front end/director: external web services VIP */
	SVC__N
};
extern const char *const ir_svc_name[SVC__N];	/* "primary", "access", ... */

enum ir_side_kind { SIDE_INT, SIDE_EXT, SIDE__N };	/* non-edge pools: SIDE_INT */
extern const char *const ir_side_name[SIDE__N];	/* "internal", "external" */

enum ir_lb { LB_NONE, LB_HLB, LB_DNS };
extern const char *const ir_lb_name[3];	/* "none", "hlb", "dns" */

struct ir_nat {				/* static NAT of one real address */
	struct ir_addr		 real, pub;
	enum ir_svc		 svc;
	unsigned		 node;		/* 1-based */
	struct srcloc		 loc;
};

struct ir_node {
	unsigned		 index;			/* 1-based */
	struct ir_addrset	 addr[SVC__N];
	struct srcloc		 loc;
};

struct ir_side {
	bool			 used;
	struct ir_zone		*zone;
	enum ir_lb		 lb;
	struct srcloc		 lb_loc;
	struct ir_addrset	 vip[SVC__N];
	struct srcloc		 vip_loc[SVC__N];
	bool			 allocated;	/* from an `addresses from` block */
	struct ir_addr		 block;
	struct srcloc		 block_loc;
	struct srcloc		 loc;
};

struct ir_pool {
	const char		*name;
	enum ir_pool_kind	 kind;
	struct srcloc		 loc;
	unsigned		 nnodes;
	struct srcloc		 nnodes_loc;
	struct ir_node		*nodes;
	struct ir_side		 side[SIDE__N];
	/* edge: which services the HLB source-NATs (bit per ir_svc) */
	unsigned		 snat_mask;
	bool			 snat_set;
	struct srcloc		 snat_loc;
	struct ir_nat		*nats;
	size_t			 nnats, capnats;
	/* front end */
	bool			 mediation_collocated;
	struct srcloc		 mediation_loc;
	bool			 cms;		/* holds the Central Management store */
	bool			 xmpp_gateway;
	bool			 cookie_persistence;
	struct srcloc		 cookie_loc;	/* its `cookie-persistence on;` */
	/* HLB health monitor port (Topology Builder's "hardware load balancer
	 * monitoring port"); 0: the service's own (TCP 5061) */
	uint16_t		 monitor_port;
	struct srcloc		 monitor_loc;
	/* edge: each external service's listener port (`port access N;` in
	 * `external < >`), what the flows and LB services marked `listener`
	 * use; 0: the documented TCP 443 */
	uint16_t		 ext_port[SVC__N];
	struct srcloc		 ext_port_loc[SVC__N];
	/* standalone mediation: the front-end pool it serves (may be NULL) */
	struct ir_pool		*next_hop;
	const char		*description;
	unsigned		 index;
};

/* ---- parties ("any", narrowable) ------------------------------------- */

/*
 * A documented "any".  It covers every zone where such hosts live: the
 * outside parties every external zone, the inside parties every internal
 * zone, unless the site names the zones (`zone users voice;`).  A flow from
 * or to a party becomes one flow per covered zone, each routed on its own.
 * Narrowing (`address ...`) only removes addresses: each address goes to the
 * covered zones whose networks hold it (to those without networks if none
 * does).
 */
struct ir_party {
	const char		*name;		/* remote-clients, internet, ... */
	struct ir_addrset	 addrs;		/* any unless narrowed */
	struct ir_zone		*zone;		/* zones[0], or NULL */
	struct ir_zone		**zones;	/* the zones it covers, site order */
	size_t			 nzones;
	bool			 zones_given;	/* the site said `zone ...` */
	uint16_t		 sip_port;	/* `sip-port N;` (pstn-gateways), 0: none */
	uint16_t		 media_lo, media_hi;	/* `media-ports LO-HI;`
						 * (pstn-gateways), 0-0: none */
	bool			 declared;	/* the site said something */
	struct srcloc		 loc;
	unsigned		 index;
};

/* ---- stdlib definitions ----------------------------------------------- */

enum ir_proto { PROTO_TCP = 1, PROTO_UDP = 2, PROTO_TCPUDP = 3 };	/* bit mask */

struct ir_cite {
	const char		*file;		/* seed file name, or NULL */
	const char		*table;		/* table name, or doc key */
	unsigned		 row;		/* 0 with cite-doc */
	const char		*text;		/* cite-doc text */
};

/* One `when` term. */
enum ir_cond_kind { COND_FEATURE, COND_NO_FEATURE, COND_LB, COND_MEDIATION };
struct ir_cond {
	enum ir_cond_kind	 kind;
	const char		*feature;
	enum ir_pool_kind	 pool_kind;	/* COND_LB */
	enum ir_lb		 lb;		/* COND_LB */
	bool			 collocated;	/* COND_MEDIATION */
	struct srcloc		 loc;
};

/* An endpoint as the stdlib writes it: a role or `any PARTY`. */
enum ir_role {
	ROLE_NONE,
	ROLE_EDGE_ACCESS, ROLE_EDGE_ACCESS_VIP, ROLE_EDGE_WEBCONF,
	ROLE_EDGE_WEBCONF_VIP, ROLE_EDGE_AV, ROLE_EDGE_AV_VIP,
	ROLE_EDGE_INTERNAL, ROLE_EDGE_INTERNAL_VIP,
	ROLE_FRONTEND, ROLE_FRONTEND_VIP, ROLE_FRONTEND_CMS, ROLE_FRONTEND_XMPP,
	ROLE_DIRECTOR, ROLE_DIRECTOR_VIP, ROLE_MEDIATION, ROLE_PCHAT, ROLE_OWA,
	ROLE_RPROXY_INTERNAL, ROLE_RPROXY_EXTERNAL,
	ROLE_FRONTEND_WEBEXT_VIP, ROLE_DIRECTOR_WEBEXT_VIP,
	ROLE_MEDIATION_VIP,		/* a stand-alone Mediation pool's HLB VIP */
	ROLE_RPROXY_EXTERNAL_VIP,	/* an HLB in front of the reverse proxy */
	ROLE__N
};
extern const char *const ir_role_name[ROLE__N];

struct ir_endpoint_def {
	enum ir_role		 role;		/* ROLE_NONE: party */
	const char		*party;		/* `any PARTY` */
	struct srcloc		 loc;
};

struct ir_flowdef {
	const char		*id;
	unsigned		 proto;		/* PROTO_* mask */
	uint16_t		 port_lo, port_hi;	/* destination ports */
	uint16_t		 sport_lo, sport_hi;	/* source ports; 0-0: any */
	const char		*port_party;	/* `site-port PARTY;`: that party's
						 * `sip-port` replaces the port */
	enum ir_svc		 listener;	/* `listener access;`: the edge pool's
						 * `port access N;` replaces the
						 * port; SVC_PRIMARY: none */
	const char		*media_party;	/* `site-media-ports PARTY;`: that
						 * party's `media-ports` are the ports;
						 * without them, no flow */
	struct ir_endpoint_def	 from, to;
	enum ir_role		*narrow;	/* roles the `any` side may narrow to */
	size_t			 nnarrow, capnarrow;
	struct ir_cond		*conds;
	size_t			 nconds, capconds;
	const char		*note;
	const char		*differs;
	struct ir_cite		*cites;
	size_t			 ncites, capcites;
	struct srcloc		 loc;
	unsigned		 index;		/* stdlib order */
};

enum ir_persist { PERSIST_NONE, PERSIST_SOURCE, PERSIST_COOKIE };
enum ir_snat_policy { SNAT_ALLOWED, SNAT_FORBIDDEN, SNAT_REQUIRED };
extern const char *const ir_persist_name[3];
extern const char *const ir_snat_policy_name[3];

struct ir_lbdef {
	const char		*id;
	enum ir_role		 vip, members;
	unsigned		 proto;		/* PROTO_TCP or PROTO_UDP */
	uint16_t		 port, member_port;
	enum ir_persist		 persist;
	unsigned		 persist_timeout;	/* seconds, 0: device default */
	enum ir_snat_policy	 snat;
	uint16_t		 monitor_port;	/* TCP; 0: member_port */
	enum ir_svc		 listener;	/* `listener SVC;`: port and member
						 * port are the edge pool's `port SVC
						 * N;`; SVC_PRIMARY: none */
	enum ir_svc		 monitor_listener;	/* `monitor listener SVC;` */
	unsigned		 idle_timeout;	/* seconds, 0: device default */
	bool			 nagle_off;
	struct ir_cond		*conds;
	size_t			 nconds, capconds;
	const char		*note;
	struct ir_cite		*cites;
	size_t			 ncites, capcites;
	struct srcloc		 loc;
	unsigned		 index;
};

struct ir_rule {
	const char		*id;
	const char		*note;
	struct ir_cite		*cites;
	size_t			 ncites, capcites;
	struct srcloc		 loc;
};

struct ir_feature {
	const char		*name;
	const char		*note;
	bool			 on;
	bool			 default_on;	/* `default on;`: the seed's rows are
						 * unconditional; `NAME off;` drops them */
	struct srcloc		 loc;		/* stdlib declaration */
	struct srcloc		 use_loc;	/* where the site enabled it */
};

/* ---- what applies to the site ----------------------------------------- */

/* One side of an applicable flow, resolved to addresses. */
/* (fields ordered for size: two of them in every flow, tens per pool) */
struct ir_endpoint {
	enum ir_role		 role;		/* ROLE_NONE: party */
	bool			 narrowed;	/* `any` narrowed to roles */
	struct ir_party		*party;		/* party, unless narrowed */
	struct ir_pool		*pool;		/* role endpoints */
	struct ir_zone		*zone;
	struct ir_addrset	 addrs;		/* any, or addresses */
	const char		*label;		/* "edge01.access", "remote-clients" */
};

/* (fields ordered for size: 192 bytes, about 40 flows per edge pool) */
struct ir_flow {
	const struct ir_flowdef	*def;
	const char		*id;		/* def->id */
	unsigned		 proto;
	unsigned		 index;
	uint16_t		 port_lo, port_hi;	/* destination ports */
	uint16_t		 sport_lo, sport_hi;	/* source ports; 0-0: any */
	struct ir_endpoint	 src, dst;
	/* firewalls/routers crossed, in order: shared by every flow between
	 * the same two zones (route_index_path), never grown */
	struct ir_device	**path;
	unsigned		 npath;
	bool			 unreachable;	/* zones differ, no path */
};

struct ir_lbmember {
	struct ir_addr		 addr;
	unsigned		 node;		/* 1-based */
};

/* (fields ordered for size: tens per edge pool) */
struct ir_lbsvc {
	const struct ir_lbdef	*def;
	const char		*id;		/* def->id */
	struct ir_pool		*pool;
	struct ir_lbmember	*members;
	size_t			 nmembers;
	const char		*cookie_name;	/* set iff PERSIST_COOKIE: "MS-WSMAN" */
	struct ir_device	*device;	/* the LB that serves it, or NULL */
	enum ir_side_kind	 side;
	unsigned		 proto;		/* PROTO_TCP or PROTO_UDP */
	enum ir_persist		 persist;
	unsigned		 persist_timeout;
	unsigned		 idle_timeout;
	unsigned		 index;
	struct ir_addr		 vip;
	uint16_t		 port, member_port;
	uint16_t		 monitor_port;
	bool			 snat;		/* source NAT (automap) */
	bool			 nagle_off;
	bool			 transparent;	/* no SNAT: members route back via LB */
};

/*
 * The HLB as the default gateway of an edge pool's nodes (seed 000 HLB
 * requirements 9): what the nodes originate on the external side passes
 * through the load balancer, which must forward it (F5: a forwarding
 * virtual server) and translate the source where the firewall expects the
 * VIP.  One entry per flow the nodes originate there.  `snat_to` empty:
 * forward with the real node address (A/V, and the Access nodes' own DNS
 * and CRL traffic); otherwise translate the nodes' `sources` to the VIP of
 * the same family (Access and Web Conferencing flows whose source is the
 * VIP: the firewall permits them from the VIP only).
 */
struct ir_lbfwd {
	struct ir_flow		*flow;		/* as the firewalls see it */
	struct ir_pool		*pool;
	struct ir_addrset	 sources;	/* the nodes' real addresses */
	struct ir_addrset	 snat_to;	/* the VIP(s); empty: no translation */
	struct ir_device	*device;	/* the LB serving pool.external */
	enum ir_svc		 svc;		/* SVC_ACCESS, SVC_WEBCONF, SVC_AV */
	unsigned		 index;
};

/* ---- devices ------------------------------------------------------------ */

enum ir_device_kind { DEV_FIREWALL, DEV_LB, DEV_ROUTER };
extern const char *const ir_device_kind_name[3];

struct ir_iface {			/* a firewall's leg in one zone */
	struct ir_zone		*zone;
	const char		*ifname;	/* device interface, may be NULL */
	int			 level;		/* ASA security-level, -1: default */
	struct srcloc		 loc;
	struct srcloc		 ifname_loc;	/* of ifname, when given */
	const char		*nft_ifname;	/* `nft NAME`: -t nft's name, or NULL */
	struct srcloc		 nft_loc;
};

/* A flow as one firewall sees it. */
struct ir_fwflow {
	struct ir_flow		*flow;
	struct ir_zone		*from, *to;	/* ingress and egress zones */
};

struct ir_served {			/* an LB serves one side of a pool */
	struct ir_pool		*pool;
	enum ir_side_kind	 side;
	struct srcloc		 loc;
};

struct ir_device {
	const char		*name;
	enum ir_device_kind	 kind;
	const char		*description;
	struct srcloc		 loc;
	const char		*vendor;	/* `vendor NAME;` (a target), or NULL */
	struct srcloc		 vendor_loc;
	bool			 shared;	/* firewall: `shared;`, carries other traffic */
	struct ir_iface		*ifaces;
	size_t			 nifaces, capifaces;
	struct ir_served	*served;
	size_t			 nserved, capserved;
	/* filled by expand.c.  fwc: the flows that cross a firewall, one per
	 * class of flows that differ only in a party endpoint's zone and label
	 * (what the merged rules need; the first of each class, in flow order).
	 * flows: every flow, filled on demand (expand_device_flows) */
	struct ir_fwflow	*fwc;
	size_t			 nfwc;
	struct ir_fwflow	*flows;
	size_t			 nflows, capflows;
	struct ir_nat		**nats;
	size_t			 nnats, capnats;
	struct ir_lbsvc		**lbsvcs;
	size_t			 nlbsvcs, caplbsvcs;
	struct ir_lbfwd		**lbfwds;	/* LB: what it forwards as gateway */
	size_t			 nlbfwds, caplbfwds;
	unsigned		 index;
};

/* ---- the site ------------------------------------------------------------ */

/* The flows inside one zone a listing builds at most (N pools of a role
 * in one zone give N^2): beyond it, an error, not gigabytes. */
#define IR_LOCAL_FLOWS_MAX	2000000

struct ir_site {
	const char		*name;
	struct srcloc		 loc;
	const char		*domain;
	const char		*input_name;	/* the file as given */
	bool			 narrow_any;
	/* expand the flows inside one zone too: they cross no device, so
	 * only the listings (flows, ir, query, diff) ask for them */
	bool			 local_flows;
	bool			 local_capped;	/* over IR_LOCAL_FLOWS_MAX of them:
						 * expansion stopped (an error) */
	unsigned		 npoisoned;	/* misspelt references dropped (each
						 * an error): what is "unused" is
						 * not known */
	struct ir_zone		**zones;	size_t nzones, capzones;
	struct ir_pool		**pools;	size_t npools, cappools;
	struct ir_party		**parties;	size_t nparties, capparties;
	struct ir_device	**devices;	size_t ndevices, capdevices;
	struct ir_feature	**features;	size_t nfeatures, capfeatures;
	struct ir_flowdef	**flowdefs;	size_t nflowdefs, capflowdefs;
	struct ir_lbdef		**lbdefs;	size_t nlbdefs, caplbdefs;
	struct ir_rule		**rules;	size_t nrules, caprules;
	/* what applies (expand.c) */
	struct ir_flow		**flows;	size_t nflows, capflows;
	struct ir_lbsvc		**lbsvcs;	size_t nlbsvcs, caplbsvcs;
	struct ir_lbfwd		**lbfwds;	size_t nlbfwds, caplbfwds;
	struct route_index	*routes;	/* expand.c: routing index */
	struct ir_names		*names;		/* ir_names.c: name indexes of the
						 * lookups below (NULL: they scan) */
};

/* Lookups (NULL when absent); ir_names.c.  After ir_names_attach(), through
 * hash indexes that catch up with what was added since the last lookup. */
void			 ir_names_attach(struct ir_site *, struct arena *);
struct ir_zone		*ir_zone_find(const struct ir_site *, const char *);
struct ir_pool		*ir_pool_find(const struct ir_site *, const char *);
struct ir_party		*ir_party_find(const struct ir_site *, const char *);
struct ir_device	*ir_device_find(const struct ir_site *, const char *);
struct ir_feature	*ir_feature_find(const struct ir_site *, const char *);
const struct ir_rule	*ir_rule_find(const struct ir_site *, const char *);
bool			 ir_feature_on(const struct ir_site *, const char *);
enum ir_role		 ir_role_lookup(const char *);
/* "tcp", "udp", "tcp-udp" */
const char		*ir_proto_name(unsigned);
/* "Gg398739 t3 r3" (sources.h) or "MS-HLBREQ: text" */
char			*ir_cite_format(struct arena *, const struct ir_cite *);

#endif /* LYNCC_COMPILER_IR_H */
