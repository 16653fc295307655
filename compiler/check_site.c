/*
 * check_site.c - pools, features, load-balancing modes, topology, targets
 * and the stdlib's own definitions.
 *
 *   E011  HLB pool side without a VIP
 *   E012  DNS-LB front end / director without the web HLB
 *   E013  mediation pool without a front end
 *   E014  feature without the role it needs
 *   E015  edge pool mixing load-balancing modes
 *   E016  flows between zones that no device connects
 *   E017  only UDP on HAProxy;  W008  UDP left out by HAProxy;  W003  transparent
 *         A/V on HAProxy
 *   E020  internal edge VIP with 8057 / 23456
 *   E021  edge or reverse proxy in a site with no external zone
 *   W001  device no flow crosses;  W002  zone nothing uses
 *   W004  HLB pool side no load balancer serves
 *   W005  public IM / OCS 2007 federation on a DNS-LB edge pool
 *   W007  NATed multi-node edge pool: the NAT firewall must hairpin A/V
 *   W010  PSTN gateways without `media-ports`: no Mediation -> gateway media
 *   W011  enterprise-voice without party pstn-gateways
 */
#include "check_impl.h"
#include "arena.h"
#include "backend.h"
#include "expand.h"
#include "hmap.h"
#include "route_index.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *
lb_mode_text(enum ir_lb lb)
{
	switch (lb) {
	case LB_HLB:	return "a hardware load balancer (lb hlb)";
	case LB_DNS:	return "DNS load balancing (lb dns)";
	default:	return "no load balancing";
	}
}

static const struct srcloc *
lb_or_pool(const struct ir_pool *p, enum ir_side_kind side)
{
	return p->side[side].lb_loc.src ? &p->side[side].lb_loc : &p->loc;
}

static bool
site_has(const struct ir_site *site, enum ir_pool_kind k)
{
	size_t i;

	for (i = 0; i < site->npools; i++)
		if (site->pools[i]->kind == k)
			return true;
	return false;
}

/* ---- E011 ------------------------------------------------------------------ */

void
check_hlb_vip(struct cctx *cx)
{
	size_t i;
	int d;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];

		for (d = 0; d < SIDE__N; d++) {
			enum ir_svc svc = p->kind == POOL_EDGE ? SVC_INTERNAL : SVC_PRIMARY;
			struct diag *dg;

			if (p->kind == POOL_RPROXY)	/* an HLB in front of its listener */
				svc = d == SIDE_EXT ? SVC_EXTERNAL : SVC__N;
			if (svc == SVC__N || !p->side[d].used || p->side[d].lb != LB_HLB ||
			    (p->kind == POOL_EDGE && d == SIDE_EXT) || p->side[d].vip[svc].n)
				continue;
			dg = report(cx, "LYNC-E011", lb_or_pool(p, (enum ir_side_kind)d),
			    "HLB %s has no %sVIP", pool_name(cx, p), svc_word(cx, p, svc));
			diag_hint(cx->dc, dg, "add 'vip ADDRESS;'%s, or let lyncc allocate it "
			    "with 'addresses from PREFIX;'", p->kind == POOL_EDGE ?
			    " to the internal block" : "");
		}
	}
}

/* ---- E012 ------------------------------------------------------------------ */

void
check_dns_web(struct cctx *cx)
{
	size_t i;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];
		struct diag *d;

		if ((p->kind != POOL_FRONTEND && p->kind != POOL_DIRECTOR) ||
		    p->side[SIDE_INT].lb != LB_DNS || p->side[SIDE_INT].vip[SVC_PRIMARY].n)
			continue;
		d = report(cx, "LYNC-E012", lb_or_pool(p, SIDE_INT), "DNS-load-balanced %s "
		    "has no VIP for the hardware load balancer its web services need",
		    pool_name(cx, p));
		diag_hint(cx->dc, d, "DNS load balancing does not work for HTTP/HTTPS (80, "
		    "443, 8080, 4443): add 'vip ADDRESS;' and a load balancer that "
		    "serves '%s'", p->name);
	}
}

/* ---- E013 ------------------------------------------------------------------ */

