/*
 * fw_common.c - names, text and checks shared by the firewall backends
 * (see fw_common.h).
 */
#include "fw_common.h"
#include "backend.h"
#include "arena.h"
#include "expand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------- */

void
fw_names_init(struct fw_names *ns, struct arena *a, size_t maxlen, const char *extra)
{
	memset(ns, 0, sizeof(*ns));
	ns->a = a;
	ns->maxlen = maxlen;
	ns->extra = extra;
}

bool
fw_names_used(const struct fw_names *ns, const char *s)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i].name, s) == 0)
			return true;
	return false;
}

static bool
name_char(const struct fw_names *ns, unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr(ns->extra, c) != NULL);
}

const char *
fw_names_add(struct fw_names *ns, const char *want, const void *key)
{
	size_t len = strlen(want), i, room;
	char *base, *s;
	unsigned k;
	struct fw_name *e;

	if (len == 0)
		want = "x", len = 1;
	if (len > ns->maxlen)
		len = ns->maxlen;
	base = arena_strndup(ns->a, want, len);
	for (i = 0; base[i]; i++)
		if (!name_char(ns, (unsigned char)base[i]))
			base[i] = '_';
	/* a name starts with a letter or a digit */
	if (!((base[0] >= 'a' && base[0] <= 'z') || (base[0] >= 'A' && base[0] <= 'Z') ||
	    (base[0] >= '0' && base[0] <= '9')))
		base[0] = 'x';
	s = base;
	for (k = 2; fw_names_used(ns, s); k++) {
		char suf[16];

		snprintf(suf, sizeof(suf), "-%u", k);
		room = ns->maxlen - strlen(suf);
		s = arena_printf(ns->a, "%.*s%s", (int)(len < room ? len : room), base, suf);
	}
	e = VEC_PUSH(ns->a, ns->v, ns->n, ns->cap);
	e->name = s;
	e->key = key;
	return s;
}

/* ---- text ---------------------------------------------------------------- */

