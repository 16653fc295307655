/*
 * asa.c - Cisco ASA 9.x CLI backend (the 8.3+ object model).
 *
 * One firewall's policy, as CLI lines to paste in configuration mode or to
 * merge with `copy FILE running-config`.  The output is a fixed, small
 * subset of the command reference, in this order:
 *
 *   ! header comments
 *   interface IFNAME / nameif ZONE / security-level N / description TEXT
 *                          only for zones the site gave an IFNAME
 *   object network h-203.0.113.21 / host 203.0.113.21
 *   object network n-10.10.0.0_16 / subnet 10.10.0.0 255.255.0.0
 *                          one per address a rule or a NAT uses, in address
 *                          order (IPv6: host X::Y, subnet X::/N)
 *   object-group network LABEL / network-object object NAME...
 *                          one per endpoint (role of a pool, or a narrowed
 *                          party), named after it
 *   object-group service tcp-443 / service-object tcp destination eq 443
 *                          one per port set (tcp, udp, tcp-udp; eq or range)
 *   access-list ZONE_access_in remark ID: SRC -> DST
 *   access-list ZONE_access_in remark ID cite: CITATION
 *   access-list ZONE_access_in extended permit object-group SVC SRC DST
 *                          one ACE per flow entering through ZONE, in
 *                          stdlib order; SRC/DST are object-group NAME or,
 *                          for a documented "any", any4 / any6 (any when
 *                          the other side has both families)
 *   access-list ZONE_access_in extended deny ip any any
 *                          closes every interface's ACL, so an interface
 *                          without flows still gets an ACL (ASA would
 *                          otherwise pass traffic to lower security levels)
 *   access-group ZONE_access_in in interface ZONE
 *   object network h-172.16.0.23 / nat (REAL,MAPPED) static 203.0.113.23
 *                          static NAT the site declares
 *
 * Interface names (nameif) are the zone names.  Names follow the ASA rules
 * for objects (at most 64 characters: letters, digits and .-_), remarks are
 * printable ASCII of at most 100 characters without '?', so no input can
 * start a new command.  The ACE count is the number of flows, whatever the
 * number of addresses.
 */
#include "backend.h"
#include "arena.h"
#include "fw_common.h"

#include <string.h>

#define ASA_NAMELEN	64
#define ASA_NAMECHARS	"._-"
#define ASA_REMARKLEN	100

struct asa {
	struct arena		*a;
	const struct ir_site	*site;
	const struct ir_device	*dev;
	struct strbuf		*out;
	struct fw_model		 m;
	struct fw_svc		*svcs;		/* port sets as the flows have them */
	size_t			 nsvcs, capsvcs;
	const char		**aces;		/* written ACEs, to skip repeats */
	size_t			 naces, capaces;
};

static int
asa_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	return fw_check(site, dev, dc, "asa");
}

static const char *
svc_of(const struct asa *x, const struct ir_flow *fl)
{
	return fw_svc_find(x->svcs, x->nsvcs, fl->proto, fl->port_lo,
	    fl->port_hi)->name;
}

static void
collect(struct asa *x)
{
	size_t i;

	fw_model_init(&x->m, x->a, x->dev, true, ASA_NAMELEN, ASA_NAMECHARS);
	for (i = 0; i < x->dev->nflows; i++) {
		const struct ir_flow *fl = x->dev->flows[i].flow;

		fw_svc_add(x->a, &x->svcs, &x->nsvcs, &x->capsvcs, fl->proto,
		    fl->port_lo, fl->port_hi);
	}
	fw_svc_name(&x->m, x->svcs, x->nsvcs);
}

/* ---- writing --------------------------------------------------------------- */

static void
put_object(struct asa *x, const struct ir_addr *ad, const char *name)
{
	char buf[ADDR_STRLEN], mask[ADDR_STRLEN];
	struct ir_addr net = *ad;

	sb_printf(x->out, "object network %s\n", name);
	if (addr_is_host(ad)) {
		sb_printf(x->out, " host %s\n", addr_format(ad, buf, sizeof(buf)));
		return;
	}
	if (ad->family == 4) {
		net.prefix = 32;
		addr_format(&net, buf, sizeof(buf));
		sb_printf(x->out, " subnet %s %s\n", buf,
		    addr_v4_mask(ad, mask, sizeof(mask)));
	} else
		sb_printf(x->out, " subnet %s\n", addr_format(ad, buf, sizeof(buf)));
}

