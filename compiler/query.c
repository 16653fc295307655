/*
 * query.c - `lyncc query` (not implemented yet).
 */
#include "cli.h"
#include "lyncc.h"

#include <stdio.h>

int
cli_query(const struct cli_opts *o)
{
	(void)o;
	fputs("lyncc: 'query' is not implemented yet\n", stderr);
	return LYNCC_EXIT_USAGE;
}
