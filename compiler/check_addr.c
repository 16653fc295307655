/*
 * check_addr.c - the address checks.
 *
 *   E001  SNAT on the A/V edge behind an HLB
 *   E002  HLB edge: 3 VIPs + 3 public addresses per node
 *   E003  DNS-LB edge: 3 public addresses per node, no VIPs
 *   E004  A/V reaches the real servers, not only the VIP
 *   E005  address used twice;  E006  two edge services on one address
 *   E007  edge internal and external in one network
 *   E008  private external edge address with no NAT
 *   E009  IPv4/IPv6 mismatches
 *   E010  more addresses than nodes
 *   E018  NAT with an HLB edge;  E019  NAT on the edge internal side
 *   E022  address outside its zone;  E023  special address
 *   E024  allocation block outside its zone;  E025  zones overlap
 *   E026  party narrowed to 0.0.0.0/0 or ::/0;  W006  loopback address
 *
 * Each address is reported once: the first check that finds something
 * wrong with it marks it done.
 */
#include "check_impl.h"
#include "addr_index.h"
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const enum ir_svc edge_ext_svcs[3] = { SVC_ACCESS, SVC_WEBCONF, SVC_AV };

static unsigned
count_family(const struct ir_addrset *s, int fam)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].family == fam)
			n++;
	return n;
}

static bool
has_nat(const struct ir_pool *p, const struct ir_addr *real)
{
	size_t i;

	for (i = 0; i < p->nnats; i++)
		if (addr_cmp(&p->nats[i].real, real) == 0)
			return true;
	return false;
}

/* Does the pool give its three external services one address (on node 1,
 * or the VIP): the single-address mode of docs/language.md? */
static bool
edge_single_addr(const struct ir_pool *p)
{
	const struct ir_addrset *a, *w, *v;

	if (p->kind != POOL_EDGE || p->nnodes == 0)
		return false;
	a = &p->nodes[0].addr[SVC_ACCESS];
	w = &p->nodes[0].addr[SVC_WEBCONF];
	v = &p->nodes[0].addr[SVC_AV];
	if (is_hlb_edge(p) && p->side[SIDE_EXT].vip[SVC_ACCESS].n) {
		a = &p->side[SIDE_EXT].vip[SVC_ACCESS];
		w = &p->side[SIDE_EXT].vip[SVC_WEBCONF];
		v = &p->side[SIDE_EXT].vip[SVC_AV];
	}
	return a->n && w->n && v->n && addr_cmp(&a->v[0], &w->v[0]) == 0 &&
	    addr_cmp(&a->v[0], &v->v[0]) == 0;
}

/* "9 public IPv4 addresses in all: 3 VIPs (access, webconf, av) + 3 per node x 2 nodes" */
static const char *
edge_count(struct cctx *cx, const struct ir_pool *p, int fam)
{
	if (edge_single_addr(p) && is_hlb_edge(p))
		return arena_printf(cx->a, "an HLB edge pool of %u node%s with one address "
		    "for its three services needs %u public %s addresses in all: 1 VIP + "
		    "1 per node x %u", p->nnodes, p->nnodes == 1 ? "" : "s",
		    1 + p->nnodes, family_name(fam), p->nnodes);
	if (edge_single_addr(p))
		return arena_printf(cx->a, "a DNS-load-balanced edge pool of %u node%s "
		    "with one address for its three services needs %u public %s "
		    "addresses in all: 1 per node x %u, and no VIPs", p->nnodes,
		    p->nnodes == 1 ? "" : "s", p->nnodes, family_name(fam), p->nnodes);
	if (is_hlb_edge(p))
		return arena_printf(cx->a, "an HLB edge pool of %u node%s needs %u public "
		    "%s addresses in all: 3 VIPs (access, webconf, av) + 3 per node x %u",
		    p->nnodes, p->nnodes == 1 ? "" : "s", 3 + 3 * p->nnodes,
		    family_name(fam), p->nnodes);
	return arena_printf(cx->a, "a DNS-load-balanced edge pool of %u node%s needs %u "
	    "public %s addresses in all: 3 per node x %u, and no VIPs", p->nnodes,
	    p->nnodes == 1 ? "" : "s", 3 * p->nnodes, family_name(fam), p->nnodes);
}

/* ---- E001 ------------------------------------------------------------------ */

void
check_edge_snat(struct cctx *cx)
{
	size_t i;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];
		struct srcloc at;
		struct diag *d;
		const char *keep;

		if (!is_hlb_edge(p) || !(p->snat_mask & (1u << SVC_AV)))
			continue;
		at = p->snat_loc;
		loc_find(&p->snat_loc, match_text, "av", &at);
		d = report(cx, "LYNC-E001", &at, "SNAT on the A/V edge service of HLB %s",
		    pool_name(cx, p));
		keep = arena_printf(cx->a, "%s%s",
		    p->snat_mask & (1u << SVC_ACCESS) ? " access" : "",
		    p->snat_mask & (1u << SVC_WEBCONF) ? " webconf" : "");
		diag_hint(cx->dc, d, "remove 'av' (snat%s;): the A/V edge answers with its "
		    "real address and must see the client's own source address; SNAT is "
		    "allowed for access and webconf only", keep[0] ? keep : " none");
	}
	for (i = 0; i < cx->site->nlbdefs; i++) {
		const struct ir_lbdef *l = cx->site->lbdefs[i];
		struct diag *d;

		if (l->vip != ROLE_EDGE_AV_VIP || l->snat != SNAT_REQUIRED)
			continue;
		d = report(cx, "LYNC-E001", &l->loc, "lbservice '%s' requires SNAT on the "
		    "A/V edge VIP", l->id);
		diag_hint(cx->dc, d, "write 'snat forbidden;': the A/V edge service must "
		    "see the client's own source address");
	}
}

