/*
 * expand.c - which stdlib flows and LB services apply to a site.
 *
 *   1. For each flow definition, check its `when` conditions.
 *   2. Resolve each endpoint: a role becomes one endpoint per pool that has
 *      it (with the pool's addresses and zone); `any PARTY` becomes the party
 *      (or, with `narrow-any on`, the roles it may be narrowed to).
 *   3. One ir_flow per (source, destination) pair, in stdlib order.
 *   4. Route each flow through the zone graph (firewalls and routers are the
 *      edges) and hand it to each firewall it crosses.
 *   5. Static NAT entries go to the firewall between the pool's zone and the
 *      outside.
 *   6. LB services: one per definition x pool x VIP address, with members of
 *      the same address family, attached to the load balancer serving that
 *      side of the pool.
 */
#include "expand.h"
#include "addr_index.h"
#include "arena.h"
#include "hmap.h"
#include "route_index.h"

#include <stdlib.h>
#include <string.h>

/* ---- roles ----------------------------------------------------------------- */

struct role_info {
	enum ir_pool_kind	kind;
	enum ir_side_kind	side;
	enum ir_svc		svc;
	bool			vip;
};

static const struct role_info roles[ROLE__N] = {
	[ROLE_EDGE_ACCESS]	= { POOL_EDGE, SIDE_EXT, SVC_ACCESS, false },
	[ROLE_EDGE_ACCESS_VIP]	= { POOL_EDGE, SIDE_EXT, SVC_ACCESS, true },
	[ROLE_EDGE_WEBCONF]	= { POOL_EDGE, SIDE_EXT, SVC_WEBCONF, false },
	[ROLE_EDGE_WEBCONF_VIP]	= { POOL_EDGE, SIDE_EXT, SVC_WEBCONF, true },
	[ROLE_EDGE_AV]		= { POOL_EDGE, SIDE_EXT, SVC_AV, false },
	[ROLE_EDGE_AV_VIP]	= { POOL_EDGE, SIDE_EXT, SVC_AV, true },
	[ROLE_EDGE_INTERNAL]	= { POOL_EDGE, SIDE_INT, SVC_INTERNAL, false },
	[ROLE_EDGE_INTERNAL_VIP] = { POOL_EDGE, SIDE_INT, SVC_INTERNAL, true },
	[ROLE_FRONTEND]		= { POOL_FRONTEND, SIDE_INT, SVC_PRIMARY, false },
	[ROLE_FRONTEND_VIP]	= { POOL_FRONTEND, SIDE_INT, SVC_PRIMARY, true },
	[ROLE_FRONTEND_CMS]	= { POOL_FRONTEND, SIDE_INT, SVC_PRIMARY, false },
	[ROLE_FRONTEND_XMPP]	= { POOL_FRONTEND, SIDE_INT, SVC_PRIMARY, false },
	[ROLE_DIRECTOR]		= { POOL_DIRECTOR, SIDE_INT, SVC_PRIMARY, false },
	[ROLE_DIRECTOR_VIP]	= { POOL_DIRECTOR, SIDE_INT, SVC_PRIMARY, true },
	[ROLE_MEDIATION]	= { POOL_MEDIATION, SIDE_INT, SVC_PRIMARY, false },
	[ROLE_PCHAT]		= { POOL_PCHAT, SIDE_INT, SVC_PRIMARY, false },
	[ROLE_OWA]		= { POOL_OWA, SIDE_INT, SVC_PRIMARY, false },
	[ROLE_RPROXY_INTERNAL]	= { POOL_RPROXY, SIDE_INT, SVC_INTERNAL, false },
	[ROLE_RPROXY_EXTERNAL]	= { POOL_RPROXY, SIDE_EXT, SVC_EXTERNAL, false },
	[ROLE_FRONTEND_WEBEXT_VIP] = { POOL_FRONTEND, SIDE_INT, SVC_WEBEXT, true },
	[ROLE_DIRECTOR_WEBEXT_VIP] = { POOL_DIRECTOR, SIDE_INT, SVC_WEBEXT, true },
	[ROLE_MEDIATION_VIP]	= { POOL_MEDIATION, SIDE_INT, SVC_PRIMARY, true },
	[ROLE_RPROXY_EXTERNAL_VIP] = { POOL_RPROXY, SIDE_EXT, SVC_EXTERNAL, true },
};

bool
expand_role_vip(enum ir_role r)
{
	return roles[r].vip;
}

enum ir_svc
expand_role_svc(enum ir_role r, enum ir_side_kind *side)
{
	if (side)
		*side = roles[r].side;
	return roles[r].svc;
}

/*
 * A pool side's mode matches `when lb KIND MODE`.  A single server (no load
 * balancing) is reached at its own addresses, as a DNS-load-balanced pool
 * is, so `dns` matches it too.
 */
static bool
lb_matches(enum ir_lb have, enum ir_lb want)
{
	return have == want || (want == LB_DNS && have == LB_NONE);
}

static bool
pool_lb_matches(const struct ir_pool *p, enum ir_lb want)
{
	if (p->side[SIDE_INT].used && lb_matches(p->side[SIDE_INT].lb, want))
		return true;
	return p->side[SIDE_EXT].used && lb_matches(p->side[SIDE_EXT].lb, want);
}

/* A reverse proxy's sides are load balanced independently (an HLB in
 * front of its listener, none inside), so its conditions ask the side of
 * the role; the other pools have one mode (LYNC-E015 for the edge). */
static bool
lb_cond_ok(const struct ir_cond *conds, size_t n, const struct ir_pool *p,
    enum ir_side_kind side)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (conds[i].kind != COND_LB || conds[i].pool_kind != p->kind)
			continue;
		if (p->kind == POOL_RPROXY ? !lb_matches(p->side[side].lb, conds[i].lb) :
		    !pool_lb_matches(p, conds[i].lb))
			return false;
	}
	return true;
}

/* Does any pool of the site have an XMPP gateway?  (Asked once per loop
 * over the pools, not per pool: the site-wide answer is the same.) */
static bool
any_xmpp_gateway(const struct ir_site *site)
{
	size_t i;

	for (i = 0; i < site->npools; i++)
		if (site->pools[i]->xmpp_gateway)
			return true;
	return false;
}

/* Does pool p play role r (under the definition's lb conditions)?  any_gw:
 * any_xmpp_gateway(site). */
static bool
pool_has_role(bool any_gw, const struct ir_pool *p, enum ir_role r,
    const struct ir_cond *conds, size_t nconds)
{
	const struct role_info *ri = &roles[r];

	if (r == ROLE_MEDIATION) {
		if (!(p->kind == POOL_MEDIATION ||
		    (p->kind == POOL_FRONTEND && p->mediation_collocated)))
			return false;
	} else if (p->kind != ri->kind)
		return false;
	if (!lb_cond_ok(conds, nconds, p, ri->side))
		return false;
	if (r == ROLE_FRONTEND_CMS && !p->cms)
		return false;
	if (r == ROLE_FRONTEND_XMPP && any_gw && !p->xmpp_gateway)
		return false;
	if (ri->vip)	/* a declared VIP: an HLB pool's, or the web VIP of a
			 * DNS-load-balanced pool (seed 001) */
		return p->side[ri->side].vip[ri->svc].n > 0;
	return p->side[ri->side].used;
}

