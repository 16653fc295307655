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
	/* includes: the site file's directory tree, then these (-I) */
	const char *const	*include_dirs;
	size_t			 ninclude_dirs;
	/* the site file as read (its identity seeds the include cycle check) */
	const struct source	*input;
	/* every file read for the site, for "-o names an input" */
	const struct source	**loaded;
	size_t			 nloaded;
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
/* The whole CLI; out and err receive what would go to stdout/stderr. */
int			 lyncc_main(int argc, char **argv);

#endif /* LYNCC_COMPILER_LYNCC_H */
