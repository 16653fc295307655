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
#include "diag.h"
#include "hmap.h"
#include "strbuf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
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
	unsigned	 gw_port;	/* a gateway's GatewayComp port */
	const char	*gw_proto;
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

/* A branch site: what of it lyncc reads is the addresses of its Survivable
 * Branch Appliances / Servers (its clusters with a Registrar service), for
 * the party branch-sites of its central site. */
struct branch {
	const char	*id, *name;
	xmlNode		*n;
	size_t		 parent;	/* index in sites, or (size_t)-1: not known */
	struct cluster	**cl;
	size_t		 ncl, capcl;
};

struct ctx {
	struct arena	*a;
	struct branch	*br;
	size_t		 nbr, capbr;
	const char	*file;
	struct diag_ctx	 dc;		/* the errors, rendered like the compiler's */
	struct source	*src;		/* the document (UTF-8), for line, column, caret */
	struct hmap	 seen;		/* errors already reported (one per mistake) */
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

static struct diag *ierr_attr(struct ctx *, xmlNode *, const char *,
    const char *, ...)
    __attribute__((__format__(printf, 4, 5)));
/* An error at element n's start tag. */
#define ierr(x, n, ...)	ierr_attr((x), (n), NULL, __VA_ARGS__)

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

/* ---- diagnostics ------------------------------------------------------ */

/* The line (1-based) of byte offset off of the document. */
static unsigned
line_of(const struct source *src, size_t off)
{
	size_t lo = 0, hi = src->nlines;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (src->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (unsigned)lo + 1;
}

static void
loc_at(const struct ctx *x, size_t off, size_t len, struct srcloc *loc)
{
	memset(loc, 0, sizeof(*loc));
	if (x->src == NULL)
		return;
	if (off > x->src->len)
		off = x->src->len;
	loc->src = x->src;
	loc->line = loc->end_line = line_of(x->src, off);
	loc->col = (unsigned)(off - x->src->lines[loc->line - 1]) + 1;
	loc->end_col = loc->col + (unsigned)(len ? len - 1 : 0);
}

/* The byte offset of an element's '<' (recorded while parsing), or of the
 * first "<NAME" on the line libxml2 gives when none was recorded. */
static size_t
node_off(const struct ctx *x, const xmlNode *n)
{
	const char *line;
	size_t len, k, nl;
	long ln;

	if (n->_private)
		return (size_t)(uintptr_t)n->_private - 1;
	ln = xmlGetLineNo(n);
	if (ln <= 0 || (line = source_line(x->src, (unsigned)ln, &len)) == NULL)
		return 0;
	nl = strlen((const char *)n->name);
	for (k = 0; k + 1 + nl <= len; k++)
		if (line[k] == '<' && memcmp(line + k + 1, n->name, nl) == 0)
			return (size_t)(line - x->src->text) + k;
	return (size_t)(line - x->src->text);
}

/* The location of an element's start tag name, or (attr) of the value of
 * that attribute in its start tag. */
static void
loc_of(const struct ctx *x, const xmlNode *n, const char *attrname, struct srcloc *loc)
{
	size_t off, i, an;
	const char *t;
	char q = 0;

	if (x->src == NULL || n == NULL) {
		loc_at(x, 0, 1, loc);
		return;
	}
	off = node_off(x, n);
	t = x->src->text;
	if (attrname == NULL || t[off] != '<') {
		for (i = off + 1; i < x->src->len && t[i] != ' ' && t[i] != '\t' &&
		    t[i] != '\r' && t[i] != '\n' && t[i] != '>' && t[i] != '/'; i++)
			;
		loc_at(x, off, i - off, loc);
		return;
	}
	/* the attribute inside the start tag: NAME = 'value' or "value" */
	an = strlen(attrname);
	for (i = off + 1; i < x->src->len; i++) {
		size_t j;

		if (q) {
			if (t[i] == q)
				q = 0;
			continue;
		}
		if (t[i] == '"' || t[i] == '\'') {
			q = t[i];
			continue;
		}
		if (t[i] == '>')
			break;
		if (!(t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n' ||
		    t[i - 1] == '\r') || i + an >= x->src->len ||
		    memcmp(t + i, attrname, an) != 0)
			continue;
		for (j = i + an; j < x->src->len && (t[j] == ' ' || t[j] == '\t' ||
		    t[j] == '\r' || t[j] == '\n'); j++)
			;
		if (j >= x->src->len || t[j] != '=')
			continue;
		for (j++; j < x->src->len && (t[j] == ' ' || t[j] == '\t' ||
		    t[j] == '\r' || t[j] == '\n'); j++)
			;
		if (j < x->src->len && (t[j] == '"' || t[j] == '\'')) {
			size_t e;

			for (e = j + 1; e < x->src->len && t[e] != t[j]; e++)
				;
			loc_at(x, j + 1, e - j - 1, loc);
			return;
		}
	}
	loc_of(x, n, NULL, loc);
}

/* An error at loc, once: the same message at the same place is one
 * mistake, however many statements it spoils. */
static struct diag *
ierr_loc(struct ctx *x, const struct srcloc *loc, const char *msg)
{
	char *key = arena_printf(x->a, "%u:%u:%s", loc->line, loc->col, msg);

	if (hmap_sget(&x->seen, key) != NULL)
		return NULL;
	hmap_sput(&x->seen, key, key);
	x->nerr++;
	return diag_error(&x->dc, loc, "%s", msg);
}

/* An error at element n (its start tag), or at attribute attrname of n,
 * as "<Element>: message". */
static struct diag *
ierr_attr(struct ctx *x, xmlNode *n, const char *attrname, const char *fmt, ...)
{
	struct srcloc loc;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = arena_vprintf(x->a, fmt, ap);
	va_end(ap);
	loc_of(x, n, attrname, &loc);
	if (n && n->name)
		msg = arena_printf(x->a, "<%s>: %s", safe(x, (const char *)n->name), msg);
	return ierr_loc(x, &loc, msg);
}

/* diag_hint that takes the NULL of an error already reported */
static void
ihint(struct ctx *x, struct diag *d, const char *hint)
{
	if (d)
		diag_hint(&x->dc, d, "%s", hint);
}

/* An error with a hint at len bytes from byte offset off of the document. */
static void
ierr_off(struct ctx *x, size_t off, size_t len, const char *msg, const char *hint)
{
	struct srcloc loc;

	loc_at(x, off, len, &loc);
	ihint(x, ierr_loc(x, &loc, msg), hint);
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
			ihint(x, ierr(x, i, "no InterfaceSide attribute"),
			    "InterfaceSide=\"Primary\", \"Internal\", \"External\" or "
			    "\"Pstn\": the side of the machine this address is on");
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
			ihint(x, ierr(x, cn, "no UniqueId attribute"), "each Cluster of a "
			    ".tbxml has the UniqueId that its services' InstalledOn names");
			return;
		}
	} else {
		if ((k = child(cn, "ClusterId")) == NULL) {
			ihint(x, ierr(x, cn, "no <ClusterId SiteId=... Number=...> element"),
			    "each Cluster of a published topology names its site and number: "
			    "<ClusterId SiteId=\"1\" Number=\"1\" />");
			return;
		}
		c->site = attr(x, k, "SiteId");
		c->number = attr(x, k, "Number");
		if (c->site == NULL || c->number == NULL) {
			ihint(x, ierr(x, k, "needs both SiteId and Number"),
			    "<ClusterId SiteId=\"1\" Number=\"1\" />");
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
		ihint(x, ierr(x, cn, "a second cluster '%s'", safe(x, c->key)),
		    "each cluster has its own UniqueId (or SiteId and Number): the "
		    "services could not tell these apart");
		return;
	}
	*VEC_PUSH(x->a, x->cl, x->ncl, x->capcl) = c;
}

/* A site that is not a central site (a .tbxml's RemoteSites child, or an
 * element of a published topology's Sites other than CentralSite): its
 * SiteId, Name and (.tbxml) clusters. */
static void
read_branch(struct ctx *x, xmlNode *bn, size_t parent, bool tbxml)
{
	struct branch *b = VEC_PUSH(x->a, x->br, x->nbr, x->capbr);
	xmlNode *cs, *c;

	memset(b, 0, sizeof(*b));
	b->n = bn;
	b->parent = parent;
	b->id = attr(x, bn, "SiteId");
	b->name = text(x, child(bn, "Name"));
	if (b->id == NULL)
		b->id = arena_printf(x->a, "(branch %zu)", x->nbr);
	if (tbxml && (cs = child(bn, "Clusters")) != NULL)
		for (c = cs->children; c; c = c->next)
			if (is_el(c, "Cluster"))
				read_cluster(x, c, b->id, true);
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
		ihint(x, ierr(x, sn, "no SiteId attribute"), "<CentralSite "
		    "SiteId=\"1\">: its clusters name it by SiteId");
		s->id = "";
	}
	if (hmap_sput(&x->sitemap, s->id, sn) != NULL)
		ihint(x, ierr(x, sn, "a second central site with SiteId '%s'",
		    safe(x, s->id)), "each central site has its own SiteId");
	if (s->name == NULL || s->name[0] == '\0')
		ihint(x, ierr(x, sn, "no <Name> element: a central site needs a name"),
		    "<Name>HQ</Name> inside the CentralSite: it becomes the site's name");
	if (tbxml && (cs = child(sn, "Clusters")) != NULL)
		for (c = cs->children; c; c = c->next)
			if (is_el(c, "Cluster"))
				read_cluster(x, c, s->id, true);
	/* a .tbxml nests its branch sites in their central site */
	if (tbxml && (cs = child(sn, "RemoteSites")) != NULL)
		for (c = cs->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				read_branch(x, c, x->nsites - 1, true);
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
		ihint(x, ierr(x, sn, tbxml ? "no RoleName attribute" :
		    "no <ServiceId RoleName=...> element"), tbxml ? "RoleName=\"Registrar\", "
		    "\"EdgeServer\", ...: the kind of service" : "<ServiceId SiteId=\"1\" "
		    "RoleName=\"Registrar\" Instance=\"1\" />: the kind of service");
	if (v->key)
		hmap_sput(&x->svmap, v->key, v);
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
		else if (role_is(v, "PersistentChatService"))
			r = R_PCHAT;	/* the role's name in a topology (docs/import.md) */
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
			ihint(x, ierr(x, v->n, "the %s service is installed on no cluster of "
			    "this topology (InstalledOn '%s')", safe(x, v->role),
			    v->on ? safe(x, v->on) : ""), "InstalledOn names a Cluster of "
			    "this document (its UniqueId, or ClusterId SiteId and Number)");
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
	struct hmap	 used;		/* the site's names */
	unsigned	 todo;		/* placeholders written */
};

/* An address word: the address, or a TODO- placeholder when the topology
 * has none or says 0.0.0.0 ("use all configured addresses"). */
static const char *
addr_word_attr(struct out *o, xmlNode *where, const char *attrname, const char *ip,
    const char *ph)
{
	unsigned char buf[16];

	if (ip == NULL || ip[0] == '\0' || strcmp(ip, "0.0.0.0") == 0 ||
	    strcmp(ip, "::") == 0) {
		o->todo++;
		return ph;
	}
	if (inet_pton(AF_INET, ip, buf) != 1 && inet_pton(AF_INET6, ip, buf) != 1) {
		ihint(o->x, ierr_attr(o->x, where, attrname, "'%s' is not an IPv4 or "
		    "IPv6 address", safe(o->x, ip)), "an address such as 10.0.0.1 or "
		    "2001:db8::1; 0.0.0.0 means \"use all configured addresses\" and "
		    "becomes a placeholder");
		return ph;
	}
	return ip;
}

static const char *
addr_word(struct out *o, xmlNode *where, const char *ip, const char *ph)
{
	return addr_word_attr(o, where, "IPAddress", ip, ph);
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
		ihint(x, ierr(x, c->n, "%zu machines: a .lync pool has at most %d nodes",
		    c->nm, MAX_NODES), "a Lync pool has at most 12 servers (20 for a "
		    "file); split the cluster");
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
		    "  # TODO(lyncc import): the HLB monitoring port is not read "
		    "(docs/import.md): add\n  # 'monitor-port N;' if the HLB monitors "
		    "another port than each service's\n");
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
		/* a single-machine cluster's machine may be named by the cluster */
		const char *fq = m && m->fqdn ? m->fqdn : nm == 1 ? c->fqdn : NULL;