void
check_mediation(struct cctx *cx)
{
	size_t i;

	if (site_has(cx->site, POOL_FRONTEND))
		return;
	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];
		struct diag *d;

		if (p->kind != POOL_MEDIATION)
			continue;
		d = report(cx, "LYNC-E013", &p->loc, "%s has no front-end pool to serve: "
		    "the site has none", pool_name(cx, p));
		diag_hint(cx->dc, d, "add the front-end pool it relays calls to (and "
		    "'next-hop NAME;'), or collocate mediation on a front end with "
		    "'mediation collocated;'");
	}
}

/* ---- E014 ------------------------------------------------------------------ */

enum need { NEED_EDGE, NEED_FRONTEND, NEED_XMPP_GATEWAY, NEED_MEDIATION, NEED_SIPFED };

static const struct {
	const char	*feature;
	enum need	 need;
} feature_needs[] = {
	{ "sip-federation",		NEED_EDGE },
	{ "federation-ocs2007",		NEED_SIPFED },
	{ "public-im",			NEED_EDGE },
	{ "xmpp-federation",		NEED_EDGE },
	{ "xmpp-federation",		NEED_XMPP_GATEWAY },
	{ "survivable-branch",		NEED_EDGE },
	{ "mobility",			NEED_FRONTEND },
	{ "dial-in-conferencing",	NEED_FRONTEND },
	{ "enterprise-voice",		NEED_MEDIATION },
};

static bool
loc_before(const struct srcloc *a, const struct srcloc *b)
{
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

static bool
need_met(const struct ir_site *site, enum need n)
{
	size_t i;

	switch (n) {
	case NEED_EDGE:
		return site_has(site, POOL_EDGE);
	case NEED_FRONTEND:
		return site_has(site, POOL_FRONTEND);
	case NEED_SIPFED:
		return ir_feature_on(site, "sip-federation");
	case NEED_XMPP_GATEWAY:
	case NEED_MEDIATION:
		for (i = 0; i < site->npools; i++) {
			const struct ir_pool *p = site->pools[i];

			if (n == NEED_XMPP_GATEWAY && p->kind == POOL_FRONTEND &&
			    p->xmpp_gateway)
				return true;
			if (n == NEED_MEDIATION && (p->kind == POOL_MEDIATION ||
			    (p->kind == POOL_FRONTEND && p->mediation_collocated)))
				return true;
		}
		return false;
	}
	return true;
}

void
check_features(struct cctx *cx)
{
	static const char *const what[] = {
		[NEED_EDGE] = "an edge pool (Access Edge)",
		[NEED_FRONTEND] = "a front-end pool",
		[NEED_XMPP_GATEWAY] = "the XMPP gateway on a front-end pool",
		[NEED_MEDIATION] = "a mediation server (standalone or collocated)",
		[NEED_SIPFED] = "feature 'sip-federation'",
	};
	static const char *const fix[] = {
		[NEED_EDGE] = "add an edge pool: edge pool NAME < ... >",
		[NEED_FRONTEND] = "add a front-end pool: frontend pool NAME < ... >",
		[NEED_XMPP_GATEWAY] = "add 'xmpp-gateway;' to the front-end pool that runs "
		    "the XMPP gateway",
		[NEED_MEDIATION] = "add 'mediation collocated;' to a front-end pool, or "
		    "a mediation pool",
		[NEED_SIPFED] = "turn on 'sip-federation' too: OCS 2007 federation adds "
		    "to it",
	};
	const struct ir_feature *f, *prev = NULL;
	size_t i, k;

	/* the features the site turned on, in the order it names them */
	for (;;) {
		f = NULL;
		for (i = 0; i < cx->site->nfeatures; i++) {
			const struct ir_feature *x = cx->site->features[i];

			if (x->on && (prev == NULL || loc_before(&prev->use_loc, &x->use_loc)) &&
			    (f == NULL || loc_before(&x->use_loc, &f->use_loc)))
				f = x;
		}
		if (f == NULL)
			break;
		prev = f;
		for (k = 0; k < sizeof(feature_needs) / sizeof(feature_needs[0]); k++) {
			struct diag *d;

			if (strcmp(feature_needs[k].feature, f->name) != 0 ||
			    need_met(cx->site, feature_needs[k].need))
				continue;
			d = report(cx, "LYNC-E014", &f->use_loc, "feature '%s' needs %s, "
			    "but the site has %s", f->name, what[feature_needs[k].need],
			    feature_needs[k].need == NEED_SIPFED ? "it off" : "none");
			diag_hint(cx->dc, d, "%s", fix[feature_needs[k].need]);
		}
	}
}

/* ---- E015 ------------------------------------------------------------------ */

void
check_edge_modes(struct cctx *cx)
{
	size_t i;

	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];
		struct ir_side *in = &p->side[SIDE_INT], *ex = &p->side[SIDE_EXT];
		struct diag *d;

		if (p->kind != POOL_EDGE || !in->used || !ex->used || in->lb == ex->lb ||
		    (p->nnodes < 2 && (in->lb == LB_NONE || ex->lb == LB_NONE)))
			continue;
		d = report(cx, "LYNC-E015", lb_or_pool(p, SIDE_INT), "%s uses %s on its "
		    "internal side but %s on its external side", pool_name(cx, p),
		    lb_mode_text(in->lb), lb_mode_text(ex->lb));
		if (ex->lb_loc.src)
			diag_note(cx->dc, d, &ex->lb_loc, "external side's mode set here");
		diag_hint(cx->dc, d, "both sides of an edge pool use the same method: "
		    "write 'lb hlb;' or 'lb dns;' once, at the pool level");
	}
}

