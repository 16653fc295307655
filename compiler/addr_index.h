/*
 * addr_index.h - hash sets of addresses (equal as addr_cmp says: family,
 * bits, prefix length), for the membership tests that would otherwise scan
 * an array once per element.
 *
 *   addr_index     a set of (owner, address) pairs; owner is any pointer
 *                  (NULL for a plain set), so one index serves many sets
 *   addrset_index  membership in ir_addrsets: it catches up with whatever
 *                  was appended to a set since it last looked; a set must
 *                  only grow (by appends) while it is indexed
 */
#ifndef LYNCC_COMPILER_ADDR_INDEX_H
#define LYNCC_COMPILER_ADDR_INDEX_H

#include <stdbool.h>

#include "hmap.h"
#include "ir.h"

struct addr_index {
	struct hmap	m;
};

void	addr_index_init(struct addr_index *, struct arena *);
/* true if (owner, a) was not in the index (and is now) */
bool	addr_index_add(struct addr_index *, const void *owner, const struct ir_addr *);
bool	addr_index_has(const struct addr_index *, const void *owner, const struct ir_addr *);
/* the value of (owner, a), or NULL after inserting (owner, a) -> val */
void	*addr_index_put(struct addr_index *, const void *owner, const struct ir_addr *,
	    void *val);

struct addrset_index {
	struct addr_index	 x;
	struct hmap		 synced;	/* set -> size_t: how many indexed */
};

void	addrset_index_init(struct addrset_index *, struct arena *);
/* addrset_has and addrset_add, in constant time */
bool	addrset_index_has(struct addrset_index *, const struct ir_addrset *,
	    const struct ir_addr *);
void	addrset_index_add(struct arena *, struct addrset_index *, struct ir_addrset *,
	    const struct ir_addr *);

/* The large case of addrset_union: s := s + o, keeping s's order and
 * appending what o adds, in O(|s| + |o|). */
void	addrset_union_indexed(struct arena *, struct ir_addrset *, const struct ir_addrset *);

#endif /* LYNCC_COMPILER_ADDR_INDEX_H */
