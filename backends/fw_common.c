/*
 * fw_common.c - names, text and checks shared by the firewall backends
 * (see fw_common.h).
 */
#include "fw_common.h"
#include "backend.h"
#include "arena.h"
#include "expand.h"
#include "route_index.h"
#include "strbuf.h"

#include <stdarg.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- index ----------------------------------------------------------------- */

uint64_t
fw_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
fw_hash_str(const char *s)
{
	return fw_hash_bytes(0xcbf29ce484222325ULL, s, strlen(s));
}

void *
fw_hash_find(const struct fw_hash *t, uint64_t h,
    bool (*eq)(const void *, const void *), const void *key)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	for (i = (size_t)h & (t->cap - 1); t->v[i].item; i = (i + 1) & (t->cap - 1))
		if (t->v[i].h == h && eq(t->v[i].item, key))
			return t->v[i].item;
	return NULL;
}

static void
hash_insert(struct fw_hslot *v, size_t cap, uint64_t h, void *item)
{
	size_t i;

	for (i = (size_t)h & (cap - 1); v[i].item; i = (i + 1) & (cap - 1))
		;
	v[i].h = h;
	v[i].item = item;
}

void
fw_hash_put(struct fw_hash *t, uint64_t h, void *item)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64, i;
		struct fw_hslot *v = arena_alloc(t->a, cap * sizeof(*v));

		memset(v, 0, cap * sizeof(*v));
		for (i = 0; i < t->cap; i++)
			if (t->v[i].item)
				hash_insert(v, cap, t->v[i].h, t->v[i].item);
		t->v = v;
		t->cap = cap;
	}
	hash_insert(t->v, t->cap, h, item);
	t->n++;
}

static bool
str_eq(const void *item, const void *key)
{
	return strcmp(item, key) == 0;
}

bool
fw_seen(struct fw_hash *t, const char *s)
{
	uint64_t h = fw_hash_str(s);

	if (fw_hash_find(t, h, str_eq, s) != NULL)
		return true;
	fw_hash_put(t, h, (void *)(uintptr_t)s);
	return false;
}

const char *
fw_tag(struct arena *a, const char *text, size_t len)
{
	uint64_t h = fw_hash_bytes(0xcbf29ce484222325ULL, text, len);

	return fw_printf(a, "%08x", (unsigned)((h >> 32) ^ h));
}

char *
fw_printf(struct arena *a, const char *fmt, ...)
{
	struct strbuf b;
	va_list ap;
	char *s;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	s = arena_strndup(a, b.s ? b.s : "", b.len);
	sb_free(&b);
	return s;
}

/* ---- names ------------------------------------------------------------- */

void
fw_names_init(struct fw_names *ns, struct arena *a, size_t maxlen, const char *extra,
    const char *prefix)
{
	memset(ns, 0, sizeof(*ns));
	ns->a = a;
	ns->maxlen = maxlen;
	ns->extra = extra;
	ns->prefix = prefix ? prefix : "";
	ns->idx.a = a;
}

static bool
name_eq(const void *item, const void *key)
{
	return strcmp(((const struct fw_name *)item)->name, key) == 0;
}

static struct fw_name *
name_find(const struct fw_names *ns, const char *s)
{
	return fw_hash_find(&ns->idx, fw_hash_str(s), name_eq, s);
}

bool
fw_names_used(const struct fw_names *ns, const char *s)
{
	return name_find(ns, s) != NULL;
}

static bool
name_char(const struct fw_names *ns, unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr(ns->extra, c) != NULL);
}

static struct fw_name *
name_put(struct fw_names *ns, const char *s, const void *key)
{
	struct fw_name *e = arena_alloc(ns->a, sizeof(*e));

	e->name = s;
	e->key = key;
	e->next = 2;
	fw_hash_put(&ns->idx, fw_hash_str(s), e);
	return e;
}

