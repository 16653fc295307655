/*
 * resolve_impl.h - the resolver's private header: what its files share.
 *
 * Layers, each calling only those below it (tests/scripts/repo-layers.sh
 * checks it on the objects):
 *   resolve.c                  driver: top-level keywords, include, finish
 *   resolve_top.c, resolve_pool.c, resolve_party.c, resolve_device.c,
 *   resolve_stdlib.c           one statement family each (st_* below)
 *   resolve_refs.c, resolve_alloc.c
 *                              the phases of resolve_finish()
 *   resolve_words.c            dispatch, word readers, names, references
 * No statement family calls another, nor a finish phase; the two finish
 * phases do not call each other.
 */
#ifndef LYNCC_COMPILER_RESOLVE_IMPL_H
#define LYNCC_COMPILER_RESOLVE_IMPL_H

#include "resolve.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- resolve_words.c: the keyword tables and word readers ---------------- */

struct kw {
	const char	*name;
	void		(*fn)(struct resolve_ctx *, struct ast_stmt *, void *);
};

#define NO_LIMIT	((size_t)-1)	/* lists of addresses, pools, zones */

/* "unknown WHAT 'w'", with its "did you mean" from words[] (through idx,
 * an index of the same words, when the caller has one: diag_words) */
void		 unknown_word(struct resolve_ctx *, const struct ast_word *,
		    const char *what, const char *const *words, size_t n,
		    const char *choices, struct diag_words *idx);
bool		 kw_known(const struct kw *, const char *);
/* the handler of the statement's first word in the table, or an error */
void		 dispatch(struct resolve_ctx *, struct ast_stmt *, const struct kw *,
		    const char *ctxname, void *arg);
void		 dispatch_block(struct resolve_ctx *, struct ast_stmt *,
		    const struct kw *, const char *ctxname, void *arg);
/* The statement has min..max words (else an error, with usage). */
bool		 arity(struct resolve_ctx *, struct ast_stmt *, size_t min,
		    size_t max, const char *usage);
bool		 no_block(struct resolve_ctx *, struct ast_stmt *);
bool		 want_block(struct resolve_ctx *, struct ast_stmt *, const char *usage);
bool		 check_name(struct resolve_ctx *, const struct ast_word *, const char *what);
const char	*text_of(struct resolve_ctx *, const struct ast_word *);
bool		 word_uint(struct resolve_ctx *, const struct ast_word *,
		    unsigned long lo, unsigned long hi, const char *what,
		    unsigned long *out);
bool		 word_addr(struct resolve_ctx *, const struct ast_word *, bool prefix,
		    struct ir_addr *);
bool		 word_onoff(struct resolve_ctx *, const struct ast_word *, bool *out);
bool		 parse_ports(struct resolve_ctx *, const struct ast_word *, uint16_t *lo,
		     uint16_t *hi);	/* `N` or `LO-HI` */
/* index of the word in names[0..n), or -1 (reported) */
int		 word_enum(struct resolve_ctx *, const struct ast_word *,
		    const char *what, const char *const *names, size_t n);
/* the statement's words, as one location when they are on one line */
struct srcloc	 span(const struct ast_stmt *);

/* the word tables */
#define NPARTIES	9
extern const char *const party_names[NPARTIES];
extern const char *const svc_words[SVC__N];	/* "access", "webconf", "av" */
extern const char *const lb_words[3];		/* "none", "hlb", "dns" */
extern const char *const pool_kind_words[POOL__N];

/* ---- resolve_words.c: names ---------------------------------------------- */

/* The set of names name_free() let through; with add, insert the name. */
bool		 name_seen(struct resolve_ctx *, const char *, bool add);
/* The name is not a zone, pool, declared party or device yet (else an
 * error: one namespace for all four). */
bool		 name_free(struct resolve_ctx *, const struct ast_word *, const char *what);
/* The name of a declaration statement (word i of s), marked before the
 * statement is read: if the statement is rejected, the references to the
 * name say nothing more (one error per mistake). */