		if (w == ph)
			sb_printf(&o->b, "  # TODO(lyncc import): %s: %s\n",
			    fq ? safe(x, fq) : "this node", f ? "the topology "
			    "says 0.0.0.0 (use all configured addresses): give its address" :
			    "the topology gives no Primary address");
		sb_printf(&o->b, "  node %zu %s;%s%s\n", i + 1, w, fq ? "   # " : "",
		    fq ? safe(x, fq) : "");
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
	xmlNode		*p;		/* its Port element, if any */
};

/* A Port element's Port attribute as a port number (1-65535), or 0 with
 * an error when it is not one. */
static unsigned
port_attr(struct ctx *x, xmlNode *p)
{
	const char *v = attr(x, p, "Port");
	unsigned long n = 0;
	size_t i;

	if (v == NULL)
		return 0;
	for (i = 0; v[i] && i < 6; i++) {
		if (v[i] < '0' || v[i] > '9')
			break;
		n = n * 10 + (unsigned long)(v[i] - '0');
	}
	if (i == 0 || v[i] != '\0' || n == 0 || n > 65535) {
		ihint(x, ierr_attr(x, p, "Port", "'%s' is not a port number (1-65535)",
		    safe(x, v)), "Topology Builder writes a decimal port, such as "
		    "Port=\"443\"");
		return 0;
	}
	return (unsigned)n;
}

