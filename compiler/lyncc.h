/*
 * lyncc.h - the library: the one header the command line (cli/), the tests
 * and the fuzzer include.  It brings in the public parts of the library:
 * arenas and string buffers, diagnostics, the IR, the backends, the checks
 * and the renderers.  Nothing under compiler/ or backends/ calls into cli/.
 */
#ifndef LYNCC_COMPILER_LYNCC_H
#define LYNCC_COMPILER_LYNCC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "backend.h"
#include "check.h"
#include "diag.h"
#include "expand.h"
#include "flows.h"
#include "ir.h"
#include "ir_json.h"
#include "lb_common.h"
#include "strbuf.h"

/* The version comes from project(lyncc VERSION ...) in CMakeLists.txt. */
#ifndef LYNCC_VERSION
#error "LYNCC_VERSION is defined by the build (CMakeLists.txt project VERSION)"
#endif
#define LYNCC_STDLIB_VERSION	"2026.11"
/* Where a SARIF log sends its reader (informationUri, and each check's
 * helpUri, its section of docs/checks.md): by default the documentation
 * installed with the binary, LYNCC_DOCDIR (README.md, docs/ with checks.md ...), as file
 * URIs; a build for a published project sets LYNCC_HOMEPAGE_URL and
 * LYNCC_DOCS_URL (cmake -DLYNCC_HOMEPAGE_URL=https://...; CMakeLists.txt). */
#ifndef LYNCC_DOCDIR
#define LYNCC_DOCDIR		"/usr/local/share/doc/lyncc"
#endif
/* DOCDIR relative to the binary's directory (BINDIR) */
#ifndef LYNCC_BIN_TO_DOCDIR
#define LYNCC_BIN_TO_DOCDIR	"../share/doc/lyncc"
#endif

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
	bool			 local_flows;	/* set before loading: expand the
						 * flows inside one zone too
						 * (ir_site.local_flows) */
	bool			 expanded;	/* the IR can be checked: no errors,
						 * or only misspelt references */
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
 * Returns 0 if there were no errors.  Checks are separate: lyncc_check()
 * runs when u->expanded, also after errors that were only misspelt
 * references. */
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
/* Can target write each of devs (ndevs of them)?  Runs the site's checks
 * once, then the target's site-level and device checks, and sets ok[i].
 * The diagnostics that concern devs[i] are reported as they are or, with
 * optional (-t all: a target that cannot serve a device is skipped), a
 * failing device's as warnings "'DEV' skipped for target T: ...".
 * Returns 0 if every device passed, -1 otherwise (or unknown target). */
int			 lyncc_target_serves(struct lyncc_unit *, const char *target,
			    const struct ir_device *const *devs, size_t ndevs, bool *ok,
			    bool optional);
/* Read the site file at path ("-": standard input; NULL: only the stdlib)
 * and load it as lyncc_load() does.  LYNCC_EXIT_OK; LYNCC_EXIT_INPUT (the
 * errors are queued on u->dc); LYNCC_EXIT_USAGE if it cannot be read (*err:
 * "PATH: reason"). */
int			 lyncc_load_file(struct lyncc_unit *, const char *path,
			    const char **err);

enum lyncc_diag_format { LYNCC_DIAG_TEXT, LYNCC_DIAG_JSON, LYNCC_DIAG_SARIF };
/* "text" (or NULL), "json", "sarif"; -1 if unknown. */
int			 lyncc_diag_format_parse(const char *,
			    enum lyncc_diag_format *);
/* Render diagnostics (a unit's u->dc) into b; color: ANSI colours in the
 * text format (error red, warning magenta, note cyan, as gcc does). */
/* docdir: where the documentation is installed (the SARIF URIs; NULL:
 * LYNCC_DOCDIR). */
void			 lyncc_render_diags(const struct diag_ctx *,
			    enum lyncc_diag_format, bool color, const char *docdir,
			    struct strbuf *);

/* The SARIF rules: every check of check_table, then LYNC-SYNTAX (errors in
 * the language: syntax, unknown names; the ruleId of a diagnostic without
 * a check ID).  Each helpUri is the check's section of docs/checks.md (a
 * GitHub-style heading anchor): file://DOCDIR/docs/checks.md#... with the
 * docdir given (NULL: LYNCC_DOCDIR), or LYNCC_DOCS_URL "checks.md#..." when
 * the build sets LYNCC_HOMEPAGE_URL. */
const struct diag_tool	*lyncc_sarif_tool(struct arena *, const char *docdir);

/* One generated file: path (NULL or "-": standard output) and its bytes. */
struct lyncc_output {
	const char	*path;
	const char	*data;
	size_t		 len;
};
/* Write every output of a run, all or nothing (output.c): each regular
 * file through a temporary file in its directory, all renamed only when
 * all were written; stdout, character devices and FIFOs in place, after
 * that.  Refuses a block device, a directory and a file u read (u may be
 * NULL).  0; or -1 with *failed the output's index and *why the reason of
 * a refusal, or *why NULL and errno set. */
int			 lyncc_write_outputs(const struct lyncc_unit *u,
			    const struct lyncc_output *, size_t n, size_t *failed,
			    const char **why);
/*
 * The same, for outputs generated one after the other (lyncc compile):
 *   lyncc_outs_new     checks every destination as lyncc_write_outputs
 *                      does; NULL on a refusal (*failed, *why);
 *   lyncc_outs_open    output i begins: b (a strbuf, empty or not) streams
 *                      into its temporary file from now on; in place
 *                      (stdout, ...) b keeps everything; 0, or -1 and errno;
 *   lyncc_outs_close   output i is complete: the rest of b written, the file
 *                      synced and closed, b freed (a write error while b
 *                      streamed is reported here); in place, b's text is what
 *                      the commit writes, so b must live until then; 0, or -1
 *                      and errno;
 *   lyncc_outs_commit  every output closed: the renames, then the in-place
 *                      writes; 0, or -1 with *failed and errno;
 *   lyncc_outs_free    removes every temporary file not renamed.
 * Nothing appears under an output's name before the commit.
 */
struct lyncc_outs;
struct lyncc_outs	*lyncc_outs_new(const struct lyncc_unit *u,
			    const char *const *paths, size_t n, size_t *failed,
			    const char **why);
int			 lyncc_outs_open(struct lyncc_outs *, size_t i,
			    struct strbuf *);
int			 lyncc_outs_close(struct lyncc_outs *, size_t i,
			    struct strbuf *);
int			 lyncc_outs_commit(struct lyncc_outs *, size_t *failed);
void			 lyncc_outs_free(struct lyncc_outs *);
/* One file, as lyncc_write_outputs(NULL, ...); a refusal sets EINVAL. */
int			 lyncc_write_file(const char *path, const char *data,
			    size_t len);

#endif /* LYNCC_COMPILER_LYNCC_H */