/* ---- E002, E003, E010 ---------------------------------------------------- */

/* Extra addresses: more than one per family on a node's service or a VIP.
 * Use k is extra when an address of its family comes before it in its set. */
static void
extra_addr(struct cctx *cx, size_t k)
{
	struct use *u = &cx->uses[k];
	struct ir_pool *p = u->pool;
	const struct ir_addrset *s = u->node ? &p->nodes[u->node - 1].addr[u->svc] :
	    &p->side[u->side].vip[u->svc];
	const struct ir_addr *a = &u->addr;
	const char *what;
	struct diag *d;
	size_t j;

	for (j = 0; j < s->n && addr_cmp(&s->v[j], a) != 0; j++)
		if (s->v[j].family == a->family)
			break;
	if (j == s->n || addr_cmp(&s->v[j], a) == 0)
		return;		/* the first of its family */
	cx->done[k] = true;
	what = u->node ? arena_printf(cx->a, "node %u's %sservice", u->node,
	    svc_word(cx, p, u->svc)) : arena_printf(cx->a, "the %sVIP",
	    svc_word(cx, p, u->svc));
	if (p->kind == POOL_EDGE && u->side == SIDE_EXT &&
	    p->side[SIDE_EXT].lb != LB_NONE) {
		d = report(cx, is_hlb_edge(p) ? "LYNC-E002" : "LYNC-E003", &u->loc,
		    "extra %s address %s for %s of %s", family_name(a->family),
		    fmt_addr(cx, a), what, pool_name(cx, p));
		diag_hint(cx->dc, d, "one address per service%s: %s",
		    u->node ? " and node" : "", edge_count(cx, p, a->family));
	} else if (u->node) {
		d = report(cx, "LYNC-E010", &u->loc, "node %u of %s has %u %s %saddresses",
		    u->node, pool_name(cx, p), count_family(s, a->family),
		    family_name(a->family), svc_word(cx, p, u->svc));
		diag_hint(cx->dc, d, "a node is one server, with one address per family; "
		    "for more servers raise 'nodes' and give each its own 'node N' "
		    "statement");
	} else {
		d = report(cx, "LYNC-E010", &u->loc, "%s of %s has %u %s addresses", what,
		    pool_name(cx, p), count_family(s, a->family), family_name(a->family));
		diag_hint(cx->dc, d, "a pool side has one VIP per service and family; "
		    "node addresses go in 'node N' statements");
	}
}

/* The families (bit 0: IPv4, bit 1: IPv6) of a service's node addresses. */
static unsigned
node_families(const struct ir_pool *p, enum ir_svc svc)
{
	unsigned m = 0, n;
	size_t k;

	for (n = 0; n < p->nnodes; n++)
		for (k = 0; k < p->nodes[n].addr[svc].n; k++)
			m |= p->nodes[n].addr[svc].v[k].family == 6 ? 2u : 1u;
	return m;
}

static void
hlb_edge_addrs(struct cctx *cx, struct ir_pool *p)
{
	struct ir_side *sd = &p->side[SIDE_EXT];
	size_t i, k;
	int f;

	/* a VIP for every service and family the nodes use */
	for (i = 0; i < 3; i++) {
		enum ir_svc svc = edge_ext_svcs[i];
		unsigned fams = node_families(p, svc);

		for (f = 0; f < 2; f++) {
			int fam = f ? 6 : 4;
			struct diag *d;

			if (!(fams & (1u << f)) || count_family(&sd->vip[svc], fam))
				continue;
			d = report(cx, "LYNC-E002", &sd->loc, "HLB %s has no %s %s VIP",
			    pool_name(cx, p), family_name(fam), ir_svc_name[svc]);
			diag_hint(cx->dc, d, "add: vip %s ADDRESS; %s", ir_svc_name[svc],
			    edge_count(cx, p, fam));
		}
	}
	/* public addresses (A/V nodes: LYNC-E004; NAT: LYNC-E018) */
	FOR_POOL_USES(cx, p, k) {
		struct use *u = &cx->uses[k];
		struct diag *d;

		if (u->pool != p || u->side != SIDE_EXT || u->nat || cx->done[k] ||
		    (u->svc == SVC_AV && u->node) || !addr_is_private(&u->addr) ||
		    has_nat(p, &u->addr))
			continue;
		cx->done[k] = true;
		d = report(cx, "LYNC-E002", &u->loc, "%s is private", use_addr(cx, u));
		diag_hint(cx->dc, d, "use a public address, with no NAT: %s",
		    edge_count(cx, p, u->addr.family));
	}
}

static void
dns_edge_vips(struct cctx *cx, struct ir_pool *p)
{
	int d, s;

	for (d = 0; d < SIDE__N; d++) {
		struct ir_side *sd = &p->side[d];

		if (!sd->used || sd->lb != LB_DNS)
			continue;
		for (s = 0; s < SVC__N; s++) {
			struct diag *dg;

			if (sd->vip[s].n == 0)
				continue;
			dg = report(cx, "LYNC-E003", &sd->vip_loc[s], "DNS-load-balanced %s "
			    "has %s %sVIP", pool_name(cx, p), article(ir_svc_name[s]),
			    svc_word(cx, p, (enum ir_svc)s));
			if (d == SIDE_EXT)
				diag_hint(cx->dc, dg, "remove it: DNS hands out each node's own "
				    "address; %s", edge_count(cx, p, sd->vip[s].v[0].family));
			else
				diag_hint(cx->dc, dg, "remove it: DNS hands out each node's own "
				    "internal address; or use 'lb hlb;' on both sides");
		}
	}
}