static void
role_addrs(struct arena *a, const struct ir_pool *p, enum ir_role r,
    struct ir_addrset *out)
{
	const struct role_info *ri = &roles[r];
	enum ir_side_kind side = ri->side;
	enum ir_svc svc = ri->svc;
	unsigned i;

	if (r == ROLE_MEDIATION)
		side = SIDE_INT, svc = SVC_PRIMARY;
	if (ri->vip) {
		addrset_union(a, out, &p->side[side].vip[svc]);
		return;
	}
	for (i = 0; i < p->nnodes; i++)
		addrset_union(a, out, &p->nodes[i].addr[svc]);
}

static const char *
role_label(struct arena *a, const struct ir_pool *p, enum ir_role r)
{
	const char *rn = ir_role_name[r];
	const char *dot = strchr(rn, '.');

	return arena_printf(a, "%s%s", p->name, dot ? dot : "");
}

/*
 * A pool's addresses and label for a role are the same in every flow
 * definition: computed once per (pool, role), sorted, and shared by every
 * endpoint (and flow) that uses them.  A shared set has cap == n, so
 * anything that adds to a copy reallocates instead of writing into it.
 */
struct role_ent {
	struct ir_addrset	 addrs;
	const char		*label;
};

struct role_cache {
	struct role_ent		**v;	/* [pool index * ROLE__N + role] */
	struct arena		*tmp;	/* the current definition's endpoint lists */
	/* the pools of each kind, in site order: a role looks only at its
	 * own kind's (a scan of every pool per definition and role before) */
	struct ir_pool		**kind[POOL__N];
	size_t			 nkind[POOL__N];
	bool			 any_gw;	/* any_xmpp_gateway() */
};

static void
role_cache_init(struct arena *a, struct role_cache *rc, const struct ir_site *site)
{
	size_t i;
	int k;

	memset(rc, 0, sizeof(*rc));
	rc->v = arena_alloc(a, (site->npools + 1) * ROLE__N * sizeof(*rc->v));
	for (i = 0; i < site->npools; i++)
		rc->nkind[site->pools[i]->kind]++;
	for (k = 0; k < POOL__N; k++) {
		rc->kind[k] = arena_alloc(a, (rc->nkind[k] + 1) * sizeof(*rc->kind[k]));
		rc->nkind[k] = 0;
	}
	for (i = 0; i < site->npools; i++) {
		struct ir_pool *p = site->pools[i];

		rc->kind[p->kind][rc->nkind[p->kind]++] = p;
	}
	rc->any_gw = any_xmpp_gateway(site);
}

/* The next pool, in site order, that can play role r (its kind's, and for
 * the Mediation role the front ends' too); *a and *b walk the two lists. */
static struct ir_pool *
role_pool_next(const struct role_cache *rc, enum ir_role r, size_t *a, size_t *b)
{
	enum ir_pool_kind k = roles[r].kind;
	struct ir_pool *pa = *a < rc->nkind[k] ? rc->kind[k][*a] : NULL;
	struct ir_pool *pb = r == ROLE_MEDIATION && *b < rc->nkind[POOL_FRONTEND] ?
	    rc->kind[POOL_FRONTEND][*b] : NULL;

	if (pa && (pb == NULL || pa->index < pb->index)) {
		(*a)++;
		return pa;
	}
	if (pb)
		(*b)++;
	return pb;
}

static const struct role_ent *
role_get(struct arena *a, struct role_cache *rc, const struct ir_pool *p, enum ir_role r)
{
	struct role_ent **slot = &rc->v[(size_t)p->index * ROLE__N + r];
	struct role_ent *e = *slot;

	if (e == NULL) {
		struct ir_addrset tmp;

		memset(&tmp, 0, sizeof(tmp));
		role_addrs(a, p, r, &tmp);
		addrset_sort(&tmp);
		e = arena_alloc(a, sizeof(*e));
		e->addrs.n = e->addrs.cap = tmp.n;
		e->addrs.any = tmp.any;
		if (tmp.n) {
			e->addrs.v = arena_alloc(a, tmp.n * sizeof(tmp.v[0]));
			memcpy(e->addrs.v, tmp.v, tmp.n * sizeof(tmp.v[0]));
		}
		e->label = role_label(a, p, r);
		*slot = e;
	}
	return e;
}

/* ---- conditions --------------------------------------------------------- */

static bool
conds_hold(const struct ir_site *site, const struct ir_cond *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		bool ok = false;

		switch (c[i].kind) {
		case COND_FEATURE:
			ok = ir_feature_on(site, c[i].feature);
			break;
		case COND_NO_FEATURE:
			ok = !ir_feature_on(site, c[i].feature);
			break;
		case COND_LB:
			for (j = 0; j < site->npools; j++) {
				const struct ir_pool *p = site->pools[j];

				if (p->kind == c[i].pool_kind && pool_lb_matches(p, c[i].lb)) {
					ok = true;
					break;
				}
			}
			break;
		case COND_MEDIATION:
			for (j = 0; j < site->npools; j++) {
				const struct ir_pool *p = site->pools[j];

				if (c[i].collocated ? (p->kind == POOL_FRONTEND &&
				    p->mediation_collocated) : p->kind == POOL_MEDIATION) {
					ok = true;
					break;
				}
			}
			break;
		}
		if (!ok)
			return false;
	}
	return true;
}

/* ---- endpoints ------------------------------------------------------------ */

struct ep_list {
	struct arena		*tmp;	/* v and idx: freed after the definition */
	struct ir_endpoint	*v;
	size_t			 n, cap;
	struct hmap		 idx;	/* (pool, zone) -> index + 1 */
	size_t			 nidx;	/* entries [0, nidx) are in idx */
};

struct ep_key {
	const struct ir_pool	*pool;
	const struct ir_zone	*zone;
};

/* The first endpoint among [0, before) of pool p in zone z, or before:
 * an index, built as the list grows, not a scan per pool. */
static size_t
ep_find(struct arena *a, struct ep_list *l, size_t before, const struct ir_pool *p,
    const struct ir_zone *z)
{
	struct ep_key key;
	void *v;

	if (before == 0)
		return 0;
	if (l->idx.arena == NULL)
		hmap_init(&l->idx, l->tmp);
	for (; l->nidx < before; l->nidx++) {
		struct ep_key *k = arena_alloc(l->tmp, sizeof(*k));

		memset(k, 0, sizeof(*k));	/* the key's bytes are hashed */
		k->pool = l->v[l->nidx].pool;
		k->zone = l->v[l->nidx].zone;
		hmap_put(&l->idx, k, sizeof(*k), (void *)(uintptr_t)(l->nidx + 1));
	}
	memset(&key, 0, sizeof(key));
	key.pool = p;
	key.zone = z;
	v = hmap_get(&l->idx, &key, sizeof(key));
	return v ? (size_t)(uintptr_t)v - 1 : before;
}

