/*
 * check.c - the documented deployment rules as checks.
 *
 * Each check has a stable ID, a severity, a message at the offending
 * object, a fix hint and the citation of the rule it enforces.
 */
#include "check.h"
#include "backend.h"

#include <string.h>

const struct check_info check_table[] = {
	{ NULL, NULL, NULL, NULL },
};

const struct check_info *
check_find(const char *id)
{
	size_t i;

	for (i = 0; check_table[i].id; i++)
		if (strcmp(check_table[i].id, id) == 0)
			return &check_table[i];
	return NULL;
}

void
check_site(struct ir_site *site, struct diag_ctx *dc, const struct lyncc_backend *target)
{
	(void)site;
	(void)dc;
	(void)target;
}