void
check_edge_addrs(struct cctx *cx)
{
	size_t i, k;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];

		if (is_hlb_edge(p))
			hlb_edge_addrs(cx, p);
		if (p->kind == POOL_EDGE)
			dns_edge_vips(cx, p);
		FOR_POOL_USES(cx, p, k)
			if (cx->uses[k].pool == p && !cx->uses[k].nat && !cx->done[k])
				extra_addr(cx, k);
	}
}

/* ---- E004 ------------------------------------------------------------------ */

/* per HLB edge pool, the firewalls that carry a flow of it, in declaration
 * order: the first flow to its A/V VIP, and whether any goes to a node's
 * A/V address (one pass over every firewall's flows) */
struct av_fw {
	const struct ir_device	*dev;
	const struct ir_flow	*vipfl;
	bool			 node;
};

struct av_fws {
	struct av_fw	*v;
	size_t		 n, cap;
};

static struct av_fws *
av_fws_build(struct cctx *cx)
{
	struct av_fws *t = arena_alloc(cx->a, (cx->site->npools + 1) * sizeof(*t));
	size_t k, j;
	int x;

	for (k = 0; k < cx->site->ndevices; k++) {
		const struct ir_device *v = cx->site->devices[k];

		if (v->kind != DEV_FIREWALL)
			continue;
		for (j = 0; j < v->nfwc; j++) {	/* pools and roles: one a class */
			const struct ir_flow *fl = v->fwc[j].flow;
			const struct ir_endpoint *e[2] = { &fl->src, &fl->dst };

			for (x = 0; x < 2; x++) {
				const struct ir_pool *p = e[x]->pool;
				struct av_fws *l;
				struct av_fw *f;

				if (p == NULL || p->index >= cx->site->npools ||
				    cx->site->pools[p->index] != p || !is_hlb_edge(p))
					continue;
				l = &t[p->index];
				if (l->n == 0 || l->v[l->n - 1].dev != v) {
					f = VEC_PUSH(cx->a, l->v, l->n, l->cap);
					f->dev = v;
					f->vipfl = NULL;
					f->node = false;
				}
				f = &l->v[l->n - 1];
				if (e[x]->role == ROLE_EDGE_AV_VIP && f->vipfl == NULL)
					f->vipfl = fl;
				if (e[x]->role == ROLE_EDGE_AV)
					f->node = true;
			}
		}
	}
	return t;
}

void
check_av_real(struct cctx *cx)
{
	size_t i, k;
	struct av_fws *fws = av_fws_build(cx);

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];

		if (!is_hlb_edge(p))
			continue;
		FOR_POOL_USES(cx, p, k) {
			struct use *u = &cx->uses[k];
			struct diag *d;

			if (u->pool != p || u->svc != SVC_AV || !u->node || u->nat ||
			    cx->done[k] || !addr_is_private(&u->addr) || has_nat(p, &u->addr))
				continue;
			cx->done[k] = true;
			d = report(cx, "LYNC-E004", &u->loc, "%s is private: A/V clients "
			    "could reach the pool through its VIP only", use_addr(cx, u));
			diag_hint(cx->dc, d, "the A/V edge answers with the real server's "
			    "address: give each node a public A/V address that the external "
			    "firewall passes");
		}
		for (k = 0; k < fws[i].n; k++) {
			const struct ir_device *v = fws[i].v[k].dev;
			const struct ir_flow *vipfl = fws[i].v[k].vipfl;
			struct diag *d;

			if (vipfl == NULL || fws[i].v[k].node)
				continue;
			d = report(cx, "LYNC-E004", &v->loc, "firewall '%s' passes A/V traffic "
			    "to the A/V VIP of HLB %s (e.g. %s) but none to the nodes' real "
			    "A/V addresses", v->name, pool_name(cx, p), vipfl->id);
			diag_note(cx->dc, d, &p->loc, "edge pool declared here");
			diag_hint(cx->dc, d, "established A/V traffic goes to the real "
			    "servers: the firewall needs the A/V flows to each node's public "
			    "A/V address (UDP 3478, TCP 443)");
		}
	}
}

/* ---- E005, E006 -------------------------------------------------------------- */

static bool
role_is_svc(enum ir_role r, enum ir_svc svc)
{
	switch (svc) {
	case SVC_ACCESS:	return r == ROLE_EDGE_ACCESS || r == ROLE_EDGE_ACCESS_VIP;
	case SVC_WEBCONF:	return r == ROLE_EDGE_WEBCONF || r == ROLE_EDGE_WEBCONF_VIP;
	case SVC_AV:		return r == ROLE_EDGE_AV || r == ROLE_EDGE_AV_VIP;
	default:		return false;
	}
}

/* One (protocol, port range) an edge service listens on. */
struct listen {
	unsigned	proto;
	unsigned	lo, hi;
};

#define LISTEN_MAX	64

/* What service svc of pool p listens on: the stdlib flows to it, with the
 * pool's `port SVC N;` on the flows marked `listener SVC`. */
static size_t
svc_listens(struct cctx *cx, const struct ir_pool *p, enum ir_svc svc,
    struct listen *v)
{
	size_t i, n = 0;

