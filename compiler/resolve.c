/*
 * resolve.c - interpret statements and build the IR of a site.
 *
 * The grammar only knows words and blocks; this file knows what each
 * statement means.  Each context (top level, a pool, an edge side, a flow
 * ...) has a table of keywords with one handler each, so an unknown keyword
 * gets a "did you mean" from the same table.  Errors never stop the walk:
 * every statement is looked at, and every mistake is reported.
 *
 * After all files are read, resolve_finish() applies defaults, allocates
 * addresses from `addresses from` blocks and resolves cross references
 * (zones of pools, pools of load balancers, parties).
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include "resolve.h"
#include "arena.h"
#include "hmap.h"
#include "sources.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN	48

const char *const ir_pool_kind_name[POOL__N] = {
	"edge", "frontend", "director", "mediation", "pchat", "owa", "rproxy",
};
const char *const ir_svc_name[SVC__N] = {
	"primary", "access", "webconf", "av", "internal", "external", "web-external",
};
const char *const ir_side_name[SIDE__N] = { "internal", "external" };
const char *const ir_lb_name[3] = { "none", "hlb", "dns" };
const char *const ir_persist_name[3] = { "none", "source", "cookie" };
const char *const ir_snat_policy_name[3] = { "allowed", "forbidden", "required" };
const char *const ir_device_kind_name[3] = { "firewall", "loadbalancer", "router" };
const char *const ir_role_name[ROLE__N] = {
	"",
	"edge.access", "edge.access-vip", "edge.webconf",
	"edge.webconf-vip", "edge.av", "edge.av-vip",
	"edge.internal", "edge.internal-vip",
	"frontend", "frontend.vip", "frontend.cms", "frontend.xmpp",
	"director", "director.vip", "mediation", "pchat", "owa",
	"rproxy.internal", "rproxy.external",
	"frontend.web-ext-vip", "director.web-ext-vip",
	"mediation.vip",
};

static const char *const party_names[] = {
	"internet", "remote-clients", "federation-partners", "xmpp-partners",
	"pic-partners", "internal", "internal-clients", "pstn-gateways",
	"branch-sites",
};
#define NPARTIES (sizeof(party_names) / sizeof(party_names[0]))

/* ---- small helpers ------------------------------------------------------ */

struct kw {
	const char	*name;
	void		(*fn)(struct resolve_ctx *, struct ast_stmt *, void *);
};

static const char *
kw_list(struct resolve_ctx *rc, const struct kw *t)
{
	char *s = "";
	size_t i;

	for (i = 0; t[i].name; i++)
		s = arena_printf(rc->arena, "%s%s'%s'", s, i ? ", " : "", t[i].name);
	return s;
}

static void
unknown_word(struct resolve_ctx *rc, const struct ast_word *w, const char *what,
    const char *const *words, size_t n, const char *choices)
{
	const char *sug = diag_suggest(w->text, words, n);
	struct diag *d;

	if (sug)
		d = diag_error(rc->dc, &w->loc, "unknown %s '%s'; did you mean '%s'?",
		    what, w->text, sug);
	else
		d = diag_error(rc->dc, &w->loc, "unknown %s '%s'", what, w->text);
	if (choices && !sug)
		diag_hint(rc->dc, d, "expected one of %s", choices);
}

static bool
kw_known(const struct kw *t, const char *w)
{
	for (; t->name; t++)
		if (strcmp(t->name, w) == 0)
			return true;
	return false;
}

static void
dispatch(struct resolve_ctx *rc, struct ast_stmt *s, const struct kw *t,
    const char *ctxname, void *arg)
{
	const char *words[64] = { NULL };
	size_t i, n = 0;

	if (s == NULL || s->nwords == 0)
		return;
	for (i = 0; t[i].name; i++) {
		if (strcmp(t[i].name, s->words[0].text) == 0 &&
		    s->words[0].kind == AST_WORD) {
			t[i].fn(rc, s, arg);
			return;
		}
		if (n < 64)
			words[n++] = t[i].name;
	}
	unknown_word(rc, &s->words[0], ctxname, words, n, kw_list(rc, t));
}

static void
dispatch_block(struct resolve_ctx *rc, struct ast_stmt *s, const struct kw *t,
    const char *ctxname, void *arg)
{
	size_t i;

	for (i = 0; i < s->nkids; i++)
		dispatch(rc, s->kids[i], t, ctxname, arg);
}

/*
 * The statement has the wrong number of words.  If the first extra word
 * starts a new line, the likely mistake is a missing ';' on the line before.
 */
#define NO_LIMIT	((size_t)-1)	/* lists of addresses, pools, zones */
static bool
arity(struct resolve_ctx *rc, struct ast_stmt *s, size_t min, size_t max,
    const char *usage)
{
	struct diag *d;

	if (s->nwords >= min && s->nwords <= max)
		return true;
	if (s->nwords > max) {
		const struct ast_word *x = &s->words[max];
		const struct ast_word *p = &s->words[max - 1];

		if (x->loc.line > p->loc.line) {
			struct srcloc at = p->loc;

			at.col = at.end_col + 1;
			at.end_col = at.col;
			d = diag_error(rc->dc, &at, "expected ';' after '%s'", p->text);
			diag_hint(rc->dc, d, "'%s' starts a new statement", x->text);
			return false;
		}
		d = diag_error(rc->dc, &x->loc, "unexpected '%s'", x->text);
	} else {
		const struct ast_word *p = &s->words[s->nwords - 1];
		struct srcloc at = p->loc;

		at.col = at.end_col + 1;
		at.end_col = at.col;
		d = diag_error(rc->dc, &at, "'%s' needs more: %s", s->words[0].text, usage);
		return false;
	}
	diag_hint(rc->dc, d, "usage: %s", usage);
	return false;
}

static bool
no_block(struct resolve_ctx *rc, struct ast_stmt *s)
{
	if (!s->has_block)
		return true;
	diag_error(rc->dc, &s->block_loc, "'%s' takes no block", s->words[0].text);
	return false;
}

static bool
want_block(struct resolve_ctx *rc, struct ast_stmt *s, const char *usage)
{
	struct diag *d;

	if (s->has_block)
		return true;
	d = diag_error(rc->dc, &s->loc, "'%s' needs a block", s->words[0].text);
	diag_hint(rc->dc, d, "usage: %s", usage);
	return false;
}

static bool
check_name(struct resolve_ctx *rc, const struct ast_word *w, const char *what)
{
	const char *p = w->text;
	struct diag *d;
	size_t len = strlen(p);

	if (w->kind == AST_STRING || len == 0 || !isalpha((unsigned char)p[0]))
		goto bad;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			goto bad;
	if (len > NAME_MAX_LEN) {
		d = diag_error(rc->dc, &w->loc, "%s name is %zu characters long; "
		    "the limit is %d", what, len, NAME_MAX_LEN);
		diag_hint(rc->dc, d, "device configs limit name lengths; use a shorter name");
		return false;
	}
	return true;
bad:
	d = diag_error(rc->dc, &w->loc, "invalid %s name '%s'", what, w->text);
	diag_hint(rc->dc, d, "a name starts with a letter and uses only letters, "
	    "digits, '-', '_' and '.'");
	return false;
}

static const char *
text_of(struct resolve_ctx *rc, const struct ast_word *w)
{
	const unsigned char *p;
	struct diag *d;

	for (p = (const unsigned char *)w->text; *p; p++) {
		size_t n = 0;

		if (*p < 0x20 || *p == 0x7f) {
			d = diag_error(rc->dc, &w->loc, "control character in text");
			diag_hint(rc->dc, d, "descriptions and notes are one line of "
			    "printable text");
			return NULL;
		}
		if (*p < 0x80)
			continue;
		if ((n = sb_utf8_seq((const char *)p)) == 0) {
			d = diag_error(rc->dc, &w->loc, "text is not valid UTF-8");
			diag_hint(rc->dc, d, "save the file as UTF-8");
			return NULL;
		}
		p += n - 1;
	}
	/* site text ends up in device configs: keep it short; stdlib notes
	 * only reach remarks through the flow ID and citation */
	if (strlen(w->text) > (rc->in_stdlib ? 600u : 240u)) {
		diag_error(rc->dc, &w->loc, "text is %zu characters long; the limit is %u",
		    strlen(w->text), rc->in_stdlib ? 600u : 240u);
		return NULL;
	}
	return w->text;
}

static bool
word_uint(struct resolve_ctx *rc, const struct ast_word *w, unsigned long lo,
    unsigned long hi, const char *what, unsigned long *out)
{
	const char *p = w->text;
	unsigned long v = 0;
	struct diag *d;

	if (*p == '\0' || w->kind == AST_STRING)
		goto bad;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 100000000UL)
			goto range;
	}
	if (v < lo || v > hi)
		goto range;
	*out = v;
	return true;
bad:
	d = diag_error(rc->dc, &w->loc, "%s must be a number, not '%s'", what, w->text);
	diag_hint(rc->dc, d, "expected a whole number from %lu to %lu", lo, hi);
	return false;
range:
	diag_error(rc->dc, &w->loc, "%s %s is out of range %lu-%lu", what, w->text, lo, hi);
	return false;
}

static bool
word_addr(struct resolve_ctx *rc, const struct ast_word *w, bool prefix,
    struct ir_addr *a)
{
	const char *why;
	struct diag *d;

	if (w->kind == AST_WORD && addr_parse(w->text, a, prefix, &why) == 0)
		return true;
	if (w->kind == AST_STRING)
		why = "addresses are written without quotes";
	d = diag_error(rc->dc, &w->loc, "invalid %s '%s': %s",
	    prefix ? "address or prefix" : "address", w->text, why);
	if (prefix)
		diag_hint(rc->dc, d, "write 203.0.113.10, 203.0.113.0/24 or 2001:db8::/64");
	else
		diag_hint(rc->dc, d, "write 203.0.113.10 or 2001:db8::10");
	return false;
}

static bool
word_onoff(struct resolve_ctx *rc, const struct ast_word *w, bool *out)
{
	if (strcmp(w->text, "on") == 0 || strcmp(w->text, "yes") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(w->text, "off") == 0 || strcmp(w->text, "no") == 0) {
		*out = false;
		return true;
	}
	diag_hint(rc->dc, diag_error(rc->dc, &w->loc, "expected 'on' or 'off', not '%s'",
	    w->text), "write 'on' or 'off'");
	return false;
}

static int
word_enum(struct resolve_ctx *rc, const struct ast_word *w, const char *what,
    const char *const *names, size_t n)
{
	size_t i;
	char *choices = "";

	for (i = 0; i < n; i++)
		if (names[i] && names[i][0] && strcmp(names[i], w->text) == 0)
			return (int)i;
	for (i = 0; i < n; i++)
		if (names[i] && names[i][0])
			choices = arena_printf(rc->arena, "%s%s'%s'", choices,
			    choices[0] ? ", " : "", names[i]);
	unknown_word(rc, w, what, names, n, choices);
	return -1;
}

static struct srcloc
span(const struct ast_stmt *s)
{
	struct srcloc l = s->words[0].loc;
	const struct srcloc *e = &s->words[s->nwords - 1].loc;

	if (e->line == l.line)
		l.end_col = e->end_col;
	return l;
}

/* ---- lookups ---------------------------------------------------------- */

/*
 * Name -> index + 1 of each site array, so that a lookup is not a scan
 * (resolving a reference per pool or zone was quadratic).  The arrays only
 * grow, each element keeps its index and name, so the index catches up with
 * the elements added since the last lookup; the first of two equal names
 * wins, as in a scan.  Indexes, not pointers: the stdlib cache replaces the
 * feature array with copies in the same order.
 */
struct ir_name_index {
	struct hmap	 map;
	size_t		 done;		/* elements [0, done) are in map */
};

struct ir_names {
	struct ir_name_index zones, pools, parties, devices, features;
};

static void
names_attach(struct resolve_ctx *rc)
{
	struct ir_names *x;

	if (rc->site->names != NULL)
		return;
	x = arena_alloc(rc->arena, sizeof(*x));
	hmap_init(&x->zones.map, rc->arena);
	hmap_init(&x->pools.map, rc->arena);
	hmap_init(&x->parties.map, rc->arena);
	hmap_init(&x->devices.map, rc->arena);
	hmap_init(&x->features.map, rc->arena);
	rc->site->names = x;
}

