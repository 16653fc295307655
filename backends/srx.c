/*
 * srx.c - Juniper SRX backend: one firewall's policy as a Junos XML
 * <configuration> document, for `load replace FILE` (CLI) or NETCONF
 * <load-configuration action="replace" format="xml">.  Written with
 * libxml2's xmlTextWriter (so every text is escaped by the library),
 * two-space indentation, one element per line, list keys first:
 *
 *   <configuration>
 *     <!-- header: how to load, update, roll back -->
 *     <groups replace="replace">    everything lyncc writes, in one
 *       <name>lync-DEVICE</name>     configuration group per device; the
 *       <security>                   replace attribute makes the group
 *         <address-book>             hold exactly this version: policies,
 *           <name>global</name>      addresses and applications of an
 *           <address/>...            older version go, nothing outside
 *           <address-set/>...        the group is touched
 *         </address-book>
 *         <nat><static><rule-set/></static></nat>   static NAT
 *         <policies>
 *           <policy>                 one per from-zone/to-zone pair
 *             <from-zone-name/><to-zone-name/>
 *             <policy>               one per documented flow (merged across
 *               <name/><description/>    pools), described by ID, ends,
 *               <match>source-address, destination-address, application</match>
 *               <then><permit/></then>    citations
 *             </policy>
 *           </policy>
 *         </policies>
 *         <zones>                    the zones with their interfaces (not
 *           <security-zone/>...      on a shared firewall, whose zones
 *         </zones>                   are the operator's)
 *       </security>
 *       <applications>               lync-tcp-443, lync-udp-50000-59999;
 *         <application/>             tcp-udp ports are an application-set
 *         <application-set/>         of the tcp and udp applications
 *       </applications>
 *     </groups>
 *     <apply-groups>lync-DEVICE</apply-groups>   the group takes effect
 *   </configuration>
 *
 * Every name lyncc writes starts with "lync-" (addresses, sets,
 * applications, policies, NAT rules), so no site name can read as `any`,
 * `any-ipv4`, `junos-host` or another predefined name.  A documented
 * "any" endpoint is the predefined address `any`, bound by the zone pair.
 * Anything not permitted falls to the SRX default policy (deny).  Names
 * are at most 63 characters of letters, digits and ._-.
 */
#include "backend.h"
#include "arena.h"
#include "fw_common.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#define SRX_NAMELEN	63
#define SRX_NAMECHARS	"._-"
#define SRX_DESCLEN	900

struct srx {
	struct arena		*a;
	const struct ir_site	*site;
	const struct ir_device	*dev;
	xmlTextWriterPtr	 w;
	int			 err;
	struct fw_model		 m;
	struct fw_svcs		 apps;		/* single-protocol applications */
	struct fw_svcs		 sets;		/* tcp-udp application-sets */
	const char		**policy_names;	/* parallel to m.rules */
};

static int
srx_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	return fw_check(site, dev, dc, "srx");
}

/* ---- writer helpers ----------------------------------------------------- */

static void
open_el(struct srx *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->err = -1;
}

static void
close_el(struct srx *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		x->err = -1;
}

static void
text_el(struct srx *x, const char *name, const char *text)
{
	if (xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST text) < 0)
		x->err = -1;
}

/* <name>NAME</name> in its own element: <el><name>NAME</name></el> */
static void
named_el(struct srx *x, const char *el, const char *name)
{
	open_el(x, el);
	text_el(x, "name", name);
	close_el(x);
}

static void
empty_el(struct srx *x, const char *name)
{
	open_el(x, name);
	close_el(x);
}

static void
comment(struct srx *x, const char *text)
{
	/* a comment may not contain "--" */
	char *s = fw_text(x->a, text, NULL, 240), *p;

	while ((p = strstr(s, "--")) != NULL)
		p[1] = '_';
	if (xmlTextWriterWriteFormatComment(x->w, " %s ", s) < 0)
		x->err = -1;
}

