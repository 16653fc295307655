/*
 * fw_common.h - what the firewall backends (asa.c, srx.c) share.
 *
 * Both targets turn the flows that cross one firewall into named address
 * groups, named services and one rule per flow.  This file holds the parts
 * that do not depend on the vendor:
 *
 *   fw_names      a namespace of config object names: a wanted name is
 *                 sanitized to the target's character set and length, and
 *                 made unique with a "-2", "-3", ... suffix, in call order
 *                 (so the result is deterministic);
 *   fw_text       free text (descriptions, citations) as one line of
 *                 printable ASCII, cut to a length;
 *   fw_addrname   the object name of one address ("h-203.0.113.10",
 *                 "n-10.10.0.0_16", "h-2001_db8__1");
 *   fw_svcname    the name of a port set ("tcp-443", "udp-50000-59999");
 *   fw_check      the checks both targets make before emitting.
 *
 * Everything is allocated in the arena given.
 */
#ifndef LYNCC_BACKENDS_FW_COMMON_H
#define LYNCC_BACKENDS_FW_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "ir.h"

struct arena;

struct fw_name {
	const char	*name;		/* the unique, sanitized name */
	const void	*key;		/* what it names (compared by the caller) */
};

struct fw_names {
	struct arena	*a;
	size_t		 maxlen;	/* longest name the target accepts */
	const char	*extra;		/* punctuation allowed besides [A-Za-z0-9] */
	struct fw_name	*v;
	size_t		 n, cap;
};

void		 fw_names_init(struct fw_names *, struct arena *, size_t maxlen,
		    const char *extra);
/* A unique name for want (characters outside the set become '_'). */
const char	*fw_names_add(struct fw_names *, const char *want, const void *key);
bool		 fw_names_used(const struct fw_names *, const char *);

/* One line of printable ASCII; characters in drop and control characters
 * become '_'; runs of blanks are squeezed; at most max bytes. */
char		*fw_text(struct arena *, const char *, const char *drop, size_t max);

char		*fw_addrname(struct arena *, const struct ir_addr *);
char		*fw_svcname(struct arena *, unsigned proto, uint16_t lo, uint16_t hi);

/* The objects a firewall config names: one per address, one group per
 * endpoint (label and address set), one per port set. */
struct fw_grp {
	const char		*label;
	const struct ir_addrset	*set;
	const char		*name;
};

struct fw_svc {
	unsigned		 proto;		/* PROTO_* */
	uint16_t		 lo, hi;
	const char		*name;
};

struct fw_model {
	struct arena		*a;
	struct fw_names		 names;
	struct ir_addrset	 addrs;		/* sorted */
	const char		**addrnames;	/* parallel to addrs.v */
	struct fw_grp		*grps;		/* in the order flows use them */
	size_t			 ngrps, capgrps;
};

/* Name every address of the device's flows (and NAT real addresses with
 * nat_reals), in address order, then every endpoint group in flow order. */
void		 fw_model_init(struct fw_model *, struct arena *,
		    const struct ir_device *, bool nat_reals, size_t maxlen,
		    const char *namechars);
const char	*fw_model_addr(const struct fw_model *, const struct ir_addr *);
/* The group of a non-any endpoint (NULL for any). */
const char	*fw_model_group(const struct fw_model *, const struct ir_endpoint *);

/* Port sets: add once, then sort and name them (after the addresses). */
void		 fw_svc_add(struct arena *, struct fw_svc **, size_t *n, size_t *cap,
		    unsigned proto, uint16_t lo, uint16_t hi);
struct fw_svc	*fw_svc_find(struct fw_svc *, size_t n, unsigned proto, uint16_t lo,
		    uint16_t hi);
void		 fw_svc_name(struct fw_model *, struct fw_svc *, size_t n);

/* The families (bit 4 -> 1, bit 6 -> 2) of the addresses in a set. */
unsigned	 fw_families(const struct ir_addrset *);

/* Reject what no firewall config can express: a flow with an empty
 * endpoint, an any->any flow, a bad port range, an interface name outside
 * [A-Za-z][A-Za-z0-9/._:-]*.  Returns 0 or -1.  With a NULL diag_ctx
 * (the emitters' guard) it only says whether the device would fail. */
int		 fw_check(const struct ir_site *, const struct ir_device *,
		    struct diag_ctx *, const char *target);

/* The pool a NAT entry belongs to, and the zones on the firewall's two
 * sides for it (real: towards the pool; mapped: towards the outside). */
const struct ir_pool *fw_nat_pool(const struct ir_site *, const struct ir_nat *);
int		 fw_nat_zones(const struct ir_site *, const struct ir_device *,
		    const struct ir_nat *, const struct ir_zone **real,
		    const struct ir_zone **mapped);

/* The decide hooks (backend.h): whether a set holds an address; the
 * static NAT of dev whose public address is dst for a packet entering by
 * zone in (the mapped side), or NULL. */
bool		 fw_set_has(const struct ir_addrset *, const struct ir_addr *);
const struct ir_nat *fw_nat_of_pub(const struct ir_site *, const struct ir_device *,
		    const struct ir_zone *in, const struct ir_addr *dst);
/* Whether the flow's protocol and destination ports hold the packet's. */
struct fw_packet;
bool		 fw_ports_hold(const struct ir_flow *, const struct fw_packet *);

#endif /* LYNCC_BACKENDS_FW_COMMON_H */