#define FIND(fn, type, arr, n)						\
type *									\
fn(const struct ir_site *site, const char *name)			\
{									\
	struct ir_name_index *x;					\
	size_t i;							\
	void *v;							\
									\
	if (site->names == NULL) {					\
		for (i = 0; i < site->n; i++)				\
			if (strcmp(site->arr[i]->name, name) == 0)	\
				return site->arr[i];			\
		return NULL;						\
	}								\
	x = &site->names->arr;						\
	for (; x->done < site->n; x->done++)				\
		hmap_sput(&x->map, site->arr[x->done]->name,		\
		    (void *)(uintptr_t)(x->done + 1));			\
	v = hmap_sget(&x->map, name);					\
	return v ? site->arr[(uintptr_t)v - 1] : NULL;			\
}

FIND(ir_zone_find, struct ir_zone, zones, nzones)
FIND(ir_pool_find, struct ir_pool, pools, npools)
FIND(ir_party_find, struct ir_party, parties, nparties)
FIND(ir_device_find, struct ir_device, devices, ndevices)
FIND(ir_feature_find, struct ir_feature, features, nfeatures)

const struct ir_rule *
ir_rule_find(const struct ir_site *site, const char *id)
{
	size_t i;

	for (i = 0; i < site->nrules; i++)
		if (strcmp(site->rules[i]->id, id) == 0)
			return site->rules[i];
	return NULL;
}

bool
ir_feature_on(const struct ir_site *site, const char *name)
{
	struct ir_feature *f = ir_feature_find(site, name);

	return f != NULL && f->on;
}

enum ir_role
ir_role_lookup(const char *s)
{
	int i;

	for (i = 1; i < ROLE__N; i++)
		if (strcmp(ir_role_name[i], s) == 0)
			return (enum ir_role)i;
	return ROLE_NONE;
}

const char *
ir_proto_name(unsigned p)
{
	return p == PROTO_TCP ? "tcp" : p == PROTO_UDP ? "udp" : "tcp-udp";
}

char *
ir_cite_format(struct arena *a, const struct ir_cite *c)
{
	char buf[512];

	if (c->file) {
		source_cite(buf, sizeof(buf), c->file, c->table, c->row);
		return arena_printf(a, "%s", buf);
	}
	return arena_printf(a, "%s: %s", c->table, c->text ? c->text : "");
}

/* The set of names name_free() let through (open addressing, FNV-1a);
 * with add, insert name.  Whether it was there. */
static bool
name_seen(struct resolve_ctx *rc, const char *name, bool add)
{
	unsigned long h = 2166136261UL;
	const unsigned char *p;
	size_t i, mask;

	if (rc->nnames * 2 >= rc->capnames && add) {
		const char **old = rc->names;
		size_t oldcap = rc->capnames, j;

		rc->capnames = oldcap ? oldcap * 2 : 64;
		rc->names = arena_alloc(rc->arena, rc->capnames * sizeof(*rc->names));
		rc->nnames = 0;
		for (j = 0; j < oldcap; j++)
			if (old[j] != NULL)
				name_seen(rc, old[j], true);
	}
	if (rc->capnames == 0)
		return false;
	for (p = (const unsigned char *)name; *p; p++)
		h = ((h ^ *p) * 16777619UL) & 0xffffffffUL;
	mask = rc->capnames - 1;
	for (i = h & mask; rc->names[i] != NULL; i = (i + 1) & mask)
		if (strcmp(rc->names[i], name) == 0)
			return true;
	if (add) {
		rc->names[i] = name;
		rc->nnames++;
	}
	return false;
}

/* Names share one namespace across zones, pools, parties and devices, so a
 * name in a `serves` or `between` list is never ambiguous. */
static bool
name_free(struct resolve_ctx *rc, const struct ast_word *w, const char *what)
{
	struct ir_site *site = rc->site;
	const struct srcloc *prev = NULL;
	const char *kind = NULL;
	struct ir_zone *z;
	struct ir_pool *p;
	struct ir_party *y;
	struct ir_device *v;
	struct diag *d;

	/* a name name_free() never passed is not a zone, pool or device: only
	 * the few predefined parties need a look (linear in the site, not
	 * quadratic: 20,000 zones took a minute) */
	if (!name_seen(rc, w->text, false)) {
		if ((y = ir_party_find(site, w->text)) == NULL || !y->declared) {
			name_seen(rc, w->text, true);
			return true;
		}
	}
	if ((z = ir_zone_find(site, w->text)) != NULL)
		prev = &z->loc, kind = "zone";
	else if ((p = ir_pool_find(site, w->text)) != NULL)
		prev = &p->loc, kind = "pool";
	else if ((y = ir_party_find(site, w->text)) != NULL && y->declared)
		prev = &y->loc, kind = "party";
	else if ((v = ir_device_find(site, w->text)) != NULL)
		prev = &v->loc, kind = "device";
	if (prev == NULL)
		return true;
	d = diag_error(rc->dc, &w->loc, "%s '%s' is already defined as a %s",
	    what, w->text, kind);
	diag_note(rc->dc, d, prev, "'%s' defined here", w->text);
	return false;
}

/* ---- site-level statements ---------------------------------------------- */

static void
st_site(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	(void)arg;
	if (!arity(rc, s, 2, 2, "site NAME;") || !no_block(rc, s))
		return;
	if (!check_name(rc, &s->words[1], "site"))
		return;
	if (rc->saw_site) {
		struct diag *d = diag_error(rc->dc, &s->loc, "site is already named '%s'",
		    rc->site->name);

		diag_note(rc->dc, d, &rc->site->loc, "named here");
		return;
	}
	rc->saw_site = true;
	rc->site->name = s->words[1].text;
	rc->site->loc = s->words[1].loc;
}

static void
st_domain(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	const char *p;

	(void)arg;
	if (!arity(rc, s, 2, 2, "domain contoso.com;") || !no_block(rc, s))
		return;
	for (p = s->words[1].text; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			break;
	if (*p || strchr(s->words[1].text, '.') == NULL || s->words[1].kind == AST_STRING) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
		    "invalid SIP domain '%s'", s->words[1].text),
		    "a SIP domain is a DNS name such as contoso.com");
		return;
	}
	rc->site->domain = s->words[1].text;
}

static void
st_narrow_any(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	(void)arg;
	if (arity(rc, s, 2, 2, "narrow-any on|off;") && no_block(rc, s))
		word_onoff(rc, &s->words[1], &rc->site->narrow_any);
}

static void
st_feature_on(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_feature *f;
	bool on = true;

	(void)arg;
	if (!arity(rc, s, 1, 2, "FEATURE;  FEATURE off;") || !no_block(rc, s))
		return;
	if (s->nwords == 2 && !word_onoff(rc, &s->words[1], &on))
		return;
	if ((f = ir_feature_find(rc->site, s->words[0].text)) == NULL)
		return;	/* reported by the caller */
	f->on = on;
	f->use_loc = s->words[0].loc;
}

static void
st_features(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	size_t i, j;
	const char **names;

	(void)arg;
	if (!arity(rc, s, 1, 1, "features < sip-federation; xmpp-federation; >") ||
	    !want_block(rc, s, "features < sip-federation; xmpp-federation; >"))
		return;
	names = arena_alloc(rc->arena, (rc->site->nfeatures + 1) * sizeof(char *));
	for (j = 0; j < rc->site->nfeatures; j++)
		names[j] = rc->site->features[j]->name;
	for (i = 0; i < s->nkids; i++) {
		struct ast_stmt *k = s->kids[i];

		if (k == NULL || k->nwords == 0)
			continue;
		if (ir_feature_find(rc->site, k->words[0].text) == NULL) {
			char *all = "";

			for (j = 0; j < rc->site->nfeatures; j++)
				all = arena_printf(rc->arena, "%s%s'%s'", all, j ? ", " : "",
				    names[j]);
			unknown_word(rc, &k->words[0], "feature", names,
			    rc->site->nfeatures, all);
			continue;
		}
		st_feature_on(rc, k, NULL);
	}
}

static const char *const zone_kinds[] = { "external", "perimeter", "internal" };

static void
zone_networks(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_zone *z = arg;
	size_t i;
	struct ir_addr a;

	if (!arity(rc, s, 2, NO_LIMIT, "networks PREFIX...;") || !no_block(rc, s))
		return;
	for (i = 1; i < s->nwords; i++)
		if (word_addr(rc, &s->words[i], true, &a))
			addrset_add(rc->arena, &z->networks, &a);
}

static void
zone_description(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_zone *z = arg;

	if (arity(rc, s, 2, 2, "description \"TEXT\";") && no_block(rc, s))
		z->description = text_of(rc, &s->words[1]);
}

static const struct kw zone_kw[] = {
	{ "networks", zone_networks },
	{ "description", zone_description },
	{ NULL, NULL },
};

static void
st_zone(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_zone *z;
	int k;

	(void)arg;
	if (!arity(rc, s, 3, 3, "zone NAME external|perimeter|internal [< networks ...; >]"))
		return;
	if (!check_name(rc, &s->words[1], "zone") || !name_free(rc, &s->words[1], "zone"))
		return;
	if ((k = word_enum(rc, &s->words[2], "zone kind", zone_kinds, 3)) < 0)
		return;
	z = arena_alloc(rc->arena, sizeof(*z));
	z->name = s->words[1].text;
	z->kind = (enum ir_zone_kind)k;
	z->loc = s->words[1].loc;
	z->index = (unsigned)rc->site->nzones;
	*VEC_PUSH(rc->arena, rc->site->zones, rc->site->nzones, rc->site->capzones) = z;
	if (s->has_block)
		dispatch_block(rc, s, zone_kw, "zone property", z);
}

/* ---- pools -------------------------------------------------------------- */

/* zone references are resolved at the end, so order does not matter */
struct zoneref {
	struct ir_zone	**slot;
	struct ast_word	 *w;
	/* a device leg: its slot is found at the end, the legs array may
	 * move while more legs are added (dev NULL: slot) */
	struct ir_device *dev;
	size_t		  iface;
};
static struct zoneref *zrefs;
static size_t nzrefs, capzrefs;
/* Reference slots whose name was misspelt ("poisoned"): the error was
 * reported once, at the word; what depends on the slot says nothing more
 * (one error per mistake), and the rest of the site is still checked. */
static const void **poisoned;
static size_t npoisoned, cappoisoned;

static void
poison(struct resolve_ctx *rc, const void *slot)
{
	*VEC_PUSH(rc->arena, poisoned, npoisoned, cappoisoned) = slot;
}

static int
ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

/* after poison_sort(): a binary search */
static bool
is_poisoned(const void *slot)
{
	return npoisoned && bsearch(&slot, poisoned, npoisoned, sizeof(*poisoned),
	    ptr_cmp) != NULL;
}

static void
poison_sort(void)
{
	if (npoisoned > 1)
		qsort(poisoned, npoisoned, sizeof(*poisoned), ptr_cmp);
}

static void
zone_ref(struct resolve_ctx *rc, struct ast_word *w, struct ir_zone **slot)
{
	struct zoneref *r = VEC_PUSH(rc->arena, zrefs, nzrefs, capzrefs);

	r->slot = slot;
	r->w = w;
	r->dev = NULL;
}

struct pool_arg {
	struct ir_pool	*pool;
	enum ir_side_kind side;
	struct ir_node	*node;		/* inside `node N < ... >` */
};

/* addrset_has, through an index (linear for many addresses) */
static bool
setaddrs_has(struct resolve_ctx *rc, const struct ir_addrset *set, const struct ir_addr *a)
{
	if (rc->setaddrs.x.m.arena == NULL)
		addrset_index_init(&rc->setaddrs, rc->arena);
	return addrset_index_has(&rc->setaddrs, set, a);
}

static void
addr_list(struct resolve_ctx *rc, struct ast_stmt *s, size_t from,
    struct ir_addrset *set, struct ir_pool *p, enum ir_svc svc, unsigned node)
{
	size_t i;
	struct ir_addr a, pub;