char *
fw_text(struct arena *a, const char *in, const char *drop, size_t max)
{
	char *out = arena_alloc(a, max + 1);
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)(in ? in : ""); *p && n < max; p++) {
		unsigned char c = *p;

		if (c == ' ' || c == '\t') {
			if (n > 0 && out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		if (c < 0x20 || c > 0x7e || (drop && strchr(drop, c) != NULL))
			c = '_';
		out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

char *
fw_addrname(struct arena *a, const struct ir_addr *ad)
{
	char buf[ADDR_STRLEN], *s, *p;

	addr_format(ad, buf, sizeof(buf));
	s = arena_printf(a, "%s-%s", addr_is_host(ad) ? "h" : "n", buf);
	for (p = s; *p; p++)
		if (*p == ':' || *p == '/')
			*p = '_';
	return s;
}

char *
fw_svcname(struct arena *a, unsigned proto, uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		return arena_printf(a, "%s-%u", ir_proto_name(proto), lo);
	return arena_printf(a, "%s-%u-%u", ir_proto_name(proto), lo, hi);
}

unsigned
fw_families(const struct ir_addrset *s)
{
	unsigned m = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		m |= s->v[i].family == 4 ? 1u : 2u;
	return m;
}

/* ---- the objects of one config ------------------------------------------ */

static bool
set_eq(const struct ir_addrset *a, const struct ir_addrset *b)
{
	size_t i;

	if (a->any != b->any || a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (addr_cmp(&a->v[i], &b->v[i]) != 0)
			return false;
	return true;
}

static struct fw_grp *
group_find(const struct fw_model *m, const struct ir_endpoint *e)
{
	size_t i;

	for (i = 0; i < m->ngrps; i++)
		if (strcmp(m->grps[i].label, e->label) == 0 &&
		    set_eq(m->grps[i].set, &e->addrs))
			return &m->grps[i];
	return NULL;
}

static void
group_add(struct fw_model *m, const struct ir_endpoint *e)
{
	struct fw_grp *g;

	if (e->addrs.any || group_find(m, e) != NULL)
		return;
	g = VEC_PUSH(m->a, m->grps, m->ngrps, m->capgrps);
	g->label = e->label;
	g->set = &e->addrs;
	g->name = fw_names_add(&m->names, e->label, g);
}

void
fw_model_init(struct fw_model *m, struct arena *a, const struct ir_device *dev,
    bool nat_reals, size_t maxlen, const char *namechars)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->a = a;
	fw_names_init(&m->names, a, maxlen, namechars);
	for (i = 0; i < dev->nflows; i++) {
		const struct ir_flow *fl = dev->flows[i].flow;

		if (!fl->src.addrs.any)
			addrset_union(a, &m->addrs, &fl->src.addrs);
		if (!fl->dst.addrs.any)
			addrset_union(a, &m->addrs, &fl->dst.addrs);
	}
	for (i = 0; nat_reals && i < dev->nnats; i++)
		addrset_add(a, &m->addrs, &dev->nats[i]->real);
	addrset_sort(&m->addrs);
	m->addrnames = arena_alloc(a, (m->addrs.n + 1) * sizeof(char *));
	for (i = 0; i < m->addrs.n; i++)
		m->addrnames[i] = fw_names_add(&m->names, fw_addrname(a,
		    &m->addrs.v[i]), &m->addrs.v[i]);
	for (i = 0; i < dev->nflows; i++) {
		group_add(m, &dev->flows[i].flow->src);
		group_add(m, &dev->flows[i].flow->dst);
	}
}

const char *
fw_model_addr(const struct fw_model *m, const struct ir_addr *ad)
{
	size_t i;

	for (i = 0; i < m->addrs.n; i++)
		if (addr_cmp(&m->addrs.v[i], ad) == 0)
			return m->addrnames[i];
	return NULL;
}

const char *
fw_model_group(const struct fw_model *m, const struct ir_endpoint *e)
{
	const struct fw_grp *g = e->addrs.any ? NULL : group_find(m, e);

	return g ? g->name : NULL;
}

static int
svc_cmp(const struct fw_svc *a, const struct fw_svc *b)
{
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return 0;
}

struct fw_svc *
fw_svc_find(struct fw_svc *v, size_t n, unsigned proto, uint16_t lo, uint16_t hi)
{
	struct fw_svc k = { proto, lo, hi, NULL };
	size_t i;

	for (i = 0; i < n; i++)
		if (svc_cmp(&v[i], &k) == 0)
			return &v[i];
	return NULL;
}

void
fw_svc_add(struct arena *a, struct fw_svc **v, size_t *n, size_t *cap,
    unsigned proto, uint16_t lo, uint16_t hi)
{
	struct fw_svc *s;

	if (fw_svc_find(*v, *n, proto, lo, hi) != NULL)
		return;
	s = VEC_PUSH(a, *v, *n, *cap);
	s->proto = proto;
	s->lo = lo;
	s->hi = hi;
	s->name = NULL;
}

void
fw_svc_name(struct fw_model *m, struct fw_svc *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && svc_cmp(&v[j - 1], &v[j]) > 0; j--) {
			struct fw_svc t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		v[i].name = fw_names_add(&m->names, fw_svcname(m->a, v[i].proto,
		    v[i].lo, v[i].hi), &v[i]);
}

/* ---- checks ---------------------------------------------------------------- */

static bool
ifname_ok(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("/._:-", s[i]) != NULL))
			return false;
	return i <= 48;
}

/* Without a diagnostics context (emit), only say whether it fails. */
#define FAIL(...) do {						\
	rc = -1;						\
	if (dc == NULL)						\
		return -1;					\
	__VA_ARGS__;						\
} while (0)