const char *
fw_names_add(struct fw_names *ns, const char *want, const void *key)
{
	size_t len, i, room, plen = strlen(ns->prefix);
	char *base, *s;
	struct fw_name *b;

	if (want == NULL || want[0] == '\0')
		want = "x";
	base = fw_printf(ns->a, "%s%s", ns->prefix, want);
	len = strlen(base);
	if (len > ns->maxlen)
		len = ns->maxlen;
	base[len] = '\0';
	for (i = plen; base[i]; i++)
		if (!name_char(ns, (unsigned char)base[i]))
			base[i] = '_';
	/* a name starts with a letter or a digit */
	if (!((base[0] >= 'a' && base[0] <= 'z') || (base[0] >= 'A' && base[0] <= 'Z') ||
	    (base[0] >= '0' && base[0] <= '9')))
		base[0] = 'x';
	if ((b = name_find(ns, base)) == NULL)
		return name_put(ns, base, key)->name;
	/* taken: the next free suffix of this base, remembered in its entry */
	for (;; b->next++) {
		char suf[16];

		snprintf(suf, sizeof(suf), "-%u", b->next);
		room = ns->maxlen - strlen(suf);
		s = fw_printf(ns->a, "%.*s%s", (int)(len < room ? len : room), base, suf);
		if (!fw_names_used(ns, s)) {
			b->next++;
			return name_put(ns, s, key)->name;
		}
	}
}

/* ---- text ---------------------------------------------------------------- */

char *
fw_text(struct arena *a, const char *in, const char *drop, size_t max)
{
	size_t n = 0, len;
	const unsigned char *p;
	char *out;

	/* a byte of the input is at most one of the output: room for the
	 * shorter of the two, not max per call (nft: one per rule line) */
	in = in ? in : "";
	len = strnlen(in, max);
	out = arena_alloc(a, len + 1);
	for (p = (const unsigned char *)in; *p && n < max; p++) {
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
	s = fw_printf(a, "%s-%s", addr_is_host(ad) ? "h" : "n", buf);
	for (p = s; *p; p++)
		if (*p == ':' || *p == '/')
			*p = '_';
	return s;
}

static char *
range_text(struct arena *a, uint16_t lo, uint16_t hi)
{
	return lo == hi ? fw_printf(a, "%u", lo) : fw_printf(a, "%u-%u", lo, hi);
}

char *
fw_svcname(struct arena *a, unsigned proto, uint16_t lo, uint16_t hi,
    uint16_t slo, uint16_t shi)
{
	char *s = fw_printf(a, "%s-%s", ir_proto_name(proto), range_text(a, lo, hi));

	if (slo != 0)
		s = fw_printf(a, "%s-from-%s", s, range_text(a, slo, shi));
	return s;
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

/* ---- address sets ------------------------------------------------------- */

static int
addr_qcmp(const void *a, const void *b)
{
	return addr_cmp(a, b);
}

/* addr_cmp, inline for the sort below */
static inline int
acmp(const struct ir_addr *a, const struct ir_addr *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->b, b->b, a->family == 4 ? 4 : 16)) != 0)
		return c;
	return a->prefix < b->prefix ? -1 : a->prefix > b->prefix;
}

/* A stable merge sort (what glibc's qsort does for these sizes, so equal
 * addresses keep their order), without a call per comparison. */