/* ---- E016 ------------------------------------------------------------------ */

/* The unreachable flows between one pair of zones (either direction). */
struct zpair {
	size_t	 key[2];	/* the zones' indexes, lower first */
	size_t	 first;		/* the first such flow, by flow index */
	size_t	 count;
};

void
check_paths(struct cctx *cx)
{
	const struct ir_site *site = cx->site;
	struct hmap pairs;
	size_t i;

	/* a misspelt zone may be the leg that would connect them */
	if (site->npoisoned)
		return;
	/* count each pair's flows once (a map by pair, not a scan of every
	 * flow per flow), then report each pair at its first flow */
	hmap_init(&pairs, cx->a);
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *fl = site->flows[i];
		size_t key[2];
		struct zpair *zp;

		if (!fl->unreachable)
			continue;
		key[0] = fl->src.zone->index < fl->dst.zone->index ? fl->src.zone->index :
		    fl->dst.zone->index;
		key[1] = fl->src.zone->index < fl->dst.zone->index ? fl->dst.zone->index :
		    fl->src.zone->index;
		if ((zp = hmap_get(&pairs, key, sizeof(key))) == NULL) {
			zp = arena_alloc(cx->a, sizeof(*zp));
			memcpy(zp->key, key, sizeof(key));
			zp->first = i;
			hmap_put(&pairs, zp->key, sizeof(zp->key), zp);
		}
		zp->count++;
	}
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *fl = site->flows[i];
		const struct ir_zone *a = fl->src.zone, *b = fl->dst.zone;
		size_t key[2], count;
		struct zpair *zp;
		struct diag *d;

		if (!fl->unreachable)
			continue;
		key[0] = a->index < b->index ? a->index : b->index;
		key[1] = a->index < b->index ? b->index : a->index;
		zp = hmap_get(&pairs, key, sizeof(key));
		if (zp->first != i)
			continue;	/* reported with the first flow of the pair */
		count = zp->count;
		d = report(cx, "LYNC-E016", &a->loc, "no firewall or router connects zone "
		    "'%s' and zone '%s': %zu flow%s cannot be placed, e.g. %s (%s -> %s)",
		    a->name, b->name, count, count == 1 ? "" : "s", fl->id, fl->src.label,
		    fl->dst.label);
		diag_note(cx->dc, d, &b->loc, "zone '%s' declared here", b->name);
		diag_hint(cx->dc, d, "add 'firewall NAME < between %s %s; >' to filter "
		    "them, or 'router NAME < between %s %s; >' if they are not filtered",
		    a->name, b->name, a->name, b->name);
	}
}

/* ---- E017, W008, W003 ------------------------------------------------------ */

static const char *
svc_text(struct cctx *cx, const struct ir_lbsvc *s)
{
	return arena_printf(cx->a, "%s (%s %s VIP %s %s %u)", s->id, s->pool->name,
	    s->pool->kind == POOL_EDGE && s->side == SIDE_EXT ?
	    ir_svc_name[expand_role_svc(s->def->vip, NULL)] : ir_side_name[s->side],
	    fmt_addr(cx, &s->vip), s->proto == PROTO_UDP ? "UDP" : "TCP", s->port);
}

/* The seed row of the A/V STUN/MSTURN UDP 3478 VIP on the sides given (a bit
 * per side): Gg398739 t3 r7 external, t4 r4 internal. */
