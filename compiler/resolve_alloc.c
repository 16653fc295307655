/*
 * resolve_alloc.c - after the references: each pool's defaults and checks
 * (node count, sides, zone, load-balancing mode), the addresses allocated
 * from `addresses from PREFIX` blocks, and the nodes left without one.
 */
#include "resolve_impl.h"
#include "addr.h"
#include "arena.h"
#include "hmap.h"

#include <stdint.h>
#include <string.h>

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
		if (sd->lb == LB_HLB && n < max &&
		    (p->kind != POOL_RPROXY || side == SIDE_EXT)) {
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

/*
 * The host addresses pools use (VIPs, node addresses), for allocation: a
 * bitmap of 256 addresses per key (the family and every byte but the
 * last), so that a block's hosts, which allocation tests one by one, are
 * one lookup for up to 256 of them (and the last chunk is kept: the next
 * test is nearly always in it).  Only hosts are held: allocation tests
 * only hosts (addr_nth_host), which an address with a shorter prefix is
 * not equal to.
 */
struct host_chunk {
	unsigned char	key[16];
	uint64_t	bits[4];
};

static bool
host_key(const struct ir_addr *a, unsigned char *k, unsigned *bit)
{
	size_t last = a->family == 4 ? 3 : 15;

	if (a->prefix != (a->family == 4 ? 32 : 128))
		return false;
	memset(k, 0, 16);
	k[0] = a->family;
	memcpy(k + 1, a->b, last);
	*bit = a->b[last];
	return true;
}

static struct host_chunk *
host_chunk(struct resolve_ctx *rc, const unsigned char *k, bool create)
{
	struct host_chunk *c = rc->taken_last;

	if (c != NULL && memcmp(c->key, k, 16) == 0)
		return c;
	if ((c = hmap_get(&rc->taken, k, 16)) == NULL) {
		if (!create)
			return NULL;
		c = arena_alloc(rc->taken.arena, sizeof(*c));
		memcpy(c->key, k, 16);
		hmap_put(&rc->taken, c->key, 16, c);
	}
	return rc->taken_last = c;
}

static void
take_addr(struct resolve_ctx *rc, const struct ir_addr *a)
{
	unsigned char k[16];
	unsigned bit;

	if (host_key(a, k, &bit))
		host_chunk(rc, k, true)->bits[bit / 64] |= (uint64_t)1 << (bit % 64);
}

/* Is host a used by a pool?  The index is built at the first call;
 * allocations add to it (take_addr). */
static bool
addr_taken(struct resolve_ctx *rc, const struct ir_addr *a)
{
	unsigned char k[16];
	unsigned bit;
	struct host_chunk *c;
	size_t i, j;
	unsigned n;
	int s, d;

	if (!rc->taken_built) {
		hmap_init(&rc->taken, resolve_scratch(rc));
		rc->taken_last = NULL;
		for (i = 0; i < rc->site->npools; i++) {
			struct ir_pool *p = rc->site->pools[i];

			for (d = 0; d < SIDE__N; d++)
				for (s = 0; s < SVC__N; s++)
					for (j = 0; j < p->side[d].vip[s].n; j++)
						take_addr(rc, &p->side[d].vip[s].v[j]);
			for (n = 0; n < p->nnodes; n++)
				for (s = 0; s < SVC__N; s++)
					for (j = 0; j < p->nodes[n].addr[s].n; j++)
						take_addr(rc, &p->nodes[n].addr[s].v[j]);
		}
		rc->taken_built = true;
	}
	if (!host_key(a, k, &bit) || (c = host_chunk(rc, k, false)) == NULL)
		return false;
	return (c->bits[bit / 64] >> (bit % 64)) & 1;
}

/* the first host number of a block that may be free: every host below it
 * is taken (addresses are never given back, so it only moves up) */
static uint64_t *
alloc_next(struct resolve_ctx *rc, const struct ir_addr *block)
{
	uint64_t *next;
	struct ir_addr *key;

	if (rc->alloc_next.arena == NULL)
		hmap_init(&rc->alloc_next, resolve_scratch(rc));
	next = hmap_get(&rc->alloc_next, block, sizeof(*block));
	if (next == NULL) {
		key = arena_alloc(rc->alloc_next.arena, sizeof(*key));
		key->family = block->family;
		key->prefix = block->prefix;
		memcpy(key->b, block->b, sizeof(key->b));
		next = arena_alloc(rc->alloc_next.arena, sizeof(*next));
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
		take_addr(rc, &a);
	}
	/* every host below `next` is taken now */
	while (addr_nth_host(&sd->block, next, &a) == 0 && addr_taken(rc, &a))
		next++;
	*first_free = next;
}

void
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
		if (sd->zone == NULL && !is_poisoned(rc, &sd->zone)) {
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

void
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
