/*
 * resolve_words.c - what every statement family of the resolver uses: the
 * keyword dispatch, arity and block checks, words read as numbers,
 * addresses, names and text, the one namespace of site names, the
 * references resolved at the end, and the word tables.  The bottom layer of
 * the resolver: it calls no statement family and no later phase.
 */
#include "resolve_impl.h"
#include "arena.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN	48

const char *const party_names[NPARTIES] = {
	"internet", "remote-clients", "federation-partners", "xmpp-partners",
	"pic-partners", "internal", "internal-clients", "pstn-gateways",
	"branch-sites",
};

/* ---- small helpers ------------------------------------------------------ */

static const char *
kw_list(struct resolve_ctx *rc, const struct kw *t)
{
	char *s = "";
	size_t i;

	for (i = 0; t[i].name; i++)
		s = arena_printf(rc->arena, "%s%s'%s'", s, i ? ", " : "", t[i].name);
	return s;
}

void
unknown_word(struct resolve_ctx *rc, const struct ast_word *w, const char *what,
    const char *const *words, size_t n, const char *choices, struct diag_words *idx)
{
	const char *sug = idx ? diag_words_suggest(idx, w->text) :
	    diag_suggest(w->text, words, n);
	struct diag *d;

	if (sug)
		d = diag_error(rc->dc, &w->loc, "unknown %s '%s'; did you mean '%s'?",
		    what, w->text, sug);
	else
		d = diag_error(rc->dc, &w->loc, "unknown %s '%s'", what, w->text);
	if (sug || (idx && idx->gave_up))
		return;		/* past the budget: not "no close match" */
	if (choices)
		diag_hint(rc->dc, d, "expected one of %s", choices);
	else if (n > 0) {
		/* no close match: name what there is (the first few, in
		 * declaration order), so the user sees what the site calls them */
		size_t i, shown = n < 8 ? n : 8;
		char *list = "";

		for (i = 0; i < shown; i++)
			list = arena_printf(rc->arena, "%s%s'%s'", list, i ? ", " : "",
			    words[i]);
		if (shown < n)
			diag_hint(rc->dc, d, "the site's %ss: %s, ... (%zu in all)", what,
			    list, n);
		else
			diag_hint(rc->dc, d, "the site's %s%s: %s", what, n > 1 ? "s" : "",
			    list);
	}
}

bool
kw_known(const struct kw *t, const char *w)
{
	for (; t->name; t++)
		if (strcmp(t->name, w) == 0)
			return true;
	return false;
}

void
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
	unknown_word(rc, &s->words[0], ctxname, words, n, kw_list(rc, t), NULL);
}

void
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
bool
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

bool
no_block(struct resolve_ctx *rc, struct ast_stmt *s)
{
	if (!s->has_block)
		return true;
	diag_error(rc->dc, &s->block_loc, "'%s' takes no block", s->words[0].text);
	return false;
}

bool
want_block(struct resolve_ctx *rc, struct ast_stmt *s, const char *usage)
{
	struct diag *d;

	if (s->has_block)
		return true;
	d = diag_error(rc->dc, &s->loc, "'%s' needs a block", s->words[0].text);
	diag_hint(rc->dc, d, "usage: %s", usage);
	return false;
}

bool
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

const char *
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

bool
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

bool
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

/* `N` or `LO-HI` (flows' ports and source ports, a party's media-ports) */
bool
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

bool
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

int
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
	unknown_word(rc, w, what, names, n, choices, NULL);
	return -1;
}

struct srcloc
span(const struct ast_stmt *s)
{
	struct srcloc l = s->words[0].loc;
	const struct srcloc *e = &s->words[s->nwords - 1].loc;

	if (e->line == l.line)
		l.end_col = e->end_col;
	return l;
}

/* The set of names name_free() let through (open addressing, FNV-1a);
 * with add, insert name.  Whether it was there. */
