/*
 * driver.c - the pipeline: load, check, report (the command line is cli/).
 *
 *   1. load the stdlib (embedded, or --stdlib DIR) and parse every file;
 *   2. declare features from all stdlib files, then everything else;
 *   3. parse and resolve the site (includes are followed);
 *   4. resolve_finish: references, defaults, address allocation;
 *   5. expand: applicable flows, routes, NAT, LB services;
 *   6. check (check.c), then the target's own check;
 *   7. emit (cli/cli.c), each device's text streaming into a temporary
 *      file beside its destination (output.c); the files are renamed into
 *      place only if no error was reported and every one was written.
 *
 * Every diagnostic of every phase is reported; output happens only after
 * the last phase succeeded.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include "lyncc.h"
#include "arena.h"
#include "backend.h"
#include "check.h"
#include "expand.h"
#include "hmap.h"
#include "resolve.h"
#include "strbuf.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct lyncc_unit *
lyncc_unit_new(void)
{
	struct lyncc_unit *u = xcalloc(1, sizeof(*u));

	u->arena = arena_new();
	diag_init(&u->dc, u->arena);
	u->dc.max_errors = DIAG_MAX_ERRORS;
	u->site = arena_alloc(u->arena, sizeof(struct ir_site));
	return u;
}

void
lyncc_unit_free(struct lyncc_unit *u)
{
	if (u == NULL)
		return;
	arena_free(u->arena);
	free(u);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The stdlib sources: embedded, or every *.lync in a directory. */
static size_t
stdlib_sources(struct lyncc_unit *u, struct source ***out)
{
	struct source **v = NULL;
	size_t n = 0, cap = 0, i;

	if (u->stdlib_dir == NULL) {
		for (i = 0; i < lyncc_stdlib_nfiles; i++) {
			struct source *s = source_new(u->arena, lyncc_stdlib_files[i].name,
			    NULL, lyncc_stdlib_files[i].text, lyncc_stdlib_files[i].len);

			s->builtin = true;
			*VEC_PUSH(u->arena, v, n, cap) = s;
		}
	} else {
		DIR *d = opendir(u->stdlib_dir);
		struct dirent *e;
		char **names = NULL;
		size_t nn = 0, capn = 0;

		if (d == NULL) {
			diag_error(&u->dc, NULL, "cannot open stdlib directory '%s': %s",
			    u->stdlib_dir, strerror(errno));
			*out = NULL;
			return 0;
		}
		while ((e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);

			if (len > 5 && strcmp(e->d_name + len - 5, ".lync") == 0)
				*VEC_PUSH(u->arena, names, nn, capn) =
				    arena_strdup(u->arena, e->d_name);
		}
		closedir(d);
		if (nn)
			qsort(names, nn, sizeof(char *), name_cmp);
		for (i = 0; i < nn; i++) {
			char *err, *path = arena_printf(u->arena, "%s/%s", u->stdlib_dir,
			    names[i]);
			struct source *s = source_load(u->arena, path, NULL, &err);

			if (s == NULL) {
				diag_error(&u->dc, NULL, "%s", err);
				continue;
			}
			*VEC_PUSH(u->arena, v, n, cap) = s;
		}
	}
	*out = v;
	return n;
}

