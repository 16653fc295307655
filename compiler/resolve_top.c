/*
 * resolve_top.c - the site-level statements: site, domain, narrow-any,
 * features, zone.
 */
#include "resolve_impl.h"
#include "arena.h"

#include <ctype.h>
#include <string.h>

void
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

void
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

void
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

void
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
			    rc->site->nfeatures, all, NULL);
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

void
st_zone(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_zone *z;
	int k;

	(void)arg;
	name_declared(rc, s, 1);
	if (!arity(rc, s, 3, 3, "zone NAME external|perimeter|internal [< networks ...; >]"))
		return;
	if (!check_name(rc, &s->words[1], "zone") || !name_free(rc, &s->words[1], "zone"))
		return;
	/* a misspelt kind is reported here; the zone is still defined (as
	 * internal: the run stops after the resolve errors, so the guess
	 * reaches no output) so that its uses say nothing more */
	if ((k = word_enum(rc, &s->words[2], "zone kind", zone_kinds, 3)) < 0)
		k = (int)ZONE_INTERNAL;
	z = arena_alloc(rc->arena, sizeof(*z));
	z->name = s->words[1].text;
	z->kind = (enum ir_zone_kind)k;
	z->loc = s->words[1].loc;
	z->index = (unsigned)rc->site->nzones;
	*VEC_PUSH(rc->arena, rc->site->zones, rc->site->nzones, rc->site->capzones) = z;
	if (s->has_block)
		dispatch_block(rc, s, zone_kw, "zone property", z);
}