static const char *
udp_vip_cite(unsigned sides)
{
	if (sides == 1u << SIDE_INT)
		return "Gg398739 t4 r4: internal interface VIP, A/V STUN/MSTURN UDP 3478";
	if (sides == 1u << SIDE_EXT)
		return "Gg398739 t3 r7: external interface VIP, A/V STUN/MSTURN UDP 3478";
	return "Gg398739 t3 r7 and t4 r4: external and internal interface VIPs, "
	    "A/V STUN/MSTURN UDP 3478";
}

void
check_target(struct cctx *cx)
{
	size_t i, k;

	if (cx->target == NULL || strcmp(cx->target->name, "haproxy") != 0)
		return;
	for (i = 0; i < cx->site->ndevices; i++) {
		struct ir_device *v = cx->site->devices[i];
		char *udp, *tp, *pools;
		struct strbuf bu, bt, bp;
		bool *listed;	/* by pool index: already in `pools` */
		size_t nudp = 0, ntp = 0, ntcp = 0;
		unsigned udp_sides = 0;		/* bit per side with a UDP service */
		bool udp_tp = false;
		struct diag *d;

		if (v->kind != DEV_LB)
			continue;
		/* the lists grow in strbufs: one copy per service, not a copy
		 * of the whole list per service */
		sb_init(&bu);
		sb_init(&bt);
		sb_init(&bp);
		listed = xcalloc(cx->site->npools + 1, sizeof(*listed));
		for (k = 0; k < v->nlbsvcs; k++) {
			const struct ir_lbsvc *s = v->lbsvcs[k];

			if (s->proto == PROTO_UDP) {
				udp_tp |= s->transparent;
				udp_sides |= 1u << s->side;
				if (nudp++)
					sb_puts(&bu, ", ");
				sb_puts(&bu, svc_text(cx, s));
				if (!listed[s->pool->index]) {
					listed[s->pool->index] = true;
					sb_printf(&bp, "%s'%s'", bp.len ? ", " : "",
					    s->pool->name);
				}
			} else {
				ntcp++;
				if (s->transparent) {
					if (ntp++)
						sb_puts(&bt, ", ");
					sb_puts(&bt, svc_text(cx, s));
				}
			}
		}
		free(listed);
		udp = arena_strdup(cx->a, bu.s ? bu.s : "");
		tp = arena_strdup(cx->a, bt.s ? bt.s : "");
		pools = arena_strdup(cx->a, bp.s ? bp.s : "");
		sb_free(&bu);
		sb_free(&bt);
		sb_free(&bp);
		if (nudp && ntcp == 0) {
			/* nothing left for HAProxy to carry */
			d = report(cx, "LYNC-E017", &v->loc, "HAProxy cannot load-balance UDP: "
			    "load balancer '%s' carries only UDP: %s", v->name, udp);
			diag_hint(cx->dc, d, "use DNS load balancing for %s ('lb dns;': no "
			    "VIPs, each node's own addresses), or another load "
			    "balancer target (-t f5)", pools);
			diag_cite(cx->dc, d, udp_vip_cite(udp_sides));
		} else if (nudp) {
			/* HAProxy carries the TCP services; the UDP ones need another
			 * balancer on the same VIPs, or DNS load balancing */
			d = report(cx, "LYNC-W008", &v->loc, "HAProxy cannot load-balance "
			    "UDP: load balancer '%s' leaves %zu UDP service%s out of its "
			    "config: %s", v->name, nudp, nudp == 1 ? "" : "s", udp);
			diag_hint(cx->dc, d, "carry %s with a UDP load balancer on the same "
			    "VIP%s, or use another load balancer target for '%s' (-t f5), "
			    "or DNS load balancing for %s ('lb dns;'); until then clients "
			    "reach A/V over TCP 443 only", nudp == 1 ? "it" : "them",
			    udp_tp ? " that keeps the client's address (no SNAT)" : "",
			    v->name, pools);
			diag_cite(cx->dc, d, udp_vip_cite(udp_sides));
		}
		if (ntp) {
			d = report(cx, "LYNC-W003", &v->loc, "load balancer '%s' keeps the "
			    "client's source address (no SNAT) for %s: HAProxy needs "
			    "transparent mode", v->name, tp);
			diag_hint(cx->dc, d, "transparent mode needs a Linux kernel with TPROXY "
			    "support (and HAProxy built with it), 'source 0.0.0.0 usesrc "
			    "clientip' in the backend, and the members' default route via the "
			    "HAProxy host");
		}
	}
}