static void
ep_roles(struct arena *a, struct role_cache *rc, const struct ir_flowdef *f,
    enum ir_role r, struct ep_list *out)
{
	size_t ia = 0, ib = 0, before = out->n;
	struct ir_pool *p;

	while ((p = role_pool_next(rc, r, &ia, &ib)) != NULL) {
		struct ir_endpoint *e;
		size_t k;

		if (!pool_has_role(rc->any_gw, p, r, f->conds, f->nconds))
			continue;
		/* one endpoint per pool: merge roles of the same pool and zone.
		 * Each pool comes once per call, so only the endpoints of
		 * earlier calls (other roles) can be its own. */
		k = ep_find(a, out, before, p, p->side[roles[r].side].zone);
		if (k < before) {	/* a new set: the old one may be shared */
			struct ir_addrset m;

			memset(&m, 0, sizeof(m));
			addrset_union(a, &m, &out->v[k].addrs);
			addrset_union(a, &m, &role_get(a, rc, p, r)->addrs);
			out->v[k].addrs = m;
			continue;
		}
		e = VEC_PUSH(out->tmp, out->v, out->n, out->cap);
		memset(e, 0, sizeof(*e));
		e->role = r;
		e->pool = p;
		e->zone = p->side[r == ROLE_MEDIATION ? SIDE_INT : roles[r].side].zone;
		e->addrs = role_get(a, rc, p, r)->addrs;
		e->label = role_get(a, rc, p, r)->label;
	}
}

static bool
in_networks(const struct ir_zone *z, const struct ir_addr *x)
{
	size_t i;

	for (i = 0; i < z->networks.n; i++)
		if (addr_contains(&z->networks.v[i], x))
			return true;
	return false;
}

/*
 * A party: one endpoint per zone it covers.  A narrowed party's addresses
 * go to the covered zones whose networks hold them; an address no covered
 * zone's networks hold goes to the covered zones that declare no networks
 * (or, failing those, to the first covered zone).  A zone left with no
 * address gets no endpoint: narrowing only removes.
 */
static void
ep_party(struct arena *a, struct ir_party *y, struct ep_list *out)
{
	size_t z, i, k;

	if (y == NULL)
		return;
	for (z = 0; z < y->nzones; z++) {
		struct ir_zone *zn = y->zones[z];
		struct ir_endpoint *e;
		struct ir_addrset as;

		memset(&as, 0, sizeof(as));
		as.any = y->addrs.any;
		for (i = 0; !as.any && i < y->addrs.n; i++) {
			const struct ir_addr *x = &y->addrs.v[i];
			bool placed = false, bare = false;

			/* y->addrs is unique, so a subset of it needs no
			 * membership test (addrset_add would scan: quadratic) */
			if (in_networks(zn, x)) {
				*VEC_PUSH(a, as.v, as.n, as.cap) = *x;
				continue;
			}
			for (k = 0; k < y->nzones && !placed; k++)
				placed = in_networks(y->zones[k], x);
			for (k = 0; k < y->nzones && !bare; k++)
				bare = y->zones[k]->networks.n == 0;
			if (!placed && (bare ? zn->networks.n == 0 : z == 0))
				*VEC_PUSH(a, as.v, as.n, as.cap) = *x;
		}
		if (!as.any && as.n == 0)
			continue;
		e = VEC_PUSH(out->tmp, out->v, out->n, out->cap);
		memset(e, 0, sizeof(*e));
		e->party = y;
		e->zone = zn;
		e->addrs = as;
		/* unique per zone: `lyncc diff` keys flows by their labels */
		e->label = y->nzones > 1 ? arena_printf(a, "%s (%s)", y->name, zn->name) :
		    y->name;
	}
}

static void
ep_resolve(struct arena *a, struct role_cache *rc, const struct ir_site *site,
    const struct ir_flowdef *f, const struct ir_endpoint_def *d, struct ep_list *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->tmp = rc->tmp;
	if (d->role != ROLE_NONE) {
		ep_roles(a, rc, f, d->role, out);
		return;
	}
	if (site->narrow_any && f->nnarrow) {
		for (i = 0; i < f->nnarrow; i++)
			ep_roles(a, rc, f, f->narrow[i], out);
		for (i = 0; i < out->n; i++) {
			out->v[i].narrowed = true;
			out->v[i].label = arena_printf(a, "%s (narrowed %s)",
			    out->v[i].label, d->party);
		}
		if (out->n)
			return;
	}
	ep_party(a, ir_party_find(site, d->party), out);
	/*
	 * A site that placed or narrowed the party still has the hosts the row
	 * names as its usual peers ("Any (can be defined as the Front End
	 * ...)"): they stay endpoints of the flow wherever they live.
	 */
	{
		struct ir_party *y = ir_party_find(site, d->party);

		if (y == NULL || !(y->zones_given || !y->addrs.any) || f->nnarrow == 0)
			return;
		for (i = 0; i < f->nnarrow; i++)
			ep_roles(a, rc, f, f->narrow[i], out);
	}
}

/* ---- routing ------------------------------------------------------------- */

static bool
dev_in_zone(const struct ir_device *v, const struct ir_zone *z)
{
	size_t i;

	for (i = 0; i < v->nifaces; i++)
		if (v->ifaces[i].zone == z)
			return true;
	return false;
}

/*
 * Breadth-first search over zones; firewalls and routers connect every pair
 * of their zones.  Devices are tried in declaration order, so the path is
 * deterministic.  Returns the number of hops, or -1.
 */
int
expand_route(const struct ir_site *site, const struct ir_zone *from,
    const struct ir_zone *to, struct ir_device **hops, struct ir_zone **zones)
{
	size_t nz = site->nzones, i, d, head = 0, tail = 0;
	int *prev_zone, n = -1;
	struct ir_device **prev_dev;
	size_t *queue;

	if (site->routes != NULL)	/* built by expand_site: linear in the path */
		return route_index_route(site->routes, site, from, to, hops, zones);
	if (from == NULL || to == NULL)
		return -1;
	if (from == to)
		return 0;
	prev_zone = xcalloc(nz, sizeof(int));
	prev_dev = xcalloc(nz, sizeof(*prev_dev));
	queue = xcalloc(nz, sizeof(size_t));
	for (i = 0; i < nz; i++)
		prev_zone[i] = -2;
	prev_zone[from->index] = -1;
	queue[tail++] = from->index;
	while (head < tail) {
		size_t z = queue[head++];

		if (z == to->index)
			break;
		for (d = 0; d < site->ndevices; d++) {
			struct ir_device *v = site->devices[d];

			if (v->kind == DEV_LB || !dev_in_zone(v, site->zones[z]))
				continue;
			for (i = 0; i < v->nifaces; i++) {
				struct ir_zone *nzp = v->ifaces[i].zone;

				if (nzp == NULL || prev_zone[nzp->index] != -2)
					continue;
				prev_zone[nzp->index] = (int)z;
				prev_dev[nzp->index] = v;
				queue[tail++] = nzp->index;
			}
		}
	}
	if (prev_zone[to->index] != -2) {
		int z = (int)to->index, k;

		n = 0;
		while (prev_zone[z] != -1) {
			n++;
			z = prev_zone[z];
		}
		z = (int)to->index;
		for (k = n - 1; k >= 0; k--) {
			if (hops)
				hops[k] = prev_dev[z];
			if (zones)
				zones[k + 1] = site->zones[z];
			z = prev_zone[z];
		}
		if (zones)
			zones[0] = (struct ir_zone *)from;
	}
	free(prev_zone);
	free(prev_dev);
	free(queue);
	return n;
}