	for (i = from; i < s->nwords; i++) {
		if (strcmp(s->words[i].text, "nat") == 0 && s->words[i].kind == AST_WORD) {
			struct ir_nat *n;

			if (i + 1 >= s->nwords || i == from) {
				diag_hint(rc->dc, diag_error(rc->dc, &s->words[i].loc,
				    "'nat' needs an address before and a public address after it"),
				    "write: av 172.16.0.23 nat 203.0.113.23;");
				return;
			}
			if (!word_addr(rc, &s->words[i - 1], false, &a) ||
			    !word_addr(rc, &s->words[i + 1], false, &pub))
				return;
			if (a.family != pub.family) {
				diag_error(rc->dc, &s->words[i + 1].loc,
				    "NAT between IPv4 and IPv6 is not supported");
				return;
			}
			n = VEC_PUSH(rc->arena, p->nats, p->nnats, p->capnats);
			n->real = a;
			n->pub = pub;
			n->svc = svc;
			n->node = node;
			n->loc = s->words[i + 1].loc;
			i++;
			continue;
		}
		if (word_addr(rc, &s->words[i], false, &a)) {
			if (setaddrs_has(rc, set, &a)) {
				diag_error(rc->dc, &s->words[i].loc,
				    "address %s is given twice", s->words[i].text);
				continue;
			}
			addrset_index_add(rc->arena, &rc->setaddrs, set, &a);
		}
	}
}

static bool
svc_allowed(enum ir_pool_kind k, enum ir_side_kind side, enum ir_svc svc)
{
	if (k == POOL_EDGE)
		return side == SIDE_EXT ? (svc == SVC_ACCESS || svc == SVC_WEBCONF ||
		    svc == SVC_AV) : svc == SVC_INTERNAL;
	if (k == POOL_RPROXY)
		return side == SIDE_EXT ? svc == SVC_EXTERNAL : svc == SVC_INTERNAL;
	return svc == SVC_PRIMARY;
}

/* default service of a side: edge internal, rproxy sides, other pools */
static enum ir_svc
side_default_svc(enum ir_pool_kind k, enum ir_side_kind side)
{
	if (k == POOL_EDGE)
		return side == SIDE_INT ? SVC_INTERNAL : SVC__N;
	if (k == POOL_RPROXY)
		return side == SIDE_INT ? SVC_INTERNAL : SVC_EXTERNAL;
	return SVC_PRIMARY;
}

static const char *const svc_words[SVC__N] = {
	NULL, "access", "webconf", "av", NULL, NULL, NULL,
};

/* `vip ADDR...;` or, on an edge external side, `vip access ADDR...;` */
static void
side_vip(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	struct ir_side *sd = &pa->pool->side[pa->side];
	enum ir_svc svc = side_default_svc(pa->pool->kind, pa->side);
	size_t from = 1;

	if (!no_block(rc, s))
		return;
	if (svc == SVC__N) {
		int k;

		if (!arity(rc, s, 3, NO_LIMIT, "vip access|webconf|av ADDRESS...;"))
			return;
		if ((k = word_enum(rc, &s->words[1], "edge service", svc_words, SVC__N)) < 0)
			return;
		svc = (enum ir_svc)k;
		from = 2;
	} else if (!arity(rc, s, 2, NO_LIMIT, "vip ADDRESS...;"))
		return;
	sd->vip_loc[svc] = span(s);
	addr_list(rc, s, from, &sd->vip[svc], pa->pool, svc, 0);
}

static struct ir_node *
node_get(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_pool *p)
{
	unsigned long n;
	struct diag *d;

	if (!word_uint(rc, &s->words[1], 1, 64, "node number", &n))
		return NULL;
	if (p->nnodes == 0 && p->nnodes_loc.src != NULL)
		return NULL;	/* the bad (or misspelt) `nodes` was reported */
	if (p->nnodes == 0 || n > p->nnodes) {
		d = diag_error(rc->dc, &s->words[1].loc, "node %lu, but %s pool '%s' has "
		    "%u node%s", n, ir_pool_kind_name[p->kind], p->name, p->nnodes,
		    p->nnodes == 1 ? "" : "s");
		if (p->nnodes_loc.src)
			diag_note(rc->dc, d, &p->nnodes_loc, "node count set here");
		else
			diag_hint(rc->dc, d, "say 'nodes N;' before the nodes");
		return NULL;
	}
	return &p->nodes[n - 1];
}

static void node_svc(struct resolve_ctx *, struct ast_stmt *, void *);

static const struct kw edge_node_kw[] = {
	{ "access", node_svc },
	{ "webconf", node_svc },
	{ "av", node_svc },
	{ NULL, NULL },
};

static void
node_svc(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	int k;

	if (!arity(rc, s, 2, NO_LIMIT, "access|webconf|av ADDRESS [nat PUBLIC]...;") ||
	    !no_block(rc, s))
		return;
	k = word_enum(rc, &s->words[0], "edge service", svc_words, SVC__N);
	if (k < 0)
		return;
	addr_list(rc, s, 1, &pa->node->addr[k], pa->pool, (enum ir_svc)k,
	    pa->node->index);
	if (pa->node->loc.src == NULL)
		pa->node->loc = s->loc;
}

/* `node N ADDR...;` or, on an edge external side, `node N < access A; ... >` */
static void
side_node(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	enum ir_svc svc = side_default_svc(pa->pool->kind, pa->side);
	struct ir_node *n;

	if (svc == SVC__N) {
		struct pool_arg sub = *pa;

		if (!arity(rc, s, 2, 2, "node N < access A; webconf A; av A; >") ||
		    !want_block(rc, s, "node N < access A; webconf A; av A; >"))
			return;
		if ((n = node_get(rc, s, pa->pool)) == NULL)
			return;
		n->loc = span(s);
		sub.node = n;
		dispatch_block(rc, s, edge_node_kw, "edge node property", &sub);
		return;
	}
	if (!arity(rc, s, 3, NO_LIMIT, "node N ADDRESS [nat PUBLIC]...;") || !no_block(rc, s))
		return;
	if ((n = node_get(rc, s, pa->pool)) == NULL)
		return;
	n->loc = span(s);
	addr_list(rc, s, 2, &n->addr[svc], pa->pool, svc, n->index);
}

static void
side_zone(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;

	if (arity(rc, s, 2, 2, "zone NAME;") && no_block(rc, s))
		zone_ref(rc, &s->words[1], &pa->pool->side[pa->side].zone);
}

static const char *const lb_words[] = { "none", "hlb", "dns" };

static void
side_lb(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	int k;

	if (!arity(rc, s, 2, 2, "lb hlb|dns;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "load-balancing mode", lb_words, 3)) < 0)
		return;
	pa->pool->side[pa->side].lb = (enum ir_lb)k;
	pa->pool->side[pa->side].lb_loc = span(s);
}

static void
side_addresses(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	struct ir_side *sd = &pa->pool->side[pa->side];

	if (!arity(rc, s, 3, 3, "addresses from PREFIX;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[1].text, "from") != 0) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
		    "expected 'from', not '%s'", s->words[1].text),
		    "usage: addresses from 203.0.113.16/28;");
		return;
	}
	if (!word_addr(rc, &s->words[2], true, &sd->block))
		return;
	sd->allocated = true;
	sd->block_loc = s->words[2].loc;
}

static const struct kw side_kw[] = {
	{ "zone", side_zone },
	{ "lb", side_lb },
	{ "vip", side_vip },
	{ "node", side_node },
	{ "addresses", side_addresses },
	{ NULL, NULL },
};

static void
pool_side(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg, sub = *pa;

	if (!arity(rc, s, 1, 1, "external < ... >") ||
	    !want_block(rc, s, "external < zone NAME; ... >"))
		return;
	sub.side = strcmp(s->words[0].text, "external") == 0 ? SIDE_EXT : SIDE_INT;
	if (pa->pool->kind != POOL_EDGE && pa->pool->kind != POOL_RPROXY) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "%s pools have one side; "
		    "'%s' is only for edge and reverse-proxy pools",
		    ir_pool_kind_name[pa->pool->kind], s->words[0].text),
		    "put zone, lb, vip and node statements directly in the pool");
		return;
	}
	pa->pool->side[sub.side].used = true;
	pa->pool->side[sub.side].loc = s->loc;
	dispatch_block(rc, s, side_kw, "side property", &sub);
}

static void
pool_nodes(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;
	struct ir_pool *p = pa->pool;
	unsigned long n;
	unsigned i;

	if (p->nnodes) {
		struct diag *d = diag_error(rc->dc, &s->loc, "node count given twice");

		diag_note(rc->dc, d, &p->nnodes_loc, "first given here");
		return;
	}
	p->nnodes_loc = span(s);	/* seen, even if wrong: no "no node count" */
	if (!arity(rc, s, 2, 2, "nodes N;") || !no_block(rc, s))
		return;
	if (!word_uint(rc, &s->words[1], 1, 20, "node count", &n))
		return;
	p->nnodes = (unsigned)n;
	p->nnodes_loc = span(s);
	p->nodes = arena_alloc(rc->arena, n * sizeof(struct ir_node));
	for (i = 0; i < n; i++)
		p->nodes[i].index = i + 1;
}

static void
pool_lb(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg, sub = *pa;

	side_lb(rc, s, arg);
	if (pa->pool->kind == POOL_EDGE || pa->pool->kind == POOL_RPROXY) {
		sub.side = SIDE_EXT;
		side_lb(rc, s, &sub);	/* both sides; errors are reported once */
		if (rc->dc->n && rc->dc->v[rc->dc->n - 1].loc.line == s->loc.line &&
		    rc->dc->v[rc->dc->n - 1].loc.src == s->loc.src &&
		    rc->dc->n >= 2 && rc->dc->v[rc->dc->n - 2].loc.line == s->loc.line &&
		    rc->dc->v[rc->dc->n - 2].loc.src == s->loc.src &&
		    strcmp(rc->dc->v[rc->dc->n - 1].msg, rc->dc->v[rc->dc->n - 2].msg) == 0) {
			rc->dc->n--;
			rc->dc->errors--;
		}
	}
}

static void
pool_in_side(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct pool_arg *pa = arg;

	if (pa->pool->kind == POOL_EDGE || pa->pool->kind == POOL_RPROXY) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "'%s' belongs in the "
		    "pool's 'external' or 'internal' block", s->words[0].text),
		    "write: external < %s ...; >", s->words[0].text);
		return;
	}
	dispatch(rc, s, side_kw, "pool property", arg);
}

