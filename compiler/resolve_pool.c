/*
 * resolve_pool.c - pools: `KIND pool NAME < ... >`, their sides (zone, lb,
 * vip, node, addresses), node counts, NAT, and the per-kind properties
 * (snat, mediation, cms, next-hop, web-vip, monitor-port ...).
 */
#include "resolve_impl.h"
#include "addr_index.h"
#include "arena.h"

#include <string.h>

struct pool_arg {
	struct ir_pool	*pool;
	enum ir_side_kind side;
	struct ir_node	*node;		/* inside `node N < ... >` */
};

static void
addr_list(struct resolve_ctx *rc, struct ast_stmt *s, size_t from,
    struct ir_addrset *set, struct ir_pool *p, enum ir_svc svc, unsigned node)
{
	size_t i;
	struct ir_addr a, pub;

	for (i = from; i < s->nwords; i++) {
		if (strcmp(s->words[i].text, "nat") == 0 && s->words[i].kind == AST_WORD) {
			struct ir_nat *n;

			if (i + 1 >= s->nwords || i == from) {
				diag_hint(rc->dc, diag_error(rc->dc, &s->words[i].loc,
				    "'nat' needs an address before and a public address after it"),
				    "write: av 172.16.0.23 nat 203.0.113.23;");
				return;
			}
			if (!word_addr(rc, &s->words[i - 1], false, &a) ||
			    !word_addr(rc, &s->words[i + 1], false, &pub))
				return;
			if (a.family != pub.family) {
				diag_error(rc->dc, &s->words[i + 1].loc,
				    "NAT between IPv4 and IPv6 is not supported");
				return;
			}
			n = VEC_PUSH(rc->arena, p->nats, p->nnats, p->capnats);
			n->real = a;
			n->pub = pub;
			n->svc = svc;
			n->node = node;
			n->loc = s->words[i + 1].loc;
			i++;
			continue;
		}
		if (word_addr(rc, &s->words[i], false, &a)) {
			if (setaddrs_has(rc, set, &a)) {
				diag_error(rc->dc, &s->words[i].loc,
				    "address %s is given twice", s->words[i].text);
				continue;
			}
			addrset_index_add(rc->arena, &rc->setaddrs, set, &a);
		}
	}
}

/* default service of a side: edge internal, rproxy sides, other pools */
static enum ir_svc
side_default_svc(enum ir_pool_kind k, enum ir_side_kind side)
{
	if (k == POOL_EDGE)
		return side == SIDE_INT ? SVC_INTERNAL : SVC__N;
	if (k == POOL_RPROXY)
		return side == SIDE_INT ? SVC_INTERNAL : SVC_EXTERNAL;
	return SVC_PRIMARY;
}

/* `vip ADDR...;` or, on an edge external side, `vip access ADDR...;` */
static void
side_vip(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	struct ir_side *sd = &pa->pool->side[pa->side];
	enum ir_svc svc = side_default_svc(pa->pool->kind, pa->side);
	size_t from = 1;

	if (!no_block(rc, s))
		return;
	if (svc == SVC__N) {
		int k;

		if (!arity(rc, s, 3, NO_LIMIT, "vip access|webconf|av ADDRESS...;"))
			return;
		if ((k = word_enum(rc, &s->words[1], "edge service", svc_words, SVC__N)) < 0)
			return;
		svc = (enum ir_svc)k;
		from = 2;
	} else if (!arity(rc, s, 2, NO_LIMIT, "vip ADDRESS...;"))
		return;
	sd->vip_loc[svc] = span(s);
	addr_list(rc, s, from, &sd->vip[svc], pa->pool, svc, 0);
}

