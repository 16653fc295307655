/*
 * dot.c - `lyncc flows SITE --format dot`: a Graphviz picture of the site,
 * in the manner of the TechNet figures.
 *
 *   - a cluster per zone (colored by kind) holding a note with the zone's
 *     networks, one box per pool side (name, VIPs, node addresses) and one
 *     ellipse per party that a flow uses;
 *   - firewalls and routers between the clusters, tied to each zone they
 *     have a leg in by a dashed line;
 *   - load balancers, tied to the pool sides they serve by a dotted edge
 *     labeled with the load-balanced ports;
 *   - one edge chain per (source, destination, path): source -> each device
 *     on the path -> destination, the first segment labeled with the
 *     protocols and ports of every flow it stands for ("tcp 443, 5061").
 *
 * Everything is written in IR order, so the output is stable.  Render with
 * `dot -Tsvg`.
 */
#include "cli.h"
#include "lyncc.h"
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const zone_color[] = { "#fde2de", "#fff2cc", "#e2f0d9" };
static const char *const zone_kind[] = { "external", "perimeter", "internal" };

/* A DOT string literal (quotes added); "\n" in s is kept as a line break. */
static void
dot_str(struct strbuf *b, const char *s)
{
	sb_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_puts(b, "\\\"");
		else if (*s == '\n')
			sb_puts(b, "\\n");
		else if (*s == '\\')
			sb_puts(b, "\\\\");
		else
			sb_putc(b, *s);
	}
	sb_putc(b, '"');
}

/* The node that stands for an endpoint: a pool side or a party. */
static const char *
ep_node(struct arena *a, const struct ir_endpoint *e)
{
	enum ir_side_kind side = SIDE_INT;

	if (e->pool) {
		if (e->role != ROLE_MEDIATION)
			expand_role_svc(e->role, &side);
		return arena_printf(a, "pool:%s.%s", e->pool->name, ir_side_name[side]);
	}
	if (e->party)	/* one node per zone the party covers */
		return arena_printf(a, "party:%s@%s", e->party->name,
		    e->zone ? e->zone->name : "");
	return arena_printf(a, "other:%s", e->label);
}

struct portrange {
	unsigned	proto, lo, hi;
};

struct agg {				/* the flows of one edge chain */
	const char		*src, *dst;
	const struct ir_flow	*first;		/* for the path */
	struct portrange	*pp;
	size_t			 npp, cappp;
};

static bool
same_path(const struct ir_flow *x, const struct ir_flow *y)
{
	size_t i;

	if (x->npath != y->npath)
		return false;
	for (i = 0; i < x->npath; i++)
		if (x->path[i] != y->path[i])
			return false;
	return true;
}

static int
pp_cmp(const void *x, const void *y)
{
	const struct portrange *a = x, *b = y;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return 0;
}

/* "tcp 53, 80, 443\nudp 3478" */
static char *
ports_label(struct arena *a, struct agg *g)
{
	static const char *const pname[] = { "", "tcp", "udp", "tcp+udp" };
	char *t = "";
	size_t i;
	unsigned p, last_lo = 0, last_hi = 0;
	bool any;

	if (g->npp > 1)
		qsort(g->pp, g->npp, sizeof(g->pp[0]), pp_cmp);
	for (p = PROTO_TCP; p <= PROTO_TCPUDP; p++) {
		any = false;
		for (i = 0; i < g->npp; i++) {
			if (g->pp[i].proto != p)
				continue;
			if (any && g->pp[i].lo == last_lo && g->pp[i].hi == last_hi)
				continue;
			t = arena_printf(a, "%s%s%s", t, any ? ", " : (*t ? "\n" : ""),
			    any ? "" : arena_printf(a, "%s ", pname[p]));
			t = arena_printf(a, "%s%s", t, pol_ports(a, g->pp[i].lo, g->pp[i].hi));
			last_lo = g->pp[i].lo, last_hi = g->pp[i].hi;
			any = true;
		}
	}
	return t;
}