static void
pool_snat(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	size_t i;
	int k;

	if (!arity(rc, s, 2, 4, "snat access webconf;  or  snat none;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_EDGE) {
		diag_error(rc->dc, &s->loc, "'snat' is set per edge service; "
		    "other pools are source-NATed by their load balancer as needed");
		return;
	}
	p->snat_set = true;
	p->snat_loc = span(s);
	p->snat_mask = 0;
	if (s->nwords == 2 && strcmp(s->words[1].text, "none") == 0)
		return;
	for (i = 1; i < s->nwords; i++) {
		if ((k = word_enum(rc, &s->words[i], "edge service", svc_words, SVC__N)) < 0)
			continue;
		p->snat_mask |= 1u << k;
	}
}

static void
pool_mediation(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	static const char *const w[] = { "collocated", "standalone" };
	int k;

	if (!arity(rc, s, 2, 2, "mediation collocated;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_FRONTEND) {
		diag_error(rc->dc, &s->loc, "only a front-end pool can have a collocated "
		    "mediation server");
		return;
	}
	if ((k = word_enum(rc, &s->words[1], "mediation placement", w, 2)) < 0)
		return;
	p->mediation_collocated = k == 0;
	p->mediation_loc = span(s);
}

static void
pool_flag(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	const char *w = s->words[0].text;
	bool on = true;

	if (!arity(rc, s, 1, 2, "cms;  xmpp-gateway;  cookie-persistence on;") ||
	    !no_block(rc, s))
		return;
	if (s->nwords == 2 && !word_onoff(rc, &s->words[1], &on))
		return;
	if (p->kind != POOL_FRONTEND && !(strcmp(w, "cookie-persistence") == 0 &&
	    p->kind == POOL_DIRECTOR)) {
		diag_error(rc->dc, &s->loc, "'%s' applies to front-end pools only", w);
		return;
	}
	if (strcmp(w, "cms") == 0)
		p->cms = on;
	else if (strcmp(w, "xmpp-gateway") == 0)
		p->xmpp_gateway = on;
	else
		p->cookie_persistence = on;
}

struct poolref {
	struct ir_pool	**slot;
	struct ast_word	 *w;
	enum ir_pool_kind kind;
};
static struct poolref *prefs;
static size_t nprefs, capprefs;

static void
pool_next_hop(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	struct poolref *r;

	if (!arity(rc, s, 2, 2, "next-hop FRONTEND-POOL;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_MEDIATION) {
		diag_error(rc->dc, &s->loc, "'next-hop' applies to mediation pools only");
		return;
	}
	r = VEC_PUSH(rc->arena, prefs, nprefs, capprefs);
	r->slot = &p->next_hop;
	r->w = &s->words[1];
	r->kind = POOL_FRONTEND;
}

static void
pool_description(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;

	if (arity(rc, s, 2, 2, "description \"TEXT\";") && no_block(rc, s))
		p->description = text_of(rc, &s->words[1]);
}

/* `web-vip ADDR...;`: the external web services VIP of a front-end or
 * director pool, which the reverse proxy reaches (443 -> 4443, 80 -> 8080) */
static void
pool_web_vip(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	struct ir_side *sd = &p->side[SIDE_INT];

	if (!arity(rc, s, 2, NO_LIMIT, "web-vip ADDRESS...;") || !no_block(rc, s))
		return;
	if (p->kind != POOL_FRONTEND && p->kind != POOL_DIRECTOR) {
		diag_error(rc->dc, &s->loc, "'web-vip' applies to front-end and "
		    "director pools only");
		return;
	}
	sd->vip_loc[SVC_WEBEXT] = span(s);
	addr_list(rc, s, 1, &sd->vip[SVC_WEBEXT], p, SVC_WEBEXT, 0);
}

/* `monitor-port N;`: the HLB health monitor port (Topology Builder's
 * "hardware load balancer monitoring port"; default TCP 5061) */
static void
pool_monitor_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p = ((struct pool_arg *)arg)->pool;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "monitor-port PORT;") || !no_block(rc, s))
		return;
	if (word_uint(rc, &s->words[1], 1, 65535, "port", &v)) {
		p->monitor_port = (uint16_t)v;
		p->monitor_loc = span(s);
	}
}

static const struct kw pool_kw[] = {
	{ "web-vip", pool_web_vip },
	{ "monitor-port", pool_monitor_port },
	{ "nodes", pool_nodes },
	{ "lb", pool_lb },
	{ "zone", pool_in_side },
	{ "vip", pool_in_side },
	{ "node", pool_in_side },
	{ "addresses", pool_in_side },
	{ "external", pool_side },
	{ "internal", pool_side },
	{ "snat", pool_snat },
	{ "mediation", pool_mediation },
	{ "cms", pool_flag },
	{ "xmpp-gateway", pool_flag },
	{ "cookie-persistence", pool_flag },
	{ "next-hop", pool_next_hop },
	{ "description", pool_description },
	{ NULL, NULL },
};

static const char *const pool_kind_words[] = {
	"edge", "frontend", "director", "mediation", "pchat", "owa", "rproxy",
};

/* ".external" or ".internal" at the end of name (a pool side in `serves`) */
static const char *
side_suffix(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (strcmp(dot, ".external") == 0 || strcmp(dot, ".internal") == 0) ?
	    dot : NULL;
}

static void
st_pool(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_pool *p;
	struct pool_arg pa;
	int k;
	size_t i;

	(void)arg;
	if (!arity(rc, s, 3, 3, "KIND pool NAME < ... >"))
		return;
	if ((k = word_enum(rc, &s->words[0], "pool kind", pool_kind_words, POOL__N)) < 0)
		return;
	if (strcmp(s->words[1].text, "pool") != 0) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
		    "expected 'pool' after '%s'", s->words[0].text),
		    "usage: %s pool NAME < nodes N; ... >", s->words[0].text);
		return;
	}
	if (!want_block(rc, s, "KIND pool NAME < nodes N; ... >"))
		return;
	if (!check_name(rc, &s->words[2], "pool") || !name_free(rc, &s->words[2], "pool"))
		return;
	if (side_suffix(s->words[2].text) != NULL) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[2].loc, "pool name '%s' "
		    "ends in '%s', which 'serves' reads as a side of pool '%.*s'",
		    s->words[2].text, side_suffix(s->words[2].text),
		    (int)(side_suffix(s->words[2].text) - s->words[2].text),
		    s->words[2].text), "rename the pool, e.g. with '-' for '.'");
		return;
	}
	p = arena_alloc(rc->arena, sizeof(*p));
	p->name = s->words[2].text;
	p->kind = (enum ir_pool_kind)k;
	p->loc = s->words[2].loc;
	p->index = (unsigned)rc->site->npools;
	*VEC_PUSH(rc->arena, rc->site->pools, rc->site->npools, rc->site->cappools) = p;
	pa.pool = p;
	pa.side = SIDE_INT;
	pa.node = NULL;
	/* `nodes` first, so that node statements can be checked against it */
	for (i = 0; i < s->nkids; i++)
		if (s->kids[i] && s->kids[i]->nwords &&
		    strcmp(s->kids[i]->words[0].text, "nodes") == 0)
			pool_nodes(rc, s->kids[i], &pa);
	/* a misspelt `nodes` ("nodez 2;") is one error, reported by dispatch
	 * below: the node statements and the missing count say nothing more */
	for (i = 0; i < s->nkids && p->nnodes_loc.src == NULL; i++)
		if (s->kids[i] && s->kids[i]->nwords &&
		    !kw_known(pool_kw, s->kids[i]->words[0].text) &&
		    diag_distance(s->kids[i]->words[0].text, "nodes") <= 2)
			p->nnodes_loc = span(s->kids[i]);
	for (i = 0; i < s->nkids; i++)
		if (s->kids[i] && s->kids[i]->nwords &&
		    strcmp(s->kids[i]->words[0].text, "nodes") != 0)
			dispatch(rc, s->kids[i], pool_kw, "pool property", &pa);
	if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY)
		p->side[SIDE_INT].used = true;
}

/* ---- parties and devices --------------------------------------------- */

static struct ir_party *
party_get(struct resolve_ctx *rc, const char *name)
{
	struct ir_party *y = ir_party_find(rc->site, name);

	if (y == NULL) {
		y = arena_alloc(rc->arena, sizeof(*y));
		y->name = name;
		y->addrs.any = true;
		y->index = (unsigned)rc->site->nparties;
		*VEC_PUSH(rc->arena, rc->site->parties, rc->site->nparties,
		    rc->site->capparties) = y;
	}
	return y;
}

static void
party_address(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y = arg;
	size_t i;
	struct ir_addr a;

	if (!arity(rc, s, 2, NO_LIMIT, "address PREFIX...;") || !no_block(rc, s))
		return;
	for (i = 1; i < s->nwords; i++)
		if (word_addr(rc, &s->words[i], true, &a)) {
			y->addrs.any = false;
			if (!setaddrs_has(rc, &y->addrs, &a))
				addrset_index_add(rc->arena, &rc->setaddrs, &y->addrs, &a);
		}
}

/* `zone A B ...;`: the zones the party covers (default: every zone of its
 * kind, see default_parties) */
static void
party_zone(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y = arg;
	size_t i;

	if (!arity(rc, s, 2, 256, "zone NAME...;") || !no_block(rc, s))
		return;
	if (y->zones_given) {
		diag_error(rc->dc, &s->loc, "party '%s': 'zone' is given twice; "
		    "list every zone in one statement", y->name);
		return;
	}
	y->zones_given = true;
	y->nzones = s->nwords - 1;
	y->zones = arena_alloc(rc->arena, y->nzones * sizeof(*y->zones));
	for (i = 1; i < s->nwords; i++)
		zone_ref(rc, &s->words[i], &y->zones[i - 1]);
}

/* `sip-port N;`: the port the party's hosts listen on for SIP (the PSTN
 * gateways' trunk port); flows with `site-port PARTY` use it */
static void
party_sip_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y = arg;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "sip-port PORT;") || !no_block(rc, s))
		return;
	if (strcmp(y->name, "pstn-gateways") != 0) {
		diag_error(rc->dc, &s->loc, "'sip-port' applies to party pstn-gateways only");
		return;
	}
	if (word_uint(rc, &s->words[1], 1, 65535, "port", &v))
		y->sip_port = (uint16_t)v;
}

static const struct kw party_kw[] = {
	{ "sip-port", party_sip_port },
	{ "address", party_address },
	{ "zone", party_zone },
	{ NULL, NULL },
};

static void
st_party(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y;
	int k;

	(void)arg;
	if (!arity(rc, s, 2, 2, "party NAME < address PREFIX...; zone NAME...; >") ||
	    !want_block(rc, s, "party NAME < address PREFIX...; zone NAME...; >"))
		return;
	if ((k = word_enum(rc, &s->words[1], "party", party_names, NPARTIES)) < 0)
		return;
	y = party_get(rc, party_names[k]);
	if (y->declared) {
		struct diag *d = diag_error(rc->dc, &s->words[1].loc,
		    "party '%s' is described twice", y->name);

		diag_note(rc->dc, d, &y->loc, "first described here");
		return;
	}
	y->declared = true;
	y->loc = s->words[1].loc;
	dispatch_block(rc, s, party_kw, "party property", y);
}

static void
dev_between(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;
	size_t i;

	if (!arity(rc, s, 3, NO_LIMIT, "between ZONE ZONE...;") || !no_block(rc, s))
		return;
	if (v->kind == DEV_LB) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "a load balancer is placed "
		    "with 'serves', not 'between'"), "write: serves POOL;");
		return;
	}
	for (i = 1; i < s->nwords; i++) {
		struct ir_iface *f = VEC_PUSH(rc->arena, v->ifaces, v->nifaces, v->capifaces);

		memset(f, 0, sizeof(*f));
		f->level = -1;
		f->loc = s->words[i].loc;
		zone_ref(rc, &s->words[i], NULL);
		zrefs[nzrefs - 1].dev = v;
		zrefs[nzrefs - 1].iface = v->nifaces - 1;
	}
}

/* `interface ZONE IFNAME [level N];` names the device interface in a zone */
struct ifref {
	struct ir_device	*dev;
	struct ast_stmt		*s;
};
static struct ifref *ifrefs;
static size_t nifrefs, capifrefs;

static void
dev_interface(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ifref *r;
	const char *p;

	if (!arity(rc, s, 3, 5, "interface ZONE IFNAME [level N];") || !no_block(rc, s))
		return;
	for (p = s->words[2].text; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_./:", *p))
			break;
	if (*p || s->words[2].kind == AST_STRING || strlen(s->words[2].text) > 48) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[2].loc,
		    "invalid interface name '%s'", s->words[2].text),
		    "an interface name uses letters, digits and '-_./:', "
		    "e.g. ge-0/0/1.0 or GigabitEthernet0/1");
		return;
	}
	if (s->nwords == 4 || (s->nwords == 5 && strcmp(s->words[3].text, "level") != 0)) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[3].loc, "unexpected '%s'",
		    s->words[3].text), "usage: interface ZONE IFNAME [level N];");
		return;
	}
	r = VEC_PUSH(rc->arena, ifrefs, nifrefs, capifrefs);
	r->dev = arg;
	r->s = s;
}

static void
dev_serves(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;
	size_t i;

	if (!arity(rc, s, 2, NO_LIMIT, "serves POOL[.external|.internal]...;") || !no_block(rc, s))
		return;
	if (v->kind != DEV_LB) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "only a load balancer "
		    "'serves' pools"), "place a firewall with 'between ZONE ZONE;'");
		return;
	}
	for (i = 1; i < s->nwords; i++) {
		struct ir_served *sv = VEC_PUSH(rc->arena, v->served, v->nserved, v->capserved);

		memset(sv, 0, sizeof(*sv));
		sv->loc = s->words[i].loc;
		/* resolved in resolve_finish(); keep the text in a fake pool */
		sv->pool = (struct ir_pool *)(void *)&s->words[i];
		sv->side = SIDE__N;
	}
}