void		 name_declared(struct resolve_ctx *, const struct ast_stmt *, size_t i);
/* A name so marked whose declaration was rejected: no zone, pool, device
 * or declared party has it. */
bool		 name_rejected(struct resolve_ctx *, const char *);
/* "zone", "pool", "device", "party" (declared) or NULL */
const char	*name_kind(struct resolve_ctx *, const char *);
/* ".external" or ".internal" at the end of a name, or NULL */
const char	*side_suffix(const char *name);
/* the party of that name, created (covering any address) if new */
struct ir_party	*party_get(struct resolve_ctx *, const char *name);
/* addrset_has, through an index */
bool		 setaddrs_has(struct resolve_ctx *, const struct ir_addrset *,
		    const struct ir_addr *);

/* ---- resolve_words.c: references resolved by resolve_finish() ------------ */

struct zoneref {
	struct ir_zone	**slot;
	struct ast_word	 *w;
	/* a device leg: its slot is found at the end, the legs array may
	 * move while more legs are added (dev NULL: slot) */
	struct ir_device *dev;
	size_t		  iface;
};

struct poolref {
	struct ir_pool	**slot;
	struct ast_word	 *w;
	enum ir_pool_kind kind;
};

/* `interface ZONE IFNAME [level N];` names the device interface in a zone */
struct ifref {
	struct ir_device	*dev;
	struct ast_stmt		*s;
};

struct resolve_refs {
	struct zoneref	*zrefs;		size_t nzrefs, capzrefs;
	struct poolref	*prefs;		size_t nprefs, capprefs;
	struct ifref	*ifrefs;	size_t nifrefs, capifrefs;
	/* Reference slots whose name was misspelt ("poisoned"): the error
	 * was reported once, at the word; what depends on the slot says
	 * nothing more (one error per mistake), and the rest of the site is
	 * still checked. */
	const void	**poisoned;	size_t npoisoned, cappoisoned;
};

/* rc->refs, allocated at the first use */
struct resolve_refs *resolve_refs(struct resolve_ctx *);
/* rc->scratch, created at the first use (freed by resolve_finish) */
struct arena	*resolve_scratch(struct resolve_ctx *);
/* zone references are resolved at the end, so order does not matter */
void		 zone_ref(struct resolve_ctx *, struct ast_word *, struct ir_zone **slot);
void		 poison(struct resolve_ctx *, const void *slot);
void		 poison_sort(struct resolve_ctx *);
/* after poison_sort(): a binary search */
bool		 is_poisoned(struct resolve_ctx *, const void *slot);

/* ---- the statement families (the handlers of the top-level keywords) ----- */

typedef void	 resolve_stmt_fn(struct resolve_ctx *, struct ast_stmt *, void *);

resolve_stmt_fn	 st_site, st_domain, st_narrow_any, st_features, st_zone;	/* resolve_top.c */
resolve_stmt_fn	 st_pool;		/* resolve_pool.c */
resolve_stmt_fn	 st_party;		/* resolve_party.c */
resolve_stmt_fn	 st_device;		/* resolve_device.c */
resolve_stmt_fn	 st_feature, st_flow, st_lbservice, st_rule;	/* resolve_stdlib.c */

/* ---- the phases of resolve_finish() -------------------------------------- */

/* resolve_refs.c, in this order */
void		 resolve_zone_refs(struct resolve_ctx *);
void		 resolve_ifaces(struct resolve_ctx *);
void		 resolve_served(struct resolve_ctx *);
void		 default_parties(struct resolve_ctx *);
/* resolve_alloc.c: per pool, after the references */
void		 pool_defaults(struct resolve_ctx *, struct ir_pool *);
void		 check_nodes_complete(struct resolve_ctx *, struct ir_pool *);

#endif /* LYNCC_COMPILER_RESOLVE_IMPL_H */
