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

/* The version comes from project(lyncc VERSION ...) in CMakeLists.txt. */
#ifndef LYNCC_VERSION
#error "LYNCC_VERSION is defined by the build (CMakeLists.txt project VERSION)"
#endif
#define LYNCC_STDLIB_VERSION	"2026.11"

enum {
	LYNCC_EXIT_OK = 0,
	LYNCC_EXIT_INPUT = 1,	/* errors in the input; nothing written */
	LYNCC_EXIT_USAGE = 2,	/* usage or I/O error */
};

struct ast_list;

/* The embedded stdlib parsed and resolved once (stdlib_cache.c), shared
 * by units: its features, flows, LB services and rules. */
struct lyncc_stdlib {
	struct arena		*arena;
	struct diag_ctx		 dc;
	struct ir_site		*site;		/* the stdlib's declarations only */
};

struct lyncc_unit {
	struct arena		*arena;
	struct diag_ctx		 dc;
	struct ir_site		*site;
	const char		*stdlib_dir;	/* NULL: embedded */
	const struct lyncc_stdlib *stdlib;	/* non-NULL: parsed already */
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
/* Parse and resolve the embedded stdlib once (NULL if it has errors), for
 * units' `stdlib`; free it after the last unit that uses it.  apply copies
 * its declarations into a unit's site (features by value: a site turns
 * them on; the rest by pointer: nothing after the stdlib changes them). */
struct lyncc_stdlib	*lyncc_stdlib_parse(void);
void			 lyncc_stdlib_apply(const struct lyncc_stdlib *, struct arena *,
			    struct ir_site *);
void			 lyncc_stdlib_free(struct lyncc_stdlib *);
/* Run the checker (check.c); target may be NULL. */
int			 lyncc_check(struct lyncc_unit *, const char *target);
/* The whole CLI; out and err receive what would go to stdout/stderr. */
int			 lyncc_main(int argc, char **argv);

#endif /* LYNCC_COMPILER_LYNCC_H */
