/*
 * resolve.h - from parse trees to the IR.
 */
#ifndef LYNCC_COMPILER_RESOLVE_H
#define LYNCC_COMPILER_RESOLVE_H

#include "ast.h"
#include "hmap.h"
#include "ir.h"

struct resolve_ctx {
	struct arena		*arena;
	struct diag_ctx		*dc;
	struct ir_site		*site;
	bool			 in_stdlib;
	const char *const	*search;	/* include search path */
	size_t			 nsearch;
	unsigned		 include_depth;
	const struct source	*include_stack[16];
	bool			 saw_site;
	/* the IDs of flowdefs, lbdefs and rules, and how many of each are in */
	struct hmap		 defids;
	size_t			 defids_n[3];
};

/* Declarations of the stdlib (feature, flow, lbservice, rule) and of the
 * site; may be called once per file.  Includes are followed. */
void	resolve_file(struct resolve_ctx *, const struct ast_list *);
/* pass 0: `feature` declarations only; pass 1: everything else */
void	resolve_file_pass(struct resolve_ctx *, const struct ast_list *, int pass);
/* After every file: defaults, address allocation, cross references. */
void	resolve_finish(struct resolve_ctx *);
/* Parse one source into a statement list (diagnostics on error). */
int	resolve_parse(struct resolve_ctx *, const struct source *, struct ast_list *);

#endif /* LYNCC_COMPILER_RESOLVE_H */
