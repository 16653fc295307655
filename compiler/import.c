/*
 * import.c - a Topology Builder topology to .lync sites (docs/import.md).
 *
 * Two documents hold a topology: the published one (Get-CsTopology -AsXml:
 * <Topology> in urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008,
 * clusters known by ClusterId SiteId/Number, services by ServiceId) and
 * Topology Builder's .tbxml (<TopologyBuilder>/<NewTopology>/
 * <PartialTopology>, clusters nested in their CentralSite and known by
 * UniqueId, services by UniqueId with InstalledOn="UNIQUEID").  Both are
 * read into one model (sites, clusters with machines and interfaces,
 * services), and each central site is written as a .lync file.
 *
 * The XML is parsed with libxml2 without entity substitution, without the
 * network and without any DTD: a document with a DOCTYPE is refused before
 * it is parsed, so neither an external entity nor an entity bomb is read.
 * Every name and text taken from the document is rewritten into a valid
 * .lync name, checked as an address, or reduced to printable ASCII in a
 * comment, so that nothing in a topology can add a statement to the site.
 */
#include "import.h"
#include "arena.h"
#include "hmap.h"
#include "strbuf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define NS_TOPO	"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"
#define NS_TB	"urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"
#define NS_WT	"urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008"

#define MAX_NODES	20	/* docs/language.md: nodes 1-20 */
#define NAME_MAX_LEN	48

enum role {
	R_FE = 1 << 0, R_DIR = 1 << 1, R_EDGE = 1 << 2, R_MED = 1 << 3,
	R_PCHAT = 1 << 4, R_WAC = 1 << 5, R_GW = 1 << 6, R_CMS = 1 << 7,
	R_XMPPGW = 1 << 8,
};

struct iface {
	const char	*side;		/* Primary, Internal, External, Pstn */
	unsigned	 num;
	const char	*ip, *cfg;	/* IPAddress, ConfiguredIPAddress */
	xmlNode		*n;
};

struct machine {
	const char	*fqdn;
	struct iface	*ifs;
	size_t		 nifs, capifs;
	xmlNode		*n;
};

struct service;

struct cluster {
	const char	*key, *site, *fqdn, *number;
	struct machine	*m;
	size_t		 nm, capm;
	xmlNode		*n;
	unsigned	 roles;
	struct service	*edge, *med, *gw;	/* EdgeServer, MediationServer, PstnGateway */
	struct service	*web;		/* WebServices */
	const char	*name;		/* the pool's .lync name */
};

struct service {
	const char	*key, *role, *on;
	xmlNode		*n;
	struct cluster	*c;
};

struct site {
	const char	*id, *name, *lname;
	xmlNode		*n;
	struct cluster	**cl;		/* its clusters, in document order */
	size_t		 ncl, capcl;
};

struct ctx {
	struct arena	*a;
	const char	*file;
	struct strbuf	 diags;
	unsigned	 nerr;
	const char	*domain;
	xmlNode		*domain_n;
	struct site	*sites;
	size_t		 nsites, capsites;
	struct cluster	**cl;
	size_t		 ncl, capcl;
	struct service	*sv;
	size_t		 nsv, capsv;
	struct hmap	 clmap, svmap, sitemap;
};

static void ierr(struct ctx *, xmlNode *, const char *, ...)
    __attribute__((__format__(printf, 3, 4)));

/* Printable ASCII only (a comment or a description): anything else is '?'. */
static const char *
safe(struct ctx *x, const char *s)
{
	size_t i, n = s ? strlen(s) : 0;
	char *o;

	if (n > 200)
		n = 200;
	o = arena_alloc(x->a, n + 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		o[i] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? (char)c : '?';
	}
	return o;
}

static void
ierr(struct ctx *x, xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	if (n)
		sb_printf(&x->diags, "%s:%ld: error: ", safe(x, x->file), xmlGetLineNo(n));
	else
		sb_printf(&x->diags, "%s: error: ", safe(x, x->file));
	if (n && n->name)
		sb_printf(&x->diags, "<%s>: ", safe(x, (const char *)n->name));
	va_start(ap, fmt);
	sb_vprintf(&x->diags, fmt, ap);
	va_end(ap);
	sb_putc(&x->diags, '\n');
	x->nerr++;
}

