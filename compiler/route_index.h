/*
 * route_index.h - routing between zones in time linear in the path.
 *
 * expand_route() is a breadth-first search over zones; run once per flow
 * (and again by the checks) that made routing quadratic and worse.  The
 * index holds, built once: for each zone, the devices with a leg in it (in
 * declaration order, firewalls and routers only); a small cache of
 * search trees, one per source zone; and the route of each pair of zones
 * asked for, found once and shared.  The trees are exactly those of
 * expand_route's search (same visiting order), so paths are identical.
 */
#ifndef LYNCC_COMPILER_ROUTE_INDEX_H
#define LYNCC_COMPILER_ROUTE_INDEX_H

#include "ir.h"

struct arena;
struct route_index;

struct route_index	*route_index_build(struct arena *, const struct ir_site *);
/* expand_route's contract: hops, -1 if unreachable; fills hops/zones */
int			 route_index_route(struct route_index *, const struct ir_site *,
			    const struct ir_zone *from, const struct ir_zone *to,
			    struct ir_device **hops, struct ir_zone **zones);
/* The same route, as arrays shared by every caller (found once per pair
 * of zones; never to be written): *hops has n entries, *zones n + 1. */
int			 route_index_path(struct route_index *, const struct ir_site *,
			    const struct ir_zone *from, const struct ir_zone *to,
			    struct ir_device ***hops, struct ir_zone ***zones);

/* The arena of the index, and whether every firewall's full flow list
 * (ir_device.flows) is filled. */
struct arena		*route_index_arena(struct route_index *);
bool			*route_index_fwflows_done(struct route_index *);
/* Whether the graph of zones and devices (firewalls, routers) has no
 * cycle: every route is then the only simple path. */
bool			 route_index_forest(struct route_index *, const struct ir_site *);

/* The pool whose static NAT entries (ir_pool.nats) hold n, or NULL: a map
 * built at the first call, not a scan of every pool per entry. */
const struct ir_pool	*route_index_nat_pool(struct route_index *, const struct ir_site *,
			    const struct ir_nat *n);

#endif /* LYNCC_COMPILER_ROUTE_INDEX_H */