static const char *
side_text(struct asa *x, const struct ir_endpoint *e, const struct ir_endpoint *other)
{
	if (e->addrs.any) {
		switch (fw_families(&other->addrs)) {
		case 1:
			return "any4";
		case 2:
			return "any6";
		default:
			return "any";
		}
	}
	return arena_printf(x->a, "object-group %s", fw_model_group(&x->m, e));
}

static void
put_remark(struct asa *x, const char *acl, const char *text)
{
	sb_printf(x->out, "access-list %s remark %s\n", acl,
	    fw_text(x->a, text, "?", ASA_REMARKLEN));
}

static bool
ace_seen(struct asa *x, const char *ace)
{
	size_t i;

	for (i = 0; i < x->naces; i++)
		if (strcmp(x->aces[i], ace) == 0)
			return true;
	*VEC_PUSH(x->a, x->aces, x->naces, x->capaces) = ace;
	return false;
}

static void
put_acl(struct asa *x, const struct ir_zone *z, const char *acl)
{
	const struct ir_device *dev = x->dev;
	size_t i, c;

	if (z->description)
		put_remark(x, acl, arena_printf(x->a, "zone %s: %s", z->name,
		    z->description));
	for (i = 0; i < dev->nflows; i++) {
		const struct ir_fwflow *ff = &dev->flows[i];
		const struct ir_flow *fl = ff->flow;
		const char *ace;

		if (ff->from != z)
			continue;
		put_remark(x, acl, arena_printf(x->a, "%s: %s -> %s", fl->id,
		    fl->src.label, fl->dst.label));
		for (c = 0; c < fl->def->ncites; c++)
			put_remark(x, acl, arena_printf(x->a, "%s cite: %s", fl->id,
			    ir_cite_format(x->a, &fl->def->cites[c])));
		ace = arena_printf(x->a, "access-list %s extended permit object-group "
		    "%s %s %s\n", acl, svc_of(x, fl), side_text(x, &fl->src, &fl->dst),
		    side_text(x, &fl->dst, &fl->src));
		if (ace_seen(x, ace))
			put_remark(x, acl, arena_printf(x->a, "%s: an earlier rule in this "
			    "list already permits it", fl->id));
		else
			sb_puts(x->out, ace);
	}
	sb_printf(x->out, "access-list %s extended deny ip any any\n", acl);
}

static int
default_level(const struct ir_zone *z)
{
	switch (z->kind) {
	case ZONE_EXTERNAL:
		return 0;
	case ZONE_PERIMETER:
		return 50;
	default:
		return 100;
	}
}

static void
put_interfaces(struct asa *x)
{
	const struct ir_device *dev = x->dev;
	size_t i, j;
	bool any = false, same = false;

	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_iface *f = &dev->ifaces[i];
		int lvl = f->level >= 0 ? f->level : default_level(f->zone);

		if (f->ifname == NULL)
			continue;
		any = true;
		sb_printf(x->out, "interface %s\n nameif %s\n security-level %d\n",
		    f->ifname, f->zone->name, lvl);
		if (f->zone->description)
			sb_printf(x->out, " description %s\n", fw_text(x->a,
			    f->zone->description, "?", 200));
		for (j = 0; j < i; j++) {
			const struct ir_iface *g = &dev->ifaces[j];

			if (g->ifname && (g->level >= 0 ? g->level :
			    default_level(g->zone)) == lvl)
				same = true;
		}
	}
	/* two interfaces on one level pass nothing between them without this;
	 * the ACLs below still decide what passes */
	if (same)
		sb_puts(x->out, "same-security-traffic permit inter-interface\n");
	if (any)
		sb_puts(x->out, "!\n");
}