	for (i = 0; i < cx->site->nflowdefs && n < LISTEN_MAX; i++) {
		const struct ir_flowdef *x = cx->site->flowdefs[i];

		if (!role_is_svc(x->to.role, svc))
			continue;
		v[n].proto = x->proto;
		v[n].lo = x->port_lo;
		v[n].hi = x->port_hi;
		if (x->listener == svc && p->ext_port[svc])
			v[n].lo = v[n].hi = p->ext_port[svc];
		n++;
	}
	return n;
}

/* A port both services of p listen on ("TCP 443"), or NULL. */
static const char *
shared_port(struct cctx *cx, const struct ir_pool *p, enum ir_svc a, enum ir_svc b)
{
	struct listen x[LISTEN_MAX], y[LISTEN_MAX];
	size_t nx = svc_listens(cx, p, a, x), ny = svc_listens(cx, p, b, y), i, j;

	for (i = 0; i < nx; i++)
		for (j = 0; j < ny; j++) {
			unsigned proto = x[i].proto & y[j].proto;
			unsigned lo = x[i].lo > y[j].lo ? x[i].lo : y[j].lo;
			unsigned hi = x[i].hi < y[j].hi ? x[i].hi : y[j].hi;

			if (proto == 0 || lo > hi)
				continue;
			if (lo == hi)
				return arena_printf(cx->a, "%s %u",
				    proto & PROTO_TCP ? "TCP" : "UDP", lo);
			return arena_printf(cx->a, "%s %u-%u",
			    proto & PROTO_TCP ? "TCP" : "UDP", lo, hi);
		}
	return NULL;
}

static void
conflict(struct cctx *cx, const struct use *first, const struct use *u)
{
	struct ir_pool *p = u->pool;
	bool same_edge_ext = p == first->pool && p->kind == POOL_EDGE &&
	    u->side == SIDE_EXT && first->side == SIDE_EXT && !u->nat && !first->nat;
	const char *addr = fmt_addr(cx, &u->addr);
	struct diag *d;

	if (same_edge_ext && u->svc != first->svc) {
		const char *port = shared_port(cx, p, first->svc, u->svc);

		d = report(cx, "LYNC-E006", &u->loc, "%s is also %s: two edge services "
		    "on one address", use_addr(cx, u), use_short(cx, first));
		if (port)
			diag_hint(cx->dc, d, "%s and %s both listen on %s: give each service "
			    "its own address", ir_svc_name[first->svc], ir_svc_name[u->svc],
			    port);
		else
			diag_hint(cx->dc, d, "give each edge service its own address");
	} else if (same_edge_ext && is_hlb_edge(p) && u->svc == SVC_AV &&
	    (u->node == 0) != (first->node == 0)) {
		d = report(cx, "LYNC-E004", &u->loc, "%s is also %s: A/V traffic would "
		    "reach the VIP only", use_addr(cx, u), use_short(cx, first));
		diag_hint(cx->dc, d, "the A/V edge answers with the real server's "
		    "address: each node needs its own public A/V address, distinct from "
		    "the VIP");
	} else if (same_edge_ext && is_hlb_edge(p)) {
		d = report(cx, "LYNC-E002", &u->loc, "%s is also %s", use_addr(cx, u),
		    use_short(cx, first));
		diag_hint(cx->dc, d, "every address is distinct: %s",
		    edge_count(cx, p, u->addr.family));
	} else {
		d = report(cx, "LYNC-E005", &u->loc, "address %s is used twice: by %s and "
		    "by %s", addr, use_name(cx, u), use_name(cx, first));
		diag_hint(cx->dc, d, "every VIP, node address and NAT public address of a "
		    "site is unique; change one of them");
	}
	diag_note(cx->dc, d, &first->loc, "first used here");
}

/*
 * Two services of one edge node (or of the VIP) on one external address:
 * supported when no two of them listen on one protocol and port once the
 * site's `port` lines apply [SFB-EDGEENV] (single IP: distinct ports).
 */
static bool
edge_share(const struct use *e, const struct use *u)
{
	return e->pool == u->pool && u->pool->kind == POOL_EDGE &&
	    e->side == SIDE_EXT && u->side == SIDE_EXT && e->node == u->node &&
	    e->nat == u->nat && e->svc != u->svc;
}

static void
share_port_clash(struct cctx *cx, const struct use *e, const struct use *u,
    const char *port)
{
	struct diag *d = report(cx, "LYNC-E006", &u->loc, "%s is also %s: the %s and "
	    "%s edge services both listen on %s there", use_addr(cx, u),
	    use_short(cx, e), ir_svc_name[e->svc], ir_svc_name[u->svc], port);

	diag_hint(cx->dc, d, "give each service its own address, or one address with "
	    "a distinct port each (Topology Builder's single-address ports, in the "
	    "external block: port access 5061; port webconf 444; port av 443;)");
	diag_note(cx->dc, d, &e->loc, "first used here");
}

/* Judge use j against the earlier uses of its address (prev: the previous
 * use of the same address, index + 1).  true: a supported share. */
static bool
share_or_conflict(struct cctx *cx, const size_t *prev, size_t first, size_t j)
{
	const struct use *u = &cx->uses[j];
	size_t i;

	for (i = prev[j]; i != 0; i = prev[i - 1]) {
		const struct use *e = &cx->uses[i - 1];
		const char *port;

		if (!edge_share(e, u)) {
			conflict(cx, &cx->uses[first], u);
			return false;
		}
		if ((port = shared_port(cx, u->pool, e->svc, u->svc)) != NULL) {
			share_port_clash(cx, e, u, port);
			return false;
		}
	}
	return true;
}

