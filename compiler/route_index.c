/*
 * route_index.c - see route_index.h.
 */
#include "route_index.h"
#include "arena.h"
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

#define NTREES	32	/* cached search trees, by source zone */

struct tree {
	long			 from;		/* zone index, -1: empty */
	int			*prev_zone;	/* -1: the root, -2: unreached */
	struct ir_device	**prev_dev;
};

struct route_index {
	struct arena		*arena;
	size_t			 nz;
	size_t			*off;		/* zone z's devices: dev[off[z]..off[z+1]) */
	struct ir_device	**dev;
	size_t			*queue;
	size_t			*dev_seen;	/* by device index: the search that
						 * walked its legs (stamp) */
	size_t			 nsearch;	/* searches so far: the stamp */
	struct tree		 trees[NTREES];
	struct hmap		 pairs;		/* (from, to) -> struct pair */
	bool			 fwflows_done;
	int			 forest;	/* -1: not yet known */
	size_t			*nsrc, *ndst;	/* forest: pairs asked, by zone */
	struct hmap		 natpool;	/* &pool->nats[k] -> pool */
	bool			 natpool_built;
};

/* Forest: the route of a pair extends that of a neighbour by one hop, in
 * place where the buffer has room (a chain of N firewalls: N routes in one
 * buffer of N hops, not N^2/2).  Used: hops [lo, hi), zones [lo, hi]. */
struct pbuf {
	struct ir_device	**h;
	struct ir_zone		**z;	/* cap + 1 */
	size_t			 cap, lo, hi;
};

/* The route between two zones, found once: every flow between them shares
 * it (the arrays are never written after they are filled). */
struct pair {
	uint32_t		 key[2];	/* from, to zone index */
	int			 n;		/* hops, -1: unreachable */
	struct ir_device	**hops;		/* n */
	struct ir_zone		**zones;	/* n + 1 */
	struct pbuf		*buf;		/* forest: where they are */
};

/* A device's leg i in a zone it has a leg in already: by zone, the last
 * device (stamp) that had one, not a scan of the earlier legs. */
static bool
zone_again(const struct ir_device *v, size_t i, size_t *seen, size_t stamp)
{
	size_t z = v->ifaces[i].zone->index;

	if (seen[z] == stamp)
		return true;
	seen[z] = stamp;
	return false;
}

struct route_index *
route_index_build(struct arena *a, const struct ir_site *site)
{
	struct route_index *r = arena_alloc(a, sizeof(*r));
	size_t nz = site->nzones, d, i, *fill, *seen;

	r->arena = a;
	r->nz = nz;
	r->off = arena_alloc(a, (nz + 1) * sizeof(*r->off));
	fill = arena_alloc(a, (nz + 1) * sizeof(*fill));
	seen = xcalloc(nz + 1, sizeof(*seen));
	/* count, then place: devices stay in declaration order per zone */
	for (d = 0; d < site->ndevices; d++) {
		const struct ir_device *v = site->devices[d];

		for (i = 0; v->kind != DEV_LB && i < v->nifaces; i++)
			if (v->ifaces[i].zone != NULL && !zone_again(v, i, seen, d + 1))
				r->off[v->ifaces[i].zone->index + 1]++;
	}
	for (i = 0; i < nz; i++)
		r->off[i + 1] += r->off[i];
	r->dev = arena_alloc(a, (r->off[nz] + 1) * sizeof(*r->dev));
	for (d = 0; d < site->ndevices; d++) {
		struct ir_device *v = site->devices[d];

		for (i = 0; v->kind != DEV_LB && i < v->nifaces; i++)
			if (v->ifaces[i].zone != NULL &&
			    !zone_again(v, i, seen, site->ndevices + d + 1)) {
				size_t z = v->ifaces[i].zone->index;

				r->dev[r->off[z] + fill[z]++] = v;
			}
	}
	free(seen);
	r->queue = arena_alloc(a, (nz + 1) * sizeof(*r->queue));
	r->dev_seen = arena_alloc(a, (site->ndevices + 1) * sizeof(*r->dev_seen));
	for (i = 0; i < NTREES; i++)
		r->trees[i].from = -1;
	hmap_init(&r->pairs, a);
	r->forest = -1;
	return r;
}

