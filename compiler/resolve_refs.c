/*
 * resolve_refs.c - after every file: the names statements referred to
 * (zones of pools, parties and device legs, device interfaces, the pools a
 * load balancer serves, next hops) and the zones of the parties.  A
 * misspelt name is reported once and its slot poisoned, so that what
 * depends on it says nothing more.
 */
#include "resolve_impl.h"
#include "arena.h"
#include "hmap.h"
#include "ir.h"

#include <stdlib.h>
#include <string.h>

/*
 * An unknown name: unknown_word's error with its "did you mean", unless
 * the error is past the --max-errors cap (counted, never shown): then the
 * search of every name, which it would only drop, is skipped.
 */
static void
unknown_ref(struct resolve_ctx *rc, const struct ast_word *w, const char *what,
    struct diag_words *idx)
{
	if (rc->dc->max_errors && rc->dc->errors >= rc->dc->max_errors) {
		diag_error(rc->dc, &w->loc, "unknown %s '%s'", what, w->text);
		return;
	}
	unknown_word(rc, w, what, idx->words, idx->n, NULL, idx);
}

void
resolve_zone_refs(struct resolve_ctx *rc)
{
	size_t i, j;
	const char **names = arena_alloc(rc->arena, (rc->site->nzones + 1) * sizeof(char *));
	struct resolve_refs *x = resolve_refs(rc);
	struct diag_words idx;	/* the zones' names, for "did you mean" */
	bool *lost;

	for (j = 0; j < rc->site->nzones; j++)
		names[j] = rc->site->zones[j]->name;
	diag_words_init(&idx, names, rc->site->nzones);
	for (i = 0; i < x->nzrefs; i++) {
		struct ir_zone *z = ir_zone_find(rc->site, x->zrefs[i].w->text);

		if (x->zrefs[i].dev != NULL)
			x->zrefs[i].slot = &x->zrefs[i].dev->ifaces[x->zrefs[i].iface].zone;

		if (z == NULL) {
			const char *kind = name_kind(rc, x->zrefs[i].w->text);

			poison(rc, x->zrefs[i].slot);
			if (name_rejected(rc, x->zrefs[i].w->text))
				continue;	/* its declaration's error said it */
			if (kind != NULL)
				diag_error(rc->dc, &x->zrefs[i].w->loc, "'%s' is a %s, "
				    "not a zone", x->zrefs[i].w->text, kind);
			else
				unknown_ref(rc, x->zrefs[i].w, "zone", &idx);
			rc->npoisoned++;
			continue;
		}
		*x->zrefs[i].slot = z;
	}
	diag_words_free(&idx);
	poison_sort(rc);
	/* drop the misspelt legs of devices, so the later phases see no NULL
	 * zone (parties drop theirs in default_parties); the device is marked
	 * not to complain about the leg it lost */
	lost = arena_alloc(rc->arena, (rc->site->ndevices + 1) * sizeof(bool));
	for (i = 0; x->npoisoned && i < rc->site->ndevices; i++) {
		struct ir_device *v = rc->site->devices[i];
		size_t k, n = 0;

		for (k = 0; k < v->nifaces; k++)
			if (v->ifaces[k].zone != NULL)
				v->ifaces[n++] = v->ifaces[k];
			else if (is_poisoned(rc, &v->ifaces[k].zone))
				lost[i] = true;
		v->nifaces = n;
	}
	for (i = 0; i < rc->site->ndevices; i++)
		if (lost[i])
			poison(rc, rc->site->devices[i]);
	poison_sort(rc);
	for (i = 0; i < x->nprefs; i++) {
		struct ir_pool *p = ir_pool_find(rc->site, x->prefs[i].w->text);

		if (p == NULL || p->kind != x->prefs[i].kind) {
			diag_error(rc->dc, &x->prefs[i].w->loc, "no %s pool named '%s'",
			    ir_pool_kind_name[x->prefs[i].kind], x->prefs[i].w->text);
			continue;
		}
		*x->prefs[i].slot = p;
	}
}

