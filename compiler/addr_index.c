/*
 * addr_index.c - see addr_index.h.
 */
#include "addr_index.h"
#include "arena.h"

#include <string.h>

#define KEYLEN	(sizeof(void *) + 18)	/* owner, family, prefix, 16 bytes */

static void
key_of(const void *owner, const struct ir_addr *a, unsigned char *k)
{
	memset(k, 0, KEYLEN);
	memcpy(k, &owner, sizeof(owner));
	k[sizeof(void *)] = a->family;
	k[sizeof(void *) + 1] = a->prefix;
	memcpy(k + sizeof(void *) + 2, a->b, a->family == 4 ? 4 : 16);
}

void
addr_index_init(struct addr_index *x, struct arena *a)
{
	hmap_init(&x->m, a);
}

void *
addr_index_put(struct addr_index *x, const void *owner, const struct ir_addr *a, void *val)
{
	unsigned char k[KEYLEN], *kp;
	void *old;

	key_of(owner, a, k);
	if ((old = hmap_get(&x->m, k, KEYLEN)) != NULL)
		return old;
	kp = arena_alloc(x->m.arena, KEYLEN);
	memcpy(kp, k, KEYLEN);
	hmap_put(&x->m, kp, KEYLEN, val ? val : kp);
	return NULL;
}

bool
addr_index_add(struct addr_index *x, const void *owner, const struct ir_addr *a)
{
	return addr_index_put(x, owner, a, NULL) == NULL;
}

bool
addr_index_has(const struct addr_index *x, const void *owner, const struct ir_addr *a)
{
	unsigned char k[KEYLEN];

	key_of(owner, a, k);
	return hmap_get(&x->m, k, KEYLEN) != NULL;
}

void
addrset_index_init(struct addrset_index *xi, struct arena *a)
{
	addr_index_init(&xi->x, a);
	hmap_init(&xi->synced, a);
}

static void
sync_set(struct addrset_index *xi, const struct ir_addrset *s)
{
	size_t *done = hmap_get(&xi->synced, &s, sizeof(s)), i;

	if (done == NULL) {
		const struct ir_addrset **kp = arena_alloc(xi->synced.arena, sizeof(*kp));

		*kp = s;
		done = arena_alloc(xi->synced.arena, sizeof(*done));
		hmap_put(&xi->synced, kp, sizeof(*kp), done);
	}
	if (*done > s->n)	/* sorted and deduplicated: the same addresses */
		*done = s->n;
	for (i = *done; i < s->n; i++)
		addr_index_add(&xi->x, s, &s->v[i]);
	*done = s->n;
}

bool
addrset_index_has(struct addrset_index *xi, const struct ir_addrset *s,
    const struct ir_addr *a)
{
	sync_set(xi, s);
	return addr_index_has(&xi->x, s, a);
}

void
addrset_index_add(struct arena *ar, struct addrset_index *xi, struct ir_addrset *s,
    const struct ir_addr *a)
{
	if (addrset_index_has(xi, s, a))
		return;
	*VEC_PUSH(ar, s->v, s->n, s->cap) = *a;
	addr_index_add(&xi->x, s, a);
	*(size_t *)hmap_get(&xi->synced, &s, sizeof(s)) = s->n;
}

void
addrset_union_indexed(struct arena *ar, struct ir_addrset *s, const struct ir_addrset *o)
{
	struct arena *tmp = arena_new();
	struct addr_index x;
	size_t i;

	if (o->any)
		s->any = true;
	addr_index_init(&x, tmp);
	for (i = 0; i < s->n; i++)
		addr_index_add(&x, NULL, &s->v[i]);
	for (i = 0; i < o->n; i++)
		if (addr_index_add(&x, NULL, &o->v[i]))
			*VEC_PUSH(ar, s->v, s->n, s->cap) = o->v[i];
	arena_free(tmp);
}