static struct ir_node *
node_get(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_pool *p)
{
	unsigned long n;
	struct diag *d;

	if (!word_uint(rc, &s->words[1], 1, 64, "node number", &n))
		return NULL;
	if (p->nnodes == 0 && p->nnodes_loc.src != NULL)
		return NULL;	/* the bad (or misspelt) `nodes` was reported */
	if (p->nnodes == 0 || n > p->nnodes) {
		d = diag_error(rc->dc, &s->words[1].loc, "node %lu, but %s pool '%s' has "
		    "%u node%s", n, ir_pool_kind_name[p->kind], p->name, p->nnodes,
		    p->nnodes == 1 ? "" : "s");
		if (p->nnodes_loc.src)
			diag_note(rc->dc, d, &p->nnodes_loc, "node count set here");
		else
			diag_hint(rc->dc, d, "say 'nodes N;' before the nodes");
		return NULL;
	}
	return &p->nodes[n - 1];
}

static void node_svc(struct resolve_ctx *, struct ast_stmt *, void *);

static const struct kw edge_node_kw[] = {
	{ "access", node_svc },
	{ "webconf", node_svc },
	{ "av", node_svc },
	{ NULL, NULL },
};

static void
node_svc(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	int k;

	if (!arity(rc, s, 2, NO_LIMIT, "access|webconf|av ADDRESS [nat PUBLIC]...;") ||
	    !no_block(rc, s))
		return;
	k = word_enum(rc, &s->words[0], "edge service", svc_words, SVC__N);
	if (k < 0)
		return;
	addr_list(rc, s, 1, &pa->node->addr[k], pa->pool, (enum ir_svc)k,
	    pa->node->index);
	if (pa->node->loc.src == NULL)
		pa->node->loc = s->loc;
}

/* `node N ADDR...;` or, on an edge external side, `node N < access A; ... >` */
static void
side_node(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	enum ir_svc svc = side_default_svc(pa->pool->kind, pa->side);
	struct ir_node *n;

	if (svc == SVC__N) {
		struct pool_arg sub = *pa;

		if (!arity(rc, s, 2, 2, "node N < access A; webconf A; av A; >") ||
		    !want_block(rc, s, "node N < access A; webconf A; av A; >"))
			return;
		if ((n = node_get(rc, s, pa->pool)) == NULL)
			return;
		n->loc = span(s);
		sub.node = n;
		dispatch_block(rc, s, edge_node_kw, "edge node property", &sub);
		return;
	}
	if (!arity(rc, s, 3, NO_LIMIT, "node N ADDRESS [nat PUBLIC]...;") || !no_block(rc, s))
		return;
	if ((n = node_get(rc, s, pa->pool)) == NULL)
		return;
	n->loc = span(s);
	addr_list(rc, s, 2, &n->addr[svc], pa->pool, svc, n->index);
}

static void
side_zone(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;

	if (arity(rc, s, 2, 2, "zone NAME;") && no_block(rc, s))
		zone_ref(rc, &s->words[1], &pa->pool->side[pa->side].zone);
}

static void
side_lb(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	int k;

	if (!arity(rc, s, 2, 2, "lb hlb|dns;") || !no_block(rc, s))
		return;
	/* a mode was written: even a misspelt one (reported here) counts, so
	 * the "no load-balancing mode" check says nothing more */
	pa->pool->side[pa->side].lb_loc = span(s);
	if ((k = word_enum(rc, &s->words[1], "load-balancing mode", lb_words, 3)) < 0)
		return;
	pa->pool->side[pa->side].lb = (enum ir_lb)k;
}

static void
side_addresses(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	struct ir_side *sd = &pa->pool->side[pa->side];

	if (!arity(rc, s, 3, 3, "addresses from PREFIX;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[1].text, "from") != 0) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
		    "expected 'from', not '%s'", s->words[1].text),
		    "usage: addresses from 203.0.113.16/28;");
		return;
	}
	if (!word_addr(rc, &s->words[2], true, &sd->block))
		return;
	sd->allocated = true;
	sd->block_loc = s->words[2].loc;
}

/*
 * `port access|webconf|av N;` on an edge pool's external side: the port
 * that service listens on for clients (Topology Builder's port fields;
 * default TCP 443).  One public address for several services needs a
 * distinct port for each [SFB-EDGEENV]; check_addr.c judges the result.
 */