static void
route_flow(struct ir_site *site, struct ir_flow *fl)
{
	struct ir_device **hops;
	struct ir_zone **zones;
	int n;

	if (fl->src.zone == NULL || fl->dst.zone == NULL || fl->src.zone == fl->dst.zone)
		return;
	/* the route of this pair of zones, shared by every flow between them */
	n = route_index_path(site->routes, site, fl->src.zone, fl->dst.zone, &hops, &zones);
	if (n < 0) {
		fl->unreachable = true;
		return;
	}
	fl->path = hops;
	fl->npath = (unsigned)n;
}

/*
 * Hand each routed flow to every firewall it crosses, in flow order: the
 * firewalls' lists are counted first and allocated at their exact size
 * (a long chain of firewalls gives each one a flow per zone behind it, so
 * these lists are quadratic in the chain: only what needs every flow, -t
 * nft and `lyncc ir`, asks for them).
 */
static void
fill_fwflows(struct arena *a, const struct ir_site *site)
{
	size_t *count = xcalloc(site->ndevices + 1, sizeof(*count)), i, k;

	for (i = 0; i < site->nflows; i++)
		for (k = 0; k < site->flows[i]->npath; k++)
			if (site->flows[i]->path[k]->kind == DEV_FIREWALL)
				count[site->flows[i]->path[k]->index]++;
	for (i = 0; i < site->ndevices; i++) {
		struct ir_device *v = site->devices[i];

		v->nflows = 0;
		if (count[v->index] == 0)
			continue;
		v->flows = arena_alloc(a, count[v->index] * sizeof(*v->flows));
		v->capflows = count[v->index];
	}
	for (i = 0; i < site->nflows; i++) {
		struct ir_flow *fl = site->flows[i];
		struct ir_device **hops;
		struct ir_zone **zones;

		if (fl->npath == 0)
			continue;
		route_index_path(site->routes, site, fl->src.zone, fl->dst.zone, &hops, &zones);
		for (k = 0; k < fl->npath; k++)
			if (hops[k]->kind == DEV_FIREWALL) {
				struct ir_fwflow *ff = &hops[k]->flows[hops[k]->nflows++];

				ff->flow = fl;
				ff->from = zones[k];
				ff->to = zones[k + 1];
			}
	}
	free(count);
}

void
expand_device_flows(const struct ir_site *site)
{
	bool *done;

	if (site->routes == NULL || *(done = route_index_fwflows_done(site->routes)))
		return;
	*done = true;
	fill_fwflows(route_index_arena(site->routes), site);
}

/*
 * What a firewall's merged rules see of a flow: everything but the zone of
 * a party endpoint and its label (a party's "internal (corp)").  Flows
 * equal in this key and crossing a firewall between the same two zones
 * give it the same rules (backends/fw_common.c merges them), so it keeps
 * the first of them only (ir_device.fwc).  Pointers stand for contents:
 * equal contents behind different pointers only make more classes.
 */
struct fkey_end {
	const void	*party, *pool, *addrs, *label;
	size_t		 naddrs;
	int		 role;
	bool		 any, narrowed;
};

struct fkey {
	const void	*def;
	unsigned	 proto;
	uint16_t	 port_lo, port_hi, sport_lo, sport_hi;
	struct fkey_end	 e[2];
};

static void
fkey_end(struct fkey_end *k, const struct ir_endpoint *e)
{
	k->party = e->party;
	k->pool = e->pool;
	k->addrs = e->addrs.v;
	k->naddrs = e->addrs.n;
	k->label = e->role != ROLE_NONE ? e->label : NULL;
	k->role = (int)e->role;
	k->any = e->addrs.any;
	k->narrowed = e->narrowed;
}

/* the flow's class number: equal keys, equal numbers */
static uint32_t
flow_class(struct arena *a, struct hmap *keys, const struct ir_flow *fl, uint32_t *next)
{
	struct fkey k, *kp;
	uint32_t *id;

	memset(&k, 0, sizeof(k));
	k.def = fl->def;
	k.proto = fl->proto;
	k.port_lo = fl->port_lo;
	k.port_hi = fl->port_hi;
	k.sport_lo = fl->sport_lo;
	k.sport_hi = fl->sport_hi;
	fkey_end(&k.e[0], &fl->src);
	fkey_end(&k.e[1], &fl->dst);
	if ((id = hmap_get(keys, &k, sizeof(k))) != NULL)
		return *id;
	kp = arena_alloc(a, sizeof(*kp));
	*kp = k;
	id = arena_alloc(a, sizeof(*id));
	*id = (*next)++;
	hmap_put(keys, kp, sizeof(*kp), id);
	return *id;
}

/*
 * The firewalls' class lists (ir_device.fwc).  Without a cycle in the zone
 * graph a route is the only path between its zones, so two flows of one
 * class that cross a device between the same zones towards the same zone
 * (or from the same zone, walking a route backwards) share the rest of
 * their routes: the walk of the later one stops there.  A chain of N
 * firewalls thus costs each party flow its own hop only, not N/2.  With a
 * cycle, or routes of 8 hops or fewer on average (the walk's index would
 * outweigh the lists), the classes are every flow (the full lists).
 */