static bool
is_el(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
child(const xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (is_el(c, name))
			return c;
	return NULL;
}

static const char *
attr(struct ctx *x, xmlNode *n, const char *name)
{
	xmlChar *v = n ? xmlGetNoNsProp(n, (const xmlChar *)name) : NULL;
	char *s;

	if (v == NULL)
		return NULL;
	s = arena_strdup(x->a, (const char *)v);
	xmlFree(v);
	return s;
}

static const char *
text(struct ctx *x, xmlNode *n)
{
	xmlChar *v = n ? xmlNodeGetContent(n) : NULL;
	char *s, *e;

	if (v == NULL)
		return NULL;
	s = (char *)v;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	s = arena_strdup(x->a, s);
	xmlFree(v);
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* ---- reading ------------------------------------------------------------ */

static void
read_machine(struct ctx *x, struct cluster *c, xmlNode *mn)
{
	struct machine *m = VEC_PUSH(x->a, c->m, c->nm, c->capm);
	xmlNode *i;

	memset(m, 0, sizeof(*m));
	m->n = mn;
	m->fqdn = attr(x, mn, "Fqdn");
	for (i = mn->children; i; i = i->next) {
		struct iface *f;
		const char *num;

		if (!is_el(i, "NetInterface"))
			continue;
		f = VEC_PUSH(x->a, m->ifs, m->nifs, m->capifs);
		f->n = i;
		f->side = attr(x, i, "InterfaceSide");
		num = attr(x, i, "InterfaceNumber");
		f->num = num ? (unsigned)strtoul(num, NULL, 10) : 1;
		f->ip = attr(x, i, "IPAddress");
		f->cfg = attr(x, i, "ConfiguredIPAddress");
		if (f->side == NULL)
			ierr(x, i, "no InterfaceSide attribute (Primary, Internal, "
			    "External or Pstn)");
	}
}

static void
read_cluster(struct ctx *x, xmlNode *cn, const char *site, bool tbxml)
{
	struct cluster *c = arena_alloc(x->a, sizeof(*c));
	xmlNode *k, *ms;

	c->n = cn;
	c->fqdn = attr(x, cn, "Fqdn");
	if (tbxml) {
		c->key = attr(x, cn, "UniqueId");
		c->site = site;
		if (c->key == NULL) {
			ierr(x, cn, "no UniqueId attribute");
			return;
		}
	} else {
		if ((k = child(cn, "ClusterId")) == NULL) {
			ierr(x, cn, "no <ClusterId SiteId=... Number=...> element");
			return;
		}
		c->site = attr(x, k, "SiteId");
		c->number = attr(x, k, "Number");
		if (c->site == NULL || c->number == NULL) {
			ierr(x, k, "needs both SiteId and Number");
			return;
		}
		c->key = arena_printf(x->a, "%s/%s", c->site, c->number);
	}
	for (k = cn->children; k; k = k->next)
		if (is_el(k, "Machine"))
			read_machine(x, c, k);
	if ((ms = child(cn, "Machines")) != NULL)
		for (k = ms->children; k; k = k->next)
			if (is_el(k, "Machine"))
				read_machine(x, c, k);
	if (hmap_sput(&x->clmap, c->key, c) != NULL) {
		ierr(x, cn, "a second cluster '%s'", safe(x, c->key));
		return;
	}
	*VEC_PUSH(x->a, x->cl, x->ncl, x->capcl) = c;
}

static void
read_site(struct ctx *x, xmlNode *sn, bool tbxml)
{
	struct site *s;
	xmlNode *cs, *c;

	s = VEC_PUSH(x->a, x->sites, x->nsites, x->capsites);
	memset(s, 0, sizeof(*s));
	s->n = sn;
	s->id = attr(x, sn, "SiteId");
	s->name = text(x, child(sn, "Name"));
	if (s->id == NULL) {
		ierr(x, sn, "no SiteId attribute");
		s->id = "";
	}
	if (hmap_sput(&x->sitemap, s->id, sn) != NULL)
		ierr(x, sn, "a second central site with SiteId '%s'", safe(x, s->id));
	if (s->name == NULL || s->name[0] == '\0')
		ierr(x, sn, "no <Name> element: a central site needs a name");
	if (tbxml && (cs = child(sn, "Clusters")) != NULL)
		for (c = cs->children; c; c = c->next)
			if (is_el(c, "Cluster"))
				read_cluster(x, c, s->id, true);
}

static void
read_service(struct ctx *x, xmlNode *sn, bool tbxml)
{
	struct service *v = VEC_PUSH(x->a, x->sv, x->nsv, x->capsv);
	xmlNode *id, *on;

	memset(v, 0, sizeof(*v));
	v->n = sn;
	if (tbxml) {
		v->key = attr(x, sn, "UniqueId");
		v->role = attr(x, sn, "RoleName");
		v->on = attr(x, sn, "InstalledOn");
	} else {
		if ((id = child(sn, "ServiceId")) != NULL) {
			v->role = attr(x, id, "RoleName");
			v->key = arena_printf(x->a, "%s/%s/%s", attr(x, id, "SiteId") ?
			    attr(x, id, "SiteId") : "", v->role ? v->role : "",
			    attr(x, id, "Instance") ? attr(x, id, "Instance") : "");
		}
		if ((on = child(child(sn, "InstalledOn"), "ClusterId")) != NULL)
			v->on = arena_printf(x->a, "%s/%s", attr(x, on, "SiteId") ?
			    attr(x, on, "SiteId") : "", attr(x, on, "Number") ?
			    attr(x, on, "Number") : "");
	}
	if (v->role == NULL)
		ierr(x, sn, tbxml ? "no RoleName attribute" :
		    "no <ServiceId RoleName=...> element");
	/* indexed in svmap once all are read: the array moves as it grows */
}

/* A Port of a service: the first whose attributes match (NULL: any). */
static xmlNode *
find_port(struct ctx *x, const struct service *v, const char *owner,
    const char *side, const char *usage, const char *proto)
{
	xmlNode *p;

	for (p = child(v->n, "Ports") ? child(v->n, "Ports")->children : NULL; p;
	    p = p->next) {
		const char *o, *s, *u, *pr;

		if (!is_el(p, "Port"))
			continue;
		o = attr(x, p, "Owner");
		s = attr(x, p, "InterfaceSide");
		u = attr(x, p, "Usage");
		pr = attr(x, p, "Protocol");
		if ((owner && (!o || strcmp(o, owner))) || (side && (!s || strcmp(s, side))) ||
		    (usage && (!u || strcmp(u, usage))) || (proto && (!pr || strcmp(pr, proto))))
			continue;
		return p;
	}
	return NULL;
}

static bool
role_is(const struct service *v, const char *r)
{
	return v->role && strcmp(v->role, r) == 0;
}

/* Which roles each cluster holds: the services installed on it. */
static void
assign_roles(struct ctx *x)
{
	size_t i;

	for (i = 0; i < x->nsv; i++)	/* every service read: their final places */
		if (x->sv[i].key)
			hmap_sput(&x->svmap, x->sv[i].key, &x->sv[i]);
	for (i = 0; i < x->nsv; i++) {
		struct service *v = &x->sv[i];
		unsigned r = 0;

		if (v->role == NULL)
			continue;
		if (role_is(v, "Registrar")) {
			const char *d = attr(x, child(v->n, "RegistrarService"), "IsDirector");

			r = d && strcmp(d, "true") == 0 ? R_DIR : R_FE;
			if (r == R_FE && find_port(x, v, "urn:component:XmppFederation",
			    NULL, NULL, NULL))
				r |= R_XMPPGW;
		} else if (role_is(v, "EdgeServer"))
			r = R_EDGE;
		else if (role_is(v, "MediationServer"))
			r = R_MED;
		else if (role_is(v, "PersistentChatServer") ||
		    role_is(v, "PersistentChatService"))
			r = R_PCHAT;
		else if (role_is(v, "WacService"))
			r = R_WAC;
		else if (role_is(v, "PstnGateway"))
			r = R_GW;
		else if (role_is(v, "CentralMgmt"))
			r = R_CMS;
		else if (role_is(v, "WebServices") && v->on &&
		    (v->c = hmap_sget(&x->clmap, v->on)) != NULL)
			v->c->web = v;
		if (r == 0)
			continue;
		if (v->on == NULL || (v->c = hmap_sget(&x->clmap, v->on)) == NULL) {
			ierr(x, v->n, "the %s service is installed on no cluster of "
			    "this topology (InstalledOn '%s')", safe(x, v->role),
			    v->on ? safe(x, v->on) : "");
			continue;
		}
		v->c->roles |= r;
		if (r == R_EDGE)
			v->c->edge = v;
		if (r == R_MED)
			v->c->med = v;
		if (r == R_GW)
			v->c->gw = v;
	}
}

/* ---- writing ------------------------------------------------------------ */

/* A .lync name from text: letters, digits, '-' and '_', starting with a
 * letter, at most 48 characters, unique among the used names. */
static const char *
make_name(struct ctx *x, struct hmap *used, const char *from, const char *prefix)
{
	char buf[NAME_MAX_LEN + 1];
	size_t n = 0, i;
	const char *s = from ? from : "";
	unsigned k;
	char *out;

	if (!isalpha((unsigned char)s[0])) {
		for (i = 0; prefix[i] && n < 40; i++)
			buf[n++] = prefix[i];
	}
	for (i = 0; s[i] && n < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || c == '_')
			buf[n++] = (char)tolower(c);
		else if (n > 0 && buf[n - 1] != '-')
			buf[n++] = '-';
	}
	while (n > 1 && buf[n - 1] == '-')
		n--;
	buf[n] = '\0';
	for (k = 1; ; k++) {
		out = k == 1 ? arena_strdup(x->a, buf) : arena_printf(x->a, "%s-%u", buf, k);
		if (hmap_sget(used, out) == NULL) {
			hmap_sput(used, out, out);
			return out;
		}
	}
}

/* The first DNS label of an FQDN. */
static const char *
first_label(struct ctx *x, const char *fqdn)
{
	const char *d;

	if (fqdn == NULL)
		return NULL;
	d = strchr(fqdn, '.');
	return d ? arena_strndup(x->a, fqdn, (size_t)(d - fqdn)) : fqdn;
}

struct out {
	struct ctx	*x;
	struct strbuf	 b;
	unsigned	 todo;		/* placeholders written */
};

/* An address word: the address, or a TODO- placeholder when the topology
 * has none or says 0.0.0.0 ("use all configured addresses"). */
static const char *
addr_word(struct out *o, xmlNode *where, const char *ip, const char *ph)
{
	unsigned char buf[16];

	if (ip == NULL || ip[0] == '\0' || strcmp(ip, "0.0.0.0") == 0 ||
	    strcmp(ip, "::") == 0) {
		o->todo++;
		return ph;
	}
	if (inet_pton(AF_INET, ip, buf) != 1 && inet_pton(AF_INET6, ip, buf) != 1) {
		ierr(o->x, where, "'%s' is not an IPv4 or IPv6 address", safe(o->x, ip));
		return ph;
	}
	return ip;
}

static const struct iface *
find_if(const struct machine *m, const char *side, unsigned num)
{
	size_t i;

	for (i = 0; i < m->nifs; i++)
		if (m->ifs[i].side && strcmp(m->ifs[i].side, side) == 0 &&
		    (num == 0 || m->ifs[i].num == num))
			return &m->ifs[i];
	return NULL;
}

static void
pool_head(struct out *o, const struct cluster *c, const struct site *s,
    const char *kind)
{
	struct ctx *x = o->x;

	sb_printf(&o->b, "\n%s pool %s <\n", kind, c->name);
	sb_printf(&o->b, "  description \"%s\";\n", safe(x, arena_printf(x->a,
	    "imported: %s cluster %s", c->fqdn ? c->fqdn : "(no FQDN)",
	    c->number ? c->number : c->key)));
	if (c->nm > MAX_NODES)
		ierr(x, c->n, "%zu machines: a .lync pool has at most %d nodes",
		    c->nm, MAX_NODES);
	if (c->nm == 0)
		sb_printf(&o->b, "  # TODO(lyncc import): the topology lists no machine "
		    "in this cluster\n  nodes 1;\n");
	else
		sb_printf(&o->b, "  nodes %zu;\n", c->nm);
	(void)s;
}

/* A one-sided pool: frontend, director, mediation, pchat, owa. */
static void
write_pool(struct out *o, const struct cluster *c, const struct site *s,
    const char *kind, const char *next_hop)
{
	struct ctx *x = o->x;
	size_t i, nm = c->nm ? c->nm : 1;

	pool_head(o, c, s, kind);
	sb_puts(&o->b, "  zone corp;\n");
	if (nm > 1) {
		sb_printf(&o->b, "  # TODO(lyncc import): the topology does not say how "
		    "this pool is load balanced;\n"
		    "  # 'lb dns' if it uses DNS load balancing (its web services still "
		    "need an HLB VIP)\n  lb hlb;\n"
		    "  # TODO(lyncc import): a topology holds no HLB monitoring port: add "
		    "'monitor-port N;'\n  # if the HLB monitors another port than each "
		    "service's\n");
		sb_printf(&o->b, "  # TODO(lyncc import): the HLB VIP (the address %s "
		    "resolves to)\n  vip TODO-VIP-%s;\n", c->fqdn ? safe(x, c->fqdn) :
		    "the pool FQDN", c->name);
		o->todo++;
	}
	for (i = 0; i < nm; i++) {
		const struct machine *m = i < c->nm ? &c->m[i] : NULL;
		const struct iface *f = m ? find_if(m, "Primary", 0) : NULL;
		const char *ph = arena_printf(x->a, "TODO-ADDRESS-%s-node%zu", c->name, i + 1);
		const char *w = addr_word(o, f ? f->n : m ? m->n : c->n, f ? f->ip : NULL, ph);

		if (w == ph)
			sb_printf(&o->b, "  # TODO(lyncc import): %s: %s\n",
			    m && m->fqdn ? safe(x, m->fqdn) : "this node", f ? "the topology "
			    "says 0.0.0.0 (use all configured addresses): give its address" :
			    "the topology gives no Primary address");
		sb_printf(&o->b, "  node %zu %s;%s%s\n", i + 1, w, m && m->fqdn ? "   # " : "",
		    m && m->fqdn ? safe(x, m->fqdn) : "");
	}
	if (c->web) {
		xmlNode *ws = child(c->web->n, "WebService");
		const char *ext = attr(x, child(ws, "ExternalSettings"), "Host");

		if (ext)
			sb_printf(&o->b, "  # TODO(lyncc import): external web services FQDN "
			    "%s: 'web-vip ADDRESS;' if it\n  # resolves to a VIP of this site's "
			    "HLB (the topology holds no address)\n", safe(x, ext));
	}
	if (c->roles & R_MED && strcmp(kind, "frontend") == 0)
		sb_puts(&o->b, "  mediation collocated;\n");
	if (c->roles & R_CMS && strcmp(kind, "frontend") == 0)
		sb_puts(&o->b, "  cms;\n");
	if (next_hop)
		sb_printf(&o->b, "  next-hop %s;\n", next_hop);
	sb_puts(&o->b, ">\n");
}

/* One edge service's external port (the client-facing one). */
struct edge_svc {
	const char	*word, *owner, *usage, *proto, *label;
	unsigned	 num, port;
};

static void
write_edge(struct out *o, const struct cluster *c, const struct site *s)
{
	struct ctx *x = o->x;
	struct edge_svc sv[3] = {
		{ "access", "urn:component:AccessEdge", "SipClient", NULL,
		  "Access Edge", 1, 443 },
		{ "webconf", "urn:component:DataEdge", NULL, NULL,
		  "Web Conferencing Edge", 2, 443 },
		{ "av", "urn:component:MediaRelayEdge", "TURNServer", "Tcp",
		  "A/V Edge", 3, 443 },
	};
	size_t i, k, nm = c->nm ? c->nm : 1;
	bool nat = false, hlb, nondefault = false, single = true;
	xmlNode *fed;

	for (k = 0; k < 3; k++) {
		xmlNode *p = find_port(x, c->edge, sv[k].owner, "External", sv[k].usage,
		    sv[k].proto);
		const char *v;

		/* no port given: interface k+1 when the machines have it, else 1 */
		if (p == NULL) {
			if (c->nm == 0 || !find_if(&c->m[0], "External", (unsigned)k + 1))
				sv[k].num = 1;
			continue;
		}
		if ((v = attr(x, p, "InterfaceNumber")) != NULL)
			sv[k].num = (unsigned)strtoul(v, NULL, 10);
		if ((v = attr(x, p, "Port")) != NULL)
			sv[k].port = (unsigned)strtoul(v, NULL, 10);
		if (sv[k].port != 443)
			nondefault = true;
	}
	for (k = 1; k < 3; k++)
		if (sv[k].num != sv[0].num)
			single = false;
	for (i = 0; i < c->nm; i++)
		for (k = 0; k < 3; k++) {
			const struct iface *f = find_if(&c->m[i], "External", sv[k].num);

			if (f && f->cfg && f->cfg[0] && strcmp(f->cfg, f->ip ? f->ip : "") &&
			    strcmp(f->cfg, "0.0.0.0"))
				nat = true;
		}
	hlb = nm > 1 && !nat;
	pool_head(o, c, s, "edge");
	if (nm > 1 && nat)
		sb_puts(&o->b, "  # the external addresses are translated by NAT "
		    "(ConfiguredIPAddress), which only\n"
		    "  # DNS load balancing supports (LYNC-E018)\n  lb dns;\n");
	else if (hlb)
		sb_puts(&o->b, "  # TODO(lyncc import): the topology does not say how "
		    "this pool is load balanced;\n"
		    "  # 'lb dns' if it uses DNS load balancing (then remove the vip "
		    "lines)\n  lb hlb;\n"
		    "  # TODO(lyncc import): a topology holds no HLB monitoring port: add "
		    "'monitor-port N;'\n  # if the HLB monitors another port than each "
		    "service's\n");
	if (single)
		sb_printf(&o->b, "  # TODO(lyncc import): single-address edge: Access, "
		    "Web Conferencing and A/V\n"
		    "  # share one external address (interface %u); lyncc has no "
		    "per-service edge port yet,\n"
		    "  # so it reports this as LYNC-E006: give each service its own "
		    "address\n", sv[0].num);
	if (nondefault)
		sb_printf(&o->b, "  # TODO(lyncc import): non-default external ports: "
		    "Access Edge TCP %u, Web Conferencing\n"
		    "  # Edge TCP %u, A/V Edge TCP %u; lyncc's flows use the documented "
		    "TCP 443 for each\n", sv[0].port, sv[1].port, sv[2].port);
	sb_puts(&o->b, "  external <\n    zone dmz-ext;\n");
	if (hlb) {
		sb_puts(&o->b, "    # TODO(lyncc import): the external HLB VIPs are not "
		    "in the topology\n");
		for (k = 0; k < 3; k++) {
			xmlNode *p = find_port(x, c->edge, sv[k].owner, "External",
			    sv[k].usage, sv[k].proto);
			const char *fq = p ? attr(x, p, "ConfiguredFqdn") : NULL;

			sb_printf(&o->b, "    vip %s TODO-VIP-%s-%s;", sv[k].word, c->name,
			    sv[k].word);
			if (fq)
				sb_printf(&o->b, "   # the address %s resolves to", safe(x, fq));
			sb_putc(&o->b, '\n');
		}
		o->todo += 3;
	}
	for (i = 0; i < nm; i++) {
		const struct machine *m = i < c->nm ? &c->m[i] : NULL;

		if (m && m->fqdn)
			sb_printf(&o->b, "    # %s\n", safe(x, m->fqdn));
		sb_printf(&o->b, "    node %zu <", i + 1);
		for (k = 0; k < 3; k++) {
			const struct iface *f = m ? find_if(m, "External", sv[k].num) : NULL;
			const char *ph = arena_printf(x->a, "TODO-ADDRESS-%s-node%zu-%s",
			    c->name, i + 1, sv[k].word);
			const char *w = addr_word(o, f ? f->n : m ? m->n : c->n,
			    f ? f->ip : NULL, ph);

			sb_printf(&o->b, " %s %s", sv[k].word, w);
			if (f && f->cfg && f->cfg[0] && strcmp(f->cfg, f->ip ? f->ip : "") &&
			    strcmp(f->cfg, "0.0.0.0"))
				sb_printf(&o->b, " nat %s", addr_word(o, f->n, f->cfg,
				    arena_printf(x->a, "TODO-NAT-%s-node%zu", c->name, i + 1)));
			sb_putc(&o->b, ';');
		}
		sb_puts(&o->b, " >\n");
	}
	sb_puts(&o->b, "  >\n  internal <\n    zone dmz-int;\n");
	if (hlb) {
		sb_puts(&o->b, "    # TODO(lyncc import): the internal HLB VIP is not in "
		    "the topology\n");
		sb_printf(&o->b, "    vip TODO-VIP-%s-internal;\n", c->name);
		o->todo++;
	}
	for (i = 0; i < nm; i++) {
		const struct machine *m = i < c->nm ? &c->m[i] : NULL;
		const struct iface *f = m ? find_if(m, "Internal", 0) : NULL;
		const char *ph = arena_printf(x->a, "TODO-ADDRESS-%s-node%zu-internal",
		    c->name, i + 1);

		sb_printf(&o->b, "    node %zu %s;\n", i + 1, addr_word(o, f ? f->n :
		    m ? m->n : c->n, f ? f->ip : NULL, ph));
	}
	sb_puts(&o->b, "  >\n");
	fed = find_port(x, c->edge, "urn:component:AccessEdge", "External", "SipServer",
	    NULL);
	if (fed && attr(x, fed, "Port") && strcmp(attr(x, fed, "Port"), "5061"))
		sb_printf(&o->b, "  # TODO(lyncc import): the federation port is TCP %s, "
		    "not the documented 5061\n", safe(x, attr(x, fed, "Port")));
	sb_puts(&o->b, ">\n");
}

/* The pool name of the front end a mediation server depends on. */
static const char *
mediation_next_hop(struct ctx *x, const struct cluster *c)
{
	xmlNode *d;

	for (d = child(c->med->n, "DependsOn") ? child(c->med->n, "DependsOn")->children :
	    NULL; d; d = d->next) {
		const char *k = NULL;
		struct service *v;
		xmlNode *id;

		if (!is_el(d, "Dependency"))
			continue;
		if ((k = attr(x, d, "ServiceUniqueId")) == NULL &&
		    (id = child(d, "ServiceId")) != NULL)
			k = arena_printf(x->a, "%s/%s/%s", attr(x, id, "SiteId") ?
			    attr(x, id, "SiteId") : "", attr(x, id, "RoleName") ?
			    attr(x, id, "RoleName") : "", attr(x, id, "Instance") ?
			    attr(x, id, "Instance") : "");
		if (k && (v = hmap_sget(&x->svmap, k)) != NULL && role_is(v, "Registrar") &&
		    v->c && v->c != c && (v->c->roles & R_FE) && v->c->name &&
		    strcmp(v->c->site, c->site) == 0)
			return v->c->name;
	}
	return NULL;
}

static void
write_site(struct ctx *x, const struct site *s, struct lyncc_import_site *res)
{
	struct out o;
	struct hmap used;
	size_t i, ngw = 0;
	bool edge = false, fed = false, xmpp = false, internal = false;
	const char *dom = NULL;

	memset(&o, 0, sizeof(o));
	o.x = x;
	sb_init(&o.b);
	hmap_init(&used, x->a);
	/* the zone and party names the site uses */
	hmap_sput(&used, "internet", "z");
	hmap_sput(&used, "dmz-ext", "z");
	hmap_sput(&used, "dmz-int", "z");
	hmap_sput(&used, "corp", "z");
	{
		static const char *const parties[] = { "remote-clients",
		    "federation-partners", "xmpp-partners", "pic-partners", "internal",
		    "internal-clients", "pstn-gateways", "branch-sites" };

		for (i = 0; i < sizeof(parties) / sizeof(parties[0]); i++)
			hmap_sput(&used, parties[i], "p");
	}
	for (i = 0; i < s->ncl; i++) {
		struct cluster *c = s->cl[i];

		if (!(c->roles & ~(unsigned)(R_CMS | R_XMPPGW)))
			continue;
		if ((c->roles & (R_FE | R_DIR | R_EDGE | R_MED | R_PCHAT | R_WAC)) == 0)
			continue;	/* a gateway: no pool */
		c->name = make_name(x, &used, first_label(x, c->fqdn), "pool-");
		if (c->roles & R_EDGE) {
			edge = true;
			if (find_port(x, c->edge, "urn:component:AccessEdge", "External",
			    "SipServer", "Mtls"))
				fed = true;
			if (find_port(x, c->edge, "urn:component:XmppFederationProxy",
			    "External", NULL, NULL))
				xmpp = true;
		} else
			internal = true;
	}
	for (i = 0; i < s->ncl; i++)
		if (s->cl[i]->roles & R_GW)
			ngw++;

	sb_printf(&o.b, "# Imported by lyncc import from %s\n# (central site \"%s\", "
	    "SiteId %s).\n", safe(x, strrchr(x->file, '/') ? strrchr(x->file, '/') + 1 :
	    x->file), safe(x, s->name), safe(x, s->id));
	sb_puts(&o.b, "# A \"TODO(lyncc import)\" comment says what the topology "
	    "does not hold; a TODO-...\n# word is a placeholder that lyncc check "
	    "rejects until it is replaced.\n");
	sb_printf(&o.b, "site %s;\n", s->lname);
	if (x->domain) {
		for (i = 0; x->domain[i]; i++)
			if (!isalnum((unsigned char)x->domain[i]) && x->domain[i] != '.' &&
			    x->domain[i] != '-')
				break;
		if (x->domain[i] == '\0' && i > 0 && i <= 253)
			dom = x->domain;
		else
			ierr(x, x->domain_n, "DefaultDomain '%s' is not a DNS domain name",
			    safe(x, x->domain));
	}
	if (dom)
		sb_printf(&o.b, "domain %s;\n", dom);
	else
		sb_puts(&o.b, "# TODO(lyncc import): the topology has no InternalDomains "
		    "DefaultDomain\n# domain contoso.com;\n");

	if (fed || xmpp || ngw) {
		sb_puts(&o.b, "\nfeatures <");
		if (fed)
			sb_puts(&o.b, " sip-federation;");
		if (xmpp)
			sb_puts(&o.b, " xmpp-federation;");
		if (ngw)
			sb_puts(&o.b, " enterprise-voice;");
		sb_puts(&o.b, " >\n");
	}
	if (edge)
		sb_printf(&o.b, "%s# TODO(lyncc import): public IM connectivity (public-im) "
		    "and federation with OCS 2007\n# (federation-ocs2007) are set outside "
		    "the topology: add them to features if used\n",
		    fed || xmpp || ngw ? "" : "\n");

	sb_puts(&o.b, "\n# TODO(lyncc import): a topology holds no networks: give "
	    "each zone its networks\n# (zone corp internal < networks 10.0.0.0/8; >) "
	    "and split or rename zones as needed\n");
	if (edge)
		sb_puts(&o.b, "zone internet external;\nzone dmz-ext perimeter;\n"
		    "zone dmz-int perimeter;\n");
	if (internal || edge)
		sb_puts(&o.b, "zone corp internal;\n");

	for (i = 0; i < s->ncl; i++) {
		struct cluster *c = s->cl[i];

		if (c->name == NULL)
			continue;
		if (c->roles & R_EDGE)
			write_edge(&o, c, s);
		else if (c->roles & R_DIR)
			write_pool(&o, c, s, "director", NULL);
		else if (c->roles & R_FE)
			write_pool(&o, c, s, "frontend", NULL);
		else if (c->roles & R_PCHAT)
			write_pool(&o, c, s, "pchat", NULL);
		else if (c->roles & R_MED)
			write_pool(&o, c, s, "mediation", mediation_next_hop(x, c));
		else if (c->roles & R_WAC)
			write_pool(&o, c, s, "owa", NULL);
	}
	if (ngw) {
		size_t j;

		sb_puts(&o.b, "\n# PSTN gateways (PstnGateway services)\nparty "
		    "pstn-gateways <\n");
		for (i = 0; i < s->ncl; i++) {
			struct cluster *c = s->cl[i];

			if (!(c->roles & R_GW))
				continue;
			for (j = 0; j < (c->nm ? c->nm : 1); j++) {
				const struct machine *m = j < c->nm ? &c->m[j] : NULL;
				const struct iface *f = m ? find_if(m, "Pstn", 0) : NULL;
				const char *ph = arena_printf(x->a, "TODO-ADDRESS-gateway-%s",
				    make_name(x, &used, first_label(x, c->fqdn), "gw-"));
				const char *w;

				if (f == NULL && m && m->nifs)
					f = &m->ifs[0];
				w = addr_word(&o, f ? f->n : m ? m->n : c->n, f ? f->ip : NULL, ph);
				if (w == ph)
					sb_printf(&o.b, "  # TODO(lyncc import): %s: the topology "
					    "gives no address\n", c->fqdn ? safe(x, c->fqdn) :
					    "gateway");
				sb_printf(&o.b, "  address %s;   # %s\n", w, c->fqdn ?
				    safe(x, c->fqdn) : "");
			}
			{
				xmlNode *p;
				const char *port;

				if ((p = find_port(x, c->gw, "urn:component:GatewayComp",
				    NULL, NULL, NULL)) == NULL || (port = attr(x, p, "Port")) == NULL)
					continue;
				sb_printf(&o.b, "  # TODO(lyncc import): %s listens on %s %s "
				    "(GatewayComp port); lyncc uses TCP 5060 (TLS 5061 with "
				    "pstn-gateway-tls)\n", c->fqdn ? safe(x, c->fqdn) : "the gateway",
				    attr(x, p, "Protocol") ? safe(x, attr(x, p, "Protocol")) : "port",
				    safe(x, port));
			}
		}
		sb_puts(&o.b, ">\n");
	}
	sb_puts(&o.b, "\n# TODO(lyncc import): firewalls and load balancers are not "
	    "in a topology: declare\n# each firewall between the zones it joins "
	    "and each hardware load balancer\n# with the pool sides it serves, "
	    "for example:\n");
	if (edge)
		sb_puts(&o.b, "#   firewall fw-ext < between internet dmz-ext; >\n"
		    "#   firewall fw-int < between dmz-int corp; >\n");
	else
		sb_puts(&o.b, "#   firewall fw-core < between corp ZONE; >\n");
	sb_puts(&o.b, "#   loadbalancer hlb-int < serves POOL; >\n");
	if (o.todo)
		sb_printf(&o.b, "# %u TODO- placeholder%s to fill in.\n", o.todo,
		    o.todo == 1 ? "" : "s");
	res->name = xstrdup(s->lname);
	res->len = o.b.len;
	res->text = sb_detach(&o.b);
}

/* Add "xmpp-gateway;" to the first front end of each site that has the
 * XmppFederation port, when that site's edge runs the XMPP proxy: done on
 * the written text by inserting the line before the pool's closing '>'. */
static char *
add_xmpp_gateway(struct ctx *x, char *text, size_t *len, const char *pool)
{
	const char *head = arena_printf(x->a, "\nfrontend pool %s <\n", pool);
	char *p = strstr(text, head), *e, *o;
	size_t off;
	static const char line[] = "  xmpp-gateway;\n";

	if (p == NULL || (e = strstr(p + strlen(head), "\n>\n")) == NULL)
		return text;
	off = (size_t)(e - text) + 1;
	o = xmalloc(*len + sizeof(line));
	memcpy(o, text, off);
	memcpy(o + off, line, sizeof(line) - 1);
	memcpy(o + off + sizeof(line) - 1, text + off, *len - off + 1);
	*len += sizeof(line) - 1;
	free(text);
	return o;
}

/* ---- the document ------------------------------------------------------- */

/* A DOCTYPE anywhere (UTF-8 or UTF-16): refused before parsing. */
static bool
has_doctype(const char *d, size_t n)
{
	static const char a[] = "<!DOCTYPE", u[] = "<\0!\0D\0O\0C\0T\0Y\0P\0E";
	size_t i;

	for (i = 0; i < n; i++) {
		if (d[i] != '<')
			continue;
		if (n - i >= sizeof(a) - 1 && memcmp(d + i, a, sizeof(a) - 1) == 0)
			return true;
		if (n - i >= sizeof(u) - 1 && memcmp(d + i, u, sizeof(u) - 1) == 0)
			return true;
	}
	return false;
}

static long
doctype_line(const char *d, size_t n)
{
	long line = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (d[i] == '\n')
			line++;
		if (d[i] == '<' && n - i >= 9 && (memcmp(d + i, "<!DOCTYPE", 9) == 0 ||
		    (n - i >= 2 && d[i + 1] == '\0')))
			return line;
	}
	return line;
}