bool
name_seen(struct resolve_ctx *rc, const char *name, bool add)
{
	unsigned long h = 2166136261UL;
	const unsigned char *p;
	size_t i, mask;

	if (rc->nnames * 2 >= rc->capnames && add) {
		const char **old = rc->names;
		size_t oldcap = rc->capnames, j;

		rc->capnames = oldcap ? oldcap * 2 : 64;
		rc->names = arena_alloc(resolve_scratch(rc), rc->capnames * sizeof(*rc->names));
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
bool
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

bool
name_rejected(struct resolve_ctx *rc, const char *name)
{
	const struct ir_party *y;

	return name_seen(rc, name, false) && ir_zone_find(rc->site, name) == NULL &&
	    ir_pool_find(rc->site, name) == NULL && ir_device_find(rc->site, name) == NULL &&
	    ((y = ir_party_find(rc->site, name)) == NULL || !y->declared);
}

void
name_declared(struct resolve_ctx *rc, const struct ast_stmt *s, size_t i)
{
	if (i < s->nwords && s->words[i].kind == AST_WORD && s->words[i].text[0])
		name_seen(rc, s->words[i].text, true);
}

const char *
name_kind(struct resolve_ctx *rc, const char *name)
{
	const struct ir_party *y;

	if (ir_zone_find(rc->site, name) != NULL)
		return "zone";
	if (ir_pool_find(rc->site, name) != NULL)
		return "pool";
	if (ir_device_find(rc->site, name) != NULL)
		return "device";
	if ((y = ir_party_find(rc->site, name)) != NULL && y->declared)
		return "party";
	return NULL;
}

/* ---- references resolved at the end ------------------------------------- */

void
poison(struct resolve_ctx *rc, const void *slot)
{
	struct resolve_refs *r = resolve_refs(rc);

	*VEC_PUSH(resolve_scratch(rc), r->poisoned, r->npoisoned, r->cappoisoned) = slot;
}

static int
ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

/* after poison_sort(): a binary search */
bool
is_poisoned(struct resolve_ctx *rc, const void *slot)
{
	const struct resolve_refs *r = rc->refs;

	return r && r->npoisoned && bsearch(&slot, r->poisoned, r->npoisoned,
	    sizeof(*r->poisoned), ptr_cmp) != NULL;
}

void
poison_sort(struct resolve_ctx *rc)
{
	struct resolve_refs *r = resolve_refs(rc);

	if (r->npoisoned > 1)
		qsort(r->poisoned, r->npoisoned, sizeof(*r->poisoned), ptr_cmp);
}

void
zone_ref(struct resolve_ctx *rc, struct ast_word *w, struct ir_zone **slot)
{
	struct resolve_refs *x = resolve_refs(rc);
	struct zoneref *r = VEC_PUSH(resolve_scratch(rc), x->zrefs, x->nzrefs, x->capzrefs);

	r->slot = slot;
	r->w = w;
	r->dev = NULL;
}

/* addrset_has, through an index (linear for many addresses) */
bool
setaddrs_has(struct resolve_ctx *rc, const struct ir_addrset *set, const struct ir_addr *a)
{
	if (rc->setaddrs.x.m.arena == NULL)
		addrset_index_init(&rc->setaddrs, resolve_scratch(rc));
	return addrset_index_has(&rc->setaddrs, set, a);
}

const char *const svc_words[SVC__N] = {
	NULL, "access", "webconf", "av", NULL, NULL, NULL,
};

const char *const lb_words[3] = { "none", "hlb", "dns" };

const char *const pool_kind_words[POOL__N] = {
	"edge", "frontend", "director", "mediation", "pchat", "owa", "rproxy",
};

/* ".external" or ".internal" at the end of name (a pool side in `serves`) */
const char *
side_suffix(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (strcmp(dot, ".external") == 0 || strcmp(dot, ".internal") == 0) ?
	    dot : NULL;
}

struct ir_party *
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

struct arena *
resolve_scratch(struct resolve_ctx *rc)
{
	if (rc->scratch == NULL)
		rc->scratch = arena_new();
	return rc->scratch;
}

struct resolve_refs *
resolve_refs(struct resolve_ctx *rc)
{
	if (rc->refs == NULL) {
		rc->refs = arena_alloc(resolve_scratch(rc), sizeof(*rc->refs));
		memset(rc->refs, 0, sizeof(*rc->refs));
	}
	return rc->refs;
}