static void
attach_fwflows(struct arena *a, struct ir_site *site)
{
	struct hmap keys, walked, classes;
	struct ir_fwflow *all = NULL;
	uint32_t *devof = NULL, nclass = 0;
	size_t nall = 0, capall = 0, *count, i, k, step;

	/* short routes (zones side by side): the full lists are as small */
	for (i = 0, k = 0; i < site->nflows; i++)
		k += site->flows[i]->npath;
	if (k <= 8 * site->nflows || !route_index_forest(site->routes, site)) {
		expand_device_flows(site);
		for (i = 0; i < site->ndevices; i++) {
			site->devices[i]->fwc = site->devices[i]->flows;
			site->devices[i]->nfwc = site->devices[i]->nflows;
		}
		return;
	}
	hmap_init(&keys, a);
	hmap_init(&walked, a);
	hmap_init(&classes, a);
	for (i = 0; i < site->nflows; i++) {
		struct ir_flow *fl = site->flows[i];
		struct ir_device **hops;
		struct ir_zone **zones;
		uint32_t cl;
		bool back;
		size_t n = fl->npath;

		if (n == 0)
			continue;
		route_index_path(site->routes, site, fl->src.zone, fl->dst.zone, &hops, &zones);
		cl = flow_class(a, &keys, fl, &nclass);
		/* a party's flows differ at the party's end: walk from the other */
		back = fl->dst.role == ROLE_NONE && fl->src.role != ROLE_NONE;
		for (step = 0; step < n; step++) {
			uint32_t *w = arena_alloc(a, 6 * sizeof(*w));
			size_t h = back ? n - 1 - step : step;

			w[0] = (uint32_t)hops[h]->index;
			w[1] = (uint32_t)zones[h]->index;
			w[2] = (uint32_t)zones[h + 1]->index;
			w[3] = cl;
			w[4] = (uint32_t)(back ? fl->src.zone->index : fl->dst.zone->index);
			w[5] = back;
			if (hmap_get(&walked, w, 6 * sizeof(*w)) != NULL)
				break;	/* the rest of the route is walked */
			hmap_put(&walked, w, 6 * sizeof(*w), w);
			if (hops[h]->kind != DEV_FIREWALL ||
			    hmap_get(&classes, w, 4 * sizeof(*w)) != NULL)
				continue;
			hmap_put(&classes, w, 4 * sizeof(*w), w);
			if (nall == capall) {
				capall = capall ? 2 * capall : 64;
				all = xrealloc(all, capall * sizeof(*all));
				devof = xrealloc(devof, capall * sizeof(*devof));
			}
			all[nall].flow = fl;
			all[nall].from = zones[h];
			all[nall].to = zones[h + 1];
			devof[nall++] = w[0];
		}
	}
	/* into each firewall's list, at its exact size, in flow order */
	count = xcalloc(site->ndevices + 1, sizeof(*count));
	for (k = 0; k < nall; k++)
		count[devof[k]]++;
	for (i = 0; i < site->ndevices; i++) {
		struct ir_device *v = site->devices[i];

		v->nfwc = 0;
		if (count[v->index])
			v->fwc = arena_alloc(a, count[v->index] * sizeof(*v->fwc));
	}
	for (k = 0; k < nall; k++) {
		struct ir_device *v = site->devices[devof[k]];

		v->fwc[v->nfwc++] = all[k];
	}
	free(count);
	free(all);
	free(devof);
}

/* ---- flows ----------------------------------------------------------------- */

/*
 * Which (source zone, destination zone) pairs of a party flow exist.  A
 * flow between a party and itself (client to client) joins two of its zones
 * only when the site placed the party there: by default each zone's
 * clients talk among themselves.
 */
static bool
party_pair_ok(const struct ir_endpoint *s, const struct ir_endpoint *d)
{
	return !(s->party && d->party == s->party && s->zone != d->zone &&
	    !s->party->zones_given);
}

/*
 * A flow from "any" in one zone to "any" in another (clients in two zones
 * talking peer to peer) would be any-to-any through the firewall between
 * them: each side stands for the hosts of its zone, so a zone that
 * declares its networks gives them instead.
 */
static void
any_to_networks(struct ir_flow *fl)
{
	if (fl->src.party == NULL || fl->dst.party == NULL || fl->src.zone == fl->dst.zone ||
	    !fl->src.addrs.any || !fl->dst.addrs.any)
		return;
	if (fl->src.zone->networks.n)
		fl->src.addrs = fl->src.zone->networks;
	if (fl->dst.zone->networks.n)
		fl->dst.addrs = fl->dst.zone->networks;
}

/* The root of zone i in the union-find forest up (path halving). */
static unsigned
comp_root(unsigned *up, unsigned i)
{
	while (up[i] != i) {
		up[i] = up[up[i]];
		i = up[i];
	}
	return i;
}

/* Connected components of the zone graph (firewalls and routers join their
 * zones): comp[zone index] is the smallest zone index of its component.
 * Union-find, each union keeping the smaller root: linear in the
 * interfaces (a fixed-point pass over the devices could take a pass per
 * link of a chain listed backwards). */
static unsigned *
zone_components(struct arena *a, const struct ir_site *site)
{
	unsigned *comp = arena_alloc(a, (site->nzones + 1) * sizeof(unsigned));
	size_t i, j;

	for (i = 0; i < site->nzones; i++)
		comp[i] = (unsigned)i;
	for (i = 0; i < site->ndevices; i++) {
		const struct ir_device *v = site->devices[i];
		unsigned r = UINT32_MAX;

		if (v->kind == DEV_LB)
			continue;
		for (j = 0; j < v->nifaces; j++) {
			unsigned z;

			if (v->ifaces[j].zone == NULL)
				continue;
			z = comp_root(comp, v->ifaces[j].zone->index);
			if (r == UINT32_MAX)
				r = z;
			else if (z < r) {
				comp[r] = z;
				r = z;
			} else if (z > r)
				comp[z] = r;
		}
	}
	for (i = 0; i < site->nzones; i++)
		comp[i] = comp_root(comp, (unsigned)i);
	return comp;
}

/*
 * A party the site did not place covers only the zones of its kind that
 * are connected to a zone holding a pool: a zone no device joins to the
 * Lync servers holds none of their clients.
 */
static void
default_party_zones(struct arena *a, struct ir_site *site, const unsigned *comp)
{
	bool *lync = arena_alloc(a, (site->nzones + 1) * sizeof(bool));
	size_t i, j, n;
	int d;

	for (i = 0; i < site->npools; i++)
		for (d = 0; d < SIDE__N; d++)
			if (site->pools[i]->side[d].used && site->pools[i]->side[d].zone)
				lync[comp[site->pools[i]->side[d].zone->index]] = true;
	for (i = 0; i < site->nparties; i++) {
		struct ir_party *y = site->parties[i];

		if (y->zones_given)
			continue;
		for (j = n = 0; j < y->nzones; j++)
			if (lync[comp[y->zones[j]->index]])
				y->zones[n++] = y->zones[j];
		y->nzones = n;
		y->zone = n ? y->zones[0] : NULL;
	}
}

/* ---- edge listener ports (`port access N;`) ------------------------------- */

/*
 * A definition marked `listener SVC` names the edge service's client
 * listener (documented TCP 443).  Where the site moves it (`port SVC N;`
 * in the edge pool's external block), the flow or service gets the site's
 * port, and its citations the site's line after the seed rows: a copy of
 * the definition per (definition, pool), made once, so that backends that
 * group by definition still group the flows of one pool.
 */
static uint16_t
listener_port(const struct ir_pool *p, enum ir_svc svc)
{
	if (p == NULL || p->kind != POOL_EDGE || svc <= SVC_PRIMARY || svc >= SVC__N)
		return 0;
	return p->ext_port[svc];
}

static struct ir_cite *
listener_cites(struct arena *a, const struct ir_pool *p, enum ir_svc svc,
    const struct ir_cite *c, size_t n)
{
	struct ir_cite *v = arena_alloc(a, (n + 1) * sizeof(*v));

	if (n)
		memcpy(v, c, n * sizeof(*v));
	v[n].file = NULL;
	v[n].table = "site";
	v[n].row = 0;
	v[n].text = arena_printf(a, "port %s %u; in edge pool %s (line %u)",
	    ir_svc_name[svc], (unsigned)p->ext_port[svc], p->name,
	    p->ext_port_loc[svc].line);
	return v;
}

/* per pool index: the copy of the definition last made for it */
struct listener_copies {
	const void	**def;
	void		**copy;
};

static void
listener_copies_init(struct arena *a, const struct ir_site *site,
    struct listener_copies *lc)
{
	lc->def = arena_alloc(a, (site->npools + 1) * sizeof(*lc->def));
	lc->copy = arena_alloc(a, (site->npools + 1) * sizeof(*lc->copy));
}