/* The first error of the parse (libxml2 reports every error; the first
 * is the one a user fixes). */
struct first_err {
	int	 line;
	char	 msg[200];
	bool	 set;
};

static void
on_xml_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr pc = data;
	struct first_err *f = pc ? pc->_private : NULL;

	if (f == NULL || f->set || e == NULL || e->level < XML_ERR_ERROR)
		return;
	f->set = true;
	f->line = e->line;
	snprintf(f->msg, sizeof(f->msg), "%s", e->message ? e->message :
	    "not well-formed XML");
}

static void
read_doc(struct ctx *x, xmlNode *root)
{
	const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : "";
	bool tbxml;
	xmlNode *top, *n, *c;

	if (is_el(root, "Topology") && strcmp(ns, NS_TOPO) == 0) {
		tbxml = false;
		top = root;
	} else if (is_el(root, "TopologyBuilder") && strcmp(ns, NS_TB) == 0) {
		tbxml = true;
		if ((n = child(root, "NewTopology")) == NULL) {
			ierr(x, root, "no <NewTopology> element");
			return;
		}
		if ((top = child(n, "PartialTopology")) == NULL) {
			ierr(x, n, "no <PartialTopology> element");
			return;
		}
		if (top->ns == NULL || top->ns->href == NULL ||
		    strcmp((const char *)top->ns->href, NS_WT) != 0)
			ierr(x, top, "not in namespace " NS_WT);
	} else {
		ierr(x, root, "namespace '%s': not a topology; expected <Topology "
		    "xmlns=\"" NS_TOPO "\"> (Get-CsTopology -AsXml) or <TopologyBuilder "
		    "xmlns=\"" NS_TB "\"> (.tbxml)", safe(x, ns));
		return;
	}
	if ((n = child(top, "InternalDomains")) != NULL) {
		x->domain = attr(x, n, "DefaultDomain");
		x->domain_n = n;
	}
	n = child(top, tbxml ? "CentralSites" : "Sites");
	for (c = n ? n->children : NULL; c; c = c->next)
		if (is_el(c, "CentralSite"))
			read_site(x, c, tbxml);
	if (x->nsites == 0) {
		ierr(x, n ? n : top, "no <CentralSite> element: the topology has no "
		    "central site");
		return;
	}
	if (!tbxml && (n = child(top, "Clusters")) != NULL)
		for (c = n->children; c; c = c->next)
			if (is_el(c, "Cluster"))
				read_cluster(x, c, NULL, false);
	if ((n = child(top, "Services")) != NULL)
		for (c = n->children; c; c = c->next)
			if (is_el(c, "Service"))
				read_service(x, c, tbxml);
	assign_roles(x);
	/* each cluster to its central site (a branch site's are not read) */
	{
		struct hmap idx;
		size_t i;

		hmap_init(&idx, x->a);
		for (i = 0; i < x->nsites; i++)
			hmap_sput(&idx, x->sites[i].id, &x->sites[i]);
		for (i = 0; i < x->ncl; i++) {
			struct site *s = hmap_sget(&idx, x->cl[i]->site);

			if (s != NULL)
				*VEC_PUSH(x->a, s->cl, s->ncl, s->capcl) = x->cl[i];
		}
	}
}