int
lyncc_load(struct lyncc_unit *u, const char *name, const char *path,
    const char *text, size_t len)
{
	struct resolve_ctx rc;
	struct source **srcs = NULL, *site_src;
	struct ast_list *lists;
	size_t n, i;

	memset(&rc, 0, sizeof(rc));
	rc.arena = u->arena;
	rc.dc = &u->dc;
	rc.site = u->site;
	u->site->input_name = name;

	if (u->stdlib != NULL && u->stdlib_dir == NULL)	/* resolved once */
		lyncc_stdlib_apply(u->stdlib, u->arena, u->site);
	else {
		n = stdlib_sources(u, &srcs);
		lists = arena_alloc(u->arena, (n + 1) * sizeof(*lists));
		for (i = 0; i < n; i++)
			resolve_parse(&rc, srcs[i], &lists[i]);
		rc.in_stdlib = true;
		for (i = 0; i < n; i++)
			resolve_file_pass(&rc, &lists[i], 0);
		for (i = 0; i < n; i++)
			resolve_file_pass(&rc, &lists[i], 1);
		rc.in_stdlib = false;
		/* a broken stdlib: the site's errors would only echo it */
		if (diag_failed(&u->dc)) {
			resolve_finish(&rc);	/* also resets the resolver's state */
			return -1;
		}
	}
	if (text != NULL) {
		struct ast_list l;
		char *dir;
		bool parsed;

		site_src = source_new(u->arena, name, path, text, len);
		if (u->input != NULL && u->input->has_id) {
			site_src->has_id = true;
			site_src->dev = u->input->dev;
			site_src->ino = u->input->ino;
		}
		/* includes are confined to the site file's directory tree */
		dir = path ? arena_strdup(u->arena, path) : ".";
		if (strrchr(dir, '/') != NULL)
			*(strrchr(dir, '/') == dir ? dir + 1 : strrchr(dir, '/')) = '\0';
		else
			dir = ".";
		if ((dir = realpath(dir, NULL)) != NULL) {
			rc.root = arena_strdup(u->arena, dir);
			free(dir);
		}
		rc.search = u->include_dirs;
		rc.nsearch = u->ninclude_dirs;
		parsed = resolve_parse(&rc, site_src, &l) == 0;
		resolve_site(&rc, site_src, &l);
		if (!rc.saw_site && parsed) {
			struct srcloc at = { site_src, 1, 1, 1, 1 };

			diag_hint(&u->dc, diag_error(&u->dc, &at, "no 'site' statement: "
			    "this file does not describe a site"), "a site file starts "
			    "with: site NAME;");
		}
		u->loaded = rc.loaded;
		u->nloaded = rc.nloaded;
	}
	resolve_finish(&rc);
	/* errors: stop, unless every one is a misspelt reference (reported
	 * once, and dropped from the IR): then expand and let the checks see
	 * the rest of the site, so one mistake does not hide the others */
	if (diag_failed(&u->dc) &&
	    (rc.npoisoned == 0 || u->dc.errors != rc.npoisoned))
		return -1;
	u->site->npoisoned = rc.npoisoned;
	u->site->local_flows = u->local_flows;
	expand_site(u->arena, u->site);
	if (u->site->local_capped) {
		diag_hint(&u->dc, diag_error(&u->dc, &u->site->loc, "site '%s' has more "
		    "than %d flows inside single zones (pools of one role that talk "
		    "to each other, in one zone): too many to list", u->site->name,
		    IR_LOCAL_FLOWS_MAX), "these flows cross no device: device output "
		    "(-t TARGET) and 'lyncc check' leave them out and work on this site");
		return -1;
	}
	u->expanded = true;
	return diag_failed(&u->dc) ? -1 : 0;
}

int
lyncc_check(struct lyncc_unit *u, const char *target)
{
	const struct lyncc_backend *b = target ? backend_find(target) : NULL;

	size_t i;

	if (!u->expanded)
		return -1;
	/* the site's own checks once per unit, then each target's */
	if (!u->checked) {
		check_site(u->site, &u->dc, b);
		u->checked = true;
	} else if (b != NULL)
		check_site_target(u->site, &u->dc, b);
	/* then what the target itself cannot express, device by device */
	for (i = 0; b != NULL && b->check != NULL && i < u->site->ndevices; i++)
		if (u->site->devices[i]->kind == b->kind)
			b->check(u->site, u->site->devices[i], &u->dc);
	return diag_failed(&u->dc) ? -1 : 0;
}

/* Re-report d in dc, as severity sev, its message after prefix. */
static void
diag_copy(struct diag_ctx *dc, const struct diag *d, enum diag_sev sev,
    const char *prefix)
{
	struct diag *n = diag_add(dc, sev, d->code, d->loc.src ? &d->loc : NULL,
	    "%s%s", prefix, d->msg);
	size_t i;

	for (i = 0; i < d->nnotes; i++)
		diag_note(dc, n, &d->notes[i].loc, "%s", d->notes[i].msg);
	if (d->hint)
		diag_hint(dc, n, "%s", d->hint);
	if (d->cite)
		diag_cite(dc, n, d->cite);
}

/* A location as a hash key: what loc_eq compared (source, line, column). */
struct loc_key {
	const struct source	*src;
	uintptr_t		 line, col;
};

static struct loc_key *
loc_key_of(struct arena *a, const struct srcloc *l)
{
	struct loc_key *k = arena_alloc(a, sizeof(*k));

	memset(k, 0, sizeof(*k));	/* the key's bytes are hashed */
	k->src = l->src;
	k->line = (uintptr_t)l->line;
	k->col = (uintptr_t)l->col;
	return k;
}