static void
addr_sort(struct ir_addr *v, size_t n)
{
	struct ir_addr *tmp, *src = v, *dst, *t;
	size_t w, i, j, k, lo, mid, hi;

	if (n < 2)
		return;
	/* runs of 8 by insertion */
	for (lo = 0; lo < n; lo += 8) {
		hi = lo + 8 < n ? lo + 8 : n;
		for (i = lo + 1; i < hi; i++) {
			struct ir_addr x = v[i];

			for (j = i; j > lo && acmp(&v[j - 1], &x) > 0; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	if (n <= 8)
		return;
	tmp = xmalloc(n * sizeof(*tmp));
	dst = tmp;
	for (w = 8; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = acmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src, src = dst, dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
}

/* Strictly ascending: sorted and unique. */
static bool
set_sorted(const struct ir_addrset *s)
{
	size_t i;

	for (i = 1; i < s->n; i++)
		if (addr_cmp(&s->v[i - 1], &s->v[i]) >= 0)
			return false;
	return true;
}

/* Sort and deduplicate in place. */
static void
set_normalize(struct ir_addrset *s)
{
	size_t i, n = 0;

	/* most sets are the IR's, already sorted and unique: one pass */
	if (set_sorted(s))
		return;
	addr_sort(s->v, s->n);
	for (i = 0; i < s->n; i++)
		if (n == 0 || addr_cmp(&s->v[n - 1], &s->v[i]) != 0)
			s->v[n++] = s->v[i];
	s->n = n;
}

static void
set_append(struct arena *a, struct ir_addrset *s, const struct ir_addrset *o)
{
	if (o->n == 0)
		return;
	if (s->n + o->n > s->cap) {
		/* geometric, as VEC_PUSH, but one copy per append */
		size_t cap = s->cap ? 2 * s->cap : 2;
		struct ir_addr *v;

		if (cap < s->n + o->n)
			cap = s->n + o->n;
		v = arena_alloc(a, cap * sizeof(*v));
		if (s->n)
			memcpy(v, s->v, s->n * sizeof(*v));
		s->v = v;
		s->cap = cap;
	}
	memcpy(s->v + s->n, o->v, o->n * sizeof(*o->v));
	s->n += o->n;
}

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

static uint64_t
set_hash(const struct ir_addrset *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	h = fw_hash_bytes(h, &s->any, sizeof(s->any));
	for (i = 0; i < s->n; i++) {
		h = fw_hash_bytes(h, &s->v[i].family, 1);
		h = fw_hash_bytes(h, &s->v[i].prefix, 1);
		h = fw_hash_bytes(h, s->v[i].b, s->v[i].family == 4 ? 4 : 16);
	}
	return h;
}

/* ---- rules: the flows merged across pools --------------------------------- */

static void
end_init(struct arena *a, struct fw_end *e, const struct ir_endpoint *ep)
{
	memset(e, 0, sizeof(*e));
	e->any = ep->addrs.any;
	e->role = ep->role;
	e->label = ep->label;
	if (e->any)
		return;
	if (set_sorted(&ep->addrs)) {
		/* the IR's array itself, not a copy (issue 14): cap == n, so
		 * the first append of a merge copies it first */
		e->set.v = ep->addrs.v;
		e->set.n = e->set.cap = ep->addrs.n;
		return;
	}
	set_append(a, &e->set, &ep->addrs);
	set_normalize(&e->set);
}

/* rules that may merge: same definition, zone pair, protocol and ports,
 * the same "any"-ness of both sides, and equal `fixed` side */
struct mkey {
	const struct fw_rule	*r;
	bool			 fixed_dst;	/* merging sources */
};

static uint64_t
rule_hash(const struct fw_rule *r, bool fixed_dst)
{
	const void *p[3] = { r->flow->def, r->from, r->to };
	const struct fw_end *fixed = fixed_dst ? &r->dst : &r->src;
	const struct fw_end *other = fixed_dst ? &r->src : &r->dst;
	uint64_t h = fw_hash_bytes(0xcbf29ce484222325ULL, p, sizeof(p));

	h = fw_hash_bytes(h, &r->flow->proto, sizeof(r->flow->proto));
	h = fw_hash_bytes(h, &r->flow->port_lo, sizeof(r->flow->port_lo));
	h = fw_hash_bytes(h, &r->flow->port_hi, sizeof(r->flow->port_hi));
	h = fw_hash_bytes(h, &r->flow->sport_lo, sizeof(r->flow->sport_lo));
	h = fw_hash_bytes(h, &r->flow->sport_hi, sizeof(r->flow->sport_hi));
	h = fw_hash_bytes(h, &other->any, sizeof(other->any));
	h = fw_hash_bytes(h, &other->role, sizeof(other->role));
	h = fw_hash_bytes(h, &fixed_dst, sizeof(fixed_dst));
	h ^= set_hash(&fixed->set) * 31 + fixed->any;
	return h;
}

static bool
rule_mergeable(const void *item, const void *key)
{
	const struct mkey *k = key;
	const struct fw_rule *a = *(struct fw_rule *const *)item, *b = k->r;
	const struct fw_end *fa = k->fixed_dst ? &a->dst : &a->src;
	const struct fw_end *fb = k->fixed_dst ? &b->dst : &b->src;
	const struct fw_end *oa = k->fixed_dst ? &a->src : &a->dst;
	const struct fw_end *ob = k->fixed_dst ? &b->src : &b->dst;

	return a->flow->def == b->flow->def && a->from == b->from && a->to == b->to &&
	    a->flow->proto == b->flow->proto && a->flow->port_lo == b->flow->port_lo &&
	    a->flow->port_hi == b->flow->port_hi &&
	    a->flow->sport_lo == b->flow->sport_lo &&
	    a->flow->sport_hi == b->flow->sport_hi && oa->any == ob->any &&
	    oa->role == ob->role && fa->any == fb->any && set_eq(&fa->set, &fb->set);
}

static void
end_merge(struct arena *a, struct fw_end *into, const struct fw_end *from)
{
	if (into->any)
		return;
	if (into->label && from->label && strcmp(into->label, from->label) != 0)
		into->label = into->role != ROLE_NONE ? ir_role_name[into->role] :
		    into->label;
	set_append(a, &into->set, &from->set);
}

/* One pass: rules equal in everything but the free side become one. */
static void
merge_pass(struct fw_model *m, bool fixed_dst)
{
	struct fw_hash idx;
	struct fw_rule *out = NULL;
	struct fw_rule **slot = NULL;
	size_t n = 0, cap = 0, i;

	memset(&idx, 0, sizeof(idx));
	idx.a = m->a;
	slot = arena_alloc(m->a, (m->nrules + 1) * sizeof(*slot));
	out = arena_alloc(m->a, (m->nrules + 1) * sizeof(*out));
	cap = m->nrules + 1;
	for (i = 0; i < m->nrules; i++) {
		struct fw_rule *r = &m->rules[i];
		struct mkey k = { r, fixed_dst };
		uint64_t h = rule_hash(r, fixed_dst);
		struct fw_rule **hit = fw_hash_find(&idx, h, rule_mergeable, &k);
		const struct fw_end *free_side = fixed_dst ? &r->src : &r->dst;

		if (hit != NULL) {
			struct fw_rule *into = *hit;

			end_merge(m->a, fixed_dst ? &into->src : &into->dst, free_side);
			into->nflows += r->nflows;
			continue;
		}
		out[n] = *r;
		slot[n] = &out[n];
		fw_hash_put(&idx, h, &slot[n]);
		n++;
	}
	for (i = 0; i < n; i++) {
		set_normalize(&out[i].src.set);
		set_normalize(&out[i].dst.set);
	}
	m->rules = out;
	m->nrules = n;
	m->caprules = cap;
}

/* ---- groups and addresses ---------------------------------------------- */

struct gkey {
	const char		*label;
	const struct ir_addrset	*set;
};

static bool
grp_eq(const void *item, const void *key)
{
	const struct fw_grp *g = item;
	const struct gkey *k = key;

	return strcmp(g->label, k->label) == 0 && set_eq(g->set, k->set);
}

const struct fw_grp *
fw_model_group(struct fw_model *m, const char *label, const struct ir_addrset *set)
{
	struct gkey k = { label, set };
	uint64_t h = set_hash(set) ^ fw_hash_str(label);
	struct fw_grp *g = fw_hash_find(&m->grpidx, h, grp_eq, &k);

	if (g != NULL)
		return g;
	g = arena_alloc(m->a, sizeof(*g));
	g->label = label;
	g->set = set;
	g->h = h;
	/* the tag survives the length limit: the label is cut instead (room
	 * for the prefix, "-" and 8 digits, and a "-NN" uniqueness suffix) */
	g->name = fw_names_add(&m->names, m->tag_groups ? fw_printf(m->a,
	    "%.*s-%08x", (int)(m->names.maxlen - strlen(m->names.prefix) - 13), label,
	    (unsigned)((set_hash(set) >> 32) ^ set_hash(set))) : label, g);
	*VEC_PUSH(m->a, m->grps, m->ngrps, m->capgrps) = g;
	fw_hash_put(&m->grpidx, h, g);
	return g;
}

void
fw_model_init(struct fw_model *m, struct arena *a, const struct ir_device *dev,
    bool nat_reals, const struct ir_addrset *extra, unsigned flags, size_t maxlen,
    const char *namechars, const char *prefix)
{
	const struct ir_fwflow *ffs;
	size_t i, nff;

	memset(m, 0, sizeof(*m));
	m->a = a;
	m->tag_groups = (flags & FW_TAG_GROUPS) != 0;
	m->dev = dev;
	m->grpidx.a = a;
	fw_names_init(&m->names, a, maxlen, namechars, prefix);
	/* one rule per flow, then merged: sources with an equal destination,
	 * then destinations with an equal source */
	/* merged: the first flow of each class is enough (ir_device.fwc);
	 * per flow: every flow (the caller filled them, expand_device_flows) */
	ffs = (flags & FW_PER_FLOW) ? dev->flows : dev->fwc;
	nff = (flags & FW_PER_FLOW) ? dev->nflows : dev->nfwc;
	m->rules = arena_alloc(a, (nff + 1) * sizeof(*m->rules));
	for (i = 0; i < nff; i++) {
		struct fw_rule *r = &m->rules[m->nrules++];

		r->flow = ffs[i].flow;
		r->from = ffs[i].from;
		r->to = ffs[i].to;
		r->nflows = 1;
		end_init(a, &r->src, &r->flow->src);
		end_init(a, &r->dst, &r->flow->dst);
	}
	if (!(flags & FW_PER_FLOW)) {
		merge_pass(m, true);
		merge_pass(m, false);
	}
	/* every address, sorted */
	for (i = 0; i < m->nrules; i++) {
		set_append(a, &m->addrs, &m->rules[i].src.set);
		set_append(a, &m->addrs, &m->rules[i].dst.set);
	}
	for (i = 0; nat_reals && i < dev->nnats; i++)
		*VEC_PUSH(a, m->addrs.v, m->addrs.n, m->addrs.cap) = dev->nats[i]->real;
	if (extra)
		set_append(a, &m->addrs, extra);
	set_normalize(&m->addrs);
	m->addrnames = arena_alloc(a, (m->addrs.n + 1) * sizeof(char *));
	for (i = 0; i < m->addrs.n; i++)
		m->addrnames[i] = fw_names_add(&m->names, fw_addrname(a,
		    &m->addrs.v[i]), &m->addrs.v[i]);
	for (i = 0; i < m->nrules; i++) {
		struct fw_rule *r = &m->rules[i];

		if (!r->src.any)
			r->src.grp = fw_model_group(m, r->src.label, &r->src.set);
		if (!r->dst.any)
			r->dst.grp = fw_model_group(m, r->dst.label, &r->dst.set);
	}
}

const char *
fw_model_epgroup(struct fw_model *m, const struct ir_endpoint *e)
{
	struct fw_end k;

	if (e->addrs.any)
		return NULL;
	end_init(m->a, &k, e);
	return fw_model_group(m, k.label, &k.set)->name;
}

const char *
fw_model_addr(const struct fw_model *m, const struct ir_addr *ad)
{
	const struct ir_addr *hit = bsearch(ad, m->addrs.v, m->addrs.n,
	    sizeof(m->addrs.v[0]), addr_qcmp);

	return hit ? m->addrnames[hit - m->addrs.v] : NULL;
}

/* ---- port sets ----------------------------------------------------------- */

static int
svc_cmp(const struct fw_svc *a, const struct fw_svc *b)
{
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->slo != b->slo)
		return a->slo < b->slo ? -1 : 1;
	if (a->shi != b->shi)
		return a->shi < b->shi ? -1 : 1;
	return 0;
}

static int
svc_qcmp(const void *a, const void *b)
{
	return svc_cmp(a, b);
}

static bool
svc_eq(const void *item, const void *key)
{
	return svc_cmp(item, key) == 0;
}

static uint64_t
svc_hash(unsigned proto, uint16_t lo, uint16_t hi, uint16_t slo, uint16_t shi)
{
	return ((uint64_t)proto << 32 | (uint64_t)lo << 16 | hi) * 0x9e3779b97f4a7c15ULL ^
	    ((uint64_t)slo << 16 | shi) * 0xc2b2ae3d27d4eb4fULL;
}

struct fw_svc *
fw_svc_of(const struct fw_svcs *s, const struct ir_flow *fl)
{
	return fw_svc_find(s, fl->proto, fl->port_lo, fl->port_hi, fl->sport_lo,
	    fl->sport_hi);
}

struct fw_svc *
fw_svc_find(const struct fw_svcs *s, unsigned proto, uint16_t lo, uint16_t hi,
    uint16_t slo, uint16_t shi)
{
	struct fw_svc k = { proto, lo, hi, slo, shi, NULL };
	size_t i;

	if (s->idx.cap)
		return fw_hash_find(&s->idx, svc_hash(proto, lo, hi, slo, shi), svc_eq,
		    &k);
	/* named (sorted): the index was dropped */
	for (i = 0; i < s->n; i++)
		if (svc_cmp(&s->v[i], &k) == 0)
			return &s->v[i];
	return NULL;
}

void
fw_svc_add(struct arena *a, struct fw_svcs *s, unsigned proto, uint16_t lo,
    uint16_t hi, uint16_t slo, uint16_t shi)
{
	struct fw_svc *n;

	s->idx.a = a;
	if (fw_svc_find(s, proto, lo, hi, slo, shi) != NULL)
		return;
	n = arena_alloc(a, sizeof(*n));
	n->proto = proto;
	n->lo = lo;
	n->hi = hi;
	n->slo = slo;
	n->shi = shi;
	n->name = NULL;
	fw_hash_put(&s->idx, svc_hash(proto, lo, hi, slo, shi), n);
	*VEC_PUSH(a, s->v, s->n, s->cap) = *n;
}

void
fw_svc_name(struct fw_model *m, struct fw_svcs *s)
{
	size_t i;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(s->v[0]), svc_qcmp);
	/* re-index the sorted array */
	memset(&s->idx, 0, sizeof(s->idx));
	s->idx.a = m->a;
	for (i = 0; i < s->n; i++) {
		s->v[i].name = fw_names_add(&m->names, fw_svcname(m->a, s->v[i].proto,
		    s->v[i].lo, s->v[i].hi, s->v[i].slo, s->v[i].shi), &s->v[i]);
		fw_hash_put(&s->idx, svc_hash(s->v[i].proto, s->v[i].lo, s->v[i].hi,
		    s->v[i].slo, s->v[i].shi), &s->v[i]);
	}
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

/* Words that mean something else where ASA or SRX config takes a zone
 * (nameif, from-zone): a zone of that name would read as the keyword. */
static const char *const zone_keywords[] = {
	"any", "any4", "any6", "any-ipv4", "any-ipv6", "global", "junos-host",
	"interface", "host", "object", "object-group", NULL
};

static bool
flow_fails(const struct ir_flow *fl)
{
	return (fl->src.addrs.any && fl->dst.addrs.any) ||
	    (!fl->src.addrs.any && fl->src.addrs.n == 0) ||
	    (!fl->dst.addrs.any && fl->dst.addrs.n == 0) ||
	    fl->port_lo == 0 || fl->port_hi < fl->port_lo ||
	    (fl->proto & PROTO_TCPUDP) == 0;
}

int
fw_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc, const char *target)
{
	size_t i, w;
	int rc = 0;

	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_zone *z = dev->ifaces[i].zone;

		for (w = 0; zone_keywords[w]; w++)
			if (strcasecmp(z->name, zone_keywords[w]) == 0)
				FAIL(diag_hint(dc, diag_error(dc, &dev->ifaces[i].loc,
				    "zone '%s' cannot be a zone of the %s config: '%s' is a "
				    "keyword or reserved zone there", z->name, target, z->name),
				    "rename the zone (e.g. '%s-zone')", z->name));
	}

	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_iface *f = &dev->ifaces[i];

		if (f->ifname && !ifname_ok(f->ifname))
			FAIL(diag_hint(dc, diag_error(dc, &f->loc, "interface name "
			    "'%s' cannot be written in the %s config", f->ifname, target),
			    "an interface name starts with a letter and uses letters, "
			    "digits and /._:- (at most 48 characters), e.g. ge-0/0/1.0 "
			    "or GigabitEthernet0/1"));
	}
	/* the first flow of a class fails where any of them does; then say
	 * it of each */
	for (i = 0; i < dev->nfwc && !flow_fails(dev->fwc[i].flow); i++)
		;
	if (i < dev->nfwc)
		expand_device_flows(site);
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

/* ---- legs -------------------------------------------------------------------- */

size_t *
fw_legs_by_zone(struct arena *a, const struct ir_site *site, const struct ir_device *dev)
{
	size_t *legz = arena_alloc(a, (site->nzones + 1) * sizeof(*legz)), i;

	for (i = dev->nifaces; i-- > 0;)
		legz[dev->ifaces[i].zone->index] = i + 1;
	return legz;
}

/* ---- NAT -------------------------------------------------------------------- */

const struct ir_pool *
fw_nat_pool(const struct ir_site *site, const struct ir_nat *n)
{
	size_t i;

	if (site->routes != NULL)	/* a map, built once (route_index.h) */
		return route_index_nat_pool(site->routes, site, n);
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

static bool
ports_hold(unsigned proto, unsigned lo, unsigned hi, unsigned slo, unsigned shi,
    const struct fw_packet *p)
{
	return (proto & p->proto) != 0 && p->dport >= lo && p->dport <= hi &&
	    (slo == 0 || (p->sport >= slo && p->sport <= shi));
}

bool
fw_svc_holds(const struct fw_svc *s, const struct fw_packet *p)
{
	return ports_hold(s->proto, s->lo, s->hi, s->slo, s->shi, p);
}

bool
fw_flow_ports_hold(const struct ir_flow *fl, const struct fw_packet *p)
{
	return ports_hold(fl->proto, fl->port_lo, fl->port_hi, fl->sport_lo,
	    fl->sport_hi, p);
}