int
fw_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc, const char *target)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_iface *f = &dev->ifaces[i];

		if (f->ifname && !ifname_ok(f->ifname))
			FAIL(diag_hint(dc, diag_error(dc, &f->loc, "interface name "
			    "'%s' cannot be written in the %s config", f->ifname, target),
			    "an interface name starts with a letter and uses letters, "
			    "digits and /._:- (at most 48 characters), e.g. ge-0/0/1.0 "
			    "or GigabitEthernet0/1"));
	}
	for (i = 0; i < dev->nflows; i++) {
		const struct ir_flow *fl = dev->flows[i].flow;
		const struct ir_endpoint *e[2] = { &fl->src, &fl->dst };
		int k;

		if (fl->src.addrs.any && fl->dst.addrs.any) {
			FAIL(diag_error(dc, &dev->loc, "flow %s would permit any to any "
			    "through '%s'; the %s target never writes such a rule",
			    fl->id, dev->name, target));
			continue;
		}
		for (k = 0; k < 2; k++)
			if (!e[k]->addrs.any && e[k]->addrs.n == 0)
				FAIL(diag_error(dc, &dev->loc, "flow %s: endpoint %s has "
				    "no addresses, so '%s' cannot get a rule for it", fl->id,
				    e[k]->label ? e[k]->label : "?", dev->name));
		if (fl->port_lo == 0 || fl->port_hi < fl->port_lo ||
		    (fl->proto & PROTO_TCPUDP) == 0)
			FAIL(diag_error(dc, &dev->loc, "flow %s: bad protocol or port "
			    "range %u-%u", fl->id, fl->port_lo, fl->port_hi));
	}
	for (i = 0; i < dev->nnats; i++) {
		const struct ir_nat *n = dev->nats[i];
		const struct ir_zone *rz, *mz;

		if (n->real.family != n->pub.family)
			FAIL(diag_error(dc, &n->loc, "static NAT between IPv%u and IPv%u "
			    "is not supported by the %s target", n->real.family,
			    n->pub.family, target));
		if (fw_nat_zones(site, dev, n, &rz, &mz) != 0)
			FAIL(diag_error(dc, &n->loc, "cannot tell which interfaces of "
			    "'%s' the static NAT is between", dev->name));
	}
	return rc;
}

/* ---- NAT -------------------------------------------------------------------- */

const struct ir_pool *
fw_nat_pool(const struct ir_site *site, const struct ir_nat *n)
{
	size_t i;

	for (i = 0; i < site->npools; i++) {
		const struct ir_pool *p = site->pools[i];

		if (p->nnats && n >= p->nats && n < p->nats + p->nnats)
			return p;
	}
	return NULL;
}

int
fw_nat_zones(const struct ir_site *site, const struct ir_device *dev,
    const struct ir_nat *n, const struct ir_zone **real, const struct ir_zone **mapped)
{
	const struct ir_pool *p = fw_nat_pool(site, n);
	const struct ir_zone *from;
	struct ir_device **hops;
	struct ir_zone **zones;
	size_t z;
	int rc = -1, k, nh;

	if (p == NULL)
		return -1;
	from = p->side[p->kind == POOL_EDGE || p->kind == POOL_RPROXY ?
	    SIDE_EXT : SIDE_INT].zone;
	hops = xcalloc(site->nzones + 1, sizeof(*hops));
	zones = xcalloc(site->nzones + 2, sizeof(*zones));
	/* the same search as expand.c: the first external zone with a route */
	for (z = 0; z < site->nzones && rc != 0; z++) {
		if (site->zones[z]->kind != ZONE_EXTERNAL)
			continue;
		nh = expand_route(site, from, site->zones[z], hops, zones);
		for (k = 0; k < nh; k++)
			if (hops[k] == dev) {
				*real = zones[k];
				*mapped = zones[k + 1];
				rc = 0;
				break;
			}
		if (nh > 0)
			break;
	}
	free(hops);
	free(zones);
	return rc;
}

/* ---- decide (backend.h) ------------------------------------------------- */

bool
fw_set_has(const struct ir_addrset *s, const struct ir_addr *a)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (addr_contains(&s->v[i], a))
			return true;
	return false;
}

const struct ir_nat *
fw_nat_of_pub(const struct ir_site *site, const struct ir_device *dev,
    const struct ir_zone *in, const struct ir_addr *dst)
{
	size_t i;

	for (i = 0; i < dev->nnats; i++) {
		const struct ir_nat *n = dev->nats[i];
		const struct ir_zone *rz, *mz;

		if (addr_contains(&n->pub, dst) &&
		    fw_nat_zones(site, dev, n, &rz, &mz) == 0 && mz == in)
			return n;
	}
	return NULL;
}

bool
fw_ports_hold(const struct ir_flow *fl, const struct fw_packet *p)
{
	return (fl->proto & p->proto) != 0 && p->dport >= fl->port_lo &&
	    p->dport <= fl->port_hi;
}