/* ---- E020 ------------------------------------------------------------------ */

static const char *
int_vip_port(unsigned lo, unsigned hi)
{
	if (lo <= 8057 && 8057 <= hi)
		return "Web Conferencing PSOM TCP 8057";
	if (lo <= 23456 && 23456 <= hi)
		return "XMPP TCP 23456";
	return NULL;
}

void
check_stdlib_defs(struct cctx *cx)
{
	size_t i;

	for (i = 0; i < cx->site->nlbdefs; i++) {
		const struct ir_lbdef *l = cx->site->lbdefs[i];
		const char *what = int_vip_port(l->port, l->port);
		struct diag *d;

		if (what == NULL)
			what = int_vip_port(l->member_port, l->member_port);
		if (l->vip != ROLE_EDGE_INTERNAL_VIP || what == NULL)
			continue;
		d = report(cx, "LYNC-E020", &l->loc, "lbservice '%s' puts %s on the "
		    "internal edge VIP", l->id, what);
		diag_hint(cx->dc, d, "remove it: that traffic goes to each node's own "
		    "internal address (to edge.internal)");
	}
	for (i = 0; i < cx->site->nflowdefs; i++) {
		const struct ir_flowdef *f = cx->site->flowdefs[i];
		const char *what = int_vip_port(f->port_lo, f->port_hi);
		struct diag *d;

		if ((f->to.role != ROLE_EDGE_INTERNAL_VIP &&
		    f->from.role != ROLE_EDGE_INTERNAL_VIP) || what == NULL)
			continue;
		d = report(cx, "LYNC-E020", &f->loc, "flow '%s' sends %s to the internal "
		    "edge VIP", f->id, what);
		diag_hint(cx->dc, d, "use the nodes' own addresses: edge.internal");
	}
}

/* ---- E021 ------------------------------------------------------------------ */

void
check_outside(struct cctx *cx)
{
	size_t i;

	for (i = 0; i < cx->site->nzones; i++)
		if (cx->site->zones[i]->kind == ZONE_EXTERNAL)
			return;
	for (i = 0; i < cx->site->npools; i++) {
		struct ir_pool *p = cx->site->pools[i];
		struct diag *d;

		if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY)
			continue;
		d = report(cx, "LYNC-E021", &p->loc, "%s talks to the outside, but the "
		    "site has no external zone for remote clients, partners and the "
		    "Internet", pool_name(cx, p));
		diag_hint(cx->dc, d, "add one, e.g. 'zone internet external;', and a "
		    "firewall between it and the pool's external zone");
		return;		/* once */
	}
}

/* ---- W001, W002 ------------------------------------------------------------ */

/* A route's zones or hops: the bytes [lo, hi) of a route buffer (an
 * array of pointers, read with memcpy into their own type). */
struct span {
	const char	*lo, *hi;
};

_Static_assert(sizeof(struct ir_zone *) == sizeof(struct ir_device *),
    "span_walk steps over either");

static int
span_cmp(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct span *)x)->lo;
	uintptr_t b = (uintptr_t)((const struct span *)y)->lo;

	return a < b ? -1 : a > b;
}

/* Each element of the union of spans, once: routes that share a buffer
 * overlap (a chain of N devices: N routes of 1..N hops in one buffer of
 * N), so the union is walked, not each route (N^2/2). */
static void
span_walk(struct span *v, size_t n, bool is_zone, bool *mark)
{
	uintptr_t done = 0;	/* walked up to here */
	size_t i;

	qsort(v, n, sizeof(*v), span_cmp);
	for (i = 0; i < n; i++) {
		const char *e = v[i].lo;

		if ((uintptr_t)v[i].hi <= done)
			continue;
		if ((uintptr_t)e < done)
			e += done - (uintptr_t)e;	/* a whole element: both align */
		for (; e < v[i].hi; e += sizeof(struct ir_zone *))
			if (is_zone) {
				struct ir_zone *z;

				memcpy(&z, e, sizeof(z));
				mark[z->index] = true;
			} else {
				struct ir_device *d;

				memcpy(&d, e, sizeof(d));
				mark[d->index] = true;
			}
		done = (uintptr_t)v[i].hi;
	}
}