/* ---- collecting ----------------------------------------------------------- */

static const char *
group_of(const struct fw_end *e)
{
	return e->any ? "any" : e->grp->name;
}

static const char *
app_of(const struct srx *x, const struct ir_flow *fl)
{
	if (fl->proto == PROTO_TCPUDP)
		return fw_svc_of(&x->sets, fl)->name;
	return fw_svc_of(&x->apps, fl)->name;
}

static void
collect(struct srx *x)
{
	const struct ir_device *dev = x->dev;
	size_t i;

	fw_model_init(&x->m, x->a, dev, false, NULL, 0, SRX_NAMELEN,
	    SRX_NAMECHARS, FW_PREFIX);
	for (i = 0; i < x->m.nrules; i++) {
		const struct ir_flow *fl = x->m.rules[i].flow;

		if (fl->proto & PROTO_TCP)
			fw_svc_add(x->a, &x->apps, PROTO_TCP, fl->port_lo, fl->port_hi,
			    fl->sport_lo, fl->sport_hi);
		if (fl->proto & PROTO_UDP)
			fw_svc_add(x->a, &x->apps, PROTO_UDP, fl->port_lo, fl->port_hi,
			    fl->sport_lo, fl->sport_hi);
		if (fl->proto == PROTO_TCPUDP)
			fw_svc_add(x->a, &x->sets, PROTO_TCPUDP, fl->port_lo, fl->port_hi,
			    fl->sport_lo, fl->sport_hi);
	}
	fw_svc_name(&x->m, &x->apps);
	fw_svc_name(&x->m, &x->sets);
	/* policy names, unique in the whole document */
	x->policy_names = arena_alloc(x->a, (x->m.nrules + 1) * sizeof(char *));
	for (i = 0; i < x->m.nrules; i++)
		x->policy_names[i] = fw_names_add(&x->m.names, x->m.rules[i].flow->id,
		    &x->m.rules[i]);
}

/* The header's procedure, one comment per line. */
static void
put_howto(struct srx *x, const char *group)
{
	const char *const lines[] = {
		"everything below lives in the configuration group GROUP, applied with",
		"apply-groups; replace=\"replace\" makes the group hold exactly this",
		"version: nothing outside it is touched.",
		"first time and every update: load replace FILE, then commit check and",
		"commit (NETCONF: load-configuration action=replace format=xml). An",
		"older version's policies, addresses and applications go with it.",
		"rollback: load replace the older file (or rollback 1) and commit.",
		NULL,
	};
	size_t i;

	for (i = 0; lines[i]; i++) {
		const char *l = lines[i], *p = strstr(l, "GROUP");

		comment(x, p ? fw_printf(x->a, "%.*s%s%s", (int)(p - l), l, group,
		    p + 5) : l);
	}
	if (x->dev->shared)
		comment(x, "SHARED firewall: the zones are yours and are not written; "
		    "Junos puts policies inherited from a group after the zone pair's own "
		    "policies, so a deny policy of yours in these zone pairs must move "
		    "after them (or into the default policy)");
}

/* ---- sections --------------------------------------------------------------- */

static void
put_address_book(struct srx *x)
{
	char buf[ADDR_STRLEN];
	size_t i, k;

	if (x->m.addrs.n == 0)
		return;
	open_el(x, "address-book");
	text_el(x, "name", "global");
	for (i = 0; i < x->m.addrs.n; i++) {
		const struct ir_addr *ad = &x->m.addrs.v[i];

		open_el(x, "address");
		text_el(x, "name", x->m.addrnames[i]);
		addr_format(ad, buf, sizeof(buf));
		text_el(x, "ip-prefix", addr_is_host(ad) ? fw_printf(x->a, "%s/%u",
		    buf, ad->prefix) : buf);
		close_el(x);
	}
	for (i = 0; i < x->m.ngrps; i++) {
		open_el(x, "address-set");
		text_el(x, "name", x->m.grps[i]->name);
		for (k = 0; k < x->m.grps[i]->set->n; k++)
			named_el(x, "address", fw_model_addr(&x->m,
			    &x->m.grps[i]->set->v[k]));
		close_el(x);
	}
	close_el(x);
}