static void
dev_description(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;

	if (arity(rc, s, 2, 2, "description \"TEXT\";") && no_block(rc, s))
		v->description = text_of(rc, &s->words[1]);
}

/* `vendor NAME;`: the target that writes this device's config */
static void
dev_vendor(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	static const char *const fw[] = { "asa", "srx", "nft" };
	static const char *const lb[] = { "f5", "f5-as3", "haproxy" };
	struct ir_device *v = arg;

	if (!arity(rc, s, 2, 2, "vendor NAME;") || !no_block(rc, s))
		return;
	if (v->kind == DEV_ROUTER) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "a router gets no "
		    "configuration, so it has no vendor"), "remove the 'vendor' line");
		return;
	}
	if (word_enum(rc, &s->words[1], v->kind == DEV_FIREWALL ? "firewall vendor" :
	    "load balancer vendor", v->kind == DEV_FIREWALL ? fw : lb, 3) < 0)
		return;
	v->vendor = s->words[1].text;
	v->vendor_loc = s->words[1].loc;
}

/* `shared;`: the firewall carries other traffic than Lync's */
static void
dev_shared(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;

	if (!arity(rc, s, 1, 1, "shared;") || !no_block(rc, s))
		return;
	if (v->kind != DEV_FIREWALL) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "only a firewall can be "
		    "'shared'"), "remove the 'shared' line");
		return;
	}
	v->shared = true;
}

static const struct kw dev_kw[] = {
	{ "between", dev_between },
	{ "vendor", dev_vendor },
	{ "shared", dev_shared },
	{ "interface", dev_interface },
	{ "serves", dev_serves },
	{ "description", dev_description },
	{ NULL, NULL },
};

static void
st_device(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v;
	static const char *const kinds[] = { "firewall", "loadbalancer", "router" };
	int k;

	(void)arg;
	if (!arity(rc, s, 2, 2, "firewall NAME < between ZONE ZONE; >") ||
	    !want_block(rc, s, "firewall NAME < between ZONE ZONE; >"))
		return;
	if ((k = word_enum(rc, &s->words[0], "device kind", kinds, 3)) < 0)
		return;
	if (!check_name(rc, &s->words[1], "device") || !name_free(rc, &s->words[1], "device"))
		return;
	v = arena_alloc(rc->arena, sizeof(*v));
	v->name = s->words[1].text;
	v->kind = (enum ir_device_kind)k;
	v->loc = s->words[1].loc;
	v->index = (unsigned)rc->site->ndevices;
	*VEC_PUSH(rc->arena, rc->site->devices, rc->site->ndevices, rc->site->capdevices) = v;
	dispatch_block(rc, s, dev_kw, "device property", v);
}

/* ---- stdlib declarations -------------------------------------------------- */

static void
def_cite(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_cite **v, size_t *n,
    size_t *cap)
{
	struct ir_cite *c;
	const struct lyncc_source *src;
	unsigned long row;

	if (strcmp(s->words[0].text, "cite-doc") == 0) {
		if (!arity(rc, s, 3, 3, "cite-doc KEY \"TEXT\";"))
			return;
		c = VEC_PUSH(rc->arena, *v, *n, *cap);
		memset(c, 0, sizeof(*c));
		c->table = s->words[1].text;
		c->text = text_of(rc, &s->words[2]);
		return;
	}
	if (!arity(rc, s, 4, 4, "cite PAGE \"TABLE\" ROW;"))
		return;
	if (!word_uint(rc, &s->words[3], 1, 999, "table row", &row))
		return;
	/* the page: its TechNet ID (Gg398739), or the seed file name it was
	 * received as; a doc key belongs in cite-doc */
	src = source_find(s->words[1].text);
	if (src != NULL && src->file == NULL) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc, "'%s' is a "
		    "document key, not a seed page", s->words[1].text),
		    "cite it with: cite-doc %s \"TEXT\";", s->words[1].text);
		return;
	}
	if (src == NULL) {
		const char *pages[8];
		size_t i, np = 0;

		for (i = 0; i < lyncc_nsources && np < 8; i++)
			if (lyncc_sources[i].file)
				pages[np++] = lyncc_sources[i].id;
		unknown_word(rc, &s->words[1], "seed page", pages, np,
		    "Gg398739, Gg398833, JJ205394, JJ204648 or JJ618373 (docs/sources.md)");
		return;
	}
	c = VEC_PUSH(rc->arena, *v, *n, *cap);
	memset(c, 0, sizeof(*c));
	c->file = s->words[1].text;
	c->table = text_of(rc, &s->words[2]);
	c->row = (unsigned)row;
}

static void
def_cond(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_cond **v, size_t *n,
    size_t *cap)
{
	struct ir_cond c;
	static const char *const kinds[] = { "feature", "no-feature", "lb", "mediation" };
	static const char *const medw[] = { "collocated", "standalone" };
	int k;

	memset(&c, 0, sizeof(c));
	if (!arity(rc, s, 3, 4, "when feature NAME;  when lb KIND MODE;  "
	    "when mediation collocated;"))
		return;
	c.loc = span(s);
	if ((k = word_enum(rc, &s->words[1], "condition", kinds, 4)) < 0)
		return;
	c.kind = (enum ir_cond_kind)k;
	switch (c.kind) {
	case COND_FEATURE:
	case COND_NO_FEATURE:
		if (!arity(rc, s, 3, 3, "when feature NAME;"))
			return;
		if (ir_feature_find(rc->site, s->words[2].text) == NULL) {
			const char *names[128];
			size_t i, m = 0;

			for (i = 0; i < rc->site->nfeatures && m < 128; i++)
				names[m++] = rc->site->features[i]->name;
			unknown_word(rc, &s->words[2], "feature", names, m, NULL);
			return;
		}
		c.feature = s->words[2].text;
		break;
	case COND_LB:
		if (!arity(rc, s, 4, 4, "when lb edge|frontend|director hlb|dns;"))
			return;
		if ((k = word_enum(rc, &s->words[2], "pool kind", pool_kind_words, POOL__N)) < 0)
			return;
		c.pool_kind = (enum ir_pool_kind)k;
		if ((k = word_enum(rc, &s->words[3], "load-balancing mode", lb_words, 3)) < 0)
			return;
		c.lb = (enum ir_lb)k;
		break;
	case COND_MEDIATION:
		if (!arity(rc, s, 3, 3, "when mediation collocated|standalone;"))
			return;
		if ((k = word_enum(rc, &s->words[2], "mediation placement", medw, 2)) < 0)
			return;
		c.collocated = k == 0;
		break;
	}
	*VEC_PUSH(rc->arena, *v, *n, *cap) = c;
}

static bool
def_role(struct resolve_ctx *rc, const struct ast_word *w, enum ir_role *out)
{
	int k = word_enum(rc, w, "role", ir_role_name, ROLE__N);

	if (k <= 0)
		return false;
	*out = (enum ir_role)k;
	return true;
}

static bool
def_endpoint(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_endpoint_def *e)
{
	int k;

	if (!arity(rc, s, 2, 3, "from ROLE;  from any PARTY;") || !no_block(rc, s))
		return false;
	e->loc = span(s);
	if (strcmp(s->words[1].text, "any") == 0) {
		if (!arity(rc, s, 3, 3, "from any PARTY;"))
			return false;
		if ((k = word_enum(rc, &s->words[2], "party", party_names, NPARTIES)) < 0)
			return false;
		e->role = ROLE_NONE;
		e->party = party_names[k];
		return true;
	}
	if (!arity(rc, s, 2, 2, "from ROLE;"))
		return false;
	return def_role(rc, &s->words[1], &e->role);
}

static bool
def_proto(struct resolve_ctx *rc, struct ast_stmt *s, unsigned *proto, bool both)
{
	static const char *const w[] = { "", "tcp", "udp", "tcp-udp" };
	int k;

	if (!arity(rc, s, 2, 2, "proto tcp|udp;") || !no_block(rc, s))
		return false;
	if ((k = word_enum(rc, &s->words[1], "protocol", w, both ? 4 : 3)) <= 0)
		return false;
	*proto = (unsigned)k;
	return true;
}

static bool
parse_ports(struct resolve_ctx *rc, const struct ast_word *w, uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(w->text, '-');
	struct ast_word a = *w, b = *w;
	unsigned long x, y;

	if (dash == NULL) {
		if (!word_uint(rc, w, 1, 65535, "port", &x))
			return false;
		*lo = *hi = (uint16_t)x;
		return true;
	}
	a.text = arena_strndup(rc->arena, w->text, (size_t)(dash - w->text));
	b.text = dash + 1;
	if (!word_uint(rc, &a, 1, 65535, "port", &x) || !word_uint(rc, &b, 1, 65535, "port", &y))
		return false;
	if (x > y) {
		diag_error(rc->dc, &w->loc, "port range %s runs backwards", w->text);
		return false;
	}
	*lo = (uint16_t)x;
	*hi = (uint16_t)y;
	return true;
}

struct flow_arg {
	struct ir_flowdef	*f;
	bool			 has_proto, has_port, has_from, has_to;
};

static void
fl_proto(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	fa->has_proto = def_proto(rc, s, &fa->f->proto, true);
}

static void
fl_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	if (arity(rc, s, 2, 2, "port N;  port LO-HI;") && no_block(rc, s))
		fa->has_port = parse_ports(rc, &s->words[1], &fa->f->port_lo, &fa->f->port_hi);
}

/* `source-port LO-HI;`: the source ports the traffic leaves from (default:
 * any) */
static void
fl_sport(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	if (arity(rc, s, 2, 2, "source-port N;  source-port LO-HI;") && no_block(rc, s))
		parse_ports(rc, &s->words[1], &fa->f->sport_lo, &fa->f->sport_hi);
}

/* `site-port PARTY;`: the party may give the port (`sip-port N;`) */
static void
fl_site_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;
	int k;

	if (!arity(rc, s, 2, 2, "site-port PARTY;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "party", party_names, NPARTIES)) >= 0)
		fa->f->port_party = party_names[k];
}

static void
fl_from(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	if (strcmp(s->words[0].text, "from") == 0)
		fa->has_from = def_endpoint(rc, s, &fa->f->from);
	else
		fa->has_to = def_endpoint(rc, s, &fa->f->to);
}

static void
fl_narrow(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;
	size_t i;
	enum ir_role r;

	if (!arity(rc, s, 2, NO_LIMIT, "narrow ROLE...;") || !no_block(rc, s))
		return;
	for (i = 1; i < s->nwords; i++)
		if (def_role(rc, &s->words[i], &r))
			*VEC_PUSH(rc->arena, f->narrow, f->nnarrow, f->capnarrow) = r;
}

static void
fl_when(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;

	def_cond(rc, s, &f->conds, &f->nconds, &f->capconds);
}

static void
fl_cite(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;

	def_cite(rc, s, &f->cites, &f->ncites, &f->capcites);
}

static void
fl_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;

	if (!arity(rc, s, 2, 2, "note \"TEXT\";") || !no_block(rc, s))
		return;
	if (strcmp(s->words[0].text, "note") == 0)
		f->note = text_of(rc, &s->words[1]);
	else
		f->differs = text_of(rc, &s->words[1]);
}

static const struct kw flow_kw[] = {
	{ "proto", fl_proto },
	{ "port", fl_port },
	{ "source-port", fl_sport },
	{ "site-port", fl_site_port },
	{ "from", fl_from },
	{ "to", fl_from },
	{ "narrow", fl_narrow },
	{ "when", fl_when },
	{ "note", fl_note },
	{ "differs", fl_note },
	{ "cite", fl_cite },
	{ "cite-doc", fl_cite },
	{ NULL, NULL },
};

