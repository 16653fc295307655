/*
 * arena.c - bump allocator in chunks; see arena.h for the policy.
 */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK	(64 * 1024)
#define ARENA_ALIGN	16

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	unsigned char	 data[];
};

/* A block of its own (arena_block): freed with the arena or before. */
struct block {
	struct block	*prev, *next;
};
#define BLOCK_HDR	((sizeof(struct block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

struct arena {
	struct chunk	*head;
	struct block	*blocks;
};

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fputs("lyncc: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL) {
		fputs("lyncc: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL) {
		fputs("lyncc: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

struct arena *
arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void
arena_free(struct arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	while (a->blocks != NULL) {
		struct block *b = a->blocks;

		a->blocks = b->next;
		free(b);
	}
	free(a);
}

/* n bytes, not zeroed: for what is written over at once */
static void *
bump(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t off;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	off = c->used;
	c->used += n;
	return c->data + off;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	void *p = bump(a, n);

	memset(p, 0, n);
	return p;
}

void *
arena_block(struct arena *a, size_t n)
{
	struct block *b = xcalloc(1, BLOCK_HDR + n);

	b->next = a->blocks;
	if (a->blocks != NULL)
		a->blocks->prev = b;
	a->blocks = b;
	return (unsigned char *)b + BLOCK_HDR;
}

void
arena_block_free(struct arena *a, void *p)
{
	struct block *b;

	if (p == NULL)
		return;
	b = (struct block *)(void *)((unsigned char *)p - BLOCK_HDR);
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		a->blocks = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
	free(b);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = bump(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *p, buf[256];

	/* formatted once when it fits the buffer (most labels and names) */
	va_copy(aq, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0, buf[0] = '\0';
	p = bump(a, (size_t)n + 1);
	if ((size_t)n < sizeof(buf))
		memcpy(p, buf, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *
arena_grow(struct arena *a, void *vec, size_t *cap, size_t elem)
{
	/* from 2: most vectors of the IR hold one or two addresses, names or
	 * legs, and there are hundreds of thousands of them */
	size_t ncap = *cap ? *cap * 2 : 2, old = vec != NULL ? *cap * elem : 0;
	unsigned char *p = bump(a, ncap * elem);

	/* the new part zeroed, as arena_alloc would (the old one is copied) */
	if (old)
		memcpy(p, vec, old);
	memset(p + old, 0, ncap * elem - old);
	*cap = ncap;
	return p;
}
