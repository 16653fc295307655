/*
 * flows.h - `lyncc flows` rendering.
 */
#ifndef LYNCC_COMPILER_FLOWS_H
#define LYNCC_COMPILER_FLOWS_H

#include <stdbool.h>

#include "ir.h"

struct strbuf;

/* fmt: table, csv, json, md.  Returns -1 on an unknown format. */
int	flows_render(struct arena *, const struct ir_site *, bool all, const char *fmt,
	    struct strbuf *);
/* the stdlib's LB service definitions as CSV */
void	lbdefs_render(struct arena *, const struct ir_site *, struct strbuf *);

/* `lyncc explain ID` of a stdlib flow, lbservice or rule: its endpoints,
 * ports, conditions, note and every citation with its document's title and
 * address.  -1 when the stdlib defines no such ID. */
int	def_explain(struct arena *, const struct ir_site *, const char *id,
	    struct strbuf *);
void	rule_explain(struct arena *, const struct ir_rule *, struct strbuf *);
/* the stdlib's flow, lbservice and rule IDs, in that order */
size_t	def_ids(struct arena *, const struct ir_site *, const char ***);

#endif /* LYNCC_COMPILER_FLOWS_H */
