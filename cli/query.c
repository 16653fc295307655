/*
 * query.c - `lyncc query SITE --from ADDR --to ADDR --proto tcp|udp --port N
 * [-t TARGET]`: which flows of the site permit one packet, and, with a
 * target, which generated rule (or virtual server) matches it; or why it
 * is denied.  The same job as Capirca's aclcheck, on the site model.
 *
 * A flow matches when its protocol and port range hold the packet's, and
 * each endpoint holds its address: an address endpoint when one of its
 * addresses (or prefixes) contains it; an "any" endpoint when the address
 * is not known to be in a different zone.  An address is placed in a zone
 * by the pool addresses and VIPs, the narrowed parties, then the zones'
 * networks (longest prefix); an address none of those hold is placed
 * nowhere and matches every "any" endpoint.
 *
 * Exit status: 0 permitted, 1 denied, 2 usage or errors in the site.
 */
#include "cli.h"
#include "lyncc.h"
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEAR_MAX	12	/* near misses listed */

struct where {
	const struct ir_zone	*zone;		/* NULL: unknown */
	const char		*why;		/* "edge01 node 1 access", ... */
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

static void
locate(struct arena *ar, const struct ir_site *site, const struct ir_addr *a,
    struct where *w)
{
	size_t i;
	unsigned n, best = 0;
	int d, sv;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < site->npools; i++) {
		const struct ir_pool *p = site->pools[i];

		for (d = 0; d < SIDE__N; d++)
			for (sv = 0; sv < SVC__N; sv++)
				if (set_contains(&p->side[d].vip[sv], a)) {
					w->zone = p->side[d].zone;
					w->why = arena_printf(ar, "%s %s VIP%s%s", p->name,
					    ir_side_name[d], sv == SVC_PRIMARY ||
					    sv == SVC_INTERNAL ? "" : " ", sv == SVC_PRIMARY ||
					    sv == SVC_INTERNAL ? "" : ir_svc_name[sv]);
					return;
				}
		for (n = 0; n < p->nnodes; n++)
			for (sv = 0; sv < SVC__N; sv++)
				if (set_contains(&p->nodes[n].addr[sv], a)) {
					enum ir_side_kind side = sv == SVC_INTERNAL ||
					    sv == SVC_PRIMARY ? SIDE_INT : SIDE_EXT;

					w->zone = p->side[side].zone;
					w->why = arena_printf(ar, "%s node %u %s", p->name,
					    n + 1, ir_svc_name[sv]);
					return;
				}
	}
	for (i = 0; i < site->nparties; i++)
		if (!site->parties[i]->addrs.any &&
		    set_contains(&site->parties[i]->addrs, a)) {
			w->zone = site->parties[i]->zone;
			w->why = arena_printf(ar, "party %s", site->parties[i]->name);
			return;
		}
	for (i = 0; i < site->nzones; i++) {
		const struct ir_zone *z = site->zones[i];
		size_t k;

		for (k = 0; k < z->networks.n; k++)
			if (addr_contains(&z->networks.v[k], a) &&
			    (w->zone == NULL || z->networks.v[k].prefix + 1u > best)) {
				char buf[ADDR_STRLEN];

				best = z->networks.v[k].prefix + 1u;
				w->zone = z;
				w->why = arena_printf(ar, "network %s", addr_format(
				    &z->networks.v[k], buf, sizeof(buf)));
			}
	}
}

/* Why the endpoint does not hold the address, or NULL if it does. */
static const char *
ep_mismatch(struct arena *ar, const struct ir_endpoint *e, const struct ir_addr *a,
    const struct where *w, const char *side, const char *text)
{
	if (e->addrs.any) {
		if (w->zone == NULL || e->zone == NULL || w->zone == e->zone)
			return NULL;
		return arena_printf(ar, "%s %s is in zone %s (%s), and %s is any "
		    "address in zone %s", side, text, w->zone->name, w->why, e->label,
		    e->zone->name);
	}
	if (set_contains(&e->addrs, a))
		return NULL;
	return arena_printf(ar, "%s %s is not one of %s (%s)", side, text, e->label,
	    pol_addrs(ar, &e->addrs, " "));
}

static bool
port_ok(const struct ir_flow *f, unsigned proto, unsigned port)
{
	return (f->proto & proto) && port >= f->port_lo && port <= f->port_hi;
}