static bool
nat_of(const struct iface *f)
{
	return f && f->cfg && f->cfg[0] && strcmp(f->cfg, f->ip ? f->ip : "") &&
	    strcmp(f->cfg, "0.0.0.0");
}

static void
write_edge(struct out *o, const struct cluster *c, const struct site *s)
{
	struct ctx *x = o->x;
	struct edge_svc sv[3] = {
		{ "access", "urn:component:AccessEdge", "SipClient", NULL,
		  "Access Edge", 1, 443, NULL },
		{ "webconf", "urn:component:DataEdge", "PsomClient", NULL,
		  "Web Conferencing Edge", 2, 443, NULL },
		{ "av", "urn:component:MediaRelayEdge", "TURNServer", "Tcp",
		  "A/V Edge", 3, 443, NULL },
	};
	size_t i, k, nm = c->nm ? c->nm : 1;
	bool nat = false, hlb, single = true;
	xmlNode *fed, *udp;
	unsigned pn;

	for (k = 0; k < 3; k++) {
		xmlNode *p = find_port(x, c->edge, sv[k].owner, "External", sv[k].usage,
		    sv[k].proto);
		const char *v;
		unsigned n;

		if (p == NULL && k == 1)	/* DataEdge without a Usage */
			p = find_port(x, c->edge, sv[k].owner, "External", NULL, NULL);
		sv[k].p = p;
		/* no port given: interface k+1 when the machines have it, else 1 */
		if (p == NULL) {
			if (c->nm == 0 || !find_if(&c->m[0], "External", (unsigned)k + 1))
				sv[k].num = 1;
			continue;
		}
		if ((v = attr(x, p, "InterfaceNumber")) != NULL)
			sv[k].num = (unsigned)strtoul(v, NULL, 10);
		if ((n = port_attr(x, p)) != 0)
			sv[k].port = n;
	}
	for (k = 1; k < 3; k++)
		if (sv[k].num != sv[0].num)
			single = false;
	for (i = 0; i < c->nm; i++)
		for (k = 0; k < 3; k++)
			if (nat_of(find_if(&c->m[i], "External", sv[k].num)))
				nat = true;
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
		    "  # TODO(lyncc import): the HLB monitoring port is not read "
		    "(docs/import.md): add\n  # 'monitor-port N;' if the HLB monitors "
		    "another port than each service's\n");
	if (single)
		sb_printf(&o->b, "  # single-address edge: Access, Web Conferencing and "
		    "A/V share one external\n"
		    "  # address (interface %u), told apart by port\n", sv[0].num);
	sb_puts(&o->b, "  external <\n    zone dmz-ext;\n");
	for (k = 0; k < 3; k++)
		if (sv[k].port != 443)
			sb_printf(&o->b, "    port %s %u;   # %s external TCP port\n",
			    sv[k].word, sv[k].port, sv[k].label);
	udp = find_port(x, c->edge, "urn:component:MediaRelayEdge", "External",
	    "TURNServer", "Udp");
	if ((pn = udp ? port_attr(x, udp) : 0) != 0 && pn != 3478)
		sb_printf(&o->b, "    # TODO(lyncc import): the A/V Edge listens on UDP %u, "
		    "not the documented 3478,\n    # which lyncc's flows use\n", pn);
	if (hlb) {
		sb_puts(&o->b, "    # TODO(lyncc import): the external HLB VIPs are not "
		    "in the topology\n");
		for (k = 0; k < 3; k++) {
			const char *fq = sv[k].p ? attr(x, sv[k].p, "ConfiguredFqdn") : NULL;

			sb_printf(&o->b, "    vip %s TODO-VIP-%s-%s;", sv[k].word, c->name,
			    single ? "external" : sv[k].word);
			if (fq)
				sb_printf(&o->b, "   # the address %s resolves to", safe(x, fq));
			sb_putc(&o->b, '\n');
			o->todo++;
		}
	}
	for (i = 0; i < nm; i++) {
		const struct machine *m = i < c->nm ? &c->m[i] : NULL;

		if (m && m->fqdn)
			sb_printf(&o->b, "    # %s\n", safe(x, m->fqdn));
		for (k = 0; k < 3; k++) {
			const struct iface *f = m ? find_if(m, "External", sv[k].num) : NULL;

			if (f == NULL || f->ip == NULL || strcmp(f->ip, "0.0.0.0") == 0 ||
			    strcmp(f->ip, "::") == 0 || f->ip[0] == '\0') {
				sb_printf(&o->b, "    # TODO(lyncc import): the topology gives %s "
				    "for this node's external\n    # %s: give the address "
				    "the Edge Server has on it%s\n", f ? "0.0.0.0" : "no address",
				    single ? "interface" : "interfaces", nat_of(f) ?
				    " (its public address,\n    # ConfiguredIPAddress, is the "
				    "nat word)" : "");
				break;
			}
		}
		sb_printf(&o->b, "    node %zu <", i + 1);
		for (k = 0; k < 3; k++) {
			const struct iface *f = m ? find_if(m, "External", sv[k].num) : NULL;
			const char *ph = arena_printf(x->a, "TODO-ADDRESS-%s-node%zu-%s",
			    c->name, i + 1, single ? "external" : sv[k].word);
			const char *w = addr_word(o, f ? f->n : m ? m->n : c->n,
			    f ? f->ip : NULL, ph);

			sb_printf(&o->b, " %s %s", sv[k].word, w);
			if (nat_of(f))
				sb_printf(&o->b, " nat %s", addr_word_attr(o, f->n,
				    "ConfiguredIPAddress", f->cfg,
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

		const char *w = addr_word(o, f ? f->n : m ? m->n : c->n, f ? f->ip : NULL,
		    ph);

		if (w == ph)
			sb_printf(&o->b, "    # TODO(lyncc import): the topology %s for this "
			    "node's internal interface\n", f ? "says 0.0.0.0" : "gives no address");
		sb_printf(&o->b, "    node %zu %s;\n", i + 1, w);
	}
	sb_puts(&o->b, "  >\n");
	fed = find_port(x, c->edge, "urn:component:AccessEdge", "External", "SipServer",
	    NULL);
	if ((pn = fed ? port_attr(x, fed) : 0) != 0 && pn != 5061)
		sb_printf(&o->b, "  # TODO(lyncc import): the federation port is TCP %u, "
		    "not the documented 5061\n", pn);
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

/* The branch sites of central site s: the addresses of their Survivable
 * Branch Appliances / Servers (a cluster with a Registrar service) as the
 * party branch-sites; a branch whose central site is not known (several
 * central sites in a published topology) is named in a comment. */
static bool
branch_has_sba(const struct branch *b)
{
	size_t j;

	for (j = 0; j < b->ncl; j++)
		if (b->cl[j]->roles & R_FE)
			return true;
	return false;
}

static void
write_branches(struct out *o, const struct site *s, size_t nsba, bool edge)
{
	struct ctx *x = o->x;
	size_t i, j, k, self = (size_t)(s - x->sites);

	if (nsba)
		sb_printf(&o->b, "\n# Survivable Branch Appliances / Servers of the branch "
		    "sites (their Registrar\n# services): the party branch-sites%s\n"
		    "party branch-sites <\n", edge ? "" : "; the feature survivable-branch "
		    "(their\n# flows through an edge pool) needs an edge pool, which "
		    "this site has not (LYNC-E014)");
	for (i = 0; nsba && i < x->nbr; i++) {
		const struct branch *b = &x->br[i];

		if (b->parent != self)
			continue;
		for (j = 0; j < b->ncl; j++) {
			const struct cluster *c = b->cl[j];

			if (!(c->roles & R_FE))
				continue;
			for (k = 0; k < (c->nm ? c->nm : 1); k++) {
				const struct machine *m = k < c->nm ? &c->m[k] : NULL;
				const struct iface *f = m ? find_if(m, "Primary", 0) : NULL;
				const char *fq = m && m->fqdn ? m->fqdn : c->fqdn;
				const char *ph = arena_printf(x->a, "TODO-ADDRESS-branch-%s",
				    make_name(x, &o->used, first_label(x, fq), "sba-"));
				const char *w = addr_word(o, f ? f->n : m ? m->n : c->n,
				    f ? f->ip : NULL, ph);

				if (w == ph)
					sb_printf(&o->b, "  # TODO(lyncc import): %s: the topology "
					    "%s\n", fq ? safe(x, fq) : "(no FQDN)", f ? "says 0.0.0.0 "
					    "(use all configured addresses): give its address" :
					    "gives no Primary address");
				sb_printf(&o->b, "  address %s;   # %s, branch site \"%s\"\n", w,
				    fq ? safe(x, fq) : "(no FQDN)", b->name ? safe(x, b->name) :
				    safe(x, b->id));
			}
		}
	}
	if (nsba)
		sb_puts(&o->b, ">\n");
	for (i = 0; i < x->nbr; i++) {
		const struct branch *b = &x->br[i];

		if (b->parent == (size_t)-1)
			sb_printf(&o->b, "\n# TODO(lyncc import): branch site \"%s\" (SiteId "
			    "%s): the topology does not say which\n# central site it "
			    "belongs to, so it is not read; if its Survivable Branch\n# "
			    "Appliances reach this site: features < survivable-branch; > and "
			    "party\n# branch-sites < address ...; >\n", b->name ? safe(x, b->name) :
			    "", safe(x, b->id));
		else if (b->parent == self && !branch_has_sba(b))
			sb_printf(&o->b, "\n# branch site \"%s\" (SiteId %s): no Survivable "
			    "Branch Appliance / Server\n# (no Registrar service): nothing "
			    "of it is read\n", b->name ? safe(x, b->name) : "", safe(x, b->id));
	}
}

static void
write_site(struct ctx *x, const struct site *s, struct lyncc_import_site *res)
{
	struct out o;
	size_t i, ngw = 0;
	bool edge = false, fed = false, xmpp = false, internal = false;
	bool gw_tls = false, gw_port_mixed = false;
	unsigned gw_port = 0;
	size_t nsba = 0;
	const char *dom = NULL;

	memset(&o, 0, sizeof(o));
	o.x = x;
	sb_init(&o.b);
	hmap_init(&o.used, x->a);
	/* the zone and party names the site uses */
	hmap_sput(&o.used, "internet", "z");
	hmap_sput(&o.used, "dmz-ext", "z");
	hmap_sput(&o.used, "dmz-int", "z");
	hmap_sput(&o.used, "corp", "z");
	{
		static const char *const parties[] = { "remote-clients",
		    "federation-partners", "xmpp-partners", "pic-partners", "internal",
		    "internal-clients", "pstn-gateways", "branch-sites" };

		for (i = 0; i < sizeof(parties) / sizeof(parties[0]); i++)
			hmap_sput(&o.used, parties[i], "p");
	}
	for (i = 0; i < s->ncl; i++) {
		struct cluster *c = s->cl[i];

		if (!(c->roles & ~(unsigned)(R_CMS | R_XMPPGW)))
			continue;
		if ((c->roles & (R_FE | R_DIR | R_EDGE | R_MED | R_PCHAT | R_WAC)) == 0)
			continue;	/* a gateway: no pool */
		c->name = make_name(x, &o.used, first_label(x, c->fqdn), "pool-");
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
	for (i = 0; i < s->ncl; i++) {
		struct cluster *c = s->cl[i];
		xmlNode *p;

		if (!(c->roles & R_GW))
			continue;
		ngw++;
		if ((p = find_port(x, c->gw, "urn:component:GatewayComp", NULL, NULL,
		    NULL)) == NULL || (c->gw_port = port_attr(x, p)) == 0)
			continue;
		c->gw_proto = attr(x, p, "Protocol");
		if (gw_port == 0) {
			gw_port = c->gw_port;
			gw_tls = c->gw_proto && strcmp(c->gw_proto, "Tls") == 0;
		} else if (gw_port != c->gw_port ||
		    gw_tls != (c->gw_proto && strcmp(c->gw_proto, "Tls") == 0))
			gw_port_mixed = true;
	}

	for (i = 0; i < x->nbr; i++) {
		size_t j;

		if (x->br[i].parent != (size_t)(s - x->sites))
			continue;
		for (j = 0; j < x->br[i].ncl; j++)
			if (x->br[i].cl[j]->roles & R_FE)
				nsba++;
	}

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
			ihint(x, ierr_attr(x, x->domain_n, "DefaultDomain", "'%s' is not a "
			    "DNS domain name", safe(x, x->domain)), "the SIP domain, such as "
			    "DefaultDomain=\"contoso.com\"");
	}
	if (dom)
		sb_printf(&o.b, "domain %s;\n", dom);
	else
		sb_puts(&o.b, "# TODO(lyncc import): the topology has no InternalDomains "
		    "DefaultDomain\n# domain contoso.com;\n");

	if (fed || xmpp || ngw || (nsba && edge)) {
		sb_puts(&o.b, "\nfeatures <");
		if (fed)
			sb_puts(&o.b, " sip-federation;");
		if (xmpp)
			sb_puts(&o.b, " xmpp-federation;");
		if (ngw)
			sb_puts(&o.b, " enterprise-voice;");
		if (gw_tls && !gw_port_mixed)
			sb_puts(&o.b, " pstn-gateway-tls;");
		if (nsba && edge)
			sb_puts(&o.b, " survivable-branch;");
		sb_puts(&o.b, " >\n");
	}
	if (edge)
		sb_printf(&o.b, "%s# TODO(lyncc import): public IM connectivity (public-im) "
		    "and federation with OCS 2007\n# (federation-ocs2007) are set outside "
		    "the topology: add them to features if used\n",
		    fed || xmpp || ngw || (nsba && edge) ? "" : "\n");

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
				    make_name(x, &o.used, first_label(x, c->fqdn), "gw-"));
				const char *w;

				if (f == NULL && m && m->nifs)
					f = &m->ifs[0];
				w = addr_word(&o, f ? f->n : m ? m->n : c->n, f ? f->ip : NULL, ph);
				if (w == ph)
					sb_printf(&o.b, "  # TODO(lyncc import): %s: the topology "
					    "%s\n", c->fqdn ? safe(x, c->fqdn) : "gateway", f ?
					    "says 0.0.0.0 (use all configured addresses): give its "
					    "address" : "gives no address");
				sb_printf(&o.b, "  address %s;   # %s\n", w, c->fqdn ?
				    safe(x, c->fqdn) : "");
			}
		}
		if (gw_port_mixed) {
			sb_puts(&o.b, "  # TODO(lyncc import): the gateways listen on different "
			    "SIP ports (GatewayComp):\n");
			for (i = 0; i < s->ncl; i++)
				if ((s->cl[i]->roles & R_GW) && s->cl[i]->gw_port)
					sb_printf(&o.b, "  #   %s %s %u\n", s->cl[i]->fqdn ?
					    safe(x, s->cl[i]->fqdn) : "(no FQDN)",
					    s->cl[i]->gw_proto ? safe(x, s->cl[i]->gw_proto) : "",
					    s->cl[i]->gw_port);
			sb_puts(&o.b, "  # a party has one sip-port: split the gateways or "
			    "give the port they share\n  sip-port TODO-SIP-PORT;\n");
			o.todo++;
		} else if (gw_port)
			sb_printf(&o.b, "  sip-port %u;   # the gateways' GatewayComp %s port\n",
			    gw_port, gw_tls ? "TLS" : "TCP");
		sb_puts(&o.b, ">\n");
	}
	write_branches(&o, s, nsba, edge);
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