/* The copy of def (size bytes) for pool p, made once (*made: just now);
 * NULL for a pool not in the site. */
static void *
listener_copy(struct arena *a, const struct ir_site *site, struct listener_copies *lc,
    const void *def, size_t size, const struct ir_pool *p, bool *made)
{
	void *c;

	*made = false;
	if (p->index >= site->npools || site->pools[p->index] != p)
		return NULL;
	if (lc->def[p->index] == def)
		return lc->copy[p->index];
	c = arena_alloc(a, size);
	memcpy(c, def, size);
	lc->def[p->index] = def;
	lc->copy[p->index] = c;
	*made = true;
	return c;
}

static const struct ir_flowdef *
listener_flowdef(struct arena *a, const struct ir_site *site,
    struct listener_copies *lc, const struct ir_flowdef *f, const struct ir_pool *p)
{
	bool made;
	struct ir_flowdef *c = listener_copy(a, site, lc, f, sizeof(*f), p, &made);

	if (c == NULL)
		return f;
	if (made) {
		c->cites = listener_cites(a, p, f->listener, f->cites, f->ncites);
		c->ncites = c->capcites = f->ncites + 1;
	}
	return c;
}

static const struct ir_lbdef *
listener_lbdef(struct arena *a, const struct ir_site *site,
    struct listener_copies *lc, const struct ir_lbdef *l, const struct ir_pool *p,
    enum ir_svc svc)
{
	bool made;
	struct ir_lbdef *c = listener_copy(a, site, lc, l, sizeof(*l), p, &made);

	if (c == NULL)
		return l;
	if (made) {
		c->cites = listener_cites(a, p, svc, l->cites, l->ncites);
		c->ncites = c->capcites = l->ncites + 1;
	}
	return c;
}

/* A moved listener that lands on a port another service of the same VIP
 * already has (Access 5061: federation's 5061) is that service: one
 * listener, one virtual server. */
static bool
lb_port_taken(const struct ir_site *site, const struct ir_lbdef *l, uint16_t port)
{
	size_t i;

	for (i = 0; i < site->nlbdefs; i++) {
		const struct ir_lbdef *m = site->lbdefs[i];

		if (m != l && m->vip == l->vip && m->proto == l->proto &&
		    m->listener == SVC_PRIMARY && m->port == port &&
		    conds_hold(site, m->conds, m->nconds))
			return true;
	}
	return false;
}

/* site->flows grows in a block of its own, the old one freed (it is only
 * ever grown here; the arena's doubling would leave as much again) */
static void
push_flow(struct arena *a, struct ir_site *site, struct ir_flow *fl)
{
	if (site->nflows == site->capflows) {
		size_t ncap = site->capflows ? 2 * site->capflows : 64;
		struct ir_flow **v = arena_block(a, ncap * sizeof(*v));

		if (site->nflows)
			memcpy(v, site->flows, site->nflows * sizeof(*v));
		arena_block_free(a, site->flows);
		site->flows = v;
		site->capflows = ncap;
	}
	site->flows[site->nflows++] = fl;
}

/*
 * Whether every endpoint of l is one party's, in its zones by default (not
 * `zone ...`): a flow from that party to l then pairs each zone with
 * itself only (party_pair_ok).  If so, head[zone] and nxt[] list l's
 * entries by zone, in order (SIZE_MAX ends a list).
 */
static bool
same_party_zones(struct arena *tmp, const struct ir_site *site, const struct ep_list *l,
    size_t **head, size_t **nxt)
{
	size_t i;

	if (l->n < 2 || l->v[0].party == NULL || l->v[0].party->zones_given)
		return false;
	for (i = 1; i < l->n; i++)
		if (l->v[i].party != l->v[0].party)
			return false;
	*head = arena_alloc(tmp, (site->nzones + 1) * sizeof(**head));
	*nxt = arena_alloc(tmp, l->n * sizeof(**nxt));
	for (i = 0; i < site->nzones; i++)
		(*head)[i] = SIZE_MAX;
	for (i = l->n; i-- > 0;) {
		(*nxt)[i] = SIZE_MAX;
		if (l->v[i].zone != NULL) {
			(*nxt)[i] = (*head)[l->v[i].zone->index];
			(*head)[l->v[i].zone->index] = i;
		}
	}
	return true;
}

/* The flow of definition f from s to d (a pair that passes every test). */
static void
make_flow(struct arena *a, struct ir_site *site, struct listener_copies *lc,
    const struct ir_flowdef *f, const struct ir_party *mp,
    const struct ir_endpoint *s, const struct ir_endpoint *d)
{
	struct ir_flow *fl = arena_alloc(a, sizeof(*fl));

	fl->def = f;
	fl->id = f->id;
	fl->proto = f->proto;
	fl->port_lo = f->port_lo;
	fl->port_hi = f->port_hi;
	if (f->port_party) {
		const struct ir_party *y = ir_party_find(site, f->port_party);

		if (y && y->sip_port)
			fl->port_lo = fl->port_hi = y->sip_port;
	}
	if (roles[d->role].svc == f->listener && listener_port(d->pool, f->listener)) {
		fl->port_lo = fl->port_hi = listener_port(d->pool, f->listener);
		fl->def = listener_flowdef(a, site, lc, f, d->pool);
	}
	if (mp) {
		fl->port_lo = mp->media_lo;
		fl->port_hi = mp->media_hi;
	}
	fl->sport_lo = f->sport_lo;
	fl->sport_hi = f->sport_hi;
	fl->src = *s;
	fl->dst = *d;
	any_to_networks(fl);
	addrset_sort(&fl->src.addrs);
	addrset_sort(&fl->dst.addrs);
	fl->index = (unsigned)site->nflows;
	push_flow(a, site, fl);
	route_flow(site, fl);
}

/*
 * The destinations of one definition by zone, for leaving out the flows
 * inside one zone (!site->local_flows): skip[d] is the next entry after d
 * in another zone, and for each zone holding an entry (stamp == the
 * definition's), the pool of its first entry and whether another entry
 * has another pool.  N front-end pools in one zone would otherwise give
 * N^2 pairs for `from frontend; to frontend`, none of which crosses a
 * device.
 */
struct local_index {
	size_t			*skip;
	size_t			*stamp;		/* per zone: definition index + 1 */
	const struct ir_pool	**pool0;	/* per zone */
	bool			*mixed;		/* per zone */
};

static void
local_index_build(struct arena *tmp, struct local_index *li, const struct ep_list *dst,
    size_t def)
{
	size_t d;

	li->skip = arena_alloc(tmp, (dst->n + 1) * sizeof(*li->skip));
	for (d = dst->n; d-- > 0;)
		li->skip[d] = d + 1 == dst->n || dst->v[d + 1].zone != dst->v[d].zone ?
		    d + 1 : li->skip[d + 1];
	for (d = 0; d < dst->n; d++) {
		const struct ir_zone *z = dst->v[d].zone;

		if (z == NULL)
			continue;
		if (li->stamp[z->index] != def + 1) {
			li->stamp[z->index] = def + 1;
			li->pool0[z->index] = dst->v[d].pool;
			li->mixed[z->index] = false;
		} else if (dst->v[d].pool != li->pool0[z->index])
			li->mixed[z->index] = true;
	}
}