/* the whole search tree from zone `from`, in expand_route's order */
static struct tree *
tree_for(struct route_index *r, size_t from)
{
	struct tree *t = &r->trees[from % NTREES];
	size_t head = 0, tail = 0, i, k;

	if (t->from == (long)from)
		return t;
	if (t->prev_zone == NULL) {
		t->prev_zone = arena_alloc(r->arena, (r->nz + 1) * sizeof(int));
		t->prev_dev = arena_alloc(r->arena, (r->nz + 1) * sizeof(*t->prev_dev));
	}
	t->from = (long)from;
	r->nsearch++;
	for (i = 0; i < r->nz; i++)
		t->prev_zone[i] = -2;
	t->prev_zone[from] = -1;
	r->queue[tail++] = from;
	while (head < tail) {
		size_t z = r->queue[head++];

		for (k = r->off[z]; k < r->off[z + 1]; k++) {
			struct ir_device *v = r->dev[k];

			/* the first zone that reaches a device reaches every zone
			 * of its legs: from a later one they are all seen (a
			 * firewall between N zones: N legs once, not N times) */
			if (r->dev_seen[v->index] == r->nsearch)
				continue;
			r->dev_seen[v->index] = r->nsearch;
			for (i = 0; i < v->nifaces; i++) {
				struct ir_zone *nzp = v->ifaces[i].zone;

				if (nzp == NULL || t->prev_zone[nzp->index] != -2)
					continue;
				t->prev_zone[nzp->index] = (int)z;
				t->prev_dev[nzp->index] = v;
				r->queue[tail++] = nzp->index;
			}
		}
	}
	return t;
}

static struct pair *
pair_new(struct route_index *r, size_t from, size_t to)
{
	struct pair *p = arena_alloc(r->arena, sizeof(*p));

	p->key[0] = (uint32_t)from;
	p->key[1] = (uint32_t)to;
	hmap_put(&r->pairs, p->key, sizeof(p->key), p);
	return p;
}

static struct pair *
pair_get(struct route_index *r, size_t from, size_t to)
{
	uint32_t key[2] = { (uint32_t)from, (uint32_t)to };

	return hmap_get(&r->pairs, key, sizeof(key));
}

/* a buffer holding a copy of p's route in its middle, room on both sides */
static void
pbuf_copy(struct route_index *r, const struct pair *p, size_t *s)
{
	struct pbuf *b = arena_alloc(r->arena, sizeof(*b));
	size_t n = (size_t)p->n;

	b->cap = n + 2 * (n / 2 + 2);	/* n / 2 + 2 free on each side */
	b->h = arena_alloc(r->arena, b->cap * sizeof(*b->h));
	b->z = arena_alloc(r->arena, (b->cap + 1) * sizeof(*b->z));
	b->lo = *s = (b->cap - n) / 2;
	b->hi = b->lo + n;
	if (n)
		memcpy(b->h + b->lo, p->hops, n * sizeof(*b->h));
	memcpy(b->z + b->lo, p->zones, (n + 1) * sizeof(*b->z));
	((struct pair *)p)->buf = b;
	((struct pair *)p)->hops = b->h + b->lo;
	((struct pair *)p)->zones = b->z + b->lo;
}

/* q = dev, zone before p's route (left) or after it */
static void
pair_extend(struct route_index *r, const struct pair *p, struct pair *q,
    struct ir_device *dev, struct ir_zone *zone, bool left)
{
	struct pbuf *b = p->buf;
	size_t s = (size_t)(p->zones - b->z), n = (size_t)p->n;

	if (left ? !(s == b->lo && s > 0) : !(s + n == b->hi && b->hi < b->cap)) {
		pbuf_copy(r, p, &s);	/* p moves to a buffer of its own */
		b = p->buf;
	}
	q->buf = b;
	q->n = p->n + 1;
	if (left) {
		b->lo = --s;
		b->h[s] = dev;
		b->z[s] = zone;
	} else {
		b->h[b->hi++] = dev;
		b->z[b->hi] = zone;
	}
	q->hops = b->h + s;
	q->zones = b->z + s;
}

/*
 * The route from `from` to `to` in a forest: the only path, so the search
 * tree of either end gives it.  From the tree of the end asked for more
 * often (a chain's many sources towards one front end: the front end's
 * tree), walk from the other end towards the root to the first zone whose
 * route is known, then extend that route back, one hop per zone.
 */
static struct pair *
pair_forest(struct route_index *r, const struct ir_site *site, size_t from, size_t to)
{
	bool left = r->ndst[to] >= r->nsrc[from];	/* root: to */
	size_t root = left ? to : from, x = left ? from : to, nstack = 0, s0;
	struct tree *t;
	struct pair *p, *q;

	r->nsrc[from]++;
	r->ndst[to]++;
	t = tree_for(r, root);
	if (t->prev_zone[x] == -2) {
		p = pair_new(r, from, to);
		p->n = -1;
		return p;
	}
	while (x != root && (left ? pair_get(r, x, root) : pair_get(r, root, x)) == NULL) {
		r->queue[nstack++] = x;
		x = (size_t)t->prev_zone[x];
	}
	if (x == root && (p = pair_get(r, root, root)) == NULL) {
		p = pair_new(r, root, root);
		p->n = 0;
		p->hops = NULL;
		p->zones = &site->zones[root];
		pbuf_copy(r, p, &s0);
	} else if (x != root)
		p = left ? pair_get(r, x, root) : pair_get(r, root, x);
	while (nstack > 0) {
		size_t y = r->queue[--nstack];

		q = left ? pair_new(r, y, root) : pair_new(r, root, y);
		pair_extend(r, p, q, t->prev_dev[y], site->zones[y], left);
		p = q;
	}
	return p;
}

