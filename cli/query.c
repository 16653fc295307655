/*
 * query.c - `lyncc query SITE --from ADDR --to ADDR --proto tcp|udp --port N
 * [--sport N] [-t TARGET]`: what happens to one packet.
 *
 * Where the addresses are: an address is in the zone of the most specific
 * of the pools' addresses and VIPs, the narrowed parties' addresses and
 * the zones' networks; a public (static NAT) address is in the zone of its
 * real address; an address none of those hold is on the internet side
 * (the first external zone).
 *
 * With a firewall target (asa, srx, nft) the answer is the generated
 * configs': the packet is routed between the two zones as the compiler
 * routes flows, and each firewall on the path decides with its backend's
 * decide hook (backend.h), which evaluates the rules that backend's emit
 * renders, from the same model and code, in the device's order (NAT,
 * rules top down, first match, default deny).  A firewall's destination
 * NAT is seen by the firewalls after it.  Permitted when every firewall on
 * the path permits it (or none is on it).
 *
 * The site's flows that hold the packet are listed too (without a
 * firewall target they are the answer): a flow matches when its protocol,
 * port range and source port range hold the packet's, and each endpoint
 * holds its address: an address endpoint when one of its addresses (or
 * prefixes) contains it or its real address; an "any" endpoint when the
 * address is in the endpoint's zone.  When no flow matches, the near
 * misses say which endpoint does not hold the address.
 *
 * --format json writes the same answer as one JSON object (lyncc(1)).
 *
 * Exit status: 0 permitted, 1 denied, 2 usage or errors in the site.
 */
#include "cli.h"
#include "backend.h"
#include "expand.h"
#include "lyncc.h"
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEAR_MAX	12	/* near misses listed */

struct where {
	const struct ir_zone	*zone;		/* NULL: no zone (no external zone) */
	const char		*why;		/* "edge01 node 1 access", ... */
	const struct ir_nat	*nat;		/* a public NAT address: its entry */
	struct ir_addr		 real;		/* the address the site routes by */
};

static bool
set_contains(const struct ir_addrset *s, const struct ir_addr *a)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (addr_contains(&s->v[i], a))
			return true;
	return false;
}

/* The longest prefix of s holding a, as prefix + 1 (0: none). */
static unsigned
set_best(const struct ir_addrset *s, const struct ir_addr *a)
{
	unsigned best = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (addr_contains(&s->v[i], a) && s->v[i].prefix + 1u > best)
			best = s->v[i].prefix + 1u;
	return best;
}

/* A candidate zone for the address; the longest prefix wins, the first of
 * equal ones stays. */
static void
consider(struct where *w, unsigned *best, unsigned len, const struct ir_zone *z,
    const char *why)
{
	if (len > *best && z != NULL) {
		*best = len;
		w->zone = z;
		w->why = why;
	}
}

/*
 * The zone an address is in: the most specific of the pools' addresses
 * and VIPs, the narrowed parties' addresses and the zones' networks.  A
 * public (static NAT) address is in the zone of its real address.  An
 * address none of those hold is on the internet side: the first external
 * zone (no zone if the site has none).
 */
static void
locate(struct arena *ar, const struct ir_site *site, const struct ir_addr *a,
    struct where *w)
{
	size_t i;
	unsigned n, best = 0, len;
	int d, sv;
	char buf[ADDR_STRLEN];