/* The offset of a "<!DOCTYPE" (refused before parsing), or (size_t)-1. */
static size_t
doctype_off(const char *d, size_t n)
{
	static const char a[] = "<!DOCTYPE";
	const char *p = d, *e = d + n;

	while (p < e && (p = memchr(p, '<', (size_t)(e - p))) != NULL) {
		if ((size_t)(e - p) >= sizeof(a) - 1 && memcmp(p, a, sizeof(a) - 1) == 0)
			return (size_t)(p - d);
		p++;
	}
	return (size_t)-1;
}

/* A UTF-16 document (PowerShell's Out-File writes UTF-16LE with a byte
 * order mark) as UTF-8, so that its lines and columns can be shown: NULL
 * when the document is not UTF-16; *bad is set (with the offset of the
 * fault in the UTF-8 written so far) when it is not valid UTF-16. */
static char *
utf16_to_utf8(const unsigned char *d, size_t n, size_t *outlen, bool *bad)
{
	bool be;
	size_t i = 0, o = 0;
	char *out;

	*bad = false;
	if (n >= 2 && d[0] == 0xff && d[1] == 0xfe)
		be = false, i = 2;
	else if (n >= 2 && d[0] == 0xfe && d[1] == 0xff)
		be = true, i = 2;
	else if (n >= 2 && d[0] == '<' && d[1] == 0)
		be = false;
	else if (n >= 2 && d[0] == 0 && d[1] == '<')
		be = true;
	else
		return NULL;
	out = xmalloc((n - i) / 2 * 3 + 4);
	for (; i + 1 < n; i += 2) {
		unsigned long u = be ? (unsigned long)d[i] << 8 | d[i + 1] :
		    (unsigned long)d[i + 1] << 8 | d[i];

		if (u >= 0xd800 && u < 0xdc00 && i + 3 < n) {
			unsigned long l = be ? (unsigned long)d[i + 2] << 8 | d[i + 3] :
			    (unsigned long)d[i + 3] << 8 | d[i + 2];

			if (l < 0xdc00 || l > 0xdfff)
				goto fail;
			u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
			i += 2;
		} else if (u >= 0xd800 && u <= 0xdfff)
			goto fail;
		if (u == 0)
			goto fail;
		if (u < 0x80)
			out[o++] = (char)u;
		else if (u < 0x800) {
			out[o++] = (char)(0xc0 | u >> 6);
			out[o++] = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			out[o++] = (char)(0xe0 | u >> 12);
			out[o++] = (char)(0x80 | (u >> 6 & 0x3f));
			out[o++] = (char)(0x80 | (u & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | u >> 18);
			out[o++] = (char)(0x80 | (u >> 12 & 0x3f));
			out[o++] = (char)(0x80 | (u >> 6 & 0x3f));
			out[o++] = (char)(0x80 | (u & 0x3f));
		}
	}
	if (i < n)
		goto fail;
	*outlen = o;
	return out;
fail:
	*bad = true;
	*outlen = o;
	return out;
}

/* The first error of the parse (libxml2 reports every error; the first
 * is the one a user fixes: the rest follow from it). */
struct first_err {
	int	 line, col;
	char	 msg[200];
	bool	 set;
};

struct parse_state {
	struct ctx		*x;
	struct first_err	 fe;
	startElementNsSAX2Func	 start;		/* libxml2's own */
};

static void
on_xml_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr pc = data;
	struct parse_state *ps = pc ? pc->_private : NULL;

	if (ps == NULL || ps->fe.set || e == NULL || e->level < XML_ERR_ERROR)
		return;
	ps->fe.set = true;
	ps->fe.line = e->line;
	ps->fe.col = e->int2;
	snprintf(ps->fe.msg, sizeof(ps->fe.msg), "%s", e->message ? e->message :
	    "not well-formed XML");
}