void
resolve_ifaces(struct resolve_ctx *rc)
{
	struct resolve_refs *x = resolve_refs(rc);
	struct hmap legs;	/* (device, zone) -> its last leg there */
	size_t i, j, w, *count;
	const void **key;

	/* the legs by device and zone, built once (a device between N zones
	 * with an `interface` line each: N lookups, not N scans of N legs) */
	hmap_init(&legs, rc->arena);
	for (i = 0; x->nifrefs && i < rc->site->ndevices; i++) {
		struct ir_device *v = rc->site->devices[i];

		for (j = v->nifaces; j-- > 0;) {
			if (v->ifaces[j].zone == NULL)
				continue;
			key = arena_alloc(rc->arena, 2 * sizeof(*key));
			key[0] = v;
			key[1] = v->ifaces[j].zone;
			hmap_put(&legs, key, 2 * sizeof(*key), &v->ifaces[j]);
		}
	}
	for (i = 0; i < x->nifrefs; i++) {
		struct ir_device *v = x->ifrefs[i].dev;
		struct ast_stmt *s = x->ifrefs[i].s;
		struct ir_iface *f = NULL;
		const void *k[2];
		unsigned long lvl;

		k[0] = v;
		k[1] = ir_zone_find(rc->site, s->words[1].text);
		if (k[1] != NULL)
			f = hmap_get(&legs, k, sizeof(k));
		if (f == NULL) {
			diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
			    "device '%s' has no leg in zone '%s'", v->name, s->words[1].text),
			    "list the zone in 'between' first");
			continue;
		}
		f->ifname = s->words[2].text;
		f->ifname_loc = s->words[2].loc;
		for (w = 3; w + 1 < s->nwords; w += 2)
			if (strcmp(s->words[w].text, "nft") == 0) {
				f->nft_ifname = s->words[w + 1].text;
				f->nft_loc = s->words[w + 1].loc;
			} else if (word_uint(rc, &s->words[w + 1], 0, 100, "security level",
			    &lvl))
				f->level = (int)lvl;
	}
	/* a zone listed again: one error per earlier listing, counted by
	 * zone (count[z]: listings so far of the device count[nzones + z]) */
	count = xcalloc(2 * rc->site->nzones + 1, sizeof(*count));
	for (i = 0; i < rc->site->ndevices; i++) {
		struct ir_device *v = rc->site->devices[i];

		for (j = 0; j < v->nifaces; j++) {
			size_t k, z, nz = rc->site->nzones;

			if (v->ifaces[j].zone == NULL)
				continue;
			z = v->ifaces[j].zone->index;
			if (count[nz + z] != i + 1) {
				count[nz + z] = i + 1;
				count[z] = 0;
			}
			for (k = 0; k < count[z]; k++)
				diag_error(rc->dc, &v->ifaces[j].loc, "zone '%s' is listed "
				    "twice for '%s'", v->ifaces[j].zone->name, v->name);
			count[z]++;
		}
		if (v->kind != DEV_LB && v->nifaces < 2 && !is_poisoned(rc, v))
			diag_hint(rc->dc, diag_error(rc->dc, &v->loc, "%s '%s' is not placed "
			    "between two zones", ir_device_kind_name[v->kind], v->name),
			    "add: between ZONE ZONE;");
		if (v->kind == DEV_LB && v->nserved == 0)
			diag_hint(rc->dc, diag_error(rc->dc, &v->loc, "load balancer '%s' "
			    "serves no pool", v->name), "add: serves POOL;");
	}
	free(count);
}

/* `serves POOL.SIDE` with a SIDE that is neither external nor internal
 * ("fe01.externl"): one error, at the word; the entry is dropped, the rest
 * of the site still checked. */
static void
served_bad_side(struct resolve_ctx *rc, const struct ast_word *w,
    const struct ir_pool *p, const char *side)
{
	static const char *const sides[] = { "external", "internal" };
	const char *sug = diag_suggest(side, sides, 2);
	struct diag *d;

	if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY)
		d = diag_error(rc->dc, &w->loc, "%s pool '%s' has one side, not '%s'",
		    ir_pool_kind_name[p->kind], p->name, side);
	else if (sug != NULL)
		d = diag_error(rc->dc, &w->loc, "%s pool '%s' has no side '%s'; did you "
		    "mean '%s'?", ir_pool_kind_name[p->kind], p->name, side, sug);
	else
		d = diag_error(rc->dc, &w->loc, "%s pool '%s' has no side '%s'",
		    ir_pool_kind_name[p->kind], p->name, side);
	if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY)
		diag_hint(rc->dc, d, "write: serves %s;", p->name);
	else if (sug == NULL)
		diag_hint(rc->dc, d, "write: serves %s.external; or serves %s.internal;",
		    p->name, p->name);
	rc->npoisoned++;
}

void
resolve_served(struct resolve_ctx *rc)
{
	const char **names = NULL;	/* the pools' names, at the first unknown one */
	struct diag_words idx;		/* and their index, for "did you mean" */
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
			if (dot == NULL && strrchr(w->text, '.') != NULL &&
			    ir_pool_find(rc->site, w->text) == NULL &&
			    (p = ir_pool_find(rc->site, arena_strndup(rc->arena, w->text,
			    (size_t)(strrchr(w->text, '.') - w->text)))) != NULL) {
				served_bad_side(rc, w, p, strrchr(w->text, '.') + 1);
				continue;
			}
			if ((p = ir_pool_find(rc->site, pname)) == NULL) {
				struct ast_word pw = *w;

				if (names == NULL) {
					names = arena_alloc(rc->arena,
					    (rc->site->npools + 1) * sizeof(char *));
					for (k = 0; k < rc->site->npools; k++)
						names[k] = rc->site->pools[k]->name;
					diag_words_init(&idx, names, rc->site->npools);
				}

				/* a name declared but rejected (its error was
				 * reported there) says nothing more */
				pw.text = pname;	/* suggest for the pool, not its side */
				if (name_rejected(rc, w->text) || name_rejected(rc, pname))
					continue;
				if (name_kind(rc, pname) != NULL)
					diag_hint(rc->dc, diag_error(rc->dc, &w->loc, "'%s' is "
					    "a %s, not a pool", pname, name_kind(rc, pname)),
					    "a load balancer serves pools");
				else
					unknown_ref(rc, &pw, "pool", &idx);
				rc->npoisoned++;	/* dropped below */
				continue;
			}
			if (p->kind != POOL_EDGE && p->kind != POOL_RPROXY && sides != 3) {
				/* one error: the entry is dropped, what depends on it
				 * says nothing, the rest of the site is checked */
				diag_hint(rc->dc, diag_error(rc->dc, &w->loc, "%s pool '%s' "
				    "has no %s side", ir_pool_kind_name[p->kind], p->name,
				    dot + 1), "a %s pool has one side: write: serves %s;",
				    ir_pool_kind_name[p->kind], p->name);
				rc->npoisoned++;
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
	if (names != NULL)
		diag_words_free(&idx);
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
void
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