static int
asa_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	struct asa x;
	size_t i, k;
	char buf[ADDR_STRLEN];

	memset(&x, 0, sizeof(x));
	x.a = arena_new();
	x.site = site;
	x.dev = dev;
	x.out = out;
	if (fw_check(site, dev, NULL, "asa") != 0) {
		arena_free(x.a);
		return -1;	/* asa_check says why */
	}
	collect(&x);

	if (opts->header) {
		for (i = 0; opts->header[i]; i++)
			sb_printf(out, "! %s\n", fw_text(x.a, opts->header[i], NULL, 200));
		sb_puts(out, "! interface names (nameif) are the zone names\n");
		if (dev->description)
			sb_printf(out, "! description: %s\n", fw_text(x.a, dev->description,
			    NULL, 240));
		sb_puts(out, "!\n");
	}
	put_interfaces(&x);

	for (i = 0; i < x.m.addrs.n; i++)
		put_object(&x, &x.m.addrs.v[i], x.m.addrnames[i]);
	if (x.m.addrs.n)
		sb_puts(out, "!\n");
	for (i = 0; i < x.m.ngrps; i++) {
		sb_printf(out, "object-group network %s\n", x.m.grps[i].name);
		for (k = 0; k < x.m.grps[i].set->n; k++)
			sb_printf(out, " network-object object %s\n",
			    fw_model_addr(&x.m, &x.m.grps[i].set->v[k]));
	}
	for (i = 0; i < x.nsvcs; i++) {
		const struct fw_svc *s = &x.svcs[i];
		const char *p = ir_proto_name(s->proto);

		sb_printf(out, "object-group service %s\n", s->name);
		if (s->lo == s->hi)
			sb_printf(out, " service-object %s destination eq %u\n", p, s->lo);
		else
			sb_printf(out, " service-object %s destination range %u %u\n", p,
			    s->lo, s->hi);
	}
	if (x.m.ngrps || x.nsvcs)
		sb_puts(out, "!\n");

	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_zone *z = dev->ifaces[i].zone;

		put_acl(&x, z, arena_printf(x.a, "%s_access_in", z->name));
		sb_puts(out, "!\n");
	}
	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_zone *z = dev->ifaces[i].zone;

		sb_printf(out, "access-group %s_access_in in interface %s\n", z->name,
		    z->name);
	}
	for (i = 0; i < dev->nnats; i++) {
		const struct ir_nat *n = dev->nats[i];
		const struct ir_zone *rz, *mz;

		if (i == 0)
			sb_puts(out, "!\n");
		if (fw_nat_zones(site, dev, n, &rz, &mz) != 0) {
			arena_free(x.a);
			return -1;
		}
		sb_printf(out, "object network %s\n", fw_model_addr(&x.m, &n->real));
		sb_printf(out, " nat (%s,%s) static %s\n", rz->name, mz->name,
		    addr_format(&n->pub, buf, sizeof(buf)));
	}
	arena_free(x.a);
	return 0;
}

/* ---- what the config does with one packet (lyncc query) -------------------- */

/* Whether one side of the ACE put_acl writes holds the address: the group,
 * or side_text's any4 / any6 / any. */
static bool
ace_side_holds(const struct ir_endpoint *e, const struct ir_endpoint *other,
    const struct ir_addr *a)
{
	if (!e->addrs.any)
		return fw_set_has(&e->addrs, a);
	switch (fw_families(&other->addrs)) {
	case 1:
		return a->family == 4;
	case 2:
		return a->family == 6;
	default:
		return true;
	}
}

/*
 * ASA 8.3+: the destination of a static NAT's mapped address is un-NATed
 * first (access rules match real addresses); then the ACL bound to the
 * ingress interface, top down, first match; its final deny ip any any.
 * The ACEs are put_acl's, in its order: one per flow entering by the zone,
 * whatever the egress zone (an ACE to any4 also permits the other legs).
 * The service objects match the destination port only.
 */
static void
asa_decide(const struct ir_site *site, const struct ir_device *dev,
    const struct fw_packet *p, const struct ir_zone *in, const struct ir_zone *out,
    struct arena *a, struct fw_decision *d)
{
	size_t i;

	(void)out;
	memset(d, 0, sizeof(*d));
	d->dst = p->dst;
	if ((d->nat = fw_nat_of_pub(site, dev, in, &p->dst)) != NULL)
		d->dst = d->nat->real;
	for (i = 0; i < dev->nflows; i++) {
		const struct ir_fwflow *ff = &dev->flows[i];
		const struct ir_flow *fl = ff->flow;

		if (ff->from != in || !fw_ports_hold(fl, p) ||
		    !ace_side_holds(&fl->src, &fl->dst, &p->src) ||
		    !ace_side_holds(&fl->dst, &fl->src, &d->dst))
			continue;
		d->permit = true;
		d->by = ff;
		return;
	}
	d->rule = arena_printf(a, "access-list %s_access_in extended deny ip any any",
	    in->name);
}

const struct lyncc_backend asa_backend = {
	.name		= "asa",
	.file_ext	= ".asa.cfg",
	.kind		= DEV_FIREWALL,
	.description	= "Cisco ASA 9.x CLI",
	.check		= asa_check,
	.emit		= asa_emit,
	.decide		= asa_decide,
};