	memset(w, 0, sizeof(*w));
	w->real = *a;
	for (i = 0; i < site->npools && w->nat == NULL; i++) {
		const struct ir_pool *p = site->pools[i];

		for (n = 0; n < p->nnats; n++)
			if (addr_cmp(&p->nats[n].pub, a) == 0) {
				w->nat = &p->nats[n];
				w->real = p->nats[n].real;
				break;
			}
	}
	a = &w->real;
	for (i = 0; i < site->npools; i++) {
		const struct ir_pool *p = site->pools[i];

		for (d = 0; d < SIDE__N; d++)
			for (sv = 0; sv < SVC__N; sv++)
				if ((len = set_best(&p->side[d].vip[sv], a)) > best)
					consider(w, &best, len, p->side[d].zone, arena_printf(ar,
					    "%s %s VIP%s%s", p->name, ir_side_name[d],
					    sv == SVC_PRIMARY || sv == SVC_INTERNAL ? "" : " ",
					    sv == SVC_PRIMARY || sv == SVC_INTERNAL ? "" :
					    ir_svc_name[sv]));
		for (n = 0; n < p->nnodes; n++)
			for (sv = 0; sv < SVC__N; sv++)
				if ((len = set_best(&p->nodes[n].addr[sv], a)) > best)
					consider(w, &best, len, p->side[sv == SVC_INTERNAL ||
					    sv == SVC_PRIMARY ? SIDE_INT : SIDE_EXT].zone,
					    arena_printf(ar, "%s node %u %s", p->name, n + 1,
					    ir_svc_name[sv]));
	}
	for (i = 0; i < site->nparties; i++)
		if (!site->parties[i]->addrs.any &&
		    (len = set_best(&site->parties[i]->addrs, a)) > best)
			consider(w, &best, len, site->parties[i]->zone, arena_printf(ar,
			    "party %s", site->parties[i]->name));
	for (i = 0; i < site->nzones; i++) {
		const struct ir_zone *z = site->zones[i];
		size_t k;

		for (k = 0; k < z->networks.n; k++)
			if (addr_contains(&z->networks.v[k], a) &&
			    z->networks.v[k].prefix + 1u > best)
				consider(w, &best, z->networks.v[k].prefix + 1u, z,
				    arena_printf(ar, "network %s", addr_format(
				    &z->networks.v[k], buf, sizeof(buf))));
	}
	for (i = 0; i < site->nzones && w->zone == NULL; i++)
		if (site->zones[i]->kind == ZONE_EXTERNAL) {
			w->zone = site->zones[i];
			w->why = "in no zone's networks: the internet side";
		}
	if (w->nat && w->why)
		w->why = arena_printf(ar, "public address of %s, %s", addr_format(a, buf,
		    sizeof(buf)), w->why);
}

/* Why the endpoint does not hold the address, or NULL if it does. */
static const char *
ep_mismatch(struct arena *ar, const struct ir_endpoint *e, const struct ir_addr *a,
    const struct where *w, const char *side, const char *text)
{
	if (e->addrs.any) {
		if (e->zone == NULL || w->zone == e->zone)
			return NULL;
		if (w->zone == NULL)
			return arena_printf(ar, "%s %s is in no zone, and %s is any "
			    "address in zone %s", side, text, e->label, e->zone->name);
		return arena_printf(ar, "%s %s is in zone %s (%s), and %s is any "
		    "address in zone %s", side, text, w->zone->name, w->why, e->label,
		    e->zone->name);
	}
	if (set_contains(&e->addrs, a) || set_contains(&e->addrs, &w->real))
		return NULL;
	return arena_printf(ar, "%s %s is not one of %s (%s)", side, text, e->label,
	    pol_addrs(ar, &e->addrs, " "));
}

static unsigned q_sport = 40000;	/* the packet's source port */

static bool
dport_ok(const struct ir_flow *f, unsigned proto, unsigned port)
{
	return (f->proto & proto) && port >= f->port_lo && port <= f->port_hi;
}

static bool
sport_ok(const struct ir_flow *f)
{
	return f->sport_lo == 0 || (q_sport >= f->sport_lo && q_sport <= f->sport_hi);
}

static bool
port_ok(const struct ir_flow *f, unsigned proto, unsigned port)
{
	return dport_ok(f, proto, port) && sport_ok(f);
}