/* LYNC-W009, once per pool: the services on the shared address of use k */
static void
share_warn(struct cctx *cx, size_t k)
{
	const struct use *u = &cx->uses[k];
	const struct ir_pool *p = u->pool;
	unsigned mask = 0, n = 0;
	size_t j;
	const char *svcs = "", *ports = "";
	struct diag *d;
	int s;

	FOR_POOL_USES(cx, p, j)
		if (edge_share(&cx->uses[j], u) || j == k)
			if (addr_cmp(&cx->uses[j].addr, &u->addr) == 0)
				mask |= 1u << cx->uses[j].svc;
	for (s = SVC_ACCESS; s <= SVC_AV; s++)
		if (mask & (1u << s)) {
			svcs = arena_printf(cx->a, "%s%s%s", svcs, n ? ", " : "",
			    ir_svc_name[s]);
			ports = arena_printf(cx->a, "%s%s%s %u", ports, n ? ", " : "",
			    ir_svc_name[s], p->ext_port[s] ? p->ext_port[s] : 443u);
			n++;
		}
	d = report(cx, "LYNC-W009", &u->loc, "one public address %s for %s edge "
	    "services of %s%s (%s): supported, not recommended", fmt_addr(cx, &u->addr),
	    n == 3 ? "all three" : "the", u->node ? arena_printf(cx->a, "node %u of ",
	    u->node) : "the VIP of ", pool_name(cx, p), svcs);
	diag_hint(cx->dc, d, "remote users' firewalls may block ports other than "
	    "TCP 443 (here: %s); Microsoft recommends an address per service, each "
	    "on TCP 443", ports);
}

/* Services that share an address share its static NAT: one real address
 * translated to two public ones, or two to one, is a use twice.  Each
 * entry is judged against the first with the same real or public address.
 * true if it reported one. */
static bool
nat_mismatch(struct cctx *cx, const struct ir_pool *p)
{
	size_t k, m;
	bool any = false;

	for (k = 1; k < p->nnats; k++)
		for (m = 0; m < k; m++) {
			const struct ir_nat *a = &p->nats[m], *b = &p->nats[k];
			bool real = addr_cmp(&a->real, &b->real) == 0;
			bool pub = addr_cmp(&a->pub, &b->pub) == 0;
			struct diag *d;

			if (!real && !pub)
				continue;
			if (real && pub)
				break;
			d = report(cx, "LYNC-E005", &b->loc, "address %s is translated twice "
			    "in %s: %s to %s and %s to %s", fmt_addr(cx, real ? &b->real :
			    &b->pub), pool_name(cx, p), fmt_addr(cx, &a->real),
			    fmt_addr(cx, &a->pub), fmt_addr(cx, &b->real), fmt_addr(cx, &b->pub));
			diag_hint(cx->dc, d, "services that share an address share its "
			    "static NAT: give each the same real and public address");
			diag_note(cx->dc, d, &a->loc, "first translated here");
			any = true;
			break;
		}
	return any;
}

void
check_conflicts(struct cctx *cx)
{
	size_t i, j, f;
	struct arena *tmp = arena_new();
	struct addr_index first;	/* address -> its first use (index + 1) */
	/* per use: the previous use of its address, and (on a first use) the
	 * last one so far; index + 1, 0: none */
	size_t *prev = arena_alloc(tmp, (cx->nuses + 1) * sizeof(size_t));
	size_t *tail = arena_alloc(tmp, (cx->nuses + 1) * sizeof(size_t));
	size_t *warn = arena_alloc(tmp, (cx->site->npools + 1) * sizeof(size_t));
	bool *clash = arena_alloc(tmp, (cx->site->npools + 1) * sizeof(bool));
	bool ok;

	addr_index_init(&first, tmp);
	for (j = 0; j < cx->nuses; j++) {
		void *v = addr_index_put(&first, NULL, &cx->uses[j].addr,
		    (void *)(uintptr_t)(j + 1));
		const struct ir_pool *p = cx->uses[j].pool;

		if (v == NULL || !addr_is_host(&cx->uses[j].addr))
			continue;
		f = (size_t)(uintptr_t)v - 1;
		prev[j] = tail[f] ? tail[f] : f + 1;
		tail[f] = j + 1;
		if (cx->done[j])
			continue;
		cx->done[j] = true;
		ok = share_or_conflict(cx, prev, f, j);
		if (p->index >= cx->site->npools || cx->site->pools[p->index] != p)
			continue;
		if (!ok)
			clash[p->index] = true;	/* its error says it */
		else if (warn[p->index] == 0 || (cx->uses[j].nat &&
		    !cx->uses[warn[p->index] - 1].nat))
			warn[p->index] = j + 1;	/* behind NAT: the public one */
	}
	for (i = 0; i < cx->site->npools; i++)
		if (!clash[i] && cx->site->pools[i]->nnats > 1 &&
		    nat_mismatch(cx, cx->site->pools[i]))
			clash[i] = true;
	for (i = 0; i < cx->site->npools; i++)
		if (warn[i] && !clash[i])
			share_warn(cx, warn[i] - 1);
	arena_free(tmp);
}

/* ---- E007 ------------------------------------------------------------------ */

static const struct use *
first_in(struct cctx *cx, const struct ir_pool *p, enum ir_side_kind side,
    const struct ir_addr *net)
{
	size_t k;

	FOR_POOL_USES(cx, p, k) {
		const struct use *u = &cx->uses[k];

		if (u->pool == p && u->side == side && !u->nat &&
		    addr_contains(net, &u->addr))
			return u;
	}
	return NULL;
}

