/*
 * resolve.c - interpret statements and build the IR of a site: the driver.
 *
 * The grammar only knows words and blocks; the resolver knows what each
 * statement means.  Each context (top level, a pool, an edge side, a flow
 * ...) has a table of keywords with one handler each, so an unknown keyword
 * gets a "did you mean" from the same table.  Errors never stop the walk:
 * every statement is looked at, and every mistake is reported.
 *
 * After all files are read, resolve_finish() resolves cross references
 * (zones of pools, pools of load balancers, parties), applies defaults and
 * allocates addresses from `addresses from` blocks.
 *
 * The layers (resolve_impl.h), each calling only those below it:
 *   resolve.c          this driver: the top-level keywords, include, finish
 *   resolve_top.c      site, domain, narrow-any, features, zone
 *   resolve_pool.c     pools and their sides and nodes
 *   resolve_party.c    parties
 *   resolve_device.c   firewalls, load balancers, routers
 *   resolve_stdlib.c   feature, flow, lbservice, rule (the stdlib)
 *   resolve_refs.c     finish: references by name, the parties' zones
 *   resolve_alloc.c    finish: pool defaults, address allocation
 *   resolve_words.c    dispatch, word readers, names, pending references
 *   ir_names.c         the IR's names and lookups (below every phase)
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include "resolve_impl.h"
#include "arena.h"
#include "sources.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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
	pc.tree = resolve_scratch(rc);
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

/* loaded_ids keys a source by its dev and ino, one after the other */
_Static_assert(offsetof(struct source, ino) == offsetof(struct source, dev) +
    sizeof(((struct source *)0)->dev), "struct source: ino follows dev");

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
	/* every file read so far, by (dev, ino): a map, not a scan per include */
	if (src->has_id && rc->loaded_ids_on &&
	    (prev = hmap_get(&rc->loaded_ids, &src->dev, 2 * sizeof(src->dev))) != NULL) {
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
	if (src->has_id) {
		if (!rc->loaded_ids_on)
			hmap_init(&rc->loaded_ids, rc->arena);
		rc->loaded_ids_on = true;
		/* the key is dev and ino, side by side in the source */
		hmap_put(&rc->loaded_ids, &src->dev, 2 * sizeof(src->dev), (void *)src);
	}
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

	ir_names_attach(rc->site, rc->arena);
	for (i = 0; i < l->n; i++) {
		struct ast_stmt *s = l->v[i];
		bool is_feature;

		if (s == NULL || s->nwords == 0)
			continue;
		is_feature = strcmp(s->words[0].text, "feature") == 0;
		if (is_feature != (pass == 0))
			continue;
		/* a misspelt declaration ("edg pool edge01 < ... >", "zon dmz
		 * perimeter;") is one error: the names it meant to declare
		 * say nothing more where they are used */
		if (!kw_known(top_kw, s->words[0].text)) {
			name_declared(rc, s, 1);
			name_declared(rc, s, 2);
		}
		dispatch(rc, s, top_kw, "statement", NULL);
	}
}

void
resolve_file(struct resolve_ctx *rc, const struct ast_list *l)
{
	resolve_file_pass(rc, l, 0);
	resolve_file_pass(rc, l, 1);
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
	rc->refs = NULL;	/* the next site starts with none pending */
	/* the parse trees and the indexes: nothing in the IR points there */
	memset(&rc->taken, 0, sizeof(rc->taken));
	rc->taken_built = false;
	rc->taken_last = NULL;
	memset(&rc->alloc_next, 0, sizeof(rc->alloc_next));
	memset(&rc->setaddrs, 0, sizeof(rc->setaddrs));
	rc->names = NULL;
	rc->nnames = rc->capnames = 0;
	arena_free(rc->scratch);
	rc->scratch = NULL;
}

