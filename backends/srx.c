/*
 * srx.c - Juniper SRX backend: one firewall's policy as a Junos XML
 * <configuration> document, the form `load merge FILE` and NETCONF
 * <edit-config> accept.  Written with libxml2's xmlTextWriter (so every
 * text is escaped by the library), two-space indentation, one element per
 * line, list keys first in each entry:
 *
 *   <configuration>
 *     <!-- header -->
 *     <security>
 *       <address-book>              the global address book
 *         <name>global</name>
 *         <address>                 one per address, in address order:
 *           <name>h-203.0.113.21</name>   h-ADDR (host), n-ADDR_LEN (prefix)
 *           <ip-prefix>203.0.113.21/32</ip-prefix>
 *         </address>
 *         <address-set>             one per endpoint (role of a pool, or a
 *           <name>edge01.access</name>     narrowed party), named after it
 *           <address><name>h-203.0.113.21</name></address>
 *         </address-set>
 *       </address-book>
 *       <nat><static><rule-set>     static NAT the site declares: one
 *         ...                       rule-set per outside zone, one rule per
 *       </rule-set></static></nat>  address (destination PUB -> prefix REAL)
 *       <policies>
 *         <policy>                  one per from-zone/to-zone pair
 *           <from-zone-name/><to-zone-name/>
 *           <policy>                one per flow, named after its ID,
 *             <name/><description/>      described by ID, ends, citations
 *             <match>source-address, destination-address, application</match>
 *             <then><permit/></then>
 *           </policy>
 *         </policy>
 *       </policies>
 *       <zones>                     the firewall's zones, with the
 *         <security-zone>...        interface when the site names it
 *       </zones>
 *     </security>
 *     <applications>                tcp-443, udp-50000-59999; tcp-udp ports
 *       <application/>              are an application-set of the tcp and
 *       <application-set/>          udp applications
 *     </applications>
 *   </configuration>
 *
 * A documented "any" endpoint is the predefined address `any`.  Anything
 * not permitted falls to the SRX default policy (deny).  Names are at most
 * 63 characters of letters, digits and ._- and unique within the document.
 */
#include "backend.h"
#include "arena.h"
#include "fw_common.h"

#include <libxml/xmlwriter.h>
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
	struct fw_svc		*apps;		/* single-protocol applications */
	size_t			 napps, capapps;
	struct fw_svc		*sets;		/* tcp-udp application-sets */
	size_t			 nsets, capsets;
	const char		**policy_names;	/* parallel to dev->flows */
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
group_of(const struct srx *x, const struct ir_endpoint *e)
{
	return e->addrs.any ? "any" : fw_model_group(&x->m, e);
}

static const char *
app_of(const struct srx *x, const struct ir_flow *fl)
{
	if (fl->proto == PROTO_TCPUDP)
		return fw_svc_find(x->sets, x->nsets, fl->proto, fl->port_lo,
		    fl->port_hi)->name;
	return fw_svc_find(x->apps, x->napps, fl->proto, fl->port_lo,
	    fl->port_hi)->name;
}