static void
pool_side_node(struct arena *a, struct strbuf *b, const struct ir_pool *p, int d)
{
	const struct ir_side *sd = &p->side[d];
	char *l;
	int sv;
	unsigned n;

	l = arena_printf(a, "%s\n%s pool%s%s, %u node%s", p->name,
	    ir_pool_kind_name[p->kind], p->kind == POOL_EDGE || p->kind == POOL_RPROXY ?
	    ", " : "", p->kind == POOL_EDGE || p->kind == POOL_RPROXY ?
	    ir_side_name[d] : "", p->nnodes, p->nnodes == 1 ? "" : "s");
	if (sd->lb != LB_NONE)
		l = arena_printf(a, "%s, %s", l, sd->lb == LB_HLB ? "HLB" : "DNS LB");
	for (sv = 0; sv < SVC__N; sv++)
		if (sd->vip[sv].n)
			l = arena_printf(a, "%s\nVIP%s%s %s", l, sv == SVC_PRIMARY ||
			    sv == SVC_INTERNAL ? "" : " ", sv == SVC_PRIMARY ||
			    sv == SVC_INTERNAL ? "" : ir_svc_name[sv],
			    pol_addrs(a, &sd->vip[sv], " "));
	for (n = 0; n < p->nnodes; n++) {
		char *t = "";

		for (sv = 0; sv < SVC__N; sv++) {
			bool this_side = d == SIDE_EXT ? (sv == SVC_ACCESS ||
			    sv == SVC_WEBCONF || sv == SVC_AV || sv == SVC_EXTERNAL) :
			    (sv == SVC_PRIMARY || sv == SVC_INTERNAL);

			if (this_side && p->nodes[n].addr[sv].n)
				t = arena_printf(a, "%s%s%s", t, *t ? " " : "",
				    pol_addrs(a, &p->nodes[n].addr[sv], " "));
		}
		if (*t)
			l = arena_printf(a, "%s\n%u: %s", l, n + 1, t);
	}
	sb_puts(b, "    ");
	dot_str(b, arena_printf(a, "pool:%s.%s", p->name, ir_side_name[d]));
	sb_puts(b, " [label=");
	dot_str(b, l);
	sb_puts(b, "];\n");
}

