/*
 * ir_json.c - the IR as JSON (`lyncc ir SITE`).  The schema is in
 * docs/ir-schema.md.  Keys are written in a fixed order, two-space
 * indentation, one value per line, so that diffs stay readable.
 */
#include "ir_json.h"
#include "arena.h"
#include "expand.h"
#include "strbuf.h"

#include <string.h>

struct jw {
	struct strbuf	*b;
	int		 depth;
	bool		 first;
};

static void
jw_nl(struct jw *w)
{
	int i;

	sb_putc(w->b, '\n');
	for (i = 0; i < w->depth; i++)
		sb_puts(w->b, "  ");
}

static void
jw_key(struct jw *w, const char *k)
{
	if (!w->first)
		sb_putc(w->b, ',');
	w->first = false;
	jw_nl(w);
	if (k) {
		sb_json_str(w->b, k);
		sb_puts(w->b, ": ");
	}
}

static void
jw_open(struct jw *w, const char *k, char c)
{
	jw_key(w, k);
	sb_putc(w->b, c);
	w->depth++;
	w->first = true;
}

static void
jw_close(struct jw *w, char c)
{
	bool empty = w->first;

	w->depth--;
	if (!empty)
		jw_nl(w);
	sb_putc(w->b, c);
	w->first = false;
}

static void
jw_str(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	if (v)
		sb_json_str(w->b, v);
	else
		sb_puts(w->b, "null");
}

static void
jw_num(struct jw *w, const char *k, unsigned long v)
{
	jw_key(w, k);
	sb_printf(w->b, "%lu", v);
}

static void
jw_bool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	sb_puts(w->b, v ? "true" : "false");
}

static void
jw_loc(struct jw *w, const char *k, const struct srcloc *l)
{
	struct strbuf t;

	if (l->src == NULL) {
		jw_str(w, k, NULL);
		return;
	}
	sb_init(&t);
	sb_printf(&t, "%s:%u:%u", l->src->name, l->line, l->col);
	jw_str(w, k, t.s);
	sb_free(&t);
}

static void
jw_addrset(struct jw *w, const char *k, const struct ir_addrset *s)
{
	size_t i;
	char buf[ADDR_STRLEN];

	if (s->any) {
		jw_str(w, k, "any");
		return;
	}
	jw_key(w, k);
	sb_putc(w->b, '[');
	for (i = 0; i < s->n; i++) {
		if (i)
			sb_puts(w->b, ", ");
		sb_json_str(w->b, addr_format(&s->v[i], buf, sizeof(buf)));
	}
	sb_putc(w->b, ']');
}

static void
jw_cites(struct jw *w, struct arena *a, const struct ir_cite *c, size_t n)
{
	size_t i;

	jw_open(w, "citations", '[');
	for (i = 0; i < n; i++)
		jw_str(w, NULL, ir_cite_format(a, &c[i]));
	jw_close(w, ']');
}

static void
jw_conds(struct jw *w, const struct ir_cond *c, size_t n)
{
	size_t i;
	struct strbuf t;

	jw_open(w, "when", '[');
	for (i = 0; i < n; i++) {
		sb_init(&t);
		switch (c[i].kind) {
		case COND_FEATURE:	sb_printf(&t, "feature %s", c[i].feature); break;
		case COND_NO_FEATURE:	sb_printf(&t, "no-feature %s", c[i].feature); break;
		case COND_LB:		sb_printf(&t, "lb %s %s",
					    ir_pool_kind_name[c[i].pool_kind], ir_lb_name[c[i].lb]);
					break;
		case COND_MEDIATION:	sb_printf(&t, "mediation %s",
					    c[i].collocated ? "collocated" : "standalone");
					break;
		}
		jw_str(w, NULL, t.s);
		sb_free(&t);
	}
	jw_close(w, ']');
}