/* The zones that something uses, and the devices some flow crosses (by
 * device index: a router that carries a flow), each route buffer walked
 * once. */
static void
mark_zones(struct arena *a, const struct ir_site *site, bool *used, bool *crossed)
{
	struct hmap seen;
	uintptr_t key[2], *kp;
	struct span *zspan, *hspan;
	size_t i, k, nspan = 0;

	for (i = 0; i < site->nzones; i++)
		if (site->zones[i]->uses)
			used[i] = true;
	for (i = 0; i < site->npools; i++)
		for (k = 0; k < SIDE__N; k++)
			if (site->pools[i]->side[k].used && site->pools[i]->side[k].zone)
				used[site->pools[i]->side[k].zone->index] = true;
	for (i = 0; i < site->nparties; i++)
		if (site->parties[i]->declared && site->parties[i]->zone)
			used[site->parties[i]->zone->index] = true;
	/* the zones of each route once: flows between the same two zones
	 * share it (route_index_path) */
	zspan = xcalloc(site->nflows + 1, sizeof(*zspan));
	hspan = xcalloc(site->nflows + 1, sizeof(*hspan));
	hmap_init(&seen, a);
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *fl = site->flows[i];
		struct ir_device **hops;
		struct ir_zone **zs;
		int n;

		if (fl->npath == 0)
			continue;
		n = route_index_path(site->routes, site, fl->src.zone, fl->dst.zone, &hops, &zs);
		if (n <= 0)
			continue;
		/* routes that share a buffer differ in where they start or in
		 * their length: (hops, n) names one */
		key[0] = (uintptr_t)hops;
		key[1] = (uintptr_t)n;
		if (hmap_get(&seen, key, sizeof(key)) != NULL)
			continue;
		kp = arena_alloc(a, sizeof(key));
		memcpy(kp, key, sizeof(key));
		hmap_put(&seen, kp, sizeof(key), (void *)fl);
		zspan[nspan].lo = (const char *)zs;
		zspan[nspan].hi = (const char *)(zs + n + 1);
		hspan[nspan].lo = (const char *)hops;
		hspan[nspan].hi = (const char *)(hops + n);
		nspan++;
	}
	span_walk(zspan, nspan, true, used);
	span_walk(hspan, nspan, false, crossed);
	free(zspan);
	free(hspan);
}

void
check_unused(struct cctx *cx)
{
	const struct ir_site *site = cx->site;
	bool *used = arena_alloc(cx->a, (site->nzones + 1) * sizeof(bool));
	bool *crossed = arena_alloc(cx->a, (site->ndevices + 1) * sizeof(bool));
	size_t i;

	/* a misspelt zone or pool leaves its devices and zones looking unused:
	 * the one error at the misspelt word is enough */
	if (site->npoisoned)
		return;
	mark_zones(cx->a, site, used, crossed);
	for (i = 0; i < site->ndevices; i++) {
		const struct ir_device *v = site->devices[i];
		struct diag *d;

		if (v->kind == DEV_FIREWALL && v->nfwc == 0) {
			d = report(cx, "LYNC-W001", &v->loc, "firewall '%s' filters no flow",
			    v->name);
			diag_hint(cx->dc, d, "check its zones ('between'): no flow of the site "
			    "goes from one of them to another; or remove it");
		} else if (v->kind == DEV_ROUTER && !crossed[v->index]) {
			d = report(cx, "LYNC-W001", &v->loc, "router '%s' carries no flow",
			    v->name);
			diag_hint(cx->dc, d, "check its zones ('between'), or remove it");
		} else if (v->kind == DEV_LB && v->nlbsvcs == 0) {
			d = report(cx, "LYNC-W001", &v->loc, "load balancer '%s' carries no "
			    "load-balanced service", v->name);
			diag_hint(cx->dc, d, "a pool side it serves needs 'lb hlb' and a VIP; "
			    "check 'serves', or remove it");
		}
	}
	for (i = 0; i < site->nzones; i++) {
		const struct ir_zone *z = site->zones[i];
		struct diag *d;

		if (used[i])
			continue;
		d = report(cx, "LYNC-W002", &z->loc, "zone '%s' holds no pool and no flow "
		    "starts, ends or passes there", z->name);
		diag_hint(cx->dc, d, "remove it, or place the pool or party that belongs "
		    "there ('zone %s;')", z->name);
	}
}

