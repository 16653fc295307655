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

#endif /* LYNCC_COMPILER_FLOWS_H */
