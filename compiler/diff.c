/*
 * diff.c - `lyncc diff` (not implemented yet).
 */
#include "cli.h"
#include "lyncc.h"

#include <stdio.h>

int
cli_diff(const struct cli_opts *o)
{
	(void)o;
	fputs("lyncc: 'diff' is not implemented yet\n", stderr);
	return LYNCC_EXIT_USAGE;
}