static void
put_nat(struct srx *x)
{
	const struct ir_device *dev = x->dev;
	char buf[ADDR_STRLEN];
	size_t i, j;

	if (dev->nnats == 0)
		return;
	open_el(x, "nat");
	open_el(x, "static");
	/* one rule-set per outside zone, in interface order */
	for (j = 0; j < dev->nifaces; j++) {
		const struct ir_zone *oz = dev->ifaces[j].zone;
		bool opened = false;

		for (i = 0; i < dev->nnats; i++) {
			const struct ir_nat *n = dev->nats[i];
			const struct ir_pool *p = fw_nat_pool(x->site, n);
			const struct ir_zone *rz, *mz;

			if (fw_nat_zones(x->site, dev, n, &rz, &mz) != 0) {
				x->err = -1;
				continue;
			}
			if (mz != oz)
				continue;
			if (!opened) {
				open_el(x, "rule-set");
				text_el(x, "name", fw_names_add(&x->m.names,
				    fw_printf(x->a, "nat-%s", oz->name), NULL));
				open_el(x, "from");
				text_el(x, "zone", oz->name);
				close_el(x);
				opened = true;
			}
			open_el(x, "rule");
			text_el(x, "name", fw_names_add(&x->m.names, fw_printf(x->a,
			    "%s-%s-%u", p ? p->name : "nat", ir_svc_name[n->svc], n->node),
			    n));
			open_el(x, "static-nat-rule-match");
			open_el(x, "destination-address");
			addr_format(&n->pub, buf, sizeof(buf));
			text_el(x, "dst-addr", fw_printf(x->a, "%s/%u", buf, n->pub.prefix));
			close_el(x);
			close_el(x);
			open_el(x, "then");
			open_el(x, "static-nat");
			open_el(x, "prefix");
			addr_format(&n->real, buf, sizeof(buf));
			text_el(x, "addr-prefix", fw_printf(x->a, "%s/%u", buf,
			    n->real.prefix));
			close_el(x);
			close_el(x);
			close_el(x);
			close_el(x);
		}
		if (opened)
			close_el(x);
	}
	close_el(x);
	close_el(x);
}

static const char *
policy_description(struct srx *x, const struct fw_rule *r)
{
	const struct ir_flow *fl = r->flow;
	const char *d = fw_printf(x->a, "%s: %s -> %s", fl->id,
	    r->src.any ? fl->src.label : r->src.label,
	    r->dst.any ? fl->dst.label : r->dst.label);
	size_t c;

	for (c = 0; c < fl->def->ncites; c++)
		d = fw_printf(x->a, "%s; %s", d, ir_cite_format(x->a,
		    &fl->def->cites[c]));
	return fw_text(x->a, d, NULL, SRX_DESCLEN);
}

/* A rule's place in the policies: its (from, to) legs, then its index. */
struct rkey {
	size_t	 pair, i;
};