static bool
def_id(struct resolve_ctx *rc, struct ast_stmt *s, const char *what)
{
	size_t i;
	const char *id;

	if (!arity(rc, s, 2, 2, "flow ID < ... >") || !want_block(rc, s, "flow ID < ... >"))
		return false;
	if (!check_name(rc, &s->words[1], what))
		return false;
	id = s->words[1].text;
	/* index what was defined since the last call (a hash set, so that
	 * defining N IDs is linear) */
	if (rc->defids.arena == NULL)
		hmap_init(&rc->defids, rc->arena);
	for (i = rc->defids_n[0]; i < rc->site->nflowdefs; i++)
		hmap_sput(&rc->defids, rc->site->flowdefs[i]->id, rc->site->flowdefs[i]);
	for (i = rc->defids_n[1]; i < rc->site->nlbdefs; i++)
		hmap_sput(&rc->defids, rc->site->lbdefs[i]->id, rc->site->lbdefs[i]);
	for (i = rc->defids_n[2]; i < rc->site->nrules; i++)
		hmap_sput(&rc->defids, rc->site->rules[i]->id, rc->site->rules[i]);
	rc->defids_n[0] = rc->site->nflowdefs;
	rc->defids_n[1] = rc->site->nlbdefs;
	rc->defids_n[2] = rc->site->nrules;
	if (hmap_sget(&rc->defids, id) == NULL)
		return true;
	diag_error(rc->dc, &s->words[1].loc, "%s ID '%s' is already defined", what, id);
	return false;
}

static void
st_flow(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg fa;
	struct ir_flowdef *f;
	struct diag *d;

	(void)arg;
	if (!def_id(rc, s, "flow"))
		return;
	f = arena_alloc(rc->arena, sizeof(*f));
	f->id = s->words[1].text;
	f->loc = s->words[1].loc;
	memset(&fa, 0, sizeof(fa));
	fa.f = f;
	dispatch_block(rc, s, flow_kw, "flow property", &fa);
	if (!fa.has_proto || !fa.has_port || !fa.has_from || !fa.has_to) {
		d = diag_error(rc->dc, &s->words[1].loc, "flow '%s' lacks %s", f->id,
		    !fa.has_proto ? "'proto'" : !fa.has_port ? "'port'" :
		    !fa.has_from ? "'from'" : "'to'");
		diag_hint(rc->dc, d, "a flow needs proto, port, from and to");
		return;
	}
	if (f->nnarrow && f->from.role != ROLE_NONE && f->to.role != ROLE_NONE) {
		diag_error(rc->dc, &s->words[1].loc, "flow '%s': 'narrow' needs an 'any' side",
		    f->id);
		return;
	}
	f->index = (unsigned)rc->site->nflowdefs;
	*VEC_PUSH(rc->arena, rc->site->flowdefs, rc->site->nflowdefs,
	    rc->site->capflowdefs) = f;
}

struct lb_arg {
	struct ir_lbdef	*l;
	bool		 has_vip, has_members, has_proto, has_port;
};

static void
lb_role(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;

	if (!arity(rc, s, 2, 2, "vip ROLE;  members ROLE;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[0].text, "vip") == 0)
		la->has_vip = def_role(rc, &s->words[1], &la->l->vip);
	else
		la->has_members = def_role(rc, &s->words[1], &la->l->members);
}

static void
lb_proto(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;

	la->has_proto = def_proto(rc, s, &la->l->proto, false);
}

static void
lb_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "port N;") || !no_block(rc, s))
		return;
	if (!word_uint(rc, &s->words[1], 1, 65535, "port", &v))
		return;
	if (strcmp(s->words[0].text, "port") == 0) {
		la->l->port = (uint16_t)v;
		la->has_port = true;
	} else
		la->l->member_port = (uint16_t)v;
}

static void
lb_persist(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	int k;

	if (!arity(rc, s, 2, 2, "persist none|source|cookie;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "persistence", ir_persist_name, 3)) >= 0)
		la->l->persist = (enum ir_persist)k;
}

static void
lb_seconds(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "idle-timeout SECONDS;") || !no_block(rc, s))
		return;
	if (!word_uint(rc, &s->words[1], 1, 86400, "timeout", &v))
		return;
	if (strcmp(s->words[0].text, "idle-timeout") == 0)
		la->l->idle_timeout = (unsigned)v;
	else
		la->l->persist_timeout = (unsigned)v;
}

static void
lb_snat(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	int k;

	if (!arity(rc, s, 2, 2, "snat allowed|forbidden|required;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "SNAT policy", ir_snat_policy_name, 3)) >= 0)
		la->l->snat = (enum ir_snat_policy)k;
}

static void
lb_monitor(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	unsigned long v;

	if (!arity(rc, s, 3, 3, "monitor tcp PORT;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[1].text, "tcp") != 0) {
		diag_error(rc->dc, &s->words[1].loc, "only 'monitor tcp PORT' is supported");
		return;
	}
	if (word_uint(rc, &s->words[2], 1, 65535, "port", &v))
		la->l->monitor_port = (uint16_t)v;
}

static void
lb_balance(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	(void)arg;
	if (!arity(rc, s, 2, 2, "balance leastconn;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[1].text, "leastconn") != 0)
		diag_error(rc->dc, &s->words[1].loc, "only 'balance leastconn' is "
		    "supported: Lync pools are balanced by least connections");
}

static void
lb_nagle(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	bool on;

	if (arity(rc, s, 2, 2, "nagle on|off;") && no_block(rc, s) &&
	    word_onoff(rc, &s->words[1], &on))
		la->l->nagle_off = !on;
}

static void
lb_when(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_lbdef *l = ((struct lb_arg *)arg)->l;

	def_cond(rc, s, &l->conds, &l->nconds, &l->capconds);
}

static void
lb_cite(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_lbdef *l = ((struct lb_arg *)arg)->l;

	def_cite(rc, s, &l->cites, &l->ncites, &l->capcites);
}

static void
lb_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_lbdef *l = ((struct lb_arg *)arg)->l;

	if (arity(rc, s, 2, 2, "note \"TEXT\";") && no_block(rc, s))
		l->note = text_of(rc, &s->words[1]);
}

static const struct kw lb_kw[] = {
	{ "vip", lb_role },
	{ "members", lb_role },
	{ "proto", lb_proto },
	{ "port", lb_port },
	{ "member-port", lb_port },
	{ "persist", lb_persist },
	{ "persist-timeout", lb_seconds },
	{ "idle-timeout", lb_seconds },
	{ "snat", lb_snat },
	{ "monitor", lb_monitor },
	{ "balance", lb_balance },
	{ "nagle", lb_nagle },
	{ "when", lb_when },
	{ "note", lb_note },
	{ "cite", lb_cite },
	{ "cite-doc", lb_cite },
	{ NULL, NULL },
};

static void
st_lbservice(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg la;
	struct ir_lbdef *l;

	(void)arg;
	if (!def_id(rc, s, "lbservice"))
		return;
	l = arena_alloc(rc->arena, sizeof(*l));
	l->id = s->words[1].text;
	l->loc = s->words[1].loc;
	memset(&la, 0, sizeof(la));
	la.l = l;
	dispatch_block(rc, s, lb_kw, "lbservice property", &la);
	if (!la.has_vip || !la.has_members || !la.has_proto || !la.has_port) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
		    "lbservice '%s' lacks %s", l->id, !la.has_vip ? "'vip'" :
		    !la.has_members ? "'members'" : !la.has_proto ? "'proto'" : "'port'"),
		    "an lbservice needs vip, members, proto and port");
		return;
	}
	if (l->member_port == 0)
		l->member_port = l->port;
	l->index = (unsigned)rc->site->nlbdefs;
	*VEC_PUSH(rc->arena, rc->site->lbdefs, rc->site->nlbdefs, rc->site->caplbdefs) = l;
}

static void
ru_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_rule *r = arg;

	if (arity(rc, s, 2, 2, "note \"TEXT\";") && no_block(rc, s))
		r->note = text_of(rc, &s->words[1]);
}

static void
ru_cite(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_rule *r = arg;

	def_cite(rc, s, &r->cites, &r->ncites, &r->capcites);
}

static const struct kw rule_kw[] = {
	{ "note", ru_note },
	{ "cite", ru_cite },
	{ "cite-doc", ru_cite },
	{ NULL, NULL },
};

static void
st_rule(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_rule *r;

	(void)arg;
	if (!def_id(rc, s, "rule"))
		return;
	r = arena_alloc(rc->arena, sizeof(*r));
	r->id = s->words[1].text;
	r->loc = s->words[1].loc;
	dispatch_block(rc, s, rule_kw, "rule property", r);
	*VEC_PUSH(rc->arena, rc->site->rules, rc->site->nrules, rc->site->caprules) = r;
}

static void
ft_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_feature *f = arg;

	if (arity(rc, s, 2, 2, "note \"TEXT\";") && no_block(rc, s))
		f->note = text_of(rc, &s->words[1]);
}

/* `default on;`: the seeds make the rows unconditional; a site may turn the
 * feature off (`features < NAME off; >`) */
static void
ft_default(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_feature *f = arg;

	if (arity(rc, s, 2, 2, "default on|off;") && no_block(rc, s))
		word_onoff(rc, &s->words[1], &f->on);
	f->default_on = f->on;
}

static const struct kw feature_kw[] = {
	{ "note", ft_note },
	{ "default", ft_default },
	{ NULL, NULL },
};

static void
st_feature(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_feature *f;

	(void)arg;
	if (!arity(rc, s, 2, 2, "feature NAME < note \"TEXT\"; >") ||
	    !want_block(rc, s, "feature NAME < note \"TEXT\"; >"))
		return;
	if (!check_name(rc, &s->words[1], "feature"))
		return;
	if (ir_feature_find(rc->site, s->words[1].text)) {
		diag_error(rc->dc, &s->words[1].loc, "feature '%s' is already declared",
		    s->words[1].text);
		return;
	}
	f = arena_alloc(rc->arena, sizeof(*f));
	f->name = s->words[1].text;
	f->loc = s->words[1].loc;
	dispatch_block(rc, s, feature_kw, "feature property", f);
	*VEC_PUSH(rc->arena, rc->site->features, rc->site->nfeatures,
	    rc->site->capfeatures) = f;
}

/* ---- include ------------------------------------------------------------ */

static void st_include(struct resolve_ctx *, struct ast_stmt *, void *);

static const struct kw top_kw[] = {
	{ "site", st_site },
	{ "domain", st_domain },
	{ "include", st_include },
	{ "narrow-any", st_narrow_any },
	{ "features", st_features },
	{ "zone", st_zone },
	{ "edge", st_pool },
	{ "frontend", st_pool },
	{ "director", st_pool },
	{ "mediation", st_pool },
	{ "pchat", st_pool },
	{ "owa", st_pool },
	{ "rproxy", st_pool },
	{ "party", st_party },
	{ "firewall", st_device },
	{ "loadbalancer", st_device },
	{ "router", st_device },
	{ "feature", st_feature },
	{ "flow", st_flow },
	{ "lbservice", st_lbservice },
	{ "rule", st_rule },
	{ NULL, NULL },
};

int
resolve_parse(struct resolve_ctx *rc, const struct source *src, struct ast_list *out)
{
	struct parse_ctx pc;
	int r;

	memset(&pc, 0, sizeof(pc));
	pc.arena = rc->arena;
	pc.dc = rc->dc;
	pc.src = src;
	r = ast_parse(&pc);
	*out = pc.top;
	return r;
}

/* path is dir or below it (both real paths) */
static bool
path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The same file (device and inode) as one in v[0..n), or NULL. */
static const struct source *
same_file(const struct source *src, const struct source *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i]->has_id && v[i]->dev == src->dev && v[i]->ino == src->ino)
			return v[i];
	return NULL;
}

/* Where `include NAME` finds its file: next to the including file, then in
 * each -I directory; the first that exists.  Sets *real to its real path. */
static const char *
include_find(struct resolve_ctx *rc, const struct source *cur, const char *name,
    char **real)
{
	const char *first = NULL, *path;
	size_t i;

	*real = NULL;
	for (i = 0; i <= rc->nsearch; i++) {
		if (i == 0 && (name[0] == '/' || cur == NULL || cur->path == NULL))
			path = name;
		else if (i == 0) {
			const char *slash = strrchr(cur->path, '/');

			path = arena_printf(rc->arena, "%.*s%s", slash ? (int)(slash -
			    cur->path) + 1 : 0, cur->path, name);
		} else if (name[0] == '/')
			break;
		else
			path = arena_printf(rc->arena, "%s/%s", rc->search[i - 1], name);
		if (first == NULL)
			first = path;
		if ((*real = realpath(path, NULL)) != NULL)
			return path;
	}
	return first;
}

