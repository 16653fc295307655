/*
 * check.h - the documented deployment rules, as named checks.
 *
 * Every check has a stable ID: LYNC-Ennn for errors, LYNC-Wnnn for
 * warnings (-Werror promotes them).  docs/checks.md lists them all;
 * `lyncc explain ID` prints one.
 */
#ifndef LYNCC_COMPILER_CHECK_H
#define LYNCC_COMPILER_CHECK_H

#include "ir.h"

struct lyncc_backend;

struct check_info {
	const char	*id;		/* LYNC-E012 */
	const char	*title;		/* one line */
	const char	*rule;		/* stdlib rule ID it enforces, or NULL */
	const char	*explain;	/* rationale, several sentences, and source */
	const char	*cite;		/* citation when the stdlib has no such rule */
};

/* Run every check on a resolved, expanded site.  target may be NULL. */
void				 check_site(struct ir_site *, struct diag_ctx *,
				    const struct lyncc_backend *target);
/* Only the checks of one target (for a second or later target of one site:
 * check_site already ran the site's own checks). */
void				 check_site_target(struct ir_site *, struct diag_ctx *,
				    const struct lyncc_backend *target);
const struct check_info		*check_find(const char *id);
extern const struct check_info	 check_table[];

#endif /* LYNCC_COMPILER_CHECK_H */