static void
side_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	struct ir_pool *p = pa->pool;
	unsigned long v;
	int k;

	if (!arity(rc, s, 3, 3, "port access|webconf|av PORT;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_EDGE || pa->side != SIDE_EXT) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "'port' sets an edge "
		    "service's listener port; it belongs in an edge pool's 'external' "
		    "block"), "write: external < port access 5061; port webconf 444; "
		    "port av 443; >");
		return;
	}
	if ((k = word_enum(rc, &s->words[1], "edge service", svc_words, SVC__N)) < 0 ||
	    !word_uint(rc, &s->words[2], 1, 65535, "port", &v))
		return;
	if (p->ext_port[k]) {
		struct diag *d = diag_error(rc->dc, &s->loc, "port of the %s service "
		    "given twice", ir_svc_name[k]);

		diag_note(rc->dc, d, &p->ext_port_loc[k], "first given here");
		return;
	}
	p->ext_port[k] = (uint16_t)v;
	p->ext_port_loc[k] = span(s);
}

static const struct kw side_kw[] = {
	{ "port", side_port },
	{ "zone", side_zone },
	{ "lb", side_lb },
	{ "vip", side_vip },
	{ "node", side_node },
	{ "addresses", side_addresses },
	{ NULL, NULL },
};

static void
pool_side(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg, sub = *pa;

	if (!arity(rc, s, 1, 1, "external < ... >") ||
	    !want_block(rc, s, "external < zone NAME; ... >"))
		return;
	sub.side = strcmp(s->words[0].text, "external") == 0 ? SIDE_EXT : SIDE_INT;
	if (pa->pool->kind != POOL_EDGE && pa->pool->kind != POOL_RPROXY) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "%s pools have one side; "
		    "'%s' is only for edge and reverse-proxy pools",
		    ir_pool_kind_name[pa->pool->kind], s->words[0].text),
		    "put zone, lb, vip and node statements directly in the pool");
		return;
	}
	pa->pool->side[sub.side].used = true;
	pa->pool->side[sub.side].loc = s->loc;
	dispatch_block(rc, s, side_kw, "side property", &sub);
}

static void
pool_nodes(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	struct ir_pool *p = pa->pool;
	unsigned long n;
	unsigned i;

	if (p->nnodes) {
		struct diag *d = diag_error(rc->dc, &s->loc, "node count given twice");

		diag_note(rc->dc, d, &p->nnodes_loc, "first given here");
		return;
	}
	p->nnodes_loc = span(s);	/* seen, even if wrong: no "no node count" */
	if (!arity(rc, s, 2, 2, "nodes N;") || !no_block(rc, s))
		return;
	if (!word_uint(rc, &s->words[1], 1, 20, "node count", &n))
		return;
	p->nnodes = (unsigned)n;
	p->nnodes_loc = span(s);
	p->nodes = arena_alloc(rc->arena, n * sizeof(struct ir_node));
	for (i = 0; i < n; i++)
		p->nodes[i].index = i + 1;
}

static void
pool_lb(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg, sub = *pa;

	side_lb(rc, s, arg);
	if (pa->pool->kind == POOL_EDGE || pa->pool->kind == POOL_RPROXY) {
		sub.side = SIDE_EXT;
		side_lb(rc, s, &sub);	/* both sides; errors are reported once */
		if (rc->dc->n && rc->dc->v[rc->dc->n - 1].loc.line == s->loc.line &&
		    rc->dc->v[rc->dc->n - 1].loc.src == s->loc.src &&
		    rc->dc->n >= 2 && rc->dc->v[rc->dc->n - 2].loc.line == s->loc.line &&
		    rc->dc->v[rc->dc->n - 2].loc.src == s->loc.src &&
		    strcmp(rc->dc->v[rc->dc->n - 1].msg, rc->dc->v[rc->dc->n - 2].msg) == 0) {
			rc->dc->n--;
			rc->dc->errors--;
		}
	}
}