static bool
subnet_of(struct cctx *cx, struct ir_pool *p, const struct ir_zone *z)
{
	size_t k;

	for (k = 0; z && k < z->networks.n; k++) {
		const struct ir_addr *net = &z->networks.v[k];
		const struct use *in = first_in(cx, p, SIDE_INT, net);
		const struct use *ex = first_in(cx, p, SIDE_EXT, net);
		struct diag *d;

		if (in == NULL || ex == NULL)
			continue;
		cx->done[in - cx->uses] = true;	/* not also outside its zone */
		d = report(cx, "LYNC-E007", &in->loc, "internal address %s and external "
		    "address %s of %s are in one network %s", fmt_addr(cx, &in->addr),
		    fmt_addr(cx, &ex->addr), pool_name(cx, p), fmt_addr(cx, net));
		diag_note(cx->dc, d, &ex->loc, "external address here");
		diag_hint(cx->dc, d, "the edge internal and external interfaces are on "
		    "different networks, with no routing between them");
		return true;
	}
	return false;
}

void
check_edge_subnets(struct cctx *cx)
{
	size_t i;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];
		struct ir_side *in = &p->side[SIDE_INT], *ex = &p->side[SIDE_EXT];
		struct srcloc at, other;
		struct diag *d;

		if (p->kind != POOL_EDGE || !in->used || !ex->used)
			continue;
		if (in->zone && in->zone == ex->zone) {
			at = in->loc;
			loc_find(&in->loc, match_text, in->zone->name, &at);
			other = ex->loc;
			loc_find(&ex->loc, match_text, ex->zone->name, &other);
			d = report(cx, "LYNC-E007", &at, "both sides of %s are in zone '%s'",
			    pool_name(cx, p), in->zone->name);
			diag_note(cx->dc, d, &other, "external side placed here");
			diag_hint(cx->dc, d, "put the internal interface in a zone and network "
			    "of its own, e.g. zone dmz-int perimeter < networks 172.16.20.0/24; >");
			continue;
		}
		if (subnet_of(cx, p, in->zone) || subnet_of(cx, p, ex->zone))
			continue;
		if (in->allocated && ex->allocated && addr_overlap(&in->block, &ex->block)) {
			d = report(cx, "LYNC-E007", &in->block_loc, "the internal and external "
			    "address blocks of %s overlap", pool_name(cx, p));
			diag_note(cx->dc, d, &ex->block_loc, "external block here");
			diag_hint(cx->dc, d, "the edge internal and external interfaces are on "
			    "different networks, with no routing between them");
		}
	}
}

/* ---- E008 ------------------------------------------------------------------ */

void
check_private(struct cctx *cx)
{
	size_t k;

	for (k = 0; k < cx->nuses; k++) {
		struct use *u = &cx->uses[k];
		struct ir_pool *p = u->pool;
		struct diag *d;

		if (p->kind != POOL_EDGE || u->side != SIDE_EXT || is_hlb_edge(p) ||
		    cx->done[k] || !addr_is_private(&u->addr))
			continue;
		if (u->nat) {
			cx->done[k] = true;
			d = report(cx, "LYNC-E008", &u->loc, "%s is private", use_addr(cx, u));
			diag_hint(cx->dc, d, "the public side of a static NAT is an address "
			    "reachable from the Internet");
			continue;
		}
		if (has_nat(p, &u->addr))
			continue;
		cx->done[k] = true;
		d = report(cx, "LYNC-E008", &u->loc, "%s is private and has no NAT",
		    use_addr(cx, u));
		if (u->node)
			diag_hint(cx->dc, d, "use a public address, or declare the firewall's "
			    "static NAT: %s %s nat PUBLIC;", ir_svc_name[u->svc],
			    fmt_addr(cx, &u->addr));
		else
			diag_hint(cx->dc, d, "use a public address");
	}
}

/* ---- E009 ------------------------------------------------------------------ */

static void
families_of(struct cctx *cx, struct ir_pool *p, enum ir_side_kind side, enum ir_svc svc)
{
	unsigned all = node_families(p, svc), n, m;
	size_t k;
	struct diag *d;

	for (n = 0; n < p->nnodes; n++) {
		const struct ir_addrset *s = &p->nodes[n].addr[svc];
		int fam;
		unsigned other;

		m = 0;
		for (k = 0; k < s->n; k++)
			m |= s->v[k].family == 6 ? 2u : 1u;
		if (m == all || s->n == 0)
			continue;
		fam = (all & ~m) & 2u ? 6 : 4;
		for (other = 0; other < p->nnodes; other++)
			if (count_family(&p->nodes[other].addr[svc], fam))
				break;
		{
			struct srcloc at = node_stmt_loc(p, side, n + 1);

			d = report(cx, "LYNC-E009", &at, "node %u of %s has no %s %saddress, "
			    "but node %u has one", n + 1, pool_name(cx, p), family_name(fam),
			    svc_word(cx, p, svc), other + 1);
		}
		diag_hint(cx->dc, d, "give every node an address of each family the pool "
		    "uses, or none");
		return;	/* one per service */
	}
	FOR_POOL_USES(cx, p, k) {
		struct use *u = &cx->uses[k];
		int f;

		if (u->pool != p || u->side != side || member_svc(p, u->svc) != svc ||
		    u->node || u->nat || cx->done[k])
			continue;
		f = u->addr.family == 6 ? 2 : 1;
		if (all & (unsigned)f)
			continue;
		cx->done[k] = true;
		d = report(cx, "LYNC-E009", &u->loc, "%s is %s, but no node has an %s "
		    "%saddress to balance it to", use_addr(cx, u),
		    family_name(u->addr.family), family_name(u->addr.family),
		    svc_word(cx, p, svc));
		diag_hint(cx->dc, d, "a load balancer forwards a VIP to members of its own "
		    "family: give the nodes %s addresses, or remove the VIP",
		    family_name(u->addr.family));
	}
}