static const struct pair *
pair_for(struct route_index *r, const struct ir_site *site, const struct ir_zone *from,
    const struct ir_zone *to)
{
	uint32_t key[2];
	struct pair *p;
	struct tree *t;
	int z, k, n = 0;

	key[0] = (uint32_t)from->index;
	key[1] = (uint32_t)to->index;
	if ((p = hmap_get(&r->pairs, key, sizeof(key))) != NULL)
		return p;
	if (route_index_forest(r, site)) {
		if (r->nsrc == NULL) {
			r->nsrc = arena_alloc(r->arena, (r->nz + 1) * sizeof(*r->nsrc));
			r->ndst = arena_alloc(r->arena, (r->nz + 1) * sizeof(*r->ndst));
		}
		return pair_forest(r, site, from->index, to->index);
	}
	p = arena_alloc(r->arena, sizeof(*p));
	memcpy(p->key, key, sizeof(key));
	hmap_put(&r->pairs, p->key, sizeof(p->key), p);
	t = tree_for(r, from->index);
	if (t->prev_zone[to->index] == -2) {
		p->n = -1;
		return p;
	}
	for (z = (int)to->index; t->prev_zone[z] != -1; z = t->prev_zone[z])
		n++;
	p->n = n;
	p->hops = arena_alloc(r->arena, ((size_t)n + 1) * sizeof(*p->hops));
	p->zones = arena_alloc(r->arena, ((size_t)n + 1) * sizeof(*p->zones));
	z = (int)to->index;
	for (k = n - 1; k >= 0; k--) {
		p->hops[k] = t->prev_dev[z];
		p->zones[k + 1] = site->zones[z];
		z = t->prev_zone[z];
	}
	p->zones[0] = (struct ir_zone *)from;
	return p;
}

int
route_index_path(struct route_index *r, const struct ir_site *site,
    const struct ir_zone *from, const struct ir_zone *to,
    struct ir_device ***hops, struct ir_zone ***zones)
{
	const struct pair *p;

	*hops = NULL;
	*zones = NULL;
	if (from == NULL || to == NULL)
		return -1;
	if (from == to)
		return 0;
	p = pair_for(r, site, from, to);
	*hops = p->hops;
	*zones = p->zones;
	return p->n;
}

int
route_index_route(struct route_index *r, const struct ir_site *site,
    const struct ir_zone *from, const struct ir_zone *to,
    struct ir_device **hops, struct ir_zone **zones)
{
	struct ir_device **h;
	struct ir_zone **zs;
	int n = route_index_path(r, site, from, to, &h, &zs), k;

	for (k = 0; k < n; k++) {
		if (hops)
			hops[k] = h[k];
		if (zones)
			zones[k + 1] = zs[k + 1];
	}
	if (zones && n > 0)
		zones[0] = zs[0];
	return n;
}

const struct ir_pool *
route_index_nat_pool(struct route_index *r, const struct ir_site *site,
    const struct ir_nat *n)
{
	const struct ir_nat **keys;	/* the keys: each entry's address */
	size_t i, k, m = 0;

	if (!r->natpool_built) {
		hmap_init(&r->natpool, r->arena);
		for (i = 0; i < site->npools; i++)
			m += site->pools[i]->nnats;
		keys = arena_alloc(r->arena, (m + 1) * sizeof(*keys));
		for (i = m = 0; i < site->npools; i++)
			for (k = 0; k < site->pools[i]->nnats; k++) {
				keys[m] = &site->pools[i]->nats[k];
				hmap_put(&r->natpool, &keys[m++], sizeof(*keys),
				    (void *)site->pools[i]);
			}
		r->natpool_built = true;
	}
	return hmap_get(&r->natpool, &n, sizeof(n));
}

struct arena *
route_index_arena(struct route_index *r)
{
	return r->arena;
}

bool *
route_index_fwflows_done(struct route_index *r)
{
	return &r->fwflows_done;
}

static size_t
uf_find(size_t *up, size_t x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

bool
route_index_forest(struct route_index *r, const struct ir_site *site)
{
	/* nodes: zones 0..nz-1, devices nz..; an edge per (device, zone) leg */
	size_t *up, z, k, i;
	bool ok = true;

	if (r->forest >= 0)
		return r->forest;
	up = xcalloc(r->nz + site->ndevices + 1, sizeof(*up));
	for (i = 0; i < r->nz + site->ndevices; i++)
		up[i] = i;
	for (z = 0; z < r->nz && ok; z++)
		for (k = r->off[z]; k < r->off[z + 1] && ok; k++) {
			size_t a = uf_find(up, z), b = uf_find(up, r->nz + r->dev[k]->index);

			if (a == b)
				ok = false;
			else
				up[a] = b;
		}
	free(up);
	r->forest = ok;
	return ok;
}