/* The source endpoint's mismatch, and the source port's. */
static const char *
src_mismatch(struct arena *ar, const struct ir_flow *f, const char *ws)
{
	const char *sp;

	if (sport_ok(f))
		return ws;
	sp = arena_printf(ar, "source port %u is not in %s", q_sport,
	    pol_ports(ar, f->sport_lo, f->sport_hi));
	return ws ? arena_printf(ar, "%s; %s", ws, sp) : sp;
}

/* The answer is written as text or as JSON (--format json); the JSON shape
 * is documented in lyncc(1) under query. */
struct qout {
	struct strbuf	 b;
	struct arena	*ar;
	bool		 json;
	unsigned	 nitems;	/* items written in the current JSON array */
};

static void
j_str(struct qout *q, const char *key, const char *v)
{
	sb_printf(&q->b, "\"%s\": ", key);
	if (v)
		sb_json_str(&q->b, v);
	else
		sb_puts(&q->b, "null");
}

/* A JSON array of addresses, or the string "any". */
static void
j_addrs(struct qout *q, const char *key, const struct ir_addrset *s)
{
	char buf[ADDR_STRLEN];
	size_t i;

	sb_printf(&q->b, "\"%s\": ", key);
	if (s->any) {
		sb_puts(&q->b, "\"any\"");
		return;
	}
	sb_putc(&q->b, '[');
	for (i = 0; i < s->n; i++) {
		sb_puts(&q->b, i ? ", " : "");
		sb_json_str(&q->b, addr_format(&s->v[i], buf, sizeof(buf)));
	}
	sb_putc(&q->b, ']');
}

/* Start the next item of a JSON array. */
static void
j_item(struct qout *q)
{
	sb_puts(&q->b, q->nitems++ ? ",\n    {" : "\n    {");
}

static void
j_array(struct qout *q, const char *key)
{
	sb_printf(&q->b, ",\n  \"%s\": [", key);
	q->nitems = 0;
}

static void
j_array_end(struct qout *q)
{
	sb_puts(&q->b, q->nitems ? "\n  ]" : "]");
}

static const char *
proto_word(unsigned proto)
{
	return proto == PROTO_TCP ? "tcp" : proto == PROTO_UDP ? "udp" : "tcp+udp";
}

static void
out_flow(struct qout *q, const struct ir_flow *f)
{
	struct arena *ar = q->ar;
	size_t k;

	if (!q->json) {
		sb_printf(&q->b, "flow %s: %s %s -> %s\n", f->id, pol_proto_ports(ar,
		    f->proto, f->port_lo, f->port_hi), f->src.label, f->dst.label);
		sb_printf(&q->b, "  from: %s (%s)\n", pol_addrs(ar, &f->src.addrs, " "),
		    f->src.zone ? f->src.zone->name : "no zone");
		sb_printf(&q->b, "  to:   %s (%s)\n", pol_addrs(ar, &f->dst.addrs, " "),
		    f->dst.zone ? f->dst.zone->name : "no zone");
		sb_printf(&q->b, "  path: %s\n", pol_path(ar, f));
		if (f->def->note)
			sb_printf(&q->b, "  note: %s\n", f->def->note);
		for (k = 0; k < f->def->ncites; k++)
			sb_printf(&q->b, "  see: %s\n", ir_cite_format(ar, &f->def->cites[k]));
		return;
	}
	j_item(q);
	j_str(q, "flow", f->id);
	sb_printf(&q->b, ", \"proto\": \"%s\", \"port_lo\": %u, \"port_hi\": %u, ",
	    proto_word(f->proto), f->port_lo, f->port_hi);
	j_str(q, "source", f->src.label);
	sb_puts(&q->b, ", ");
	j_addrs(q, "source_addresses", &f->src.addrs);
	sb_puts(&q->b, ", ");
	j_str(q, "source_zone", f->src.zone ? f->src.zone->name : NULL);
	sb_puts(&q->b, ", ");
	j_str(q, "destination", f->dst.label);
	sb_puts(&q->b, ", ");
	j_addrs(q, "destination_addresses", &f->dst.addrs);
	sb_puts(&q->b, ", ");
	j_str(q, "destination_zone", f->dst.zone ? f->dst.zone->name : NULL);
	sb_puts(&q->b, ", \"path\": [");
	for (k = 0; k < f->npath; k++) {
		sb_puts(&q->b, k ? ", " : "");
		sb_json_str(&q->b, f->path[k]->name);
	}
	sb_printf(&q->b, "], \"routed\": %s, ", f->unreachable ? "false" : "true");
	j_str(q, "note", f->def->note);
	sb_puts(&q->b, ", \"see\": [");
	for (k = 0; k < f->def->ncites; k++) {
		sb_puts(&q->b, k ? ", " : "");
		sb_json_str(&q->b, ir_cite_format(ar, &f->def->cites[k]));
	}
	sb_putc(&q->b, ']');
	sb_putc(&q->b, '}');
}