void
check_families(struct cctx *cx)
{
	size_t i;
	int d, s;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];

		for (d = SIDE__N - 1; d >= 0; d--) {
			if (!p->side[d].used)
				continue;
			for (s = 0; s < SVC__N; s++)
				if (svc_on_side(p, (enum ir_side_kind)d, (enum ir_svc)s))
					families_of(cx, p, (enum ir_side_kind)d, (enum ir_svc)s);
		}
	}
}

/* ---- E018, E019 ------------------------------------------------------------ */

void
check_edge_nat(struct cctx *cx)
{
	size_t i, k;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];

		if (p->kind != POOL_EDGE)
			continue;
		for (k = 0; k < p->nnats; k++) {
			struct ir_nat *nt = &p->nats[k];
			struct diag *d;

			if (nt->svc == SVC_INTERNAL) {
				d = report(cx, "LYNC-E019", &nt->loc, "NAT on the internal side "
				    "of %s (node %u)", pool_name(cx, p), nt->node);
				diag_hint(cx->dc, d, "remove 'nat %s': the internal edge "
				    "interface uses its real address", fmt_addr(cx, &nt->pub));
			} else if (is_hlb_edge(p)) {
				d = report(cx, "LYNC-E018", &nt->loc, "NAT on node %u's %s "
				    "address of HLB %s", nt->node, ir_svc_name[nt->svc],
				    pool_name(cx, p));
				if (p->side[SIDE_EXT].lb_loc.src)
					diag_note(cx->dc, d, &p->side[SIDE_EXT].lb_loc,
					    "hardware load balancing set here");
				diag_hint(cx->dc, d, "give the node the public address itself "
				    "(%s %s;), or use DNS load balancing (lb dns;), which "
				    "allows NAT", ir_svc_name[nt->svc], fmt_addr(cx, &nt->pub));
			}
		}
	}
}

/* ---- E022 - E026: addresses against their zones ----------------------------- */

/* "10.10.0.0/16, 10.20.0.0/16" (the first few) */
static const char *
net_list(struct cctx *cx, const struct ir_addrset *s)
{
	char *t = "";
	size_t i;

	for (i = 0; i < s->n && i < 4; i++)
		t = arena_printf(cx->a, "%s%s%s", t, i ? ", " : "", fmt_addr(cx, &s->v[i]));
	if (s->n > 4)
		t = arena_printf(cx->a, "%s and %zu more", t, s->n - 4);
	return t;
}

static const struct ir_addr *
net_of(const struct ir_zone *z, const struct ir_addr *a)
{
	size_t i;

	for (i = 0; i < z->networks.n; i++)
		if (addr_contains(&z->networks.v[i], a))
			return &z->networks.v[i];
	return NULL;
}

/* E023 and E022 for the interface addresses of the pools */
static void
use_zone_addrs(struct cctx *cx)
{
	size_t k;

	for (k = 0; k < cx->nuses; k++) {
		struct use *u = &cx->uses[k];
		const struct ir_zone *z = u->pool->side[u->side].zone;
		const struct ir_addr *net;
		const char *why;
		struct diag *d;

		if (cx->done[k])
			continue;
		if ((why = addr_special(&u->addr)) != NULL) {
			cx->done[k] = true;
			d = report(cx, addr_is_loopback(&u->addr) ? "LYNC-W006" : "LYNC-E023",
			    &u->loc, "%s is %s", use_addr(cx, u), why);
			diag_hint(cx->dc, d, "an interface or VIP address is a unicast "
			    "address of the zone's network");
			continue;
		}
		/* a NAT public address is not in the pool side's zone; an address
		 * from a block outside the zone is E024's */
		if (u->nat || z == NULL || count_family(&z->networks, u->addr.family) == 0)
			continue;
		if (u->pool->side[u->side].allocated &&
		    addr_contains(&u->pool->side[u->side].block, &u->addr) &&
		    net_of(z, &u->pool->side[u->side].block) == NULL)
			continue;
		if ((net = net_of(z, &u->addr)) == NULL) {
			cx->done[k] = true;
			d = report(cx, "LYNC-E022", &u->loc, "%s is outside zone '%s' "
			    "(networks %s)", use_addr(cx, u), z->name,
			    net_list(cx, &z->networks));
			diag_hint(cx->dc, d, "use an address of the zone's networks, or add "
			    "its network to the zone: the firewalls would permit traffic "
			    "to an address that is not there");
			continue;
		}
		if (addr_is_net_or_bcast(net, &u->addr)) {
			cx->done[k] = true;
			d = report(cx, "LYNC-E023", &u->loc, "%s is the %s address of "
			    "network %s of zone '%s'", use_addr(cx, u),
			    memcmp(u->addr.b, net->b, 4) == 0 ? "network" : "broadcast",
			    fmt_addr(cx, net), z->name);
			diag_hint(cx->dc, d, "a host of a network is neither its first nor "
			    "its last address");
		}
	}
}