static void
collect(struct srx *x)
{
	const struct ir_device *dev = x->dev;
	size_t i;

	fw_model_init(&x->m, x->a, dev, false, SRX_NAMELEN, SRX_NAMECHARS);
	for (i = 0; i < dev->nflows; i++) {
		const struct ir_flow *fl = dev->flows[i].flow;

		if (fl->proto & PROTO_TCP)
			fw_svc_add(x->a, &x->apps, &x->napps, &x->capapps, PROTO_TCP,
			    fl->port_lo, fl->port_hi);
		if (fl->proto & PROTO_UDP)
			fw_svc_add(x->a, &x->apps, &x->napps, &x->capapps, PROTO_UDP,
			    fl->port_lo, fl->port_hi);
		if (fl->proto == PROTO_TCPUDP)
			fw_svc_add(x->a, &x->sets, &x->nsets, &x->capsets, PROTO_TCPUDP,
			    fl->port_lo, fl->port_hi);
	}
	fw_svc_name(&x->m, x->apps, x->napps);
	fw_svc_name(&x->m, x->sets, x->nsets);
	/* policy names, unique in the whole document */
	x->policy_names = arena_alloc(x->a, (dev->nflows + 1) * sizeof(char *));
	for (i = 0; i < dev->nflows; i++)
		x->policy_names[i] = fw_names_add(&x->m.names, dev->flows[i].flow->id,
		    &dev->flows[i]);
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
		text_el(x, "ip-prefix", addr_is_host(ad) ? arena_printf(x->a, "%s/%u",
		    buf, ad->prefix) : buf);
		close_el(x);
	}
	for (i = 0; i < x->m.ngrps; i++) {
		open_el(x, "address-set");
		text_el(x, "name", x->m.grps[i].name);
		for (k = 0; k < x->m.grps[i].set->n; k++)
			named_el(x, "address", fw_model_addr(&x->m,
			    &x->m.grps[i].set->v[k]));
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
				    arena_printf(x->a, "static-nat-%s", oz->name), NULL));
				open_el(x, "from");
				text_el(x, "zone", oz->name);
				close_el(x);
				opened = true;
			}
			open_el(x, "rule");
			text_el(x, "name", fw_names_add(&x->m.names, arena_printf(x->a,
			    "%s-%s-%u", p ? p->name : "nat", ir_svc_name[n->svc], n->node),
			    n));
			open_el(x, "static-nat-rule-match");
			open_el(x, "destination-address");
			addr_format(&n->pub, buf, sizeof(buf));
			text_el(x, "dst-addr", arena_printf(x->a, "%s/%u", buf, n->pub.prefix));
			close_el(x);
			close_el(x);
			open_el(x, "then");
			open_el(x, "static-nat");
			open_el(x, "prefix");
			addr_format(&n->real, buf, sizeof(buf));
			text_el(x, "addr-prefix", arena_printf(x->a, "%s/%u", buf,
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
policy_description(struct srx *x, const struct ir_flow *fl)
{
	const char *d = arena_printf(x->a, "%s: %s -> %s", fl->id, fl->src.label,
	    fl->dst.label);
	size_t c;

	for (c = 0; c < fl->def->ncites; c++)
		d = arena_printf(x->a, "%s; %s", d, ir_cite_format(x->a,
		    &fl->def->cites[c]));
	return fw_text(x->a, d, NULL, SRX_DESCLEN);
}

static void
put_policies(struct srx *x)
{
	const struct ir_device *dev = x->dev;
	size_t fz, tz, i;

	if (dev->nflows == 0)
		return;
	open_el(x, "policies");
	for (fz = 0; fz < dev->nifaces; fz++)
		for (tz = 0; tz < dev->nifaces; tz++) {
			const struct ir_zone *from = dev->ifaces[fz].zone;
			const struct ir_zone *to = dev->ifaces[tz].zone;
			bool opened = false;

			for (i = 0; i < dev->nflows; i++) {
				const struct ir_fwflow *ff = &dev->flows[i];

				if (ff->from != from || ff->to != to)
					continue;
				if (!opened) {
					open_el(x, "policy");
					text_el(x, "from-zone-name", from->name);
					text_el(x, "to-zone-name", to->name);
					opened = true;
				}
				open_el(x, "policy");
				text_el(x, "name", x->policy_names[i]);
				text_el(x, "description", policy_description(x, ff->flow));
				open_el(x, "match");
				text_el(x, "source-address", group_of(x, &ff->flow->src));
				text_el(x, "destination-address", group_of(x, &ff->flow->dst));
				text_el(x, "application", app_of(x, ff->flow));
				close_el(x);
				open_el(x, "then");
				empty_el(x, "permit");
				close_el(x);
				close_el(x);
			}
			if (opened)
				close_el(x);
		}
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

	if (x->napps == 0)
		return;
	open_el(x, "applications");
	for (i = 0; i < x->napps; i++) {
		const struct fw_svc *s = &x->apps[i];

		open_el(x, "application");
		text_el(x, "name", s->name);
		text_el(x, "protocol", s->proto == PROTO_TCP ? "tcp" : "udp");
		text_el(x, "destination-port", s->lo == s->hi ?
		    arena_printf(x->a, "%u", s->lo) :
		    arena_printf(x->a, "%u-%u", s->lo, s->hi));
		close_el(x);
	}
	for (i = 0; i < x->nsets; i++) {
		const struct fw_svc *s = &x->sets[i];

		open_el(x, "application-set");
		text_el(x, "name", s->name);
		named_el(x, "application", fw_svc_find(x->apps, x->napps, PROTO_TCP, s->lo,
		    s->hi)->name);
		named_el(x, "application", fw_svc_find(x->apps, x->napps, PROTO_UDP, s->lo,
		    s->hi)->name);
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
	if (opts->header) {
		for (i = 0; opts->header[i]; i++)
			comment(&x, opts->header[i]);
		if (dev->description)
			comment(&x, arena_printf(x.a, "description: %s", dev->description));
	}
	open_el(&x, "security");
	put_address_book(&x);
	put_nat(&x);
	put_policies(&x);
	put_zones(&x);
	close_el(&x);
	put_applications(&x);
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
policy_side_holds(const struct ir_endpoint *e, const struct ir_addr *a)
{
	return e->addrs.any || fw_set_has(&e->addrs, a);
}

/*
 * Junos flow mode, first packet: static NAT of a rule-set from the ingress
 * zone translates the destination (put_nat); then the policies of the
 * (from-zone, to-zone) context put_policies writes, in flow order, first
 * match; then the default policy, deny-all.  Address `any` is either
 * family; applications match the destination port.
 */
static void
srx_decide(const struct ir_site *site, const struct ir_device *dev,
    const struct fw_packet *p, const struct ir_zone *in, const struct ir_zone *out,
    struct arena *a, struct fw_decision *d)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->dst = p->dst;
	if ((d->nat = fw_nat_of_pub(site, dev, in, &p->dst)) != NULL)
		d->dst = d->nat->real;
	for (i = 0; i < dev->nflows; i++) {
		const struct ir_fwflow *ff = &dev->flows[i];

		if (ff->from != in || ff->to != out || !fw_ports_hold(ff->flow, p) ||
		    !policy_side_holds(&ff->flow->src, &p->src) ||
		    !policy_side_holds(&ff->flow->dst, &d->dst))
			continue;
		d->permit = true;
		d->by = ff;
		return;
	}
	d->rule = arena_printf(a, "from-zone %s to-zone %s: no policy matches; "
	    "default-policy deny-all", in->name, out ? out->name : "?");
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