static void
jw_endpoint(struct jw *w, const char *k, const struct ir_endpoint *e)
{
	jw_open(w, k, '{');
	jw_str(w, "label", e->label);
	jw_str(w, "role", e->role ? ir_role_name[e->role] : NULL);
	jw_str(w, "party", e->party ? e->party->name : NULL);
	jw_str(w, "pool", e->pool ? e->pool->name : NULL);
	jw_str(w, "zone", e->zone ? e->zone->name : NULL);
	jw_bool(w, "narrowed", e->narrowed);
	jw_addrset(w, "addresses", &e->addrs);
	jw_close(w, '}');
}

void
ir_json_flow(struct arena *a, struct strbuf *b, const struct ir_flow *f, int depth)
{
	struct jw w = { b, depth, true };
	size_t i;

	w.first = true;
	sb_putc(b, '{');
	w.depth++;
	jw_str(&w, "id", f->id);
	jw_str(&w, "protocol", ir_proto_name(f->proto));
	jw_num(&w, "port_low", f->port_lo);
	jw_num(&w, "port_high", f->port_hi);
	jw_num(&w, "source_port_low", f->sport_lo);
	jw_num(&w, "source_port_high", f->sport_hi);
	jw_endpoint(&w, "source", &f->src);
	jw_endpoint(&w, "destination", &f->dst);
	jw_open(&w, "path", '[');
	for (i = 0; i < f->npath; i++)
		jw_str(&w, NULL, f->path[i]->name);
	jw_close(&w, ']');
	jw_bool(&w, "unreachable", f->unreachable);
	jw_conds(&w, f->def->conds, f->def->nconds);
	jw_str(&w, "note", f->def->note);
	jw_str(&w, "differs", f->def->differs);
	jw_cites(&w, a, f->def->cites, f->def->ncites);
	jw_loc(&w, "defined_at", &f->def->loc);
	jw_close(&w, '}');
}

/* edge: "ports": each external service's listener port (`port SVC N;`,
 * default 443) */
static void
jw_edge_ports(struct jw *w, const struct ir_pool *p)
{
	int s;

	jw_open(w, "ports", '{');
	for (s = SVC_ACCESS; s <= SVC_AV; s++)
		jw_num(w, ir_svc_name[s], p->ext_port[s] ? p->ext_port[s] : 443);
	jw_close(w, '}');
}

