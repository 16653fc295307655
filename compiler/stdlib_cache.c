/*
 * stdlib_cache.c - the embedded stdlib, parsed and resolved once.
 *
 * A process that compiles many sites (the fuzzer, a test harness) calls
 * lyncc_stdlib_parse() once and points each unit's `stdlib` at the result;
 * lyncc_load() then copies the resolved declarations instead of scanning
 * and resolving the stdlib text again.  The stdlib declares only features,
 * flows, LB services and rules; of those a site changes only a feature's
 * `on` and `use_loc` (features are looked up by name), so features are
 * copied by value and the rest shared.  The cache must outlive its units.
 */
#include "lyncc.h"
#include "arena.h"
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

struct lyncc_stdlib *
lyncc_stdlib_parse(void)
{
	struct lyncc_stdlib *c = xcalloc(1, sizeof(*c));
	struct resolve_ctx rc;
	struct ast_list *lists;
	struct ir_site *t;
	size_t i, n = lyncc_stdlib_nfiles;

	c->arena = arena_new();
	diag_init(&c->dc, c->arena);
	c->site = t = arena_alloc(c->arena, sizeof(*c->site));
	memset(&rc, 0, sizeof(rc));
	rc.arena = c->arena;
	rc.dc = &c->dc;
	rc.site = t;
	lists = arena_alloc(c->arena, (n + 1) * sizeof(*lists));
	for (i = 0; i < n; i++) {
		struct source *s = source_new(c->arena, lyncc_stdlib_files[i].name,
		    NULL, lyncc_stdlib_files[i].text, lyncc_stdlib_files[i].len);

		s->builtin = true;
		resolve_parse(&rc, s, &lists[i]);
	}
	rc.in_stdlib = true;
	for (i = 0; i < n; i++)
		resolve_file_pass(&rc, &lists[i], 0);
	for (i = 0; i < n; i++)
		resolve_file_pass(&rc, &lists[i], 1);
	/* the parse trees and the indexes (no references: no resolve_finish) */
	arena_free(rc.scratch);
	/* anything but these four kinds would need copying: refuse it */
	if (diag_failed(&c->dc) || c->dc.warnings || t->nzones || t->npools ||
	    t->nparties || t->ndevices || t->nflows || t->nlbsvcs || t->name) {
		lyncc_stdlib_free(c);
		return NULL;
	}
	return c;
}

#define COPY_VEC(a, dst, src, v, n, cap) do {					\
	(dst)->n = (dst)->cap = (src)->n;					\
	(dst)->v = arena_alloc((a), ((src)->n + 1) * sizeof(*(src)->v));	\
	if ((src)->n)								\
		memcpy((dst)->v, (src)->v, (src)->n * sizeof(*(src)->v));	\
} while (0)

void
lyncc_stdlib_apply(const struct lyncc_stdlib *c, struct arena *a, struct ir_site *site)
{
	const struct ir_site *t = c->site;
	size_t i;

	COPY_VEC(a, site, t, features, nfeatures, capfeatures);
	for (i = 0; i < site->nfeatures; i++) {
		struct ir_feature *f = arena_alloc(a, sizeof(*f));

		*f = *t->features[i];
		site->features[i] = f;
	}
	COPY_VEC(a, site, t, flowdefs, nflowdefs, capflowdefs);
	COPY_VEC(a, site, t, lbdefs, nlbdefs, caplbdefs);
	COPY_VEC(a, site, t, rules, nrules, caprules);
}

void
lyncc_stdlib_free(struct lyncc_stdlib *c)
{
	if (c == NULL)
		return;
	arena_free(c->arena);
	free(c);
}