static int
rkey_cmp(const void *a, const void *b)
{
	const struct rkey *x = a, *y = b;

	if (x->pair != y->pair)
		return x->pair < y->pair ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * One policy block per (from, to) pair of legs, in leg order, its rules
 * in rule order: the rules sorted by (from leg, to leg, index) once, not
 * a scan of every rule per pair of legs (a firewall between N zones).
 */
static void
put_policies(struct srx *x)
{
	const struct ir_device *dev = x->dev;
	size_t *legz, i, n = 0, j;
	struct rkey *v;

	if (x->m.nrules == 0)
		return;
	legz = fw_legs_by_zone(x->a, x->site, dev);
	v = xcalloc(x->m.nrules, sizeof(*v));
	for (i = 0; i < x->m.nrules; i++) {
		const struct fw_rule *r = &x->m.rules[i];

		if (!legz[r->from->index] || !legz[r->to->index])
			continue;
		v[n].pair = (legz[r->from->index] - 1) * dev->nifaces +
		    legz[r->to->index] - 1;
		v[n++].i = i;
	}
	qsort(v, n, sizeof(*v), rkey_cmp);
	open_el(x, "policies");
	for (j = 0; j < n; j++) {
		const struct fw_rule *r = &x->m.rules[v[j].i];

		if (j == 0 || v[j].pair != v[j - 1].pair) {
			if (j > 0)
				close_el(x);
			open_el(x, "policy");
			text_el(x, "from-zone-name", r->from->name);
			text_el(x, "to-zone-name", r->to->name);
		}
		open_el(x, "policy");
		text_el(x, "name", x->policy_names[v[j].i]);
		text_el(x, "description", policy_description(x, r));
		open_el(x, "match");
		text_el(x, "source-address", group_of(&r->src));
		text_el(x, "destination-address", group_of(&r->dst));
		text_el(x, "application", app_of(x, r->flow));
		close_el(x);
		open_el(x, "then");
		empty_el(x, "permit");
		close_el(x);
		close_el(x);
	}
	if (n > 0)
		close_el(x);
	free(v);
	close_el(x);
}

static void
put_zones(struct srx *x)
{
	const struct ir_device *dev = x->dev;
	size_t i;

	open_el(x, "zones");
	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_iface *f = &dev->ifaces[i];

		open_el(x, "security-zone");
		text_el(x, "name", f->zone->name);
		if (f->zone->description)
			text_el(x, "description", fw_text(x->a, f->zone->description, NULL,
			    SRX_DESCLEN));
		if (f->ifname)
			named_el(x, "interfaces", f->ifname);
		close_el(x);
	}
	close_el(x);
}

static void
put_applications(struct srx *x)
{
	size_t i;

	if (x->apps.n == 0)
		return;
	open_el(x, "applications");
	for (i = 0; i < x->apps.n; i++) {
		const struct fw_svc *s = &x->apps.v[i];

		open_el(x, "application");
		text_el(x, "name", s->name);
		text_el(x, "protocol", s->proto == PROTO_TCP ? "tcp" : "udp");
		if (s->slo != 0)
			text_el(x, "source-port", s->slo == s->shi ?
			    fw_printf(x->a, "%u", s->slo) :
			    fw_printf(x->a, "%u-%u", s->slo, s->shi));
		text_el(x, "destination-port", s->lo == s->hi ?
		    fw_printf(x->a, "%u", s->lo) :
		    fw_printf(x->a, "%u-%u", s->lo, s->hi));
		close_el(x);
	}
	for (i = 0; i < x->sets.n; i++) {
		const struct fw_svc *s = &x->sets.v[i];

		open_el(x, "application-set");
		text_el(x, "name", s->name);
		named_el(x, "application", fw_svc_find(&x->apps, PROTO_TCP, s->lo,
		    s->hi, s->slo, s->shi)->name);
		named_el(x, "application", fw_svc_find(&x->apps, PROTO_UDP, s->lo,
		    s->hi, s->slo, s->shi)->name);
		close_el(x);
	}
	close_el(x);
}