/* Whether s has a flow to an entry in its own zone (the pairs left out):
 * one that is not inside s's pool.  Such a zone is used (count_zone_uses). */
static bool
local_pair(const struct local_index *li, const struct ir_endpoint *s, size_t def)
{
	size_t z = s->zone->index;

	return li->stamp[z] == def + 1 &&
	    (s->pool == NULL || li->mixed[z] || li->pool0[z] != s->pool);
}

static void
expand_flows(struct arena *a, struct ir_site *site)
{
	size_t i, s, d, *head = NULL, *nxt = NULL, nlocal = 0;
	bool byzone, only, local = site->local_flows;
	unsigned *comp = zone_components(a, site);
	struct listener_copies lc;
	struct role_cache rc;
	struct local_index li;

	role_cache_init(a, &rc, site);
	memset(&li, 0, sizeof(li));
	li.stamp = xcalloc(site->nzones + 1, sizeof(*li.stamp));
	li.pool0 = xcalloc(site->nzones + 1, sizeof(*li.pool0));
	li.mixed = xcalloc(site->nzones + 1, sizeof(*li.mixed));

	listener_copies_init(a, site, &lc);
	default_party_zones(a, site, comp);
	for (i = 0; i < site->nflowdefs && !site->local_capped; i++) {
		const struct ir_flowdef *f = site->flowdefs[i];
		struct ep_list src, dst;

		const struct ir_party *mp = f->media_party ?
		    ir_party_find(site, f->media_party) : NULL;

		if (!conds_hold(site, f->conds, f->nconds))
			continue;
		if (f->media_party && (mp == NULL || mp->media_lo == 0))
			continue;	/* the site gives no media range (LYNC-W010) */
		rc.tmp = arena_new();
		ep_resolve(a, &rc, site, f, &f->from, &src);
		ep_resolve(a, &rc, site, f, &f->to, &dst);
		byzone = same_party_zones(rc.tmp, site, &dst, &head, &nxt);
		if (!local)
			local_index_build(rc.tmp, &li, &dst, i);
		for (s = 0; s < src.n && !site->local_capped; s++) {
			const struct ir_endpoint *se = &src.v[s];

			if (se->zone == NULL)
				continue;	/* no zone in the site to hold it */
			if (!local && local_pair(&li, se, i))
				se->zone->uses++;
			/* a party to itself: only the pairs in one zone pass
			 * party_pair_ok, so only those are tried (not N^2) */
			only = byzone && se->party == dst.v[0].party;
			if (only && !local)
				continue;	/* all of them inside one zone */
			d = !only ? 0 : head[se->zone->index];
			while (d < dst.n) {
				const struct ir_endpoint *de = &dst.v[d];

				if (!local && de->zone == se->zone) {
					d = li.skip[d];	/* inside one zone */
					continue;
				}
				if (!(se->pool && se->pool == de->pool && se->zone == de->zone) &&
				    de->zone != NULL && party_pair_ok(se, de)) {
					if (de->zone == se->zone && ++nlocal > IR_LOCAL_FLOWS_MAX) {
						site->local_capped = true;
						break;
					}
					make_flow(a, site, &lc, f, mp, se, de);
				}
				d = only ? nxt[d] : d + 1;
			}
		}
		arena_free(rc.tmp);
	}
	free(li.stamp);
	free(li.pool0);
	free(li.mixed);
}

/* ---- NAT ------------------------------------------------------------------- */

/* The same translation as an earlier one of the pool: services of one node
 * that share an address (`port access N;`) share its static NAT.  Within
 * a pool: at most 3 services x 20 nodes entries. */
static bool
nat_repeated(const struct ir_pool *p, size_t k)
{
	size_t m;

	for (m = 0; m < k; m++)
		if (addr_cmp(&p->nats[m].real, &p->nats[k].real) == 0 &&
		    addr_cmp(&p->nats[m].pub, &p->nats[k].pub) == 0)
			return true;
	return false;
}

static void
expand_nats(struct arena *a, struct ir_site *site)
{
	size_t i, k, z;

	for (i = 0; i < site->npools; i++) {
		struct ir_pool *p = site->pools[i];
		struct ir_zone *from = p->side[p->kind == POOL_EDGE || p->kind == POOL_RPROXY ?
		    SIDE_EXT : SIDE_INT].zone;

		for (k = 0; k < p->nnats; k++) {
			struct ir_device **hops;
			int n, h;

			if (nat_repeated(p, k))
				continue;
			hops = xcalloc(site->nzones + 1, sizeof(*hops));

			/* the first firewall on the way to an external zone */
			for (z = 0; z < site->nzones; z++) {
				if (site->zones[z]->kind != ZONE_EXTERNAL)
					continue;
				n = expand_route(site, from, site->zones[z], hops, NULL);
				for (h = 0; h < n; h++)
					if (hops[h]->kind == DEV_FIREWALL) {
						*VEC_PUSH(a, hops[h]->nats, hops[h]->nnats,
						    hops[h]->capnats) = &p->nats[k];
						break;
					}
				if (n > 0)
					break;
			}
			free(hops);
		}
	}
}

/* ---- LB services ------------------------------------------------------------ */

/* The first device (in declaration order) serving each pool side, by pool
 * index and side: built once, not a scan of every `serves` per service. */
static struct ir_device **
lb_serving_index(struct arena *a, const struct ir_site *site)
{
	struct ir_device **t = arena_alloc(a, (site->npools * SIDE__N + 1) * sizeof(*t));
	size_t i, j;

	for (i = site->ndevices; i-- > 0;)	/* backwards: the first one wins */
		for (j = site->devices[i]->nserved; j-- > 0;) {
			const struct ir_served *sv = &site->devices[i]->served[j];

			if (sv->pool)
				t[sv->pool->index * SIDE__N + sv->side] = site->devices[i];
		}
	return t;
}

static struct ir_device *
lb_serving(struct ir_device *const *t, const struct ir_pool *p, enum ir_side_kind side)
{
	return t[p->index * SIDE__N + side];
}

static bool
is_web_port(uint16_t port)
{
	return port == 80 || port == 443 || port == 4443 || port == 8080;
}