static void
print_flow(struct arena *ar, const struct ir_flow *f)
{
	size_t k;

	printf("flow %s: %s %s -> %s\n", f->id, pol_proto_ports(ar, f->proto,
	    f->port_lo, f->port_hi), f->src.label, f->dst.label);
	printf("  from: %s (%s)\n", pol_addrs(ar, &f->src.addrs, " "),
	    f->src.zone ? f->src.zone->name : "no zone");
	printf("  to:   %s (%s)\n", pol_addrs(ar, &f->dst.addrs, " "),
	    f->dst.zone ? f->dst.zone->name : "no zone");
	printf("  path: %s\n", pol_path(ar, f));
	if (f->def->note)
		printf("  note: %s\n", f->def->note);
	for (k = 0; k < f->def->ncites; k++)
		printf("  see: %s\n", ir_cite_format(ar, &f->def->cites[k]));
}

/* The rules of one firewall target that the flow produces. */
static void
print_rules(struct arena *ar, const struct lyncc_backend *b, const struct ir_flow *f)
{
	size_t i, j;
	bool any = false;

	for (i = 0; i < f->npath; i++) {
		const struct ir_device *v = f->path[i];

		if (v->kind != b->kind)
			continue;
		for (j = 0; j < v->nflows; j++)
			if (v->flows[j].flow == f) {
				printf("  %s %s: %s\n", b->name, v->name,
				    pol_rule_name(ar, b, v, &v->flows[j]));
				any = true;
			}
	}
	if (!any)
		printf("  %s: no firewall on its path generates a rule for it\n", b->name);
}

static void
print_lbsvcs(struct arena *ar, const struct ir_site *site,
    const struct lyncc_backend *b, const struct ir_addr *to, unsigned proto,
    unsigned port)
{
	char buf[ADDR_STRLEN];
	size_t i, k;

	for (i = 0; i < site->nlbsvcs; i++) {
		const struct ir_lbsvc *s = site->lbsvcs[i];

		if (addr_cmp(&s->vip, to) != 0 || !(s->proto & proto) || s->port != port)
			continue;
		printf("load-balanced: %s on %s: VIP %s %s -> members", s->id,
		    s->device ? s->device->name : "(no load balancer)",
		    addr_format(&s->vip, buf, sizeof(buf)),
		    pol_proto_ports(ar, s->proto, s->port, s->port));
		for (k = 0; k < s->nmembers; k++)
			printf(" %s:%u", addr_format(&s->members[k].addr, buf, sizeof(buf)),
			    s->member_port);
		printf("%s\n", s->nmembers ? "" : " (none)");
		if (b && b->kind == DEV_LB && s->device)
			printf("  %s %s: %s\n", b->name, s->device->name,
			    pol_vs_name(ar, b, site, s->device, s));
	}
}

static int
parse_addr(const char *opt, const char *text, struct ir_addr *a)
{
	const char *why;

	if (text == NULL) {
		fprintf(stderr, "lyncc: query needs %s ADDR\nTry 'lyncc --help'.\n", opt);
		return -1;
	}
	if (addr_parse(text, a, false, &why) != 0) {
		fprintf(stderr, "lyncc: %s '%s': %s\n", opt, text, why);
		return -1;
	}
	return 0;
}

