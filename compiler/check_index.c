/*
 * check_index.c - indexes for the checks, built once, so that a check over
 * every pool does not scan every address use per pool.
 */
#include "check_impl.h"
#include "arena.h"

const size_t *
check_pool_uses(struct cctx *cx, const struct ir_pool *p, size_t *n)
{
	size_t np = cx->site->npools, k, *fill;

	if (cx->puse_off == NULL) {	/* counting sort of the uses by pool */
		cx->puse_off = arena_alloc(cx->a, (np + 2) * sizeof(size_t));
		cx->puse = arena_alloc(cx->a, (cx->nuses + 1) * sizeof(size_t));
		fill = arena_alloc(cx->a, (np + 1) * sizeof(size_t));
		for (k = 0; k < cx->nuses; k++)
			if (cx->uses[k].pool != NULL && cx->uses[k].pool->index < np)
				cx->puse_off[cx->uses[k].pool->index + 1]++;
		for (k = 0; k < np; k++)
			cx->puse_off[k + 1] += cx->puse_off[k];
		for (k = 0; k < cx->nuses; k++)
			if (cx->uses[k].pool != NULL && cx->uses[k].pool->index < np) {
				size_t i = cx->uses[k].pool->index;

				cx->puse[cx->puse_off[i] + fill[i]++] = k;
			}
	}
	if (p->index >= np || cx->site->pools[p->index] != p) {
		*n = 0;
		return cx->puse;
	}
	*n = cx->puse_off[p->index + 1] - cx->puse_off[p->index];
	return cx->puse + cx->puse_off[p->index];
}
