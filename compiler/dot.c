/*
 * dot.c - `lyncc dot` (not implemented yet).
 */
#include "cli.h"
#include "lyncc.h"

#include <stdio.h>

int
cli_dot(const struct cli_opts *o)
{
	(void)o;
	fputs("lyncc: 'dot' is not implemented yet\n", stderr);
	return LYNCC_EXIT_USAGE;
}