static void
out_lbsvcs(struct qout *q, const struct ir_site *site, const struct lyncc_backend *b,
    const struct ir_addr *to, unsigned proto, unsigned port)
{
	char buf[ADDR_STRLEN];
	size_t i, k;

	for (i = 0; i < site->nlbsvcs; i++) {
		const struct ir_lbsvc *s = site->lbsvcs[i];
		const char *vs = NULL;

		if (addr_cmp(&s->vip, to) != 0 || !(s->proto & proto) || s->port != port)
			continue;
		if (b && b->kind == DEV_LB && s->device)
			vs = pol_vs_name(q->ar, b, site, s->device, s);
		if (q->json) {
			j_item(q);
			j_str(q, "service", s->id);
			sb_puts(&q->b, ", ");
			j_str(q, "device", s->device ? s->device->name : NULL);
			sb_puts(&q->b, ", ");
			j_str(q, "vip", addr_format(&s->vip, buf, sizeof(buf)));
			sb_printf(&q->b, ", \"proto\": \"%s\", \"port\": %u, \"members\": [",
			    proto_word(s->proto), s->port);
			for (k = 0; k < s->nmembers; k++) {
				sb_puts(&q->b, k ? ", " : "");
				sb_json_str(&q->b, arena_printf(q->ar, "%s:%u", addr_format(
				    &s->members[k].addr, buf, sizeof(buf)), s->member_port));
			}
			sb_puts(&q->b, "], ");
			j_str(q, "virtual_server", vs);
			sb_putc(&q->b, '}');
			continue;
		}
		sb_printf(&q->b, "load-balanced: %s on %s: VIP %s %s -> members", s->id,
		    s->device ? s->device->name : "(no load balancer)",
		    addr_format(&s->vip, buf, sizeof(buf)),
		    pol_proto_ports(q->ar, s->proto, s->port, s->port));
		for (k = 0; k < s->nmembers; k++)
			sb_printf(&q->b, " %s:%u", addr_format(&s->members[k].addr, buf,
			    sizeof(buf)), s->member_port);
		sb_printf(&q->b, "%s\n", s->nmembers ? "" : " (none)");
		if (vs)
			sb_printf(&q->b, "  %s %s: %s\n", b->name, s->device->name, vs);
	}
}

/* One firewall on the packet's path and what its config does. */
struct hop {
	const struct ir_device	*dev;
	const struct ir_zone	*in, *out;
	struct fw_decision	 d;
};

struct route {
	struct hop	*v;
	int		 n;		/* -1: no route between the zones */
	size_t		 nfw;
	bool		 permit;	/* every firewall on the path permits it */
};

/* Ask each firewall on the route between the two zones (the site's
 * routing, as the compiler routes flows) what its generated config does;
 * a firewall's destination NAT is seen by the firewalls after it. */
