/*
 * fw_common.h - what the firewall backends (asa.c, srx.c) share.
 *
 * Both targets turn the flows that cross one firewall into named address
 * groups, named services and one rule per documented flow.  This file
 * holds the parts that do not depend on the vendor:
 *
 *   fw_hash       an index (open addressing) built once, so that every
 *                 lookup below is O(1): names, groups, ACE texts;
 *   fw_names      a namespace of config object names: a wanted name is
 *                 given the target's prefix ("lync-"), sanitized to its
 *                 character set and length, and made unique with a "-2",
 *                 "-3", ... suffix, in call order (deterministic);
 *   fw_text       free text (descriptions, citations) as one line of
 *                 printable ASCII, cut to a length;
 *   fw_addrname   the object name of one address ("h-203.0.113.10",
 *                 "n-10.10.0.0_16", "h-2001_db8__1"), before the prefix;
 *   fw_svcname    the name of a port set ("tcp-443", "udp-50000-59999");
 *   fw_model      the rules of one firewall: the device's flows merged
 *                 across pools (one rule per documented flow, zone pair
 *                 and endpoint roles, whatever the number of pools), their
 *                 endpoint groups and addresses;
 *   fw_check      the checks both targets make before emitting.
 *
 * Every generated name starts with the prefix, so no site name (a pool
 * called "any", "global", "interface", ...) can read as a vendor keyword.
 * Everything is allocated in the arena given.
 */
#ifndef LYNCC_BACKENDS_FW_COMMON_H
#define LYNCC_BACKENDS_FW_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir.h"

struct arena;

#define FW_PREFIX	"lync-"

/* ---- index ---------------------------------------------------------------- */

struct fw_hslot {
	uint64_t	 h;
	void		*item;		/* NULL: empty */
};

struct fw_hash {
	struct arena	*a;
	struct fw_hslot	*v;
	size_t		 cap, n;
};

uint64_t	 fw_hash_bytes(uint64_t h, const void *, size_t);
uint64_t	 fw_hash_str(const char *);
/* The first item with hash h for which eq(item, key) holds, or NULL. */
void		*fw_hash_find(const struct fw_hash *, uint64_t h,
		    bool (*eq)(const void *item, const void *key), const void *key);
void		 fw_hash_put(struct fw_hash *, uint64_t h, void *item);

/* arena_printf through sb_printf's formatter (the same bytes, without
 * vsnprintf for the common conversions): the backends build millions of
 * names and lines with it (issue 14). */
char		*fw_printf(struct arena *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));

/* ---- names ------------------------------------------------------------------ */

struct fw_name {
	const char	*name;		/* the unique, sanitized name */
	const void	*key;		/* what it names */
	unsigned	 next;		/* next suffix to try for this base */
};

struct fw_names {
	struct arena	*a;
	size_t		 maxlen;	/* longest name the target accepts */
	const char	*extra;		/* punctuation allowed besides [A-Za-z0-9] */
	const char	*prefix;	/* put before every name */
	struct fw_hash	 idx;		/* name -> struct fw_name */
};

void		 fw_names_init(struct fw_names *, struct arena *, size_t maxlen,
		    const char *extra, const char *prefix);
/* A unique name for prefix + want (characters outside the set become '_'). */
const char	*fw_names_add(struct fw_names *, const char *want, const void *key);
bool		 fw_names_used(const struct fw_names *, const char *);

/* One line of printable ASCII; characters in drop and control characters
 * become '_'; runs of blanks are squeezed; at most max bytes. */
char		*fw_text(struct arena *, const char *, const char *drop, size_t max);

char		*fw_addrname(struct arena *, const struct ir_addr *);
/* "tcp-443", "udp-50000-59999", "tcp-443-from-50000-59999" */
char		*fw_svcname(struct arena *, unsigned proto, uint16_t lo, uint16_t hi,
		    uint16_t slo, uint16_t shi);

/* ---- the objects of one config -------------------------------------------- */

/* A named address group: the addresses of one endpoint of a rule. */
struct fw_grp {
	const char		*label;
	const struct ir_addrset	*set;		/* sorted, unique */
	const char		*name;
	uint64_t		 h;
};

/* One side of a rule: any, or a group. */
struct fw_end {
	bool			 any;
	enum ir_role		 role;
	const char		*label;		/* "edge01.access", "edge.access" */
	struct ir_addrset	 set;		/* sorted, unique; empty for any */
	const struct fw_grp	*grp;		/* NULL for any */
};

/* One rule: the flows of one documented flow (stdlib definition) through
 * one zone pair, merged across pools where the result permits exactly
 * the union of the flows. */
