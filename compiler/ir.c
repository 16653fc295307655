/*
 * ir.c - helpers on IR values that every phase uses: address sets (sorted,
 * without duplicates).  Below resolve.c and expand.c, calling neither.
 */
#include "ir.h"
#include "addr_index.h"
#include "arena.h"

#include <stdlib.h>

static int
addr_qcmp(const void *a, const void *b)
{
	return addr_cmp(a, b);
}

void
addrset_sort(struct ir_addrset *s)
{
	size_t i, k = 0;

	if (s->n < 2)
		return;
	for (i = 1; i < s->n && addr_cmp(&s->v[i - 1], &s->v[i]) < 0; i++)
		;
	if (i == s->n)	/* already sorted and unique (a shared set, often) */
		return;
	qsort(s->v, s->n, sizeof(s->v[0]), addr_qcmp);
	for (i = 1; i < s->n; i++)
		if (addr_cmp(&s->v[k], &s->v[i]) != 0)
			s->v[++k] = s->v[i];
	s->n = k + 1;
}

bool
addrset_has(const struct ir_addrset *s, const struct ir_addr *a)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (addr_cmp(&s->v[i], a) == 0)
			return true;
	return false;
}

void
addrset_add(struct arena *ar, struct ir_addrset *s, const struct ir_addr *a)
{
	if (addrset_has(s, a))
		return;
	*VEC_PUSH(ar, s->v, s->n, s->cap) = *a;
}

void
addrset_union(struct arena *ar, struct ir_addrset *s, const struct ir_addrset *o)
{
	size_t i;

	if (s->n * o->n > 4096) {	/* large: a hash index, not a scan per element */
		addrset_union_indexed(ar, s, o);
		return;
	}
	if (o->any)
		s->any = true;
	for (i = 0; i < o->n; i++)
		addrset_add(ar, s, &o->v[i]);
}
