/*
 * hmap.h - a hash map from byte strings to pointers, in an arena.
 *
 * The indexes that keep every phase linear: built once, looked up in
 * constant time instead of scanning an array per element.  Keys are not
 * copied (they must live as long as the map: arena strings, IR fields);
 * values must not be NULL (NULL means "absent").  Iteration order is not
 * defined, so output must never be produced by walking a map.
 */
#ifndef LYNCC_COMPILER_HMAP_H
#define LYNCC_COMPILER_HMAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;

/* 24 bytes: the hash's low 32 bits place the slot (a table has fewer
 * than 2^32 slots), keys are shorter than 4 GiB */
struct hmap_ent {
	const void	*key;
	void		*val;
	uint32_t	 hash;
	uint32_t	 len;
};

struct hmap {
	struct arena	*arena;
	struct hmap_ent	*v;
	size_t		 n, cap;	/* cap: 0 or a power of two */
};

void	 hmap_init(struct hmap *, struct arena *);
uint64_t hmap_hash(const void *, size_t);
void	*hmap_get(const struct hmap *, const void *key, size_t len);
/* Insert key -> val unless the key is there: returns the value already
 * present, or NULL if val was inserted. */
void	*hmap_put(struct hmap *, const void *key, size_t len, void *val);

static inline void *
hmap_sget(const struct hmap *m, const char *s)
{
	return hmap_get(m, s, strlen(s));
}

static inline void *
hmap_sput(struct hmap *m, const char *s, void *val)
{
	return hmap_put(m, s, strlen(s), val);
}

#endif /* LYNCC_COMPILER_HMAP_H */
