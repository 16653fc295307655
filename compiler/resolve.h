/*
 * resolve.h - from parse trees to the IR.
 */
#ifndef LYNCC_COMPILER_RESOLVE_H
#define LYNCC_COMPILER_RESOLVE_H

#include "addr_index.h"
#include "ast.h"
#include "hmap.h"
#include "ir.h"

struct resolve_ctx {
	struct arena		*arena;		/* the IR's */
	/* what is needed only until resolve_finish() returns, freed there:
	 * the parse trees (the words' text is in arena), the pending
	 * references, the indexes of names and addresses */
	struct arena		*scratch;
	struct diag_ctx		*dc;
	struct ir_site		*site;
	bool			 in_stdlib;
	const char *const	*search;	/* include search path (-I) */
	size_t			 nsearch;
	const char		*root;		/* the site file's directory, real path */
	unsigned		 include_depth;
	const struct source	**include_stack;	/* the chain being read */
	size_t			 capinclude;
	const struct source	**loaded;	/* every site file read, once each */
	size_t			 nloaded, caploaded;
	struct hmap		 loaded_ids;	/* (dev, ino) -> the first of loaded */
	bool			 loaded_ids_on;	/* loaded_ids initialised */
	bool			 saw_site;
	/* misspelt references (each reported once): a site whose only errors
	 * are these is still expanded and checked, as far as it does not
	 * depend on them */
	unsigned		 npoisoned;
	const char		**names;	/* declared names (name_free) */
	size_t			 nnames, capnames;
	/* the IDs of flowdefs, lbdefs and rules, and how many of each are in */
	struct hmap		 defids;
	size_t			 defids_n[3];
	/* duplicate checks of address statements (party, pool addresses) */
	struct addrset_index	 setaddrs;
	/* address allocation: every pool host address taken (built at the
	 * first allocation, then kept up to date) as a bitmap per 256
	 * addresses (resolve_alloc.c), the last one looked up, and per block
	 * the host number below which every address is taken */
	struct hmap		 taken;
	struct host_chunk	*taken_last;
	bool			 taken_built;
	struct hmap		 alloc_next;
	/* the references resolve_finish() resolves (resolve_impl.h) */
	struct resolve_refs	*refs;
};

/* Declarations of the stdlib (feature, flow, lbservice, rule) and of the
 * site; may be called once per file.  Includes are followed. */
void	resolve_file(struct resolve_ctx *, const struct ast_list *);
/* Resolve a site file (or an include) read from src: records it for the
 * include cycle and include-once checks. */
void	resolve_site(struct resolve_ctx *, const struct source *,
	    const struct ast_list *);
/* Deepest include chain (docs/language.md, "Limits"). */
#define INCLUDE_MAX_DEPTH	64
/* pass 0: `feature` declarations only; pass 1: everything else */
void	resolve_file_pass(struct resolve_ctx *, const struct ast_list *, int pass);
/* After every file: defaults, address allocation, cross references. */
void	resolve_finish(struct resolve_ctx *);
/* Parse one source into a statement list (diagnostics on error); the
 * list lives until resolve_finish(). */
int	resolve_parse(struct resolve_ctx *, const struct source *, struct ast_list *);
#endif /* LYNCC_COMPILER_RESOLVE_H */