int
lyncc_import_buffer(const char *name, const char *data, size_t len,
    struct lyncc_import *r)
{
	struct ctx x;
	xmlParserCtxtPtr pc = NULL;
	xmlDocPtr doc = NULL;
	xmlNode *root;
	size_t i;
	struct hmap sitenames;
	struct first_err fe;

	memset(&fe, 0, sizeof(fe));
	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.a = arena_new();
	x.file = name ? name : "<input>";
	sb_init(&x.diags);
	hmap_init(&x.clmap, x.a);
	hmap_init(&x.svmap, x.a);
	hmap_init(&x.sitemap, x.a);
	if (len > LYNCC_IMPORT_MAX_BYTES)
		ierr(&x, NULL, "the document is larger than 16 MiB (%u bytes), the "
		    "most lyncc import reads", LYNCC_IMPORT_MAX_BYTES);
	else if (len > (size_t)0x7fffffff)
		ierr(&x, NULL, "document too large");
	else if (has_doctype(data, len))
		sb_printf(&x.diags, "%s:%ld: error: <!DOCTYPE>: a topology has no "
		    "document type declaration; lyncc import reads no DTD and expands "
		    "no entities\n", safe(&x, x.file), doctype_line(data, len)), x.nerr++;
	else {
		pc = xmlNewParserCtxt();
		if (pc == NULL)
			ierr(&x, NULL, "out of memory");
		else {
			pc->_private = &fe;
			pc->sax->serror = on_xml_error;
			doc = xmlCtxtReadMemory(pc, data, (int)len, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			    XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
		}
		if (pc && doc == NULL) {
			xmlErrorPtr e = xmlCtxtGetLastError(pc);
			const char *m = fe.set ? fe.msg : e && e->message ? e->message :
			    "not well-formed XML";
			size_t ml = strlen(m);

			while (ml && (m[ml - 1] == '\n' || m[ml - 1] == ' '))
				ml--;
			sb_printf(&x.diags, "%s:%d: error: not well-formed XML: %s\n",
			    safe(&x, x.file), fe.set ? fe.line : e ? e->line : 0,
			    safe(&x, arena_strndup(x.a, m, ml)));
			x.nerr++;
		}
	}
	if (doc && (doc->intSubset || doc->extSubset)) {
		ierr(&x, NULL, "a topology has no document type declaration");
	} else if (doc) {
		if ((root = xmlDocGetRootElement(doc)) == NULL)
			ierr(&x, NULL, "no document element");
		else
			read_doc(&x, root);
	}
	if (x.nerr == 0) {
		hmap_init(&sitenames, x.a);
		for (i = 0; i < x.nsites; i++)
			x.sites[i].lname = make_name(&x, &sitenames, x.sites[i].name, "site-");
		r->sites = xcalloc(x.nsites + 1, sizeof(*r->sites));
		for (i = 0; i < x.nsites && x.nerr == 0; i++) {
			size_t j;

			write_site(&x, &x.sites[i], &r->sites[i]);
			r->nsites = i + 1;
			/* the XMPP gateway: the front ends with the XmppFederation port,
			 * in a site whose edge runs the XMPP federation proxy */
			if (strstr(r->sites[i].text, " xmpp-federation;") == NULL)
				continue;
			for (j = 0; j < x.sites[i].ncl; j++) {
				struct cluster *c = x.sites[i].cl[j];

				if (c->name &&
				    (c->roles & R_FE) && !(c->roles & (R_DIR | R_EDGE)) &&
				    (c->roles & R_XMPPGW)) {
					r->sites[i].text = add_xmpp_gateway(&x, r->sites[i].text,
					    &r->sites[i].len, c->name);
					break;
				}
			}
		}
	}
	r->nerrors = x.nerr;
	if (x.nerr) {
		for (i = 0; i < r->nsites; i++) {
			free(r->sites[i].text);
			free(r->sites[i].name);
		}
		free(r->sites);
		r->sites = NULL;
		r->nsites = 0;
	}
	sb_putc(&x.diags, '\0');
	r->diags = sb_detach(&x.diags);
	if (doc)
		xmlFreeDoc(doc);
	if (pc)
		xmlFreeParserCtxt(pc);
	arena_free(x.a);
	return x.nerr ? -1 : 0;
}

void
lyncc_import_free(struct lyncc_import *r)
{
	size_t i;

	for (i = 0; i < r->nsites; i++) {
		free(r->sites[i].text);
		free(r->sites[i].name);
	}
	free(r->sites);
	free(r->diags);
	memset(r, 0, sizeof(*r));
}