static void
st_include(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	const struct source *cur = s->loc.src, *prev;
	const char *name, *path;
	char *err = NULL, *real;
	struct source *src;
	struct ast_list l;
	struct diag *d;
	bool inside;
	size_t i;

	(void)arg;
	if (!arity(rc, s, 2, 2, "include \"FILE\";") || !no_block(rc, s))
		return;
	name = s->words[1].text;
	if (rc->include_depth >= INCLUDE_MAX_DEPTH) {
		diag_error(rc->dc, &s->words[1].loc, "includes nest too deeply (the "
		    "limit is %d files)", INCLUDE_MAX_DEPTH);
		return;
	}
	if (name[0] == '\0') {
		diag_error(rc->dc, &s->words[1].loc, "empty include file name");
		return;
	}
	path = include_find(rc, cur, name, &real);
	if (real == NULL) {
		d = diag_error(rc->dc, &s->words[1].loc, "cannot include '%s': %s", name,
		    strerror(errno));
		diag_hint(rc->dc, d, "include paths are relative to the including file"
		    "%s", rc->nsearch ? ", then to each -I directory" : "");
		return;
	}
	/* confined: the site file's tree, or a tree given with -I */
	inside = rc->root != NULL && path_under(real, rc->root);
	for (i = 0; i < rc->nsearch && !inside; i++) {
		char *dir = realpath(rc->search[i], NULL);

		inside = dir != NULL && path_under(real, dir);
		free(dir);
	}
	free(real);
	if (!inside) {
		d = diag_error(rc->dc, &s->words[1].loc, "cannot include '%s': it is "
		    "outside the site file's directory", name);
		diag_hint(rc->dc, d, "includes stay in the directory tree of the site "
		    "file; allow another tree with -I DIR");
		return;
	}
	if ((src = source_load_flags(rc->arena, path, NULL, SOURCE_REGULAR,
	    &err)) == NULL) {
		d = diag_error(rc->dc, &s->words[1].loc, "cannot include '%s': %s", name,
		    strncmp(err, path, strlen(path)) == 0 ? err + strlen(path) + 2 : err);
		diag_hint(rc->dc, d, "an include is a regular .lync file of at most "
		    "%u MiB", SOURCE_MAX_BYTES >> 20);
		return;
	}
	if (same_file(src, rc->include_stack, rc->include_depth) != NULL) {
		d = diag_error(rc->dc, &s->words[1].loc, "'%s' includes itself", name);
		diag_hint(rc->dc, d, "remove the include cycle");
		return;
	}
	if ((prev = same_file(src, rc->loaded, rc->nloaded)) != NULL) {
		d = diag_error(rc->dc, &s->words[1].loc, "'%s' is already included (as "
		    "'%s')", name, prev->name);
		diag_hint(rc->dc, d, "include each file once");
		return;
	}
	if (resolve_parse(rc, src, &l) != 0) {
		/* not .lync (e.g. /etc/passwd): report where, never its lines */
		src->noecho = true;
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc, "'%s' is not a "
		    "valid .lync file", name), "its errors are listed above, without "
		    "its lines");
		return;
	}
	resolve_site(rc, src, &l);
}

void
resolve_site(struct resolve_ctx *rc, const struct source *src, const struct ast_list *l)
{
	*VEC_PUSH(rc->arena, rc->loaded, rc->nloaded, rc->caploaded) = src;
	if (rc->include_depth == rc->capinclude) {
		size_t cap = rc->capinclude ? rc->capinclude * 2 : 8;
		const struct source **v = arena_alloc(rc->arena, cap * sizeof(*v));

		if (rc->include_depth)
			memcpy(v, rc->include_stack, rc->include_depth * sizeof(*v));
		rc->include_stack = v;
		rc->capinclude = cap;
	}
	rc->include_stack[rc->include_depth++] = src;
	resolve_file(rc, l);
	rc->include_depth--;
}

void
resolve_file_pass(struct resolve_ctx *rc, const struct ast_list *l, int pass)
{
	size_t i;

	names_attach(rc);
	for (i = 0; i < l->n; i++) {
		struct ast_stmt *s = l->v[i];
		bool is_feature;

		if (s == NULL || s->nwords == 0)
			continue;
		is_feature = strcmp(s->words[0].text, "feature") == 0;
		if (is_feature == (pass == 0))
			dispatch(rc, s, top_kw, "statement", NULL);
	}
}

void
resolve_file(struct resolve_ctx *rc, const struct ast_list *l)
{
	resolve_file_pass(rc, l, 0);
	resolve_file_pass(rc, l, 1);
}

/* ---- finish: references, defaults, allocation ------------------------------ */

static void
resolve_zone_refs(struct resolve_ctx *rc)
{
	size_t i, j;
	const char **names = arena_alloc(rc->arena, (rc->site->nzones + 1) * sizeof(char *));
	bool *lost;

	for (j = 0; j < rc->site->nzones; j++)
		names[j] = rc->site->zones[j]->name;
	for (i = 0; i < nzrefs; i++) {
		struct ir_zone *z = ir_zone_find(rc->site, zrefs[i].w->text);

		if (zrefs[i].dev != NULL)
			zrefs[i].slot = &zrefs[i].dev->ifaces[zrefs[i].iface].zone;

		if (z == NULL) {
			unknown_word(rc, zrefs[i].w, "zone", names, rc->site->nzones, NULL);
			poison(rc, zrefs[i].slot);
			rc->npoisoned++;
			continue;
		}
		*zrefs[i].slot = z;
	}
	poison_sort();
	/* drop the misspelt legs of devices, so the later phases see no NULL
	 * zone (parties drop theirs in default_parties); the device is marked
	 * not to complain about the leg it lost */
	lost = arena_alloc(rc->arena, (rc->site->ndevices + 1) * sizeof(bool));
	for (i = 0; npoisoned && i < rc->site->ndevices; i++) {
		struct ir_device *v = rc->site->devices[i];
		size_t k, n = 0;

		for (k = 0; k < v->nifaces; k++)
			if (v->ifaces[k].zone != NULL)
				v->ifaces[n++] = v->ifaces[k];
			else if (is_poisoned(&v->ifaces[k].zone))
				lost[i] = true;
		v->nifaces = n;
	}
	for (i = 0; i < rc->site->ndevices; i++)
		if (lost[i])
			poison(rc, rc->site->devices[i]);
	poison_sort();
	for (i = 0; i < nprefs; i++) {
		struct ir_pool *p = ir_pool_find(rc->site, prefs[i].w->text);

		if (p == NULL || p->kind != prefs[i].kind) {
			diag_error(rc->dc, &prefs[i].w->loc, "no %s pool named '%s'",
			    ir_pool_kind_name[prefs[i].kind], prefs[i].w->text);
			continue;
		}
		*prefs[i].slot = p;
	}
}

static void
resolve_ifaces(struct resolve_ctx *rc)
{
	size_t i, j;

	for (i = 0; i < nifrefs; i++) {
		struct ir_device *v = ifrefs[i].dev;
		struct ast_stmt *s = ifrefs[i].s;
		struct ir_iface *f = NULL;
		unsigned long lvl;

		for (j = 0; j < v->nifaces; j++)
			if (v->ifaces[j].zone &&
			    strcmp(v->ifaces[j].zone->name, s->words[1].text) == 0)
				f = &v->ifaces[j];
		if (f == NULL) {
			diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
			    "device '%s' has no leg in zone '%s'", v->name, s->words[1].text),
			    "list the zone in 'between' first");
			continue;
		}
		f->ifname = s->words[2].text;
		if (s->nwords == 5 && word_uint(rc, &s->words[4], 0, 100, "security level", &lvl))
			f->level = (int)lvl;
	}
	for (i = 0; i < rc->site->ndevices; i++) {
		struct ir_device *v = rc->site->devices[i];

		for (j = 0; j < v->nifaces; j++) {
			size_t k;

			for (k = 0; k < j; k++)
				if (v->ifaces[j].zone && v->ifaces[j].zone == v->ifaces[k].zone) {
					diag_error(rc->dc, &v->ifaces[j].loc, "zone '%s' is listed "
					    "twice for '%s'", v->ifaces[j].zone->name, v->name);
				}
		}
		if (v->kind != DEV_LB && v->nifaces < 2 && !is_poisoned(v))
			diag_hint(rc->dc, diag_error(rc->dc, &v->loc, "%s '%s' is not placed "
			    "between two zones", ir_device_kind_name[v->kind], v->name),
			    "add: between ZONE ZONE;");
		if (v->kind == DEV_LB && v->nserved == 0)
			diag_hint(rc->dc, diag_error(rc->dc, &v->loc, "load balancer '%s' "
			    "serves no pool", v->name), "add: serves POOL;");
	}
}

static void
resolve_served(struct resolve_ctx *rc)
{
	size_t i, j, k;

	for (i = 0; i < rc->site->ndevices; i++) {
		struct ir_device *v = rc->site->devices[i];
		/* only the entries `serves` made: those appended below for the
		 * second side of a pool already point at a real pool */
		size_t nwords = v->nserved;

		for (j = 0; j < nwords; j++) {
			struct ir_served *sv = &v->served[j];
			const struct ast_word *w = (const struct ast_word *)(void *)sv->pool;
			const char *dot = side_suffix(w->text);
			char *pname = arena_strdup(rc->arena, w->text);
			struct ir_pool *p;
			int sides = 3;	/* bit mask */

			if (dot) {
				pname[dot - w->text] = '\0';
				sides = strcmp(dot, ".external") == 0 ? 2 : 1;
			}
			sv->pool = NULL;
			if ((p = ir_pool_find(rc->site, pname)) == NULL) {
				const char **names = arena_alloc(rc->arena,
				    (rc->site->npools + 1) * sizeof(char *));
				struct ast_word pw = *w;

				for (k = 0; k < rc->site->npools; k++)
					names[k] = rc->site->pools[k]->name;

				/* a name declared but rejected (its error was
				 * reported there) says nothing more */
				pw.text = pname;	/* suggest for the pool, not its side */
				if (!name_seen(rc, w->text, false) &&
				    !name_seen(rc, pname, false)) {
					unknown_word(rc, &pw, "pool", names,
					    rc->site->npools, NULL);
					rc->npoisoned++;	/* dropped below */
				}
				continue;
			}
			if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY && sides != 3) {
				diag_error(rc->dc, &w->loc, "%s pool '%s' has no %s side",
				    ir_pool_kind_name[p->kind], p->name, dot + 1);
				continue;
			}
			sv->pool = p;
			if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY)
				sides = 1;
			if (sides == 3) {
				/* both sides: add the external one as a second entry */
				struct ir_served extra = *sv;

				sv->side = SIDE_INT;
				extra.side = SIDE_EXT;
				*VEC_PUSH(rc->arena, v->served, v->nserved, v->capserved) = extra;
				sv = &v->served[j];
			} else
				sv->side = sides == 2 ? SIDE_EXT : SIDE_INT;
		}
		/* drop the entries of misspelt (or wrong) pools: the later
		 * phases see only real ones */
		for (j = k = 0; j < v->nserved; j++)
			if (v->served[j].pool != NULL)
				v->served[k++] = v->served[j];
		v->nserved = k;
	}
	/* one load balancer per pool side: the first that serves it, by pool
	 * index and side (linear in the number of entries) */
	{
		struct first { const struct ir_device *dev; const struct ir_served *sv; } *first =
		    arena_alloc(rc->arena, (rc->site->npools * SIDE__N + 1) * sizeof(*first));

		for (i = 0; i < rc->site->ndevices; i++) {
			struct ir_device *v = rc->site->devices[i];

			for (j = 0; j < v->nserved; j++) {
				const struct ir_served *sv = &v->served[j];
				struct first *f;

				if (sv->pool == NULL)
					continue;
				f = &first[sv->pool->index * SIDE__N + sv->side];
				if (f->sv == NULL) {
					f->dev = v;
					f->sv = sv;
					continue;
				}
				diag_note(rc->dc, diag_error(rc->dc, &sv->loc, "%s side of pool "
				    "'%s' is already served by '%s'", ir_side_name[sv->side],
				    sv->pool->name, f->dev->name), &f->sv->loc, "served here");
			}
		}
	}
}

/*
 * Each party covers the zones the site named (unknown names dropped, each
 * once), or every zone of its kind: internal zones for the inside parties,
 * external zones for the others.
 */