int
lyncc_target_serves(struct lyncc_unit *u, const char *target,
    const struct ir_device *const *devs, size_t ndevs, bool *ok, bool optional)
{
	const struct lyncc_backend *b = backend_find(target);
	struct diag_ctx site_dc;
	struct hmap at;
	size_t i, k, *next, *first;
	int rc = 0;

	if (b == NULL)
		return -1;
	if (!u->checked) {
		check_site(u->site, &u->dc, NULL);
		u->checked = true;
	}
	/* the target's site-level checks, kept for the devices asked about */
	diag_init(&site_dc, u->arena);
	check_site_target(u->site, &site_dc, b);
	/* ... found by their location: (source, line, column) -> the first
	 * diagnostic there, next[] the following ones, in order (each device
	 * scanned every diagnostic: devices x diagnostics) */
	next = arena_alloc(u->arena, (site_dc.n + 1) * sizeof(*next));
	hmap_init(&at, u->arena);
	for (k = site_dc.n; k-- > 0;) {
		struct loc_key *key = loc_key_of(u->arena, &site_dc.v[k].loc);

		if ((first = hmap_get(&at, key, sizeof(*key))) == NULL) {
			first = arena_alloc(u->arena, sizeof(*first));
			*first = SIZE_MAX;
			hmap_put(&at, key, sizeof(*key), first);
		}
		next[k] = *first;
		*first = k;
	}
	for (i = 0; i < ndevs; i++) {
		struct diag_ctx dc;
		const struct diag *const *mine;
		size_t nmine = 0;
		bool failed = false;

		/* the device's site-level diagnostics first, so that its backend
		 * check sees them and does not report the same mistake again
		 * (haproxy: LYNC-E017 already names its UDP services) */
		diag_init(&dc, u->arena);
		first = hmap_get(&at, loc_key_of(u->arena, &devs[i]->loc), sizeof(struct loc_key));
		for (k = first ? *first : SIZE_MAX; k != SIZE_MAX; k = next[k])
			diag_copy(&dc, &site_dc.v[k], site_dc.v[k].sev, "");
		if (b->check != NULL && devs[i]->kind == b->kind)
			b->check(u->site, devs[i], &dc);
		mine = arena_alloc(u->arena, (dc.n + 1) * sizeof(*mine));
		for (k = 0; k < dc.n; k++)
			((const struct diag **)mine)[nmine++] = &dc.v[k];
		for (k = 0; k < nmine; k++)
			failed |= mine[k]->sev == DIAG_ERROR;
		for (k = 0; k < nmine; k++) {
			if (failed && optional)
				diag_copy(&u->dc, mine[k], DIAG_WARNING, arena_printf(u->arena,
				    "'%s' skipped for target %s: ", devs[i]->name, b->name));
			else
				diag_copy(&u->dc, mine[k], mine[k]->sev, "");
		}
		ok[i] = !failed;
		if (failed)
			rc = -1;
	}
	return rc;
}

int
lyncc_load_file(struct lyncc_unit *u, const char *path, const char **err)
{
	struct source *s = NULL;
	char *e = NULL;

	*err = NULL;
	if (u->stdlib_dir != NULL) {	/* --stdlib DIR: an I/O error, said once */
		DIR *d = opendir(u->stdlib_dir);

		if (d == NULL) {
			*err = arena_printf(u->arena, "stdlib directory %s: %s",
			    u->stdlib_dir, strerror(errno));
			return LYNCC_EXIT_USAGE;
		}
		closedir(d);
	}
	if (path != NULL && (s = source_load(u->arena, path, NULL, &e)) == NULL) {
		*err = e;
		return LYNCC_EXIT_USAGE;
	}
	u->input = s;	/* its identity: include cycles, -o naming it */
	if (lyncc_load(u, s ? s->name : "<stdlib>", s ? s->path : NULL,
	    s ? s->text : NULL, s ? s->len : 0) != 0)
		return LYNCC_EXIT_INPUT;
	return LYNCC_EXIT_OK;
}

int
lyncc_diag_format_parse(const char *s, enum lyncc_diag_format *f)
{
	if (s == NULL || strcmp(s, "text") == 0)
		*f = LYNCC_DIAG_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = LYNCC_DIAG_JSON;
	else if (strcmp(s, "sarif") == 0)
		*f = LYNCC_DIAG_SARIF;
	else
		return -1;
	return 0;
}