int
cli_query(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	struct arena *ar;
	const struct ir_site *site;
	const struct lyncc_backend *b = NULL;
	struct ir_addr from, to;
	struct where wf, wt;
	unsigned proto, port;
	char *end, fbuf[ADDR_STRLEN], tbuf[ADDR_STRLEN];
	size_t i, nmatch = 0, nnear = 0;
	long pl;
	int rc;

	if (parse_addr("--from", o->q_from, &from) || parse_addr("--to", o->q_to, &to))
		return LYNCC_EXIT_USAGE;
	if (o->q_proto == NULL || (strcmp(o->q_proto, "tcp") && strcmp(o->q_proto, "udp"))) {
		fprintf(stderr, "lyncc: query needs --proto tcp or --proto udp\n"
		    "Try 'lyncc --help'.\n");
		return LYNCC_EXIT_USAGE;
	}
	proto = strcmp(o->q_proto, "tcp") == 0 ? PROTO_TCP : PROTO_UDP;
	pl = o->q_port ? strtol(o->q_port, &end, 10) : -1;
	if (o->q_port == NULL || *end != '\0' || pl < 1 || pl > 65535) {
		fprintf(stderr, "lyncc: query needs --port N (1-65535)\n"
		    "Try 'lyncc --help'.\n");
		return LYNCC_EXIT_USAGE;
	}
	port = (unsigned)pl;
	if (o->target && (b = backend_find(o->target)) == NULL) {
		fprintf(stderr, "lyncc: unknown target '%s' (expected asa, srx, f5, "
		    "haproxy or nft)\nTry 'lyncc --help'.\n", o->target);
		return LYNCC_EXIT_USAGE;
	}
	if ((u = pol_load(o, o->input, &rc)) == NULL)
		return LYNCC_EXIT_USAGE;
	ar = u->arena;
	site = u->site;
	addr_format(&from, fbuf, sizeof(fbuf));
	addr_format(&to, tbuf, sizeof(tbuf));
	locate(ar, site, &from, &wf);
	locate(ar, site, &to, &wt);
	printf("query: %s %s -> %s port %u (site %s)\n", o->q_proto, fbuf, tbuf, port,
	    site->name);
	printf("  from %s: %s\n", fbuf, wf.zone ? arena_printf(ar, "zone %s (%s)",
	    wf.zone->name, wf.why) : "no zone declares it");
	printf("  to   %s: %s\n", tbuf, wt.zone ? arena_printf(ar, "zone %s (%s)",
	    wt.zone->name, wt.why) : "no zone declares it");
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];

		if (!port_ok(f, proto, port) ||
		    ep_mismatch(ar, &f->src, &from, &wf, "source", fbuf) ||
		    ep_mismatch(ar, &f->dst, &to, &wt, "destination", tbuf))
			continue;
		if (nmatch++ == 0)
			printf("\npermitted by:\n");
		print_flow(ar, f);
		if (b && b->kind == DEV_FIREWALL)
			print_rules(ar, b, f);
	}
	if (nmatch) {
		print_lbsvcs(ar, site, b, &to, proto, port);
		lyncc_unit_free(u);
		return LYNCC_EXIT_OK;
	}
	printf("\ndenied: no flow permits it\n");
	/* flows with this protocol and port: which endpoint does not match */
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];
		const char *ws, *wd;

		if (!port_ok(f, proto, port))
			continue;
		ws = ep_mismatch(ar, &f->src, &from, &wf, "source", fbuf);
		wd = ep_mismatch(ar, &f->dst, &to, &wt, "destination", tbuf);
		if (nnear++ == 0)
			printf("flows for %s %u that do not match:\n", o->q_proto, port);
		if (nnear > NEAR_MAX)
			continue;
		printf("  %s (%s -> %s): %s%s%s\n", f->id, f->src.label, f->dst.label,
		    ws ? ws : "", ws && wd ? "; " : "", wd ? wd : "");
	}
	if (nnear > NEAR_MAX)
		printf("  ... and %zu more\n", nnear - NEAR_MAX);
	if (nnear == 0)
		printf("no flow of the site uses %s port %u\n", o->q_proto, port);
	/* flows between these addresses on other ports */
	nnear = 0;
	for (i = 0; i < site->nflows; i++) {
		const struct ir_flow *f = site->flows[i];

		if (port_ok(f, proto, port) ||
		    ep_mismatch(ar, &f->src, &from, &wf, "source", fbuf) ||
		    ep_mismatch(ar, &f->dst, &to, &wt, "destination", tbuf))
			continue;
		if (nnear++ == 0)
			printf("flows from %s to %s on other ports:\n", fbuf, tbuf);
		if (nnear > NEAR_MAX)
			continue;
		printf("  %s: %s (%s -> %s)\n", f->id, pol_proto_ports(ar, f->proto,
		    f->port_lo, f->port_hi), f->src.label, f->dst.label);
	}
	if (nnear > NEAR_MAX)
		printf("  ... and %zu more\n", nnear - NEAR_MAX);
	if (b && b->kind == DEV_FIREWALL)
		printf("%s: no generated rule matches; the firewall's default deny "
		    "drops it\n", b->name);
	lyncc_unit_free(u);
	return 1;
}