struct fw_rule {
	const struct ir_flow	*flow;		/* the first: id, def, proto, ports */
	const struct ir_zone	*from, *to;
	struct fw_end		 src, dst;
	size_t			 nflows;
};

struct fw_svc {
	unsigned		 proto;		/* PROTO_* */
	uint16_t		 lo, hi;
	uint16_t		 slo, shi;	/* source ports; 0-0: any */
	const char		*name;
};

struct fw_model {
	struct arena		*a;
	const struct ir_device	*dev;
	struct fw_names		 names;
	struct ir_addrset	 addrs;		/* sorted */
	const char		**addrnames;	/* parallel to addrs.v */
	struct fw_rule		*rules;		/* in the order of their first flow */
	size_t			 nrules, caprules;
	struct fw_grp		**grps;		/* in the order rules use them */
	size_t			 ngrps, capgrps;
	struct fw_hash		 grpidx;
	bool			 tag_groups;	/* group names end in a tag of their members */
};

/* Merge the device's flows into rules, name every address of them (plus
 * NAT real addresses with nat_reals, and the addresses of extra, which
 * may be NULL) in address order, then every endpoint group in
 * rule order.  Addresses and groups get the prefix in their names; with
 * FW_TAG_GROUPS a group's name ends in a tag of its members, so a group
 * whose members change gets a new name; FW_PER_FLOW keeps one rule per
 * flow (no merging across pools). */
#define FW_TAG_GROUPS	1u	/* group names end in a tag of their members */
#define FW_PER_FLOW	2u	/* no merging: one rule per flow, in flow order */
void		 fw_model_init(struct fw_model *, struct arena *,
		    const struct ir_device *, bool nat_reals,
		    const struct ir_addrset *extra, unsigned flags, size_t maxlen,
		    const char *namechars, const char *prefix);
const char	*fw_model_addr(const struct fw_model *, const struct ir_addr *);
/* The group of a flow endpoint (NULL for any): its label and addresses. */
const char	*fw_model_epgroup(struct fw_model *, const struct ir_endpoint *);
/* The group of a set of addresses (added, and named after label, if new). */
const struct fw_grp *fw_model_group(struct fw_model *, const char *label,
		    const struct ir_addrset *);

/* Port sets: add once (indexed), then sort and name them (after the
 * addresses). */
struct fw_svcs {
	struct fw_svc		*v;
	size_t			 n, cap;
	struct fw_hash		 idx;
};
void		 fw_svc_add(struct arena *, struct fw_svcs *, unsigned proto,
		    uint16_t lo, uint16_t hi, uint16_t slo, uint16_t shi);
struct fw_svc	*fw_svc_find(const struct fw_svcs *, unsigned proto, uint16_t lo,
		    uint16_t hi, uint16_t slo, uint16_t shi);
/* The same for a flow's protocol and ports. */
struct fw_svc	*fw_svc_of(const struct fw_svcs *, const struct ir_flow *);
void		 fw_svc_name(struct fw_model *, struct fw_svcs *);

/* The families (bit 4 -> 1, bit 6 -> 2) of the addresses in a set. */
unsigned	 fw_families(const struct ir_addrset *);

/* A set of strings (ACE texts): true if s was added before. */
bool		 fw_seen(struct fw_hash *, const char *s);

/* FNV-1a of a text as 8 hex digits: the version tag of a config part. */
const char	*fw_tag(struct arena *, const char *text, size_t len);

/* Reject what no firewall config can express: a flow with an empty
 * endpoint, an any->any flow, a bad port range, an interface name outside
 * [A-Za-z][A-Za-z0-9/._:-]*, a zone named like a keyword of either
 * vendor.  Returns 0 or -1.  With a NULL diag_ctx (the emitters' guard)
 * it only says whether the device would fail. */
int		 fw_check(const struct ir_site *, const struct ir_device *,
		    struct diag_ctx *, const char *target);

/* The device's first leg in each zone, + 1 (0: no leg there), by zone
 * index: a leg's zone found once, not by a scan of the legs. */
size_t		*fw_legs_by_zone(struct arena *, const struct ir_site *,
		    const struct ir_device *);

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
/* Whether a port set (protocol, destination ports, source ports when it
 * has some) holds the packet's; the same for a flow's own. */
struct fw_packet;
bool		 fw_svc_holds(const struct fw_svc *, const struct fw_packet *);
bool		 fw_flow_ports_hold(const struct ir_flow *, const struct fw_packet *);

#endif /* LYNCC_BACKENDS_FW_COMMON_H */