static int
srx_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	struct srx x;
	xmlBufferPtr buf;
	const char *group;
	size_t i;

	if (fw_check(site, dev, NULL, "srx") != 0)
		return -1;	/* srx_check says why */
	memset(&x, 0, sizeof(x));
	if ((buf = xmlBufferCreate()) == NULL)
		return -1;
	if ((x.w = xmlNewTextWriterMemory(buf, 0)) == NULL) {
		xmlBufferFree(buf);
		return -1;
	}
	x.a = arena_new();
	x.site = site;
	x.dev = dev;
	collect(&x);

	if (xmlTextWriterSetIndent(x.w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x.w, BAD_CAST "  ") < 0)
		x.err = -1;
	open_el(&x, "configuration");
	group = fw_names_add(&x.m.names, dev->name, dev);
	if (opts->header) {
		for (i = 0; opts->header[i]; i++)
			comment(&x, opts->header[i]);
		if (dev->description)
			comment(&x, fw_printf(x.a, "description: %s", dev->description));
		put_howto(&x, group);
	}
	open_el(&x, "groups");
	if (xmlTextWriterWriteAttribute(x.w, BAD_CAST "replace", BAD_CAST "replace") < 0)
		x.err = -1;
	text_el(&x, "name", group);
	open_el(&x, "security");
	put_address_book(&x);
	put_nat(&x);
	put_policies(&x);
	if (!dev->shared)
		put_zones(&x);
	close_el(&x);
	put_applications(&x);
	close_el(&x);
	text_el(&x, "apply-groups", group);
	close_el(&x);
	if (xmlTextWriterEndDocument(x.w) < 0)
		x.err = -1;
	xmlFreeTextWriter(x.w);
	if (x.err == 0)
		sb_putn(out, (const char *)xmlBufferContent(buf),
		    (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	arena_free(x.a);
	return x.err;
}

/* ---- what the config does with one packet (lyncc query) -------------------- */

static bool
policy_side_holds(const struct fw_end *e, const struct ir_addr *a)
{
	return e->any || fw_set_has(&e->set, a);
}

/*
 * Junos flow mode, first packet: static NAT of a rule-set from the ingress
 * zone translates the destination (put_nat); then the policies of the
 * (from-zone, to-zone) context, as put_policies writes them from the same
 * model (collect), in order, first match; then the default policy,
 * deny-all (on a shared firewall: the operator's own policies and default).
 * Address `any` is either family; applications match the protocol, the
 * destination port and the documented source ports.
 */
static void
srx_decide(const struct ir_site *site, const struct ir_device *dev,
    const struct fw_packet *p, const struct ir_zone *in, const struct ir_zone *out,
    struct arena *a, struct fw_decision *d)
{
	struct srx x;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->dst = p->dst;
	if ((d->nat = fw_nat_of_pub(site, dev, in, &p->dst)) != NULL)
		d->dst = d->nat->real;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.site = site;
	x.dev = dev;
	collect(&x);
	for (i = 0; i < x.m.nrules; i++) {
		const struct fw_rule *r = &x.m.rules[i];
		const struct fw_svc *s;

		if (r->from != in || r->to != out ||
		    !policy_side_holds(&r->src, &p->src) ||
		    !policy_side_holds(&r->dst, &d->dst))
			continue;
		/* the application, or the tcp and udp ones of a set */
		s = fw_svc_of(r->flow->proto == PROTO_TCPUDP ? &x.sets : &x.apps, r->flow);
		if (!fw_svc_holds(s, p))
			continue;
		d->permit = true;
		d->flow = r->flow;
		d->rule = fw_printf(a, "from-zone %s to-zone %s policy %s "
		    "(source-address %s, destination-address %s, application %s)",
		    in->name, out->name, x.policy_names[i], group_of(&r->src),
		    group_of(&r->dst), app_of(&x, r->flow));
		return;
	}
	d->rule = fw_printf(a, "from-zone %s to-zone %s: no policy matches; %s",
	    in->name, out ? out->name : "?", dev->shared ? "the operator's own "
	    "policies and default policy decide" : "default-policy deny-all");
}

const struct lyncc_backend srx_backend = {
	.name		= "srx",
	.file_ext	= ".srx.xml",
	.kind		= DEV_FIREWALL,
	.description	= "Juniper SRX Junos XML",
	.check		= srx_check,
	.emit		= srx_emit,
	.decide		= srx_decide,
};
