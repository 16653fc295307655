/*
 * arena.h - one allocator per compilation.
 *
 * Every AST node, IR node and interned string of a compilation lives in one
 * arena and is freed with it in a single call.  Nothing in the arena is ever
 * freed on its own, so there are no reference counts and no ownership
 * questions.  Allocation failure aborts: call sites never check for NULL.
 */
#ifndef LYNCC_COMPILER_ARENA_H
#define LYNCC_COMPILER_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		*arena_alloc(struct arena *, size_t);	/* zeroed */
/* A zeroed block of its own, freed with the arena or by arena_block_free
 * (for what is replaced as it grows: a hash table's slots). */
void		*arena_block(struct arena *, size_t);
void		 arena_block_free(struct arena *, void *);
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
char		*arena_vprintf(struct arena *, const char *, va_list)
		    __attribute__((__format__(printf, 2, 0)));

/* Grow a typed array held in the arena: *vec has *len used of *cap. */
void		*arena_grow(struct arena *, void *vec, size_t *cap, size_t elem);

#define VEC_PUSH(a, v, n, cap) \
	(((n) == (cap) ? (void)((v) = arena_grow((a), (v), &(cap), sizeof(*(v)))) : (void)0), \
	 &(v)[(n)++])

void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);

#endif /* LYNCC_COMPILER_ARENA_H */