static void
route_decide(struct arena *ar, const struct ir_site *site,
    const struct lyncc_backend *b, struct fw_packet pk, const struct where *wf,
    const struct where *wt, struct route *r)
{
	struct ir_device **hops = xcalloc(site->nzones + 1, sizeof(*hops));
	struct ir_zone **zones = xcalloc(site->nzones + 2, sizeof(*zones));
	int k;

	memset(r, 0, sizeof(*r));
	r->n = expand_route(site, wf->zone, wt->zone, hops, zones);
	r->permit = r->n >= 0;
	r->v = arena_alloc(ar, (size_t)(r->n > 0 ? r->n : 1) * sizeof(*r->v));
	for (k = 0; k < r->n; k++) {
		struct hop *h = &r->v[r->nfw];

		if (hops[k]->kind != DEV_FIREWALL)
			continue;
		h->dev = hops[k];
		h->in = zones[k];
		h->out = zones[k + 1];
		if (b->check(site, h->dev, NULL) != 0) {
			/* emit writes nothing for it: no config to ask */
			memset(&h->d, 0, sizeof(h->d));
			h->d.dst = pk.dst;
			h->d.rule = arena_printf(ar, "its missing config: lyncc -t %s "
			    "writes none for %s (the compiler says why)", b->name,
			    h->dev->name);
		} else
			b->decide(site, h->dev, &pk, h->in, h->out, ar, &h->d);
		pk.dst = h->d.dst;
		r->permit = r->permit && h->d.permit;
		r->nfw++;
	}
	free(hops);
	free(zones);
}

static const char *
nat_text(struct qout *q, const struct ir_site *site, const struct ir_nat *n)
{
	const struct ir_pool *p = NULL;
	size_t i;

	for (i = 0; i < site->npools && p == NULL; i++)
		if (site->pools[i]->nnats && n >= site->pools[i]->nats &&
		    n < site->pools[i]->nats + site->pools[i]->nnats)
			p = site->pools[i];
	return arena_printf(q->ar, "static NAT of %s node %u %s", p ? p->name : "?",
	    n->node, ir_svc_name[n->svc]);
}

static void
out_route(struct qout *q, const struct ir_site *site, const struct lyncc_backend *b,
    const struct route *r, const struct where *wf, const struct where *wt)
{
	char pb[ADDR_STRLEN], rb[ADDR_STRLEN];
	size_t i;

	if (q->json)
		j_array(q, "firewalls");
	else if (r->n < 0)
		sb_printf(&q->b, "\n%s: no route from zone %s to zone %s\n", b->name,
		    wf->zone ? wf->zone->name : "(none)", wt->zone ? wt->zone->name :
		    "(none)");
	else if (r->nfw == 0)
		sb_printf(&q->b, "\n%s: no firewall on its path (zone %s to zone %s)\n",
		    b->name, wf->zone->name, wt->zone->name);
	else
		sb_printf(&q->b, "\n%s, the firewalls on its path:\n", b->name);
	for (i = 0; i < r->nfw; i++) {
		const struct hop *h = &r->v[i];
		const char *rule = h->d.rule;

		if (h->d.nat) {
			addr_format(&h->d.nat->pub, pb, sizeof(pb));
			addr_format(&h->d.nat->real, rb, sizeof(rb));
		}
		if (!q->json) {
			sb_printf(&q->b, "  %s (%s -> %s): ", h->dev->name, h->in->name,
			    h->out ? h->out->name : "?");
			if (h->d.nat)
				sb_printf(&q->b, "destination %s translated to %s first (%s); ",
				    pb, rb, nat_text(q, site, h->d.nat));
			sb_printf(&q->b, "%s by %s\n", h->d.permit ? "permitted" : "denied",
			    rule);
			if (h->d.flow)
				sb_printf(&q->b, "    (flow %s)\n", h->d.flow->id);
			continue;
		}
		j_item(q);
		j_str(q, "device", h->dev->name);
		sb_puts(&q->b, ", ");
		j_str(q, "from_zone", h->in->name);
		sb_puts(&q->b, ", ");
		j_str(q, "to_zone", h->out ? h->out->name : NULL);
		sb_puts(&q->b, ", \"nat\": ");
		if (h->d.nat) {
			sb_puts(&q->b, "{");
			j_str(q, "public", pb);
			sb_puts(&q->b, ", ");
			j_str(q, "real", rb);
			sb_puts(&q->b, "}");
		} else
			sb_puts(&q->b, "null");
		sb_printf(&q->b, ", \"verdict\": \"%s\", ", h->d.permit ? "permitted" :
		    "denied");
		j_str(q, "flow", h->d.flow ? h->d.flow->id : NULL);
		sb_puts(&q->b, ", ");
		j_str(q, "rule", rule);
		sb_putc(&q->b, '}');
	}
	if (q->json) {
		j_array_end(q);
		sb_printf(&q->b, ",\n  \"routed\": %s", r->n >= 0 ? "true" : "false");
	} else
		sb_printf(&q->b, "%s: %s\n", b->name, r->permit ? (r->nfw ? "permitted "
		    "by every firewall on its path" : "permitted (no firewall on its "
		    "path)") : r->n < 0 ? "denied (no route)" : "denied");
}

