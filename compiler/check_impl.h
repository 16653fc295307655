/*
 * check_impl.h - what check.c (the table and the helpers), check_addr.c,
 * check_site.c and check_run.c (the driver) share.
 *
 * Not part of the compiler's interface: the rest of lyncc uses check.h.
 */
#ifndef LYNCC_COMPILER_CHECK_IMPL_H
#define LYNCC_COMPILER_CHECK_IMPL_H

#include "check.h"

#include <stdint.h>

struct arena;

/* One address the site gives to an interface. */
struct use {
	struct ir_pool		*pool;
	enum ir_side_kind	 side;
	enum ir_svc		 svc;
	unsigned		 node;		/* 1-based; 0: a VIP */
	bool			 nat;		/* the public address of a static NAT */
	struct ir_addr		 addr;
	struct srcloc		 loc;		/* the address word, or its block */
};

struct cctx {
	struct ir_site			*site;
	struct diag_ctx			*dc;
	struct arena			*a;
	const struct lyncc_backend	*target;
	struct use			*uses;
	size_t				 nuses, capuses;
	bool				*done;	/* per use: already reported */
	/* check_index.c: the uses of each pool (by pool index), built once */
	size_t				*puse_off, *puse;
};

/* The uses of pool p, in order (indexes into cx->uses); uses must all be
 * collected before the first call. */
const size_t	*check_pool_uses(struct cctx *, const struct ir_pool *, size_t *n);

struct use_iter {
	const size_t	*v;
	size_t		 n, i;
};

static inline struct use_iter
use_iter_start(struct cctx *cx, const struct ir_pool *p)
{
	struct use_iter it;

	it.v = check_pool_uses(cx, p, &it.n);
	it.i = 0;
	return it;
}

/* for each use k of pool p, in order (what `for (k = 0; k < cx->nuses;
 * k++) if (cx->uses[k].pool == p)` visits, without the scan) */
#define FOR_POOL_USES(cx, p, k)						\
	for (struct use_iter it_ = use_iter_start((cx), (p));		\
	    it_.i < it_.n && ((k) = it_.v[it_.i], 1); it_.i++)

/* A diagnostic of check `id` (severity from the ID), with its citation. */
struct diag	*report(struct cctx *, const char *id, const struct srcloc *,
		    const char *, ...) __attribute__((__format__(printf, 4, 5)));

typedef bool	(*word_match)(const char *w, size_t len, const void *arg);
bool		 loc_find(const struct srcloc *from, word_match, const void *arg,
		    struct srcloc *out);
bool		 match_text(const char *, size_t, const void *);
bool		 match_addr(const char *, size_t, const void *);
bool		 match_prefix(const char *, size_t, const void *);	/* "10.1.0.0/16" */
struct srcloc	 node_stmt_loc(const struct ir_pool *, enum ir_side_kind, unsigned);
struct srcloc	 addr_loc(const struct ir_pool *, enum ir_side_kind, enum ir_svc,
		    unsigned node, const struct ir_addr *);

const char	*fmt_addr(struct cctx *, const struct ir_addr *);
const char	*pool_name(struct cctx *, const struct ir_pool *);
const char	*svc_word(struct cctx *, const struct ir_pool *, enum ir_svc);
enum ir_svc	 member_svc(const struct ir_pool *, enum ir_svc);
const char	*use_short(struct cctx *, const struct use *);
const char	*use_name(struct cctx *, const struct use *);
const char	*use_addr(struct cctx *, const struct use *);
const char	*article(const char *);
const char	*family_name(int);
bool		 svc_on_side(const struct ir_pool *, enum ir_side_kind, enum ir_svc);
enum ir_side_kind nat_side(const struct ir_pool *, enum ir_svc);
bool		 is_hlb_edge(const struct ir_pool *);
/* Every address the site gives to an interface, into cx->uses. */
void		 collect_uses(struct cctx *);

/* check_addr.c */
void	check_edge_snat(struct cctx *);
void	check_edge_addrs(struct cctx *);
void	check_av_real(struct cctx *);
void	check_conflicts(struct cctx *);
void	check_edge_subnets(struct cctx *);
void	check_private(struct cctx *);
void	check_families(struct cctx *);
void	check_edge_nat(struct cctx *);
void	check_zone_addrs(struct cctx *);

/* check_site.c */
void	check_hlb_vip(struct cctx *);
void	check_dns_web(struct cctx *);
void	check_mediation(struct cctx *);
void	check_features(struct cctx *);
void	check_edge_modes(struct cctx *);
void	check_paths(struct cctx *);
void	check_target(struct cctx *);
void	check_stdlib_defs(struct cctx *);
void	check_outside(struct cctx *);
void	check_unused(struct cctx *);
void	check_lb_served(struct cctx *);
void	check_dns_failover(struct cctx *);
void	check_hairpin(struct cctx *);
void	check_gw_media(struct cctx *);
void	check_pstn_gateways(struct cctx *);

#endif /* LYNCC_COMPILER_CHECK_IMPL_H */