/* ---- W004 ------------------------------------------------------------------ */

/* Which pool sides some device serves, by pool index and side: built once,
 * not a scan of every `serves` per pool. */
static bool *
served_sides(struct arena *a, const struct ir_site *site)
{
	bool *t = arena_alloc(a, (site->npools * SIDE__N + 1) * sizeof(*t));
	size_t i, j;

	for (i = 0; i < site->ndevices; i++)
		for (j = 0; j < site->devices[i]->nserved; j++)
			if (site->devices[i]->served[j].pool)
				t[site->devices[i]->served[j].pool->index * SIDE__N +
				    site->devices[i]->served[j].side] = true;
	return t;
}

void
check_lb_served(struct cctx *cx)
{
	const struct ir_site *site = cx->site;
	size_t i;
	int d;
	bool any = false, *served;

	/* a misspelt `serves POOL` was the one error */
	if (site->npoisoned)
		return;
	for (i = 0; i < site->ndevices; i++)
		if (site->devices[i]->kind == DEV_LB)
			any = true;
	if (!any)
		return;
	served = served_sides(cx->a, site);
	for (i = 0; i < site->npools; i++) {
		struct ir_pool *p = site->pools[i];

		for (d = SIDE__N - 1; d >= 0; d--) {
			struct ir_side *sd = &p->side[d];
			bool two = p->kind == POOL_EDGE || p->kind == POOL_RPROXY;
			bool dns_web = (p->kind == POOL_FRONTEND || p->kind == POOL_DIRECTOR) &&
			    sd->lb == LB_DNS && sd->vip[SVC_PRIMARY].n;
			struct diag *dg;

			if (!sd->used || (sd->lb != LB_HLB && !dns_web) ||
			    p->kind == POOL_RPROXY || served[p->index * SIDE__N + d])
				continue;
			dg = report(cx, "LYNC-W004", lb_or_pool(p, (enum ir_side_kind)d),
			    "no load balancer serves %s%s%s", two ? "the " : "",
			    two ? ir_side_name[d] : "", arena_printf(cx->a, "%s%s",
			    two ? " side of " : "", pool_name(cx, p)));
			diag_hint(cx->dc, dg, "add it to a load balancer: serves %s%s%s;",
			    p->name, two ? "." : "", two ? ir_side_name[d] : "");
		}
	}
}

/* ---- W005 ------------------------------------------------------------------ */

void
check_dns_failover(struct cctx *cx)
{
	static const char *const feats[] = { "public-im", "federation-ocs2007" };
	size_t i, k;

	for (k = 0; k < sizeof(feats) / sizeof(feats[0]); k++) {
		const struct ir_feature *f = ir_feature_find(cx->site, feats[k]);

		if (f == NULL || !f->on)
			continue;
		for (i = 0; i < cx->site->npools; i++) {
			struct ir_pool *p = cx->site->pools[i];
			struct diag *d;

			if (p->kind != POOL_EDGE || p->side[SIDE_EXT].lb != LB_DNS ||
			    p->nnodes < 2)
				continue;
			d = report(cx, "LYNC-W005", &f->use_loc, "feature '%s' loses failover "
			    "on DNS-load-balanced %s", f->name, pool_name(cx, p));
			diag_note(cx->dc, d, lb_or_pool(p, SIDE_EXT), "DNS load balancing "
			    "set here");
			diag_hint(cx->dc, d, "use a hardware load balancer for the edge pool "
			    "('lb hlb;') if this traffic needs high availability");
		}
	}
}

/* ---- W007 ------------------------------------------------------------------ */

/* Which firewall holds each static NAT entry (the entry's address -> the
 * device): built once, not a scan of every device's NATs per pool. */
static void
nat_devices(struct arena *a, const struct ir_site *site, struct hmap *m)
{
	size_t i, k;

	hmap_init(m, a);
	for (i = 0; i < site->ndevices; i++)
		for (k = 0; k < site->devices[i]->nnats; k++)
			hmap_put(m, &site->devices[i]->nats[k], sizeof(site->devices[i]->nats[k]),
			    site->devices[i]);
}

/*
 * The Edge Servers of a NATed pool reach each other's A/V Edge service on
 * its public address (rule edge.nat.hairpin): the NAT firewall must take a
 * packet from one node's real A/V address to another node's public A/V
 * address back out of the interface it came in on, translated both ways.
 * lyncc's firewall output does not write that (it is device NAT policy,
 * not a filter rule), so the site is told once per pool.
 */