static int
parse_addr(const struct cli_opts *o, const char *opt, const char *text,
    struct ir_addr *a)
{
	const char *why;

	if (text == NULL)
		return cli_usage(o, "needs %s ADDR", opt);
	if (addr_parse(text, a, false, &why) != 0)
		return cli_usage(o, "%s '%s': %s", opt, text, why);
	return 0;
}

static void
out_where(struct qout *q, const char *key, const char *text, const struct where *w)
{
	if (!q->json) {
		sb_printf(&q->b, "  %s %s: %s\n", key, text, w->zone ?
		    arena_printf(q->ar, "zone %s (%s)", w->zone->name, w->why) :
		    "no zone declares it");
		return;
	}
	sb_printf(&q->b, ",\n  \"%s\": ", key);
	if (w->zone == NULL) {
		sb_puts(&q->b, "null");
		return;
	}
	sb_putc(&q->b, '{');
	j_str(q, "zone", w->zone->name);
	sb_puts(&q->b, ", ");
	j_str(q, "because", w->why);
	sb_putc(&q->b, '}');
}

int
cli_query(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	const struct ir_site *site;
	const struct lyncc_backend *b = NULL;
	struct ir_addr from, to;
	struct where wf, wt;
	struct route rt;
	struct fw_packet pk;
	struct qout q;
	unsigned proto, port;
	char *end, fbuf[ADDR_STRLEN], tbuf[ADDR_STRLEN];
	const char *fmt = o->format ? o->format : "text";
	size_t i, nmatch = 0, nnear = 0;
	long pl;
	int rc;
	bool fwq, verdict;

	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		return cli_usage(o, "unknown query format '%s' (text, json)", fmt);
	if (parse_addr(o, "--from", o->q_from, &from) ||
	    parse_addr(o, "--to", o->q_to, &to))
		return LYNCC_EXIT_USAGE;
	if (o->q_proto == NULL || (strcmp(o->q_proto, "tcp") && strcmp(o->q_proto, "udp")))
		return cli_usage(o, "needs --proto tcp or --proto udp");
	proto = strcmp(o->q_proto, "tcp") == 0 ? PROTO_TCP : PROTO_UDP;
	pl = o->q_port ? strtol(o->q_port, &end, 10) : -1;
	if (o->q_port == NULL || *end != '\0' || pl < 1 || pl > 65535)
		return cli_usage(o, "needs --port N (1-65535)");
	port = (unsigned)pl;
	pl = o->q_sport ? strtol(o->q_sport, &end, 10) : 40000;
	if (o->q_sport && (*end != '\0' || pl < 1 || pl > 65535))
		return cli_usage(o, "--sport N: a port 1-65535");
	q_sport = (unsigned)pl;
	if (o->target && strcmp(o->target, "all") == 0)
		return cli_usage(o, "query asks one target at a time: -t asa, srx, f5, "
		    "f5-as3, haproxy or nft (or no -t: the site's flows)");
	if (o->target && (b = backend_find(o->target)) == NULL)
		return cli_usage(o, "unknown target '%s' (expected asa, srx, f5, f5-as3, "
		    "haproxy or nft)", o->target);
	if ((u = pol_load(o, o->input, &rc)) == NULL)
		return LYNCC_EXIT_USAGE;
	memset(&q, 0, sizeof(q));
	sb_init(&q.b);
	q.ar = u->arena;
	q.json = strcmp(fmt, "json") == 0;
	site = u->site;
	addr_format(&from, fbuf, sizeof(fbuf));
	addr_format(&to, tbuf, sizeof(tbuf));
	locate(q.ar, site, &from, &wf);
	locate(q.ar, site, &to, &wt);
	fwq = b && b->kind == DEV_FIREWALL && b->decide;
	memset(&rt, 0, sizeof(rt));
	if (fwq) {
		memset(&pk, 0, sizeof(pk));
		pk.src = from;
		pk.dst = to;
		pk.proto = proto;
		pk.sport = q_sport;
		pk.dport = port;
		route_decide(q.ar, site, b, pk, &wf, &wt, &rt);
	}
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];

		if (port_ok(f, proto, port) &&
		    !ep_mismatch(q.ar, &f->src, &from, &wf, "source", fbuf) &&
		    !ep_mismatch(q.ar, &f->dst, &to, &wt, "destination", tbuf))
			nmatch++;
	}
	/* with a firewall target, the answer is the generated configs' */
	verdict = fwq ? rt.permit : nmatch > 0;
	if (q.json) {
		sb_puts(&q.b, "{\n  \"query\": {");
		sb_printf(&q.b, "\"proto\": \"%s\", ", o->q_proto);
		j_str(&q, "from", fbuf);
		sb_puts(&q.b, ", ");
		j_str(&q, "to", tbuf);
		sb_printf(&q.b, ", \"port\": %u, \"sport\": %u, ", port, q_sport);
		j_str(&q, "site", site->name);
		sb_puts(&q.b, ", ");
		j_str(&q, "target", b ? b->name : NULL);
		sb_printf(&q.b, "},\n  \"verdict\": \"%s\"", verdict ? "permitted" :
		    "denied");
		sb_printf(&q.b, ",\n  \"flows_verdict\": \"%s\"", nmatch ? "permitted" :
		    "denied");
	} else if (o->q_sport)
		sb_printf(&q.b, "query: %s %s port %u -> %s port %u (site %s)\n",
		    o->q_proto, fbuf, q_sport, tbuf, port, site->name);
	else
		sb_printf(&q.b, "query: %s %s -> %s port %u (site %s)\n", o->q_proto,
		    fbuf, tbuf, port, site->name);
	out_where(&q, q.json ? "from_zone" : "from", fbuf, &wf);
	out_where(&q, q.json ? "to_zone" : "to  ", tbuf, &wt);
	if (fwq)
		out_route(&q, site, b, &rt, &wf, &wt);
	if (q.json)
		j_array(&q, "permitted_by");
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];

		if (!port_ok(f, proto, port) ||
		    ep_mismatch(q.ar, &f->src, &from, &wf, "source", fbuf) ||
		    ep_mismatch(q.ar, &f->dst, &to, &wt, "destination", tbuf))
			continue;
		if (nnear++ == 0 && !q.json)
			sb_puts(&q.b, fwq ? "\nthe site's flows that permit it:\n" :
			    "\npermitted by:\n");
		out_flow(&q, f);
	}
	if (q.json) {
		j_array_end(&q);
		j_array(&q, "load_balanced");
	}
	if (nmatch)
		out_lbsvcs(&q, site, b, &to, proto, port);
	if (q.json) {
		j_array_end(&q);
		j_array(&q, "near_misses");
	} else if (!nmatch)
		sb_puts(&q.b, "\nno flow of the site permits it\n");
	/* denied: flows with this protocol and port, and which endpoint does
	 * not match */
	nnear = 0;
	for (i = 0; !nmatch && i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];
		const char *ws, *wd;

		if (!dport_ok(f, proto, port))
			continue;
		ws = src_mismatch(q.ar, f, ep_mismatch(q.ar, &f->src, &from, &wf,
		    "source", fbuf));
		wd = ep_mismatch(q.ar, &f->dst, &to, &wt, "destination", tbuf);
		if (q.json) {
			j_item(&q);
			j_str(&q, "flow", f->id);
			sb_puts(&q.b, ", ");
			j_str(&q, "source", f->src.label);
			sb_puts(&q.b, ", ");
			j_str(&q, "destination", f->dst.label);
			sb_puts(&q.b, ", ");
			j_str(&q, "source_mismatch", ws);
			sb_puts(&q.b, ", ");
			j_str(&q, "destination_mismatch", wd);
			sb_putc(&q.b, '}');
			continue;
		}
		if (nnear++ == 0)
			sb_printf(&q.b, "flows for %s %u that do not match:\n", o->q_proto,
			    port);
		if (nnear > NEAR_MAX)
			continue;
		sb_printf(&q.b, "  %s (%s -> %s): %s%s%s\n", f->id, f->src.label,
		    f->dst.label, ws ? ws : "", ws && wd ? "; " : "", wd ? wd : "");
	}
	if (!q.json && nnear > NEAR_MAX)
		sb_printf(&q.b, "  ... and %zu more\n", nnear - NEAR_MAX);
	if (!q.json && !nmatch && nnear == 0)
		sb_printf(&q.b, "no flow of the site uses %s port %u\n", o->q_proto, port);
	/* denied: flows between these addresses on other ports */
	if (q.json) {
		j_array_end(&q);
		j_array(&q, "other_ports");
	}
	nnear = 0;
	for (i = 0; !nmatch && i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];

		if (dport_ok(f, proto, port) ||
		    ep_mismatch(q.ar, &f->src, &from, &wf, "source", fbuf) ||
		    ep_mismatch(q.ar, &f->dst, &to, &wt, "destination", tbuf))
			continue;
		if (q.json) {
			j_item(&q);
			j_str(&q, "flow", f->id);
			sb_printf(&q.b, ", \"proto\": \"%s\", \"port_lo\": %u, \"port_hi\": %u, ",
			    proto_word(f->proto), f->port_lo, f->port_hi);
			j_str(&q, "source", f->src.label);
			sb_puts(&q.b, ", ");
			j_str(&q, "destination", f->dst.label);
			sb_putc(&q.b, '}');
			continue;
		}
		if (nnear++ == 0)
			sb_printf(&q.b, "flows from %s to %s on other ports:\n", fbuf, tbuf);
		if (nnear > NEAR_MAX)
			continue;
		sb_printf(&q.b, "  %s: %s (%s -> %s)\n", f->id, pol_proto_ports(q.ar,
		    f->proto, f->port_lo, f->port_hi), f->src.label, f->dst.label);
	}
	if (q.json)
		j_array_end(&q);
	else if (nnear > NEAR_MAX)
		sb_printf(&q.b, "  ... and %zu more\n", nnear - NEAR_MAX);
	if (q.json)
		sb_puts(&q.b, "\n}\n");
	rc = verdict ? LYNCC_EXIT_OK : 1;
	if (cli_write(NULL, NULL, q.b.s ? q.b.s : "", q.b.len) != 0)
		rc = LYNCC_EXIT_USAGE;
	sb_free(&q.b);
	lyncc_unit_free(u);
	return rc;
}