int
cli_dot(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	struct arena *a;
	const struct ir_site *site;
	struct strbuf b;
	struct agg *g = NULL;
	size_t ng = 0, capg = 0, i, j, k;
	bool *party_used;
	char *same;
	int rc;

	if (o->input == NULL)
		return cli_usage(o, "--format dot needs a SITE file");
	if ((u = pol_load(o, o->input, &rc)) == NULL)
		return rc;
	a = u->arena;
	site = u->site;
	/* party_used[party * nzones + zone]: a flow uses the party there */
	party_used = arena_alloc(a, (site->nparties * site->nzones + 1) * sizeof(bool));

	/* aggregate the flows into edge chains */
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];
		const char *s = ep_node(a, &f->src), *d = ep_node(a, &f->dst);
		struct agg *x = NULL;

		if (f->src.party && f->src.zone)
			party_used[f->src.party->index * site->nzones + f->src.zone->index] = true;
		if (f->dst.party && f->dst.zone)
			party_used[f->dst.party->index * site->nzones + f->dst.zone->index] = true;
		for (j = 0; j < ng; j++)
			if (strcmp(g[j].src, s) == 0 && strcmp(g[j].dst, d) == 0 &&
			    same_path(g[j].first, f))
				x = &g[j];
		if (x == NULL) {
			x = VEC_PUSH(a, g, ng, capg);
			memset(x, 0, sizeof(*x));
			x->src = s, x->dst = d, x->first = f;
		}
		{
			struct portrange *pp = VEC_PUSH(a, x->pp, x->npp, x->cappp);

			pp->proto = f->proto, pp->lo = f->port_lo, pp->hi = f->port_hi;
		}
	}

	sb_init(&b);
	if (!o->no_header) {
		const char *in = strrchr(o->input, '/');

		sb_printf(&b, "// generated by lyncc %s (stdlib %s)\n// input: %s\n",
		    LYNCC_VERSION, LYNCC_STDLIB_VERSION,
		    diag_escape(u->arena, in ? in + 1 : o->input));
		sb_puts(&b, "// render: dot -Tsvg -o site.svg\n");
	}
	sb_puts(&b, "digraph ");
	dot_str(&b, site->name ? site->name : "site");
	sb_puts(&b, " {\n");
	sb_puts(&b, "  graph [rankdir=LR, compound=true, newrank=true, nodesep=0.35, "
	    "ranksep=0.9, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=");
	dot_str(&b, arena_printf(a, "site %s%s%s: firewall flows and load balancing",
	    site->name ? site->name : "?", site->domain ? " - " : "",
	    site->domain ? site->domain : ""));
	sb_puts(&b, "];\n"
	    "  node [fontname=\"Helvetica\", fontsize=9, shape=box, style=\"rounded,filled\", "
	    "fillcolor=white];\n"
	    "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#404040\"];\n");

	/* zones, with what sits in them */
	for (i = 0; i < site->nzones; i++) {
		const struct ir_zone *z = site->zones[i];

		sb_printf(&b, "\n  subgraph \"cluster_%s\" {\n", z->name);
		sb_puts(&b, "    label=");
		dot_str(&b, arena_printf(a, "%s (%s)", z->name, zone_kind[z->kind]));
		sb_printf(&b, "; style=\"filled,rounded\"; fillcolor=\"%s\"; "
		    "color=\"#808080\";\n", zone_color[z->kind]);
		same = arena_printf(a, "\"zone:%s\"", z->name);
		sb_puts(&b, "    ");
		dot_str(&b, arena_printf(a, "zone:%s", z->name));
		sb_puts(&b, " [shape=note, style=filled, fillcolor=\"#f8f8f8\", label=");
		dot_str(&b, z->networks.n ? pol_addrs(a, &z->networks, "\n") :
		    "no networks declared");
		sb_puts(&b, "];\n");
		for (j = 0; j < site->npools; j++) {
			const struct ir_pool *p = site->pools[j];
			int d;

			for (d = 0; d < SIDE__N; d++)
				if (p->side[d].used && p->side[d].zone == z) {
					pool_side_node(a, &b, p, d);
					same = arena_printf(a, "%s \"pool:%s.%s\"", same,
					    p->name, ir_side_name[d]);
				}
		}
		for (j = 0; j < site->nparties; j++) {
			const struct ir_party *y = site->parties[j];

			if (!party_used[j * site->nzones + z->index])
				continue;
			sb_puts(&b, "    ");
			dot_str(&b, arena_printf(a, "party:%s@%s", y->name, z->name));
			sb_puts(&b, " [shape=ellipse, style=filled, fillcolor=\"#ffffff\", label=");
			dot_str(&b, arena_printf(a, "%s\n%s", y->name,
			    pol_addrs(a, &y->addrs, "\n")));
			sb_puts(&b, "];\n");
			same = arena_printf(a, "%s \"party:%s@%s\"", same, y->name, z->name);
		}
		/* a load balancer sits with the first pool side it serves */
		for (j = 0; j < site->ndevices; j++) {
			const struct ir_device *v = site->devices[j];

			if (v->kind != DEV_LB || v->nserved == 0 ||
			    v->served[0].pool->side[v->served[0].side].zone != z)
				continue;
			sb_puts(&b, "    ");
			dot_str(&b, arena_printf(a, "dev:%s", v->name));
			sb_puts(&b, " [shape=hexagon, style=filled, fillcolor=\"#9dc3e6\", label=");
			dot_str(&b, arena_printf(a, "%s\nload balancer", v->name));
			sb_puts(&b, "];\n");
			same = arena_printf(a, "%s \"dev:%s\"", same, v->name);
		}
		/* one column per zone */
		sb_printf(&b, "    { rank=same; %s }\n", same);
		sb_puts(&b, "  }\n");
	}

	/* devices */
	sb_puts(&b, "\n");
	for (i = 0; i < site->ndevices; i++) {
		const struct ir_device *v = site->devices[i];

		if (v->kind == DEV_LB && v->nserved)
			goto legs;	/* drawn in its zone */
		sb_puts(&b, "  ");
		dot_str(&b, arena_printf(a, "dev:%s", v->name));
		if (v->kind == DEV_FIREWALL)
			sb_puts(&b, " [shape=box3d, style=filled, fillcolor=\"#f4b183\", label=");
		else if (v->kind == DEV_ROUTER)
			sb_puts(&b, " [shape=circle, style=filled, fillcolor=\"#d9d9d9\", label=");
		else
			sb_puts(&b, " [shape=hexagon, style=filled, fillcolor=\"#9dc3e6\", label=");
		dot_str(&b, arena_printf(a, "%s\n%s", v->name, v->kind == DEV_LB ?
		    "load balancer" : ir_device_kind_name[v->kind]));
		sb_puts(&b, "];\n");
legs:
		for (j = 0; j < v->nifaces; j++) {
			if (v->ifaces[j].zone == NULL)
				continue;
			/* the first leg comes into the device, the others go out,
			 * so that the zones line up on either side of it */
			sb_puts(&b, "  ");
			if (j == 0) {
				dot_str(&b, arena_printf(a, "zone:%s",
				    v->ifaces[j].zone->name));
				sb_puts(&b, " -> ");
				dot_str(&b, arena_printf(a, "dev:%s", v->name));
				sb_puts(&b, " [ltail=");
			} else {
				dot_str(&b, arena_printf(a, "dev:%s", v->name));
				sb_puts(&b, " -> ");
				dot_str(&b, arena_printf(a, "zone:%s",
				    v->ifaces[j].zone->name));
				sb_puts(&b, " [lhead=");
			}
			dot_str(&b, arena_printf(a, "cluster_%s", v->ifaces[j].zone->name));
			sb_puts(&b, ", dir=none, style=dashed, color=\"#808080\"");
			if (v->ifaces[j].ifname)
				sb_printf(&b, ", taillabel=\"%s\"", v->ifaces[j].ifname);
			sb_puts(&b, "];\n");
		}
		for (j = 0; j < v->nserved; j++) {
			const struct ir_served *s = &v->served[j];
			struct agg lbg;

			memset(&lbg, 0, sizeof(lbg));
			for (k = 0; k < v->nlbsvcs; k++)
				if (v->lbsvcs[k]->pool == s->pool && v->lbsvcs[k]->side == s->side) {
					struct portrange *pp = VEC_PUSH(a, lbg.pp, lbg.npp,
					    lbg.cappp);

					pp->proto = v->lbsvcs[k]->proto;
					pp->lo = pp->hi = v->lbsvcs[k]->port;
				}
			sb_puts(&b, "  ");
			dot_str(&b, arena_printf(a, "dev:%s", v->name));
			sb_puts(&b, " -> ");
			dot_str(&b, arena_printf(a, "pool:%s.%s", s->pool->name,
			    ir_side_name[s->side]));
			sb_puts(&b, " [style=dotted, color=\"#2e75b6\", fontcolor=\"#2e75b6\", "
			    "constraint=false, label=");
			dot_str(&b, lbg.npp ? arena_printf(a, "VIP %s", ports_label(a, &lbg)) :
			    "serves");
			sb_puts(&b, "];\n");
		}
	}

	/* an edge pool's sides, outside in */
	for (i = 0; i < site->npools; i++)
		if (site->pools[i]->side[SIDE_EXT].used &&
		    site->pools[i]->side[SIDE_INT].used) {
			sb_puts(&b, "  ");
			dot_str(&b, arena_printf(a, "pool:%s.external", site->pools[i]->name));
			sb_puts(&b, " -> ");
			dot_str(&b, arena_printf(a, "pool:%s.internal", site->pools[i]->name));
			sb_puts(&b, " [style=invis];\n");
		}

	/* flows */
	sb_puts(&b, "\n");
	for (i = 0; i < ng; i++) {
		const struct ir_flow *f = g[i].first;
		const char *prev = g[i].src;

		for (j = 0; j <= f->npath; j++) {
			const char *next = j < f->npath ?
			    arena_printf(a, "dev:%s", f->path[j]->name) : g[i].dst;

			sb_puts(&b, "  ");
			dot_str(&b, prev);
			sb_puts(&b, " -> ");
			dot_str(&b, next);
			/* the zones and devices give the layout; flows follow */
			sb_puts(&b, " [constraint=false");
			if (j == 0) {
				sb_puts(&b, ", label=");
				dot_str(&b, ports_label(a, &g[i]));
			}
			sb_puts(&b, "]");
			sb_puts(&b, ";\n");
			prev = next;
		}
	}
	sb_puts(&b, "}\n");
	if (cli_write(u, o->output, b.s, b.len) != 0)
		rc = LYNCC_EXIT_USAGE;
	sb_free(&b);
	lyncc_unit_free(u);
	return rc;
}