void
check_hairpin(struct cctx *cx)
{
	struct hmap natdev;
	bool indexed = false;
	size_t i, k;

	for (i = 0; i < cx->site->npools; i++) {
		const struct ir_pool *p = cx->site->pools[i];
		const struct ir_nat *first = NULL;
		const struct ir_device *fw;
		struct diag *d;

		if (p->kind != POOL_EDGE || p->nnodes < 2 ||
		    p->side[SIDE_EXT].lb == LB_HLB)	/* HLB with NAT: LYNC-E018 */
			continue;
		for (k = 0; k < p->nnats && first == NULL; k++)
			if (p->nats[k].svc == SVC_AV)
				first = &p->nats[k];
		if (first == NULL)
			continue;
		if (!indexed)
			nat_devices(cx->a, cx->site, &natdev);
		indexed = true;
		fw = hmap_get(&natdev, &first, sizeof(first));
		d = report(cx, "LYNC-W007", &first->loc, "the nodes of %s reach each "
		    "other's A/V Edge service on its public address: %s must hairpin "
		    "that NAT", pool_name(cx, p), fw ? fw->name : "the NAT firewall");
		diag_hint(cx->dc, d, "allow traffic from the A/V real addresses to the "
		    "A/V public addresses back out of the same interface, translated "
		    "(ASA: 'same-security-traffic permit intra-interface' and the static "
		    "NAT; SRX: destination and source NAT in the same zone); lyncc "
		    "writes the filter rules, not this NAT policy");
	}
}

/* ---- W010 ------------------------------------------------------------------ */

/*
 * The Mediation Server (a stand-alone pool, or collocated on a front end)
 * sends media to the PSTN gateway's own media range, which no seed gives
 * (Gg398833 t1 r39 gives only the Mediation Server's 49152-57500).  A site
 * that describes its gateways without `media-ports` gets no rule for that
 * direction (stdlib flow med.gw-media-out), so it is told, once.
 */
void
check_gw_media(struct cctx *cx)
{
	const struct ir_party *y = ir_party_find(cx->site, "pstn-gateways");
	const struct ir_pool *med = NULL;
	struct diag *d;
	size_t i;

	if (y == NULL || !y->declared || y->media_lo)
		return;
	for (i = 0; i < cx->site->npools && med == NULL; i++) {
		const struct ir_pool *p = cx->site->pools[i];

		if (p->kind == POOL_MEDIATION ||
		    (p->kind == POOL_FRONTEND && p->mediation_collocated))
			med = p;
	}
	if (med == NULL)
		return;
	d = report(cx, "LYNC-W010", &y->loc, "media from the Mediation Server (%s) to "
	    "the PSTN gateways is not opened: the site does not give the gateways' "
	    "media port range", pool_name(cx, med));
	diag_hint(cx->dc, d, "add the gateways' RTP range, e.g. 'media-ports "
	    "16384-32767;', to party pstn-gateways (see the gateway's documentation); "
	    "gateway -> Mediation media (49152-57500) is opened either way");
}

/* ---- W011 ------------------------------------------------------------------ */

/*
 * Enterprise Voice without `party pstn-gateways < address ...; >`: the
 * gateway flows (Gg398833 t1 r23-26, r47-48: SIP 5067/5068 from the PSTN
 * gateway, 5081/5082 and media to it) then reach the party's default, every
 * internal host.  The seed names the gateways; the site should too.
 */
void
check_pstn_gateways(struct cctx *cx)
{
	const struct ir_feature *f = ir_feature_find(cx->site, "enterprise-voice");
	const struct ir_party *y = ir_party_find(cx->site, "pstn-gateways");
	struct diag *d;

	if (f == NULL || !f->on || (y != NULL && y->declared &&
	    (!y->addrs.any || y->zones_given)))
		return;
	d = report(cx, "LYNC-W011", &f->use_loc, "enterprise-voice without "
	    "'party pstn-gateways < address ...; >': the PSTN gateway flows (SIP "
	    "TCP 5067/5068 to the Mediation service, 5060/5061/5081/5082 and media "
	    "from it) are open to every internal host");
	diag_hint(cx->dc, d, "name the gateways: 'party pstn-gateways < address "
	    "PREFIX...; >' (Gg398833 t1 r23-26)");
}
