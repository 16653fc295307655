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

#endif /* LYNCC_COMPILER_FLOWS_H */