void
lyncc_render_diags(const struct diag_ctx *dc, enum lyncc_diag_format f, bool color,
    const char *docdir, struct strbuf *b)
{
	switch (f) {
	case LYNCC_DIAG_JSON:
		diag_render_json(dc, b);
		break;
	case LYNCC_DIAG_SARIF: {
		struct arena *a = arena_new();

		diag_render_sarif(dc, b, lyncc_sarif_tool(a, docdir));
		arena_free(a);
		break;
	}
	case LYNCC_DIAG_TEXT:
		diag_render_text_color(dc, b, color);
		break;
	}
}

/* "SNAT on the A/V edge" -> "SnatOnTheAVEdge" */
static char *
camel(struct arena *a, const char *t)
{
	char *s = arena_alloc(a, strlen(t) + 1), *p = s;
	bool up = true;

	for (; *t; t++) {
		if (isalnum((unsigned char)*t)) {
			*p++ = up ? (char)toupper((unsigned char)*t) :
			    (char)tolower((unsigned char)*t);
			up = false;
		} else if (*t != '\'')
			up = true;
	}
	*p = '\0';
	return s;
}

/* GitHub's anchor of a Markdown heading: lower case, spaces to '-', other
 * punctuation but '-' and '_' dropped ("LYNC-E001: SNAT on the A/V ..." ->
 * "lync-e001-snat-on-the-av-..."). */
static char *
heading_anchor(struct arena *a, const char *h)
{
	char *s = arena_alloc(a, strlen(h) + 1), *p = s;

	for (; *h; h++) {
		unsigned char c = (unsigned char)*h;

		if (isalnum(c) || c == '-' || c == '_')
			*p++ = (char)tolower(c);
		else if (c == ' ')
			*p++ = '-';
	}
	*p = '\0';
	return s;
}

#ifndef LYNCC_HOMEPAGE_URL
/* "file:///usr/share/doc/lyncc/" + rel, the path percent-encoded */
static const char *
doc_uri(struct arena *a, const char *docdir, const char *rel)
{
	struct strbuf u;
	const char *s;

	sb_init(&u);
	sb_puts(&u, "file://");
	diag_uri_encode(&u, docdir);
	if (u.len == 0 || u.s[u.len - 1] != '/')
		sb_putc(&u, '/');
	sb_puts(&u, rel);
	s = arena_strdup(a, u.s);
	sb_free(&u);
	return s;
}
#endif

const struct diag_tool *
lyncc_sarif_tool(struct arena *a, const char *docdir)
{
	struct diag_tool *t = arena_alloc(a, sizeof(*t));
	struct diag_rule *r;
	size_t n = 0, i;
#ifdef LYNCC_HOMEPAGE_URL
	const char *info = LYNCC_HOMEPAGE_URL, *docs = LYNCC_DOCS_URL;

	(void)docdir;
#else
	const char *info, *docs;

	if (docdir == NULL || docdir[0] != '/')
		docdir = LYNCC_DOCDIR;
	info = doc_uri(a, docdir, "README.md");
	docs = doc_uri(a, docdir, "docs/");
#endif

	while (check_table[n].id)
		n++;
	r = arena_alloc(a, (n + 1) * sizeof(*r));
	for (i = 0; i < n; i++) {
		const struct check_info *c = &check_table[i];

		r[i].id = c->id;
		r[i].name = camel(a, c->title);
		r[i].title = c->title;
		r[i].help = c->explain;
		r[i].help_uri = arena_printf(a, "%schecks.md#%s", docs,
		    heading_anchor(a, arena_printf(a, "%s: %s", c->id, c->title)));
		r[i].level = strncmp(c->id, "LYNC-W", 6) == 0 ? DIAG_WARNING : DIAG_ERROR;
	}
	r[n].id = "LYNC-SYNTAX";
	r[n].name = "InputError";
	r[n].title = "error in the .lync input: syntax, an unknown or duplicate name, "
	    "a bad value";
	r[n].help = "The site file does not follow the language: the message names "
	    "what is wrong and, for a misspelt name, the closest known one.  "
	    "docs/language.md describes every statement.";
	r[n].help_uri = arena_printf(a, "%slanguage.md", docs);
	r[n].level = DIAG_ERROR;
	t->name = "lyncc";
	t->version = LYNCC_VERSION;
	t->uri = info;
	t->rules = r;
	t->nrules = n + 1;
	t->other_rule = "LYNC-SYNTAX";
	return t;
}