static void
pool_in_side(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;

	if (pa->pool->kind == POOL_EDGE || pa->pool->kind == POOL_RPROXY) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "'%s' belongs in the "
		    "pool's 'external' or 'internal' block", s->words[0].text),
		    "write: external < %s ...; >", s->words[0].text);
		return;
	}
	dispatch(rc, s, side_kw, "pool property", arg);
}

static void
pool_snat(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	size_t i;
	int k;

	if (!arity(rc, s, 2, 4, "snat access webconf;  or  snat none;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_EDGE) {
		diag_error(rc->dc, &s->loc, "'snat' is set per edge service; "
		    "other pools are source-NATed by their load balancer as needed");
		return;
	}
	p->snat_set = true;
	p->snat_loc = span(s);
	p->snat_mask = 0;
	if (s->nwords == 2 && strcmp(s->words[1].text, "none") == 0)
		return;
	for (i = 1; i < s->nwords; i++) {
		if ((k = word_enum(rc, &s->words[i], "edge service", svc_words, SVC__N)) < 0)
			continue;
		p->snat_mask |= 1u << k;
	}
}

static void
pool_mediation(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	static const char *const w[] = { "collocated", "standalone" };
	int k;

	if (!arity(rc, s, 2, 2, "mediation collocated;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_FRONTEND) {
		diag_error(rc->dc, &s->loc, "only a front-end pool can have a collocated "
		    "mediation server");
		return;
	}
	if ((k = word_enum(rc, &s->words[1], "mediation placement", w, 2)) < 0)
		return;
	p->mediation_collocated = k == 0;
	p->mediation_loc = span(s);
}

static void
pool_flag(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	const char *w = s->words[0].text;
	bool on = true;

	if (!arity(rc, s, 1, 2, "cms;  xmpp-gateway;  cookie-persistence on;") ||
	    !no_block(rc, s))
		return;
	if (s->nwords == 2 && !word_onoff(rc, &s->words[1], &on))
		return;
	if (p->kind != POOL_FRONTEND && !(strcmp(w, "cookie-persistence") == 0 &&
	    p->kind == POOL_DIRECTOR)) {
		diag_error(rc->dc, &s->loc, "'%s' applies to front-end pools only", w);
		return;
	}
	if (strcmp(w, "cms") == 0)
		p->cms = on;
	else if (strcmp(w, "xmpp-gateway") == 0)
		p->xmpp_gateway = on;
	else {
		p->cookie_persistence = on;
		p->cookie_loc = s->loc;
	}
}

static void
pool_next_hop(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	struct resolve_refs *x;
	struct poolref *r;

	if (!arity(rc, s, 2, 2, "next-hop FRONTEND-POOL;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_MEDIATION) {
		diag_error(rc->dc, &s->loc, "'next-hop' applies to mediation pools only");
		return;
	}
	x = resolve_refs(rc);
	r = VEC_PUSH(resolve_scratch(rc), x->prefs, x->nprefs, x->capprefs);
	r->slot = &p->next_hop;
	r->w = &s->words[1];
	r->kind = POOL_FRONTEND;
}

static void
pool_description(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;

	if (arity(rc, s, 2, 2, "description \"TEXT\";") && no_block(rc, s))
		p->description = text_of(rc, &s->words[1]);
}

/* `web-vip ADDR...;`: the external web services VIP of a front-end or
 * director pool, which the reverse proxy reaches (443 -> 4443, 80 -> 8080) */
static void
pool_web_vip(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	struct ir_side *sd = &p->side[SIDE_INT];

	if (!arity(rc, s, 2, NO_LIMIT, "web-vip ADDRESS...;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_FRONTEND && p->kind != POOL_DIRECTOR) {
		diag_error(rc->dc, &s->loc, "'web-vip' applies to front-end and "
		    "director pools only");
		return;
	}
	sd->vip_loc[SVC_WEBEXT] = span(s);
	addr_list(rc, s, 1, &sd->vip[SVC_WEBEXT], p, SVC_WEBEXT, 0);
}

/* `monitor-port N;`: the HLB health monitor port (Topology Builder's
 * "hardware load balancer monitoring port"; default TCP 5061) */
static void
pool_monitor_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "monitor-port PORT;") || !no_block(rc, s))
		return;
	if (word_uint(rc, &s->words[1], 1, 65535, "port", &v)) {
		p->monitor_port = (uint16_t)v;
		p->monitor_loc = span(s);
	}
}

static const struct kw pool_kw[] = {
	{ "web-vip", pool_web_vip },
	{ "monitor-port", pool_monitor_port },
	{ "nodes", pool_nodes },
	{ "lb", pool_lb },
	{ "zone", pool_in_side },
	{ "vip", pool_in_side },
	{ "node", pool_in_side },
	{ "addresses", pool_in_side },
	{ "port", pool_in_side },
	{ "external", pool_side },
	{ "internal", pool_side },
	{ "snat", pool_snat },
	{ "mediation", pool_mediation },
	{ "cms", pool_flag },
	{ "xmpp-gateway", pool_flag },
	{ "cookie-persistence", pool_flag },
	{ "next-hop", pool_next_hop },
	{ "description", pool_description },
	{ NULL, NULL },
};

void
st_pool(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p;
	struct pool_arg pa;
	int k;
	size_t i;

	(void)arg;
	name_declared(rc, s, 2);
	if (!arity(rc, s, 3, 3, "KIND pool NAME < ... >"))
		return;
	if ((k = word_enum(rc, &s->words[0], "pool kind", pool_kind_words, POOL__N)) < 0)
		return;
	if (strcmp(s->words[1].text, "pool") != 0) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
		    "expected 'pool' after '%s'", s->words[0].text),
		    "usage: %s pool NAME < nodes N; ... >", s->words[0].text);
		return;
	}
	if (!want_block(rc, s, "KIND pool NAME < nodes N; ... >"))
		return;
	if (!check_name(rc, &s->words[2], "pool") || !name_free(rc, &s->words[2], "pool"))
		return;
	if (side_suffix(s->words[2].text) != NULL) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[2].loc, "pool name '%s' "
		    "ends in '%s', which 'serves' reads as a side of pool '%.*s'",
		    s->words[2].text, side_suffix(s->words[2].text),
		    (int)(side_suffix(s->words[2].text) - s->words[2].text),
		    s->words[2].text), "rename the pool, e.g. with '-' for '.'");
		return;
	}
	p = arena_alloc(rc->arena, sizeof(*p));
	p->name = s->words[2].text;
	p->kind = (enum ir_pool_kind)k;
	p->loc = s->words[2].loc;
	p->index = (unsigned)rc->site->npools;
	*VEC_PUSH(rc->arena, rc->site->pools, rc->site->npools, rc->site->cappools) = p;
	pa.pool = p;
	pa.side = SIDE_INT;
	pa.node = NULL;
	/* `nodes` first, so that node statements can be checked against it */
	for (i = 0; i < s->nkids; i++)
		if (s->kids[i] && s->kids[i]->nwords &&
		    strcmp(s->kids[i]->words[0].text, "nodes") == 0)
			pool_nodes(rc, s->kids[i], &pa);
	/* a misspelt `nodes` ("nodez 2;") is one error, reported by dispatch
	 * below: the node statements and the missing count say nothing more */
	for (i = 0; i < s->nkids && p->nnodes_loc.src == NULL; i++)
		if (s->kids[i] && s->kids[i]->nwords &&
		    !kw_known(pool_kw, s->kids[i]->words[0].text) &&
		    diag_distance(s->kids[i]->words[0].text, "nodes") <= 2)
			p->nnodes_loc = span(s->kids[i]);
	for (i = 0; i < s->nkids; i++)
		if (s->kids[i] && s->kids[i]->nwords &&
		    strcmp(s->kids[i]->words[0].text, "nodes") != 0)
			dispatch(rc, s->kids[i], pool_kw, "pool property", &pa);
	if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY)
		p->side[SIDE_INT].used = true;
}
