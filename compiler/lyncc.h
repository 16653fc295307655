/*
 * lyncc.h - the library entry points shared by the CLI, the tests and the
 * fuzzer.
 */
#ifndef LYNCC_COMPILER_LYNCC_H
#define LYNCC_COMPILER_LYNCC_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "ir.h"

#define LYNCC_VERSION		"0.1.0"
#define LYNCC_STDLIB_VERSION	"2026.11"

enum {
	LYNCC_EXIT_OK = 0,
	LYNCC_EXIT_INPUT = 1,	/* errors in the input; nothing written */
	LYNCC_EXIT_USAGE = 2,	/* usage or I/O error */
};

struct lyncc_unit {
	struct arena		*arena;
	struct diag_ctx		 dc;
	struct ir_site		*site;
	const char		*stdlib_dir;	/* NULL: embedded */
	bool			 checked;	/* check_site() ran */
};

/* Embedded stdlib (generated at build time from stdlib/ *.lync). */
struct lyncc_embedded {
	const char	*name;
	const char	*text;
	size_t		 len;
};
extern const struct lyncc_embedded lyncc_stdlib_files[];
extern const size_t lyncc_stdlib_nfiles;

struct lyncc_unit	*lyncc_unit_new(void);
void			 lyncc_unit_free(struct lyncc_unit *);
/* Load the stdlib and, if text is non-NULL, the site; resolve, expand.
 * Returns 0 if there were no errors.  Checks are separate. */
int			 lyncc_load(struct lyncc_unit *, const char *name,
			    const char *path, const char *text, size_t len);
/* Run the checker (check.c); target may be NULL. */
int			 lyncc_check(struct lyncc_unit *, const char *target);
/* Can target write each of devs (ndevs of them)?  Runs the site's checks
 * once, then the target's site-level and device checks, and sets ok[i].
 * The diagnostics that concern devs[i] are reported as they are or, with
 * optional (-t all: a target that cannot serve a device is skipped), a
 * failing device's as warnings "'DEV' skipped for target T: ...".
 * Returns 0 if every device passed, -1 otherwise (or unknown target). */
int			 lyncc_target_serves(struct lyncc_unit *, const char *target,
			    const struct ir_device *const *devs, size_t ndevs, bool *ok,
			    bool optional);
/* The whole CLI; out and err receive what would go to stdout/stderr. */
int			 lyncc_main(int argc, char **argv);

#endif /* LYNCC_COMPILER_LYNCC_H */