/* E024: `addresses from BLOCK` outside the side's zone */
static void
block_zone(struct cctx *cx)
{
	size_t i;
	int s;

	for (i = 0; i < cx->site->npools; i++)
		for (s = 0; s < SIDE__N; s++) {
			const struct ir_side *sd = &cx->site->pools[i]->side[s];
			struct diag *d;

			if (!sd->used || !sd->allocated || sd->zone == NULL ||
			    count_family(&sd->zone->networks, sd->block.family) == 0 ||
			    net_of(sd->zone, &sd->block) != NULL)
				continue;
			d = report(cx, "LYNC-E024", &sd->block_loc, "address block %s of %s "
			    "is not inside zone '%s' (networks %s)", fmt_addr(cx, &sd->block),
			    pool_name(cx, cx->site->pools[i]), sd->zone->name,
			    net_list(cx, &sd->zone->networks));
			diag_hint(cx->dc, d, "allocate from a block of one of the zone's "
			    "networks");
		}
}

struct znet {
	const struct ir_addr	*net;
	const struct ir_zone	*zone;
};

static int
znet_cmp(const void *a, const void *b)
{
	const struct znet *x = a, *y = b;
	int c = addr_cmp(x->net, y->net);

	return c ? c : (x->zone->index > y->zone->index) - (x->zone->index < y->zone->index);
}

/* E025: two zones whose networks overlap; E023 for a special zone network.
 * Sorted, a network comes right after the ones that contain it, so one
 * sweep with a stack of enclosing networks finds every overlap. */
static void
zone_overlaps(struct cctx *cx)
{
	struct znet *v, **stack;
	size_t n = 0, i, j, top = 0;
	struct srcloc at;
	struct diag *d;

	for (i = 0; i < cx->site->nzones; i++)
		n += cx->site->zones[i]->networks.n;
	v = arena_alloc(cx->a, (n + 1) * sizeof(*v));
	stack = arena_alloc(cx->a, (n + 1) * sizeof(*stack));
	n = 0;
	for (i = 0; i < cx->site->nzones; i++) {
		const struct ir_zone *z = cx->site->zones[i];

		for (j = 0; j < z->networks.n; j++) {
			const char *why = addr_special(&z->networks.v[j]);

			if (why != NULL) {
				at = z->loc;
				loc_find(&z->loc, match_prefix, &z->networks.v[j], &at);
				diag_hint(cx->dc, report(cx, addr_is_loopback(&z->networks.v[j]) ?
				    "LYNC-W006" : "LYNC-E023", &at, "network %s "
				    "of zone '%s' is %s", fmt_addr(cx, &z->networks.v[j]),
				    z->name, why), "a zone's networks are unicast networks "
				    "that firewalls route");
			}
			v[n].net = &z->networks.v[j];
			v[n++].zone = z;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), znet_cmp);
	for (i = 0; i < n; i++) {
		while (top > 0 && !addr_contains(stack[top - 1]->net, v[i].net))
			top--;
		for (j = top; j > 0; j--)
			if (stack[j - 1]->zone != v[i].zone)
				break;
		if (j > 0) {
			const struct znet *o = stack[j - 1];

			at = v[i].zone->loc;
			loc_find(&v[i].zone->loc, match_prefix, v[i].net, &at);
			d = report(cx, "LYNC-E025", &at, "network %s of zone '%s' overlaps "
			    "network %s of zone '%s'", fmt_addr(cx, v[i].net),
			    v[i].zone->name, fmt_addr(cx, o->net), o->zone->name);
			at = o->zone->loc;
			loc_find(&o->zone->loc, match_prefix, o->net, &at);
			diag_note(cx->dc, d, &at, "'%s' has %s", o->zone->name,
			    fmt_addr(cx, o->net));
			diag_hint(cx->dc, d, "an address belongs to one zone: which "
			    "firewall legs a flow crosses would depend on the order of the "
			    "zones");
		}
		stack[top++] = &v[i];
	}
}

/* E026 and E023 for the narrowed parties */
static void
party_addrs(struct cctx *cx)
{
	size_t i, j;

	for (i = 0; i < cx->site->nparties; i++) {
		const struct ir_party *y = cx->site->parties[i];

		for (j = 0; !y->addrs.any && j < y->addrs.n; j++) {
			const struct ir_addr *a = &y->addrs.v[j];
			const char *why = addr_special(a);
			struct srcloc at = y->loc;
			struct diag *d;

			if (a->prefix != 0 && why == NULL)
				continue;
			/* only for a diagnostic: a scan of the statement per
			 * address would be quadratic in the party's prefixes */
			loc_find(&y->loc, match_prefix, a, &at);
			if (a->prefix == 0) {
				d = report(cx, "LYNC-E026", &at, "party '%s' is narrowed to "
				    "%s, which is any %s address", y->name, fmt_addr(cx, a),
				    family_name(a->family));
				diag_hint(cx->dc, d, "narrow it to the prefixes it really uses, "
				    "or leave it out to keep the documented 'any'");
			} else if (why != NULL)
				diag_hint(cx->dc, report(cx, addr_is_loopback(a) ? "LYNC-W006" :
				    "LYNC-E023", &at, "party '%s' "
				    "address %s is %s", y->name, fmt_addr(cx, a), why),
				    "a party's addresses are unicast addresses that reach "
				    "the site through a firewall");
		}
	}
}

void
check_zone_addrs(struct cctx *cx)
{
	use_zone_addrs(cx);
	block_zone(cx);
	zone_overlaps(cx);
	party_addrs(cx);
}