static void
expand_lbsvcs(struct arena *a, struct ir_site *site, struct ir_device *const *serving)
{
	size_t i, j, v, k;
	bool any_gw = any_xmpp_gateway(site);
	struct listener_copies lc;

	listener_copies_init(a, site, &lc);
	for (i = 0; i < site->nlbdefs; i++) {
		const struct ir_lbdef *l0 = site->lbdefs[i];
		const struct role_info *vr = &roles[l0->vip];

		if (!conds_hold(site, l0->conds, l0->nconds))
			continue;
		for (j = 0; j < site->npools; j++) {
			struct ir_pool *p = site->pools[j];
			const struct ir_addrset *vips;
			struct ir_addrset mem;
			const struct ir_lbdef *l = l0;
			uint16_t lport = listener_port(p, l0->listener);
			uint16_t mport = listener_port(p, l0->monitor_listener);

			if (!pool_has_role(any_gw, p, l0->vip, l0->conds, l0->nconds))
				continue;
			if (lport && lb_port_taken(site, l0, lport))
				continue;	/* that service listens there */
			if (lport || mport)
				l = listener_lbdef(a, site, &lc, l0, p,
				    lport ? l0->listener : l0->monitor_listener);
			vips = &p->side[vr->side].vip[vr->svc];
			memset(&mem, 0, sizeof(mem));
			for (v = 0; v < vips->n; v++) {
				struct ir_lbsvc *s = arena_alloc(a, sizeof(*s));
				enum ir_svc msvc = roles[l->members].svc;
				unsigned nd;

				s->def = l;
				s->id = l->id;
				s->pool = p;
				s->side = vr->side;
				s->vip = vips->v[v];
				s->proto = l->proto;
				s->port = lport ? lport : l->port;
				s->member_port = lport ? lport : l->member_port;
				for (nd = 0, k = 0; nd < p->nnodes; nd++)
					k += p->nodes[nd].addr[msvc].n;
				if (k > (p->nnodes + 1) * 4)
					k = (p->nnodes + 1) * 4;
				s->members = arena_alloc(a, (k + 1) * sizeof(struct ir_lbmember));
				for (nd = 0; nd < p->nnodes; nd++) {
					const struct ir_addrset *as = &p->nodes[nd].addr[msvc];

					for (k = 0; k < as->n; k++)
						if (as->v[k].family == s->vip.family &&
						    s->nmembers < (p->nnodes + 1) * 4) {
							s->members[s->nmembers].addr = as->v[k];
							s->members[s->nmembers++].node = nd + 1;
						}
				}
				s->persist = l->persist;
				s->persist_timeout = l->persist_timeout;
				if (p->cookie_persistence && is_web_port(l->member_port) &&
				    l->proto == PROTO_TCP) {
					s->persist = PERSIST_COOKIE;
					s->cookie_name = "MS-WSMAN";
				}
				if (s->persist == PERSIST_COOKIE && s->cookie_name == NULL)
					s->cookie_name = "MS-WSMAN";	/* a site's own service */
				switch (l->snat) {
				case SNAT_FORBIDDEN:
					s->snat = false;
					break;
				case SNAT_REQUIRED:
					s->snat = true;
					break;
				case SNAT_ALLOWED:
					s->snat = p->kind == POOL_EDGE && vr->side == SIDE_EXT ?
					    (p->snat_mask & (1u << vr->svc)) != 0 : true;
					break;
				}
				s->monitor_port = p->monitor_port ? p->monitor_port :
				    mport ? mport : l->monitor_port ? l->monitor_port :
				    s->member_port;
				s->idle_timeout = l->idle_timeout;
				s->nagle_off = l->nagle_off;
				s->transparent = !s->snat;
				s->device = lb_serving(serving, p, vr->side);
				s->index = (unsigned)site->nlbsvcs;
				*VEC_PUSH(a, site->lbsvcs, site->nlbsvcs, site->caplbsvcs) = s;
				if (s->device)
					*VEC_PUSH(a, s->device->lbsvcs, s->device->nlbsvcs,
					    s->device->caplbsvcs) = s;
			}
		}
	}
}

/*
 * An edge pool whose external side an HLB balances uses the HLB as the
 * nodes' default gateway (seed 000 HLB requirements 9): each flow the
 * nodes originate on that side passes the LB.  Flows from a VIP role are
 * translated to that VIP (the firewall permits them from the VIP only);
 * flows from the nodes' own addresses (A/V, the Access nodes' DNS and CRL)
 * keep them (seed 000 HLB requirements 2, 5, 6).
 */
static void
expand_lbfwds(struct arena *a, struct ir_site *site, struct ir_device *const *serving)
{
	size_t i;
	/* the nodes' addresses of a (pool, service), computed once and shared
	 * by every flow of it (cap == n) */
	struct ir_addrset **src = xcalloc(site->npools * SVC__N + 1, sizeof(*src));

	for (i = 0; i < site->nflows; i++) {
		struct ir_flow *fl = site->flows[i];
		struct ir_pool *p = fl->src.pool;
		const struct role_info *ri = &roles[fl->src.role];
		struct ir_lbfwd *w;
		struct ir_addrset **sp;
		unsigned n;

		if (p == NULL || p->kind != POOL_EDGE || ri->side != SIDE_EXT ||
		    !p->side[SIDE_EXT].used || p->side[SIDE_EXT].lb != LB_HLB ||
		    fl->src.zone == fl->dst.zone)
			continue;
		w = arena_alloc(a, sizeof(*w));
		w->flow = fl;
		w->pool = p;
		w->svc = ri->svc;
		sp = &src[(size_t)p->index * SVC__N + ri->svc];
		if (*sp == NULL) {
			*sp = arena_alloc(a, sizeof(**sp));
			for (n = 0; n < p->nnodes; n++)
				addrset_union(a, *sp, &p->nodes[n].addr[ri->svc]);
			addrset_sort(*sp);
			(*sp)->cap = (*sp)->n;
		}
		w->sources = **sp;
		if (ri->vip)
			w->snat_to = p->side[SIDE_EXT].vip[ri->svc];
		w->device = lb_serving(serving, p, SIDE_EXT);
		w->index = (unsigned)site->nlbfwds;
		*VEC_PUSH(a, site->lbfwds, site->nlbfwds, site->caplbfwds) = w;
		if (w->device)
			*VEC_PUSH(a, w->device->lbfwds, w->device->nlbfwds,
			    w->device->caplbfwds) = w;
	}
	free(src);
}

static void
count_zone_uses(struct ir_site *site)
{
	size_t i;

	/* (and expand_flows: the zones of the flows inside one zone it
	 * leaves out) */
	for (i = 0; i < site->nflows; i++) {
		if (site->flows[i]->src.zone)
			site->flows[i]->src.zone->uses++;
		if (site->flows[i]->dst.zone)
			site->flows[i]->dst.zone->uses++;
	}
}

void
expand_site(struct arena *a, struct ir_site *site)
{
	size_t i;
	int s, d;
	unsigned n;
	struct ir_device **serving;

	/* canonical order of every address set */
	for (i = 0; i < site->npools; i++) {
		struct ir_pool *p = site->pools[i];

		for (d = 0; d < SIDE__N; d++)
			for (s = 0; s < SVC__N; s++)
				addrset_sort(&p->side[d].vip[s]);
		for (n = 0; n < p->nnodes; n++)
			for (s = 0; s < SVC__N; s++)
				addrset_sort(&p->nodes[n].addr[s]);
	}
	for (i = 0; i < site->nparties; i++)
		addrset_sort(&site->parties[i]->addrs);
	for (i = 0; i < site->nzones; i++)
		addrset_sort(&site->zones[i]->networks);
	site->routes = route_index_build(a, site);
	expand_flows(a, site);
	attach_fwflows(a, site);
	expand_nats(a, site);
	serving = lb_serving_index(a, site);
	expand_lbsvcs(a, site, serving);
	expand_lbfwds(a, site, serving);
	count_zone_uses(site);
}