/* Each element remembers where its start tag begins (node->_private, the
 * offset + 1 of its '<'): the last "<NAME" before the parser's position,
 * which is just past the start tag (no '<' can stand inside it). */
static void
on_start(void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
    int nns, const xmlChar **nss, int nattr, int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr pc = data;
	struct parse_state *ps = pc->_private;
	xmlNode *before = pc->node;
	long at;

	ps->start(data, local, prefix, uri, nns, nss, nattr, ndef, attrs);
	if (pc->node == NULL || pc->node == before || pc->input == NULL ||
	    (at = xmlByteConsumed(pc)) <= 0)
		return;
	{
		/* search back in the document itself, not libxml2's buffer */
		struct ctx *x = ps->x;
		size_t off = (size_t)at < x->src->len ? (size_t)at : x->src->len;
		size_t nl = strlen((const char *)local), pl = prefix ?
		    strlen((const char *)prefix) : 0;
		const char *t = x->src->text;

		/* the nearest '<' is this start tag's; each element searches only
		 * its own tag, so the whole parse stays linear */
		while (off > 0 && t[--off] != '<')
			;
		if (t[off] != '<')
			return;
		if ((prefix && off + 2 + pl + nl <= x->src->len &&
		    memcmp(t + off + 1, prefix, pl) == 0 && t[off + 1 + pl] == ':' &&
		    memcmp(t + off + 2 + pl, local, nl) == 0) ||
		    (!prefix && off + 1 + nl <= x->src->len &&
		    memcmp(t + off + 1, local, nl) == 0))
			pc->node->_private = (void *)(uintptr_t)(off + 1);
	}
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
			ihint(x, ierr(x, root, "no <NewTopology> element"), "a .tbxml holds "
			    "the topology to publish in <NewTopology><PartialTopology>");
			return;
		}
		if ((top = child(n, "PartialTopology")) == NULL) {
			ihint(x, ierr(x, n, "no <PartialTopology> element"), "a .tbxml holds "
			    "the topology to publish in <NewTopology><PartialTopology>");
			return;
		}
		if (top->ns == NULL || top->ns->href == NULL ||
		    strcmp((const char *)top->ns->href, NS_WT) != 0)
			ihint(x, ierr(x, top, "not in namespace " NS_WT), "xmlns=\"" NS_WT
			    "\", as Topology Builder writes it");
	} else {
		ihint(x, ierr(x, root, "namespace '%s': not a topology", safe(x, ns)),
		    "expected <Topology xmlns=\"" NS_TOPO "\"> (Get-CsTopology -AsXml) or "
		    "<TopologyBuilder xmlns=\"" NS_TB "\"> (.tbxml)");
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
		else if (!tbxml && c->type == XML_ELEMENT_NODE &&
		    xmlHasProp(c, (const xmlChar *)"SiteId"))
			read_branch(x, c, (size_t)-1, false);
	if (x->nsites == 0) {
		ihint(x, ierr(x, n ? n : top, "no <CentralSite> element: the topology has no "
		    "central site"), tbxml ? "a .tbxml holds its sites in <CentralSites>"
		    "<CentralSite SiteId=...>" : "a published topology holds its sites in "
		    "<Sites><CentralSite SiteId=...>");
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
		/* a branch site's clusters; a branch of a published topology
		 * belongs to the central site when there is only one */
		hmap_init(&idx, x->a);
		for (i = 0; i < x->nbr; i++) {
			if (x->br[i].parent == (size_t)-1 && x->nsites == 1)
				x->br[i].parent = 0;
			hmap_sput(&idx, x->br[i].id, &x->br[i]);
		}
		for (i = 0; i < x->ncl; i++) {
			struct branch *b = hmap_sget(&idx, x->cl[i]->site);

			if (b != NULL)
				*VEC_PUSH(x->a, b->cl, b->ncl, b->capcl) = x->cl[i];
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
	struct parse_state ps;
	char *u8 = NULL;
	size_t u8len = 0, off;
	bool bad16 = false;

	memset(&ps, 0, sizeof(ps));
	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.a = arena_new();
	x.file = name ? name : "<input>";
	diag_init(&x.dc, x.a);
	hmap_init(&x.seen, x.a);
	hmap_init(&x.clmap, x.a);
	hmap_init(&x.svmap, x.a);
	hmap_init(&x.sitemap, x.a);
	ps.x = &x;
	if (len > LYNCC_IMPORT_MAX_BYTES) {
		const char *nl = memchr(data, '\n', len < 200 ? len : 200);
		struct diag *d;

		x.src = source_new(x.a, x.file, NULL, data, nl ? (size_t)(nl - data) :
		    len < 200 ? len : 200);
		d = ierr(&x, NULL, "the document is larger than 16 MiB (%u bytes), the "
		    "most lyncc import reads", LYNCC_IMPORT_MAX_BYTES);
		ihint(&x, d, "a topology is far smaller; is this the file Topology Builder "
		    "saved (.tbxml) or Get-CsTopology -AsXml wrote?");
		goto done;
	}
	if ((u8 = utf16_to_utf8((const unsigned char *)data, len, &u8len, &bad16)) != NULL) {
		data = u8;
		len = u8len;
	}
	x.src = source_new(x.a, x.file, NULL, data, len);
	if (bad16) {
		ierr_off(&x, len, 1, "not valid UTF-16 here (a lone surrogate, a NUL "
		    "or an odd byte at the end)", "save the topology again, as UTF-8 "
		    "or UTF-16 (Out-File -Encoding UTF8)");
		goto done;
	}
	if ((off = doctype_off(data, len)) != (size_t)-1) {
		ierr_off(&x, off, 9, "<!DOCTYPE>: a topology has no document type "
		    "declaration; lyncc import reads no DTD and expands no entities",
		    "remove the <!DOCTYPE ...> and any entity it declares: neither "
		    "Topology Builder nor Get-CsTopology writes one");
		goto done;
	}
	pc = xmlNewParserCtxt();
	if (pc == NULL) {
		ierr(&x, NULL, "out of memory");
		goto done;
	}
	pc->_private = &ps;
	pc->sax->serror = on_xml_error;
	ps.start = pc->sax->startElementNs;
	if (ps.start != NULL)
		pc->sax->startElementNs = on_start;
	doc = xmlCtxtReadMemory(pc, data, (int)len, NULL, u8 ? "UTF-8" : NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA | (u8 ? XML_PARSE_IGNORE_ENC : 0));
	if (doc == NULL || ps.fe.set) {
		xmlErrorPtr e = xmlCtxtGetLastError(pc);
		const char *m = ps.fe.set ? ps.fe.msg : e && e->message ? e->message :
		    "not well-formed XML";
		size_t ml = strlen(m);
		int line = ps.fe.set ? ps.fe.line : e ? e->line : 1;
		int col = ps.fe.set ? ps.fe.col : e ? e->int2 : 1;
		struct srcloc loc;
		struct diag *d;

		while (ml && (m[ml - 1] == '\n' || m[ml - 1] == ' '))
			ml--;
		if (line < 1)
			line = 1;
		if ((unsigned)line > x.src->nlines)
			line = (int)x.src->nlines;
		loc_at(&x, x.src->lines[line - 1], 1, &loc);
		if (col > 1) {
			size_t ll;
			const char *lt = source_line(x.src, (unsigned)line, &ll);

			loc.col = loc.end_col = (unsigned)col <= ll + 1 ? (unsigned)col :
			    (unsigned)ll + 1;
			/* libxml2 points past a mismatched end tag: point at its "</" */
			if (strncmp(m, "Opening and ending tag mismatch", 31) == 0) {
				size_t k = loc.col - 1;

				while (k >= 2 && !(lt[k - 2] == '<' && lt[k - 1] == '/'))
					k--;
				if (k >= 2) {
					loc.col = (unsigned)k - 1;
					loc.end_col = (unsigned)col - 1 >= loc.col ?
					    (unsigned)col - 1 : loc.col;
				}
			}
		}
		if (strncmp(m, "Excessive depth", 15) == 0) {
			d = ierr_loc(&x, &loc, "elements nested deeper than 256 levels, the "
			    "most lyncc import reads");
			ihint(&x, d, "a topology nests its elements about 8 levels deep; "
			    "this is not a topology Topology Builder wrote");
		} else {
			d = ierr_loc(&x, &loc, arena_printf(x.a, "not well-formed XML: %s",
			    safe(&x, arena_strndup(x.a, m, ml))));
			ihint(&x, d, "the file is cut or was edited by hand; export it "
			    "again from Topology Builder (or Get-CsTopology -AsXml)");
		}
		if (doc) {
			xmlFreeDoc(doc);
			doc = NULL;
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
done:
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
	{
		struct strbuf b;

		sb_init(&b);
		diag_render_text(&x.dc, &b);
		sb_putc(&b, '\0');
		r->diags = sb_detach(&b);
	}
	free(u8);
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