static void
default_parties(struct resolve_ctx *rc)
{
	size_t i, j, k, n;

	for (i = 0; i < NPARTIES; i++)
		party_get(rc, party_names[i]);
	for (i = 0; i < rc->site->nparties; i++) {
		struct ir_party *y = rc->site->parties[i];
		bool inside = strncmp(y->name, "internal", 8) == 0 ||
		    strcmp(y->name, "pstn-gateways") == 0 ||
		    strcmp(y->name, "branch-sites") == 0;

		if (y->zones_given) {
			for (j = n = 0; j < y->nzones; j++) {
				for (k = 0; k < n; k++)
					if (y->zones[k] == y->zones[j])
						break;
				if (y->zones[j] && k == n)
					y->zones[n++] = y->zones[j];
			}
			y->nzones = n;
		} else {
			y->zones = arena_alloc(rc->arena, (rc->site->nzones + 1) *
			    sizeof(*y->zones));
			y->nzones = 0;
			for (j = 0; j < rc->site->nzones; j++) {
				struct ir_zone *z = rc->site->zones[j];

				if ((inside && z->kind == ZONE_INTERNAL) ||
				    (!inside && z->kind == ZONE_EXTERNAL))
					y->zones[y->nzones++] = z;
			}
		}
		y->zone = y->nzones ? y->zones[0] : NULL;
	}
	addrset_sort(&rc->site->parties[0]->addrs);
}

/* What one pool side needs from an allocation block, in allocation order. */
struct need {
	struct ir_addrset	*set;
	const char		*what;
};

static size_t
side_needs(struct ir_pool *p, enum ir_side_kind side, struct need *out, size_t max)
{
	struct ir_side *sd = &p->side[side];
	size_t n = 0;
	unsigned i;
	int s;

	for (s = 0; s < SVC__N; s++) {
		if (!svc_allowed(p->kind, side, (enum ir_svc)s))
			continue;
		if (sd->lb == LB_HLB && n < max && p->kind != POOL_RPROXY) {
			out[n].set = &sd->vip[s];
			out[n++].what = "VIP";
		}
	}
	for (i = 0; i < p->nnodes; i++)
		for (s = 0; s < SVC__N; s++)
			if (svc_allowed(p->kind, side, (enum ir_svc)s) && n < max) {
				out[n].set = &p->nodes[i].addr[s];
				out[n++].what = "node";
			}
	return n;
}

static bool
set_has_family(const struct ir_addrset *s, int fam)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].family == fam)
			return true;
	return false;
}

/* Is a used by a pool (a VIP or a node address)?  An index of every pool
 * address, built at the first call; allocations add to it (take_addr). */
static bool
addr_taken(struct resolve_ctx *rc, const struct ir_addr *a)
{
	size_t i, k;
	unsigned n;
	int s, d;

	if (!rc->taken_built) {
		addr_index_init(&rc->taken, rc->arena);
		for (i = 0; i < rc->site->npools; i++) {
			struct ir_pool *p = rc->site->pools[i];

			for (d = 0; d < SIDE__N; d++)
				for (s = 0; s < SVC__N; s++)
					for (k = 0; k < p->side[d].vip[s].n; k++)
						addr_index_add(&rc->taken, NULL, &p->side[d].vip[s].v[k]);
			for (n = 0; n < p->nnodes; n++)
				for (s = 0; s < SVC__N; s++)
					for (k = 0; k < p->nodes[n].addr[s].n; k++)
						addr_index_add(&rc->taken, NULL, &p->nodes[n].addr[s].v[k]);
		}
		rc->taken_built = true;
	}
	return addr_index_has(&rc->taken, NULL, a);
}

/* the first host number of a block that may be free: every host below it
 * is taken (addresses are never given back, so it only moves up) */
static uint64_t *
alloc_next(struct resolve_ctx *rc, const struct ir_addr *block)
{
	uint64_t *next;
	struct ir_addr *key;

	if (rc->alloc_next.arena == NULL)
		hmap_init(&rc->alloc_next, rc->arena);
	next = hmap_get(&rc->alloc_next, block, sizeof(*block));
	if (next == NULL) {
		key = arena_alloc(rc->arena, sizeof(*key));
		key->family = block->family;
		key->prefix = block->prefix;
		memcpy(key->b, block->b, sizeof(key->b));
		next = arena_alloc(rc->arena, sizeof(*next));
		hmap_put(&rc->alloc_next, key, sizeof(*key), next);
	}
	return next;
}

static void
allocate_side(struct resolve_ctx *rc, struct ir_pool *p, enum ir_side_kind side)
{
	struct ir_side *sd = &p->side[side];
	struct need need[4 + 64 * 4];
	size_t n = side_needs(p, side, need, sizeof(need) / sizeof(need[0]));
	size_t missing = 0, i, vips = 0, per_node;
	uint64_t usable = addr_usable_hosts(&sd->block);
	uint64_t *first_free = alloc_next(rc, &sd->block), next = *first_free;
	struct ir_addr a;
	int fam = sd->block.family;

	for (i = 0; i < n; i++) {
		if (strcmp(need[i].what, "VIP") == 0)
			vips++;
		if (!set_has_family(need[i].set, fam))
			missing++;
	}
	per_node = p->nnodes ? (n - vips) / p->nnodes : 0;
	/* count free addresses in the block */
	{
		uint64_t free_n = 0, k;

		for (k = next; k < usable && free_n < missing; k++)
			if (addr_nth_host(&sd->block, k, &a) == 0 && !addr_taken(rc, &a))
				free_n++;
		if (free_n < missing) {
			struct diag *d = diag_error(rc->dc, &sd->block_loc,
			    "address block %s is too small: %s pool '%s' needs %zu more "
			    "address%s on its %s side, the block has %llu free",
			    addr_format(&sd->block, (char[ADDR_STRLEN]){0}, ADDR_STRLEN),
			    ir_pool_kind_name[p->kind], p->name, missing,
			    missing == 1 ? "" : "es", ir_side_name[side],
			    (unsigned long long)free_n);

			if (vips)
				diag_hint(rc->dc, d, "%zu in all: %zu VIP%s + %zu per node x %u "
				    "node%s; use a larger block", n, vips, vips == 1 ? "" : "s",
				    per_node, p->nnodes, p->nnodes == 1 ? "" : "s");
			else
				diag_hint(rc->dc, d, "%zu in all: %zu per node x %u node%s; "
				    "use a larger block", n, per_node, p->nnodes,
				    p->nnodes == 1 ? "" : "s");
			return;
		}
	}
	for (i = 0; i < n; i++) {
		if (set_has_family(need[i].set, fam))
			continue;
		while (addr_nth_host(&sd->block, next, &a) == 0 && addr_taken(rc, &a))
			next++;
		if (addr_nth_host(&sd->block, next++, &a) != 0)
			return;
		addrset_add(rc->arena, need[i].set, &a);
		addr_index_add(&rc->taken, NULL, &a);
	}
	/* every host below `next` is taken now */
	while (addr_nth_host(&sd->block, next, &a) == 0 && addr_taken(rc, &a))
		next++;
	*first_free = next;
}

static void
pool_defaults(struct resolve_ctx *rc, struct ir_pool *p)
{
	int d;
	struct diag *dg;
	size_t j;

	if (p->nnodes == 0 && p->nnodes_loc.src != NULL)
		return;		/* a bad `nodes` statement was reported */
	if (p->nnodes == 0) {
		dg = diag_error(rc->dc, &p->loc, "%s pool '%s' has no node count",
		    ir_pool_kind_name[p->kind], p->name);
		diag_hint(rc->dc, dg, "add: nodes N;");
		return;
	}
	if (p->kind == POOL_EDGE && !p->snat_set)
		p->snat_mask = (1u << SVC_ACCESS) | (1u << SVC_WEBCONF);
	for (d = 0; d < SIDE__N; d++) {
		struct ir_side *sd = &p->side[d];

		if (!sd->used) {
			if (p->kind == POOL_EDGE || p->kind == POOL_RPROXY) {
				dg = diag_error(rc->dc, &p->loc, "%s pool '%s' has no %s side",
				    ir_pool_kind_name[p->kind], p->name, ir_side_name[d]);
				diag_hint(rc->dc, dg, "add: %s < zone NAME; ... >", ir_side_name[d]);
			}
			continue;
		}
		if (sd->zone == NULL && !is_poisoned(&sd->zone)) {
			/* a lone zone of the right kind is the obvious default */
			struct ir_zone *only = NULL;
			unsigned cnt = 0;

			for (j = 0; j < rc->site->nzones; j++)
				if (rc->site->zones[j]->kind == ZONE_INTERNAL) {
					only = rc->site->zones[j];
					cnt++;
				}
			if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY && cnt == 1)
				sd->zone = only;
			else {
				dg = diag_error(rc->dc, sd->loc.src ? &sd->loc : &p->loc,
				    "%s pool '%s' has no zone%s%s%s", ir_pool_kind_name[p->kind],
				    p->name, p->kind == POOL_EDGE || p->kind == POOL_RPROXY ?
				    " on its " : "", p->kind == POOL_EDGE ||
				    p->kind == POOL_RPROXY ? ir_side_name[d] : "",
				    p->kind == POOL_EDGE || p->kind == POOL_RPROXY ? " side" : "");
				diag_hint(rc->dc, dg, "add: zone NAME;");
			}
		}
		if (sd->lb == LB_NONE && p->nnodes > 1 && p->kind != POOL_RPROXY &&
		    sd->lb_loc.src == NULL) {
			dg = diag_error(rc->dc, &p->nnodes_loc, "%s pool '%s' has %u nodes but "
			    "no load-balancing mode", ir_pool_kind_name[p->kind], p->name,
			    p->nnodes);
			diag_hint(rc->dc, dg, "add 'lb hlb;' (hardware load balancer) or "
			    "'lb dns;' (DNS load balancing)");
		}
		if (sd->allocated)
			allocate_side(rc, p, (enum ir_side_kind)d);
	}
}

static void
check_nodes_complete(struct resolve_ctx *rc, struct ir_pool *p)
{
	unsigned n;
	int d, s;
	struct diag *dg;

	for (d = 0; d < SIDE__N; d++) {
		if (!p->side[d].used || p->side[d].allocated)
			continue;	/* allocation filled it, or said why not */
		for (n = 0; n < p->nnodes; n++)
			for (s = 0; s < SVC__N; s++) {
				if (!svc_allowed(p->kind, (enum ir_side_kind)d, (enum ir_svc)s))
					continue;
				if (p->nodes[n].addr[s].n)
					continue;
				dg = diag_error(rc->dc, p->side[d].loc.src ? &p->side[d].loc :
				    &p->loc, "node %u of %s pool '%s' has no %s%saddress",
				    n + 1, ir_pool_kind_name[p->kind], p->name,
				    s == SVC_PRIMARY ? "" : ir_svc_name[s],
				    s == SVC_PRIMARY ? "" : " ");
				diag_hint(rc->dc, dg, "give it one, or let lyncc allocate it: "
				    "addresses from PREFIX;");
				return;	/* one per side is enough */
			}
	}
}

void
resolve_finish(struct resolve_ctx *rc)
{
	size_t i;
	bool any_cms = false;

	resolve_zone_refs(rc);
	resolve_ifaces(rc);
	resolve_served(rc);
	default_parties(rc);
	for (i = 0; i < rc->site->npools; i++)
		pool_defaults(rc, rc->site->pools[i]);
	for (i = 0; i < rc->site->npools; i++)
		check_nodes_complete(rc, rc->site->pools[i]);
	for (i = 0; i < rc->site->npools; i++)
		if (rc->site->pools[i]->cms)
			any_cms = true;
	for (i = 0; i < rc->site->npools && !any_cms; i++)
		if (rc->site->pools[i]->kind == POOL_FRONTEND) {
			rc->site->pools[i]->cms = true;	/* the first front-end pool */
			break;
		}
	/* a site file without `site`: lyncc_load() says so */
	nzrefs = capzrefs = nprefs = capprefs = nifrefs = capifrefs = 0;
	npoisoned = cappoisoned = 0;
	poisoned = NULL;
	zrefs = NULL;
	prefs = NULL;
	ifrefs = NULL;
}
