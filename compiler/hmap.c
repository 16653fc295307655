/*
 * hmap.c - open addressing with linear probing, resized at half full (each
 * table a block of its own: the old one is freed).  The hash takes 8 bytes
 * a step (the keys of the address indexes are 26 bytes) and mixes them at
 * the end, so that the low bits, which place the slot, depend on them all.
 */
#include "hmap.h"
#include "arena.h"

void
hmap_init(struct hmap *m, struct arena *a)
{
	memset(m, 0, sizeof(*m));
	m->arena = a;
}

uint64_t
hmap_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037u ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
	}
	/* the 64-bit finaliser of MurmurHash3 */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return h;
}

static struct hmap_ent *
slot(const struct hmap *m, const void *key, size_t len, uint32_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct hmap_ent *e = &m->v[i];

		if (e->key == NULL || (e->hash == h && e->len == len &&
		    memcmp(e->key, key, len) == 0))
			return e;
	}
}

void *
hmap_get(const struct hmap *m, const void *key, size_t len)
{
	if (m->cap == 0)
		return NULL;
	return slot(m, key, len, (uint32_t)hmap_hash(key, len))->val;
}

void *
hmap_put(struct hmap *m, const void *key, size_t len, void *val)
{
	uint32_t h = (uint32_t)hmap_hash(key, len);
	struct hmap_ent *e;

	if (2 * (m->n + 1) > m->cap) {
		struct hmap_ent *old = m->v;
		size_t i, oldcap = m->cap;

		m->cap = oldcap ? 2 * oldcap : 16;
		/* a block of its own: the old slots are freed, not left in
		 * the arena (they were as much again as the last table) */
		m->v = arena_block(m->arena, m->cap * sizeof(*m->v));
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				*slot(m, old[i].key, old[i].len, old[i].hash) = old[i];
		arena_block_free(m->arena, old);
	}
	e = slot(m, key, len, h);
	if (e->key != NULL)
		return e->val;
	e->key = key;
	e->len = (uint32_t)len;
	e->hash = h;
	e->val = val;
	m->n++;
	return NULL;
}