void
ir_json_site(struct arena *a, struct strbuf *b, const struct ir_site *site)
{
	struct jw w = { b, 0, true };
	size_t i, j;
	unsigned n;
	int d, s;
	char buf[ADDR_STRLEN];

	sb_putc(b, '{');
	w.depth = 1;
	jw_str(&w, "schema", "lyncc-ir/1");
	jw_str(&w, "site", site->name);
	jw_str(&w, "domain", site->domain);
	jw_bool(&w, "narrow_any", site->narrow_any);

	jw_open(&w, "features", '[');
	for (i = 0; i < site->nfeatures; i++)
		if (site->features[i]->on)
			jw_str(&w, NULL, site->features[i]->name);
	jw_close(&w, ']');

	jw_open(&w, "zones", '[');
	for (i = 0; i < site->nzones; i++) {
		const struct ir_zone *z = site->zones[i];
		static const char *const kn[] = { "external", "perimeter", "internal" };

		jw_open(&w, NULL, '{');
		jw_str(&w, "name", z->name);
		jw_str(&w, "kind", kn[z->kind]);
		jw_addrset(&w, "networks", &z->networks);
		jw_str(&w, "description", z->description);
		jw_loc(&w, "defined_at", &z->loc);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_open(&w, "pools", '[');
	for (i = 0; i < site->npools; i++) {
		const struct ir_pool *p = site->pools[i];

		jw_open(&w, NULL, '{');
		jw_str(&w, "name", p->name);
		jw_str(&w, "kind", ir_pool_kind_name[p->kind]);
		jw_num(&w, "nodes", p->nnodes);
		if (p->kind == POOL_FRONTEND) {
			jw_bool(&w, "mediation_collocated", p->mediation_collocated);
			jw_bool(&w, "cms", p->cms);
			jw_bool(&w, "xmpp_gateway", p->xmpp_gateway);
			jw_bool(&w, "cookie_persistence", p->cookie_persistence);
		}
		jw_num(&w, "monitor_port", p->monitor_port);
		if (p->kind == POOL_MEDIATION)
			jw_str(&w, "next_hop", p->next_hop ? p->next_hop->name : NULL);
		if (p->kind == POOL_EDGE) {
			jw_open(&w, "snat", '[');
			for (s = 0; s < SVC__N; s++)
				if (p->snat_mask & (1u << s))
					jw_str(&w, NULL, ir_svc_name[s]);
			jw_close(&w, ']');
			jw_edge_ports(&w, p);
		}
		jw_open(&w, "sides", '[');
		for (d = 0; d < SIDE__N; d++) {
			const struct ir_side *sd = &p->side[d];

			if (!sd->used)
				continue;
			jw_open(&w, NULL, '{');
			jw_str(&w, "side", ir_side_name[d]);
			jw_str(&w, "zone", sd->zone ? sd->zone->name : NULL);
			jw_str(&w, "lb", ir_lb_name[sd->lb]);
			jw_open(&w, "vips", '{');
			for (s = 0; s < SVC__N; s++)
				if (sd->vip[s].n)
					jw_addrset(&w, ir_svc_name[s], &sd->vip[s]);
			jw_close(&w, '}');
			if (sd->allocated)
				jw_str(&w, "allocated_from", addr_format(&sd->block, buf,
				    sizeof(buf)));
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
		jw_open(&w, "node_addresses", '[');
		for (n = 0; n < p->nnodes; n++) {
			jw_open(&w, NULL, '{');
			jw_num(&w, "node", n + 1);
			for (s = 0; s < SVC__N; s++)
				if (p->nodes[n].addr[s].n)
					jw_addrset(&w, ir_svc_name[s], &p->nodes[n].addr[s]);
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
		jw_open(&w, "nat", '[');
		for (j = 0; j < p->nnats; j++) {
			jw_open(&w, NULL, '{');
			jw_num(&w, "node", p->nats[j].node);
			jw_str(&w, "service", ir_svc_name[p->nats[j].svc]);
			jw_str(&w, "real", addr_format(&p->nats[j].real, buf, sizeof(buf)));
			jw_str(&w, "public", addr_format(&p->nats[j].pub, buf, sizeof(buf)));
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
		jw_str(&w, "description", p->description);
		jw_loc(&w, "defined_at", &p->loc);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_open(&w, "parties", '[');
	for (i = 0; i < site->nparties; i++) {
		const struct ir_party *y = site->parties[i];

		jw_open(&w, NULL, '{');
		jw_str(&w, "name", y->name);
		jw_str(&w, "zone", y->zone ? y->zone->name : NULL);
		jw_open(&w, "zones", '[');
		for (j = 0; j < y->nzones; j++)
			jw_str(&w, NULL, y->zones[j]->name);
		jw_close(&w, ']');
		jw_addrset(&w, "addresses", &y->addrs);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_open(&w, "devices", '[');
	for (i = 0; i < site->ndevices; i++) {
		const struct ir_device *v = site->devices[i];

		jw_open(&w, NULL, '{');
		jw_str(&w, "name", v->name);
		jw_str(&w, "kind", ir_device_kind_name[v->kind]);
		jw_str(&w, "description", v->description);
		if (v->kind != DEV_LB) {
			jw_open(&w, "interfaces", '[');
			for (j = 0; j < v->nifaces; j++) {
				jw_open(&w, NULL, '{');
				jw_str(&w, "zone", v->ifaces[j].zone ? v->ifaces[j].zone->name :
				    NULL);
				jw_str(&w, "ifname", v->ifaces[j].ifname);
				jw_str(&w, "nft_ifname", v->ifaces[j].nft_ifname);
				if (v->ifaces[j].level >= 0)
					jw_num(&w, "level", (unsigned long)v->ifaces[j].level);
				else
					jw_str(&w, "level", NULL);
				jw_close(&w, '}');
			}
			jw_close(&w, ']');
		} else {
			jw_open(&w, "serves", '[');
			for (j = 0; j < v->nserved; j++) {
				if (v->served[j].pool == NULL)
					continue;
				jw_str(&w, NULL, arena_printf(a, "%s.%s", v->served[j].pool->name,
				    ir_side_name[v->served[j].side]));
			}
			jw_close(&w, ']');
		}
		if (v->kind == DEV_FIREWALL) {
			jw_open(&w, "flows", '[');
			expand_device_flows(site);	/* every flow */
			for (j = 0; j < v->nflows; j++)
				jw_str(&w, NULL, arena_printf(a, "%s %s->%s", v->flows[j].flow->id,
				    v->flows[j].from->name, v->flows[j].to->name));
			jw_close(&w, ']');
			jw_open(&w, "static_nat", '[');
			for (j = 0; j < v->nnats; j++) {
				char b2[ADDR_STRLEN];

				jw_str(&w, NULL, arena_printf(a, "%s -> %s",
				    addr_format(&v->nats[j]->real, buf, sizeof(buf)),
				    addr_format(&v->nats[j]->pub, b2, sizeof(b2))));
			}
			jw_close(&w, ']');
		}
		jw_loc(&w, "defined_at", &v->loc);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_open(&w, "flows", '[');
	for (i = 0; i < site->nflows; i++) {
		jw_key(&w, NULL);
		ir_json_flow(a, b, site->flows[i], w.depth);
	}
	jw_close(&w, ']');

	jw_open(&w, "lb_services", '[');
	for (i = 0; i < site->nlbsvcs; i++) {
		const struct ir_lbsvc *l = site->lbsvcs[i];

		jw_open(&w, NULL, '{');
		jw_str(&w, "id", l->id);
		jw_str(&w, "pool", l->pool->name);
		jw_str(&w, "side", ir_side_name[l->side]);
		jw_str(&w, "vip", addr_format(&l->vip, buf, sizeof(buf)));
		jw_str(&w, "protocol", ir_proto_name(l->proto));
		jw_num(&w, "port", l->port);
		jw_num(&w, "member_port", l->member_port);
		jw_open(&w, "members", '[');
		for (j = 0; j < l->nmembers; j++)
			jw_str(&w, NULL, arena_printf(a, "%u:%s", l->members[j].node,
			    addr_format(&l->members[j].addr, buf, sizeof(buf))));
		jw_close(&w, ']');
		jw_str(&w, "persistence", ir_persist_name[l->persist]);
		jw_num(&w, "persistence_timeout", l->persist_timeout);
		jw_str(&w, "cookie", l->cookie_name);
		jw_bool(&w, "snat", l->snat);
		jw_bool(&w, "transparent", l->transparent);
		jw_num(&w, "monitor_tcp_port", l->monitor_port);
		jw_num(&w, "idle_timeout", l->idle_timeout);
		jw_bool(&w, "nagle", !l->nagle_off);
		jw_str(&w, "balance", "leastconn");
		jw_str(&w, "device", l->device ? l->device->name : NULL);
		jw_cites(&w, a, l->def->cites, l->def->ncites);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_open(&w, "lb_forwards", '[');
	for (i = 0; i < site->nlbfwds; i++) {
		const struct ir_lbfwd *f = site->lbfwds[i];

		jw_open(&w, NULL, '{');
		jw_str(&w, "flow", f->flow->id);
		jw_str(&w, "protocol", ir_proto_name(f->flow->proto));
		jw_num(&w, "port_low", f->flow->port_lo);
		jw_num(&w, "port_high", f->flow->port_hi);
		jw_num(&w, "source_port_low", f->flow->sport_lo);
		jw_num(&w, "source_port_high", f->flow->sport_hi);
		jw_str(&w, "pool", f->pool->name);
		jw_str(&w, "service", ir_svc_name[f->svc]);
		jw_addrset(&w, "sources", &f->sources);
		jw_addrset(&w, "snat_to", &f->snat_to);
		jw_str(&w, "destination_zone", f->flow->dst.zone->name);
		jw_str(&w, "device", f->device ? f->device->name : NULL);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	sb_putc(b, '\n');
}
