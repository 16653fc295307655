/*
 * common.c - what the subcommands share: usage errors, loading a site,
 * reporting its diagnostics (--diagnostics-format, --diagnostics-output)
 * and writing outputs.  Below cli.c and the subcommand files, calling
 * neither (tests/scripts/repo-layers.sh).
 */
#define _XOPEN_SOURCE 700	/* realpath, readlink */
#include "cli.h"
#include "lyncc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "lyncc check" or "lyncc" (compile, the default) */
const char *
cli_prog_name(const struct cli_opts *o)
{
	static char buf[32];

	if (o->cmd == NULL || strcmp(o->cmd, "compile") == 0)
		return "lyncc";
	snprintf(buf, sizeof(buf), "lyncc %s", o->cmd);
	return buf;
}

int
cli_usage(const struct cli_opts *o, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog_name(o));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", cli_prog_name(o));
	return LYNCC_EXIT_USAGE;
}

/* The documentation installed with this binary: BINDIR/../share/doc/lyncc
 * (LYNCC_BIN_TO_DOCDIR) from the binary's real directory, when it holds
 * docs/checks.md; else NULL (the configured LYNCC_DOCDIR).  So a DESTDIR,
 * --prefix or .deb install links its SARIF logs to its own copy. */
static const char *
cli_docs_dir(void)
{
	static char *dir;
	static bool done;
	char exe[4096], *slash, *path, *real;
	struct stat st;
	ssize_t n;

	if (done)
		return dir;
	done = true;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	path = xmalloc(strlen(exe) + strlen(LYNCC_BIN_TO_DOCDIR) + 2);
	sprintf(path, "%s/%s", exe, LYNCC_BIN_TO_DOCDIR);
	real = realpath(path, NULL);
	free(path);
	if (real == NULL)
		return NULL;
	path = xmalloc(strlen(real) + sizeof("/docs/checks.md"));
	sprintf(path, "%s/docs/checks.md", real);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		dir = real;
	else
		free(real);
	free(path);
	return dir;
}

static bool report_failed;	/* --diagnostics-output could not be written */

/* The diagnostics of n units as one document, in --diagnostics-format, on
 * stderr or into --diagnostics-output. */
void
cli_report_units(struct lyncc_unit *const *us, size_t n, const struct cli_opts *o)
{
	struct strbuf b;
	struct diag_ctx all;
	size_t i, k = 0;

	memset(&all, 0, sizeof(all));
	for (i = 0; i < n; i++)
		all.n += us[i]->dc.n;
	all.v = xmalloc((all.n + 1) * sizeof(*all.v));
	for (i = 0; i < n; i++) {
		if (us[i]->dc.n)
			memcpy(&all.v[k], us[i]->dc.v, us[i]->dc.n * sizeof(*all.v));
		k += us[i]->dc.n;
		all.errors += us[i]->dc.errors;
		all.warnings += us[i]->dc.warnings;
		all.dropped_errors += us[i]->dc.dropped_errors;
		all.dropped_warnings += us[i]->dc.dropped_warnings;
		all.max_errors = us[i]->dc.max_errors;
	}
	sb_init(&b);
	lyncc_render_diags(&all, o->diag_fmt, o->color,
	    o->diag_fmt == LYNCC_DIAG_SARIF ? cli_docs_dir() : NULL, &b);
	if (o->diag_output != NULL) {
		if (cli_write(n ? us[0] : NULL, o->diag_output, b.s ? b.s : "", b.len) != 0)
			report_failed = true;
	} else if (b.len)
		fwrite(b.s, 1, b.len, stderr);
	sb_free(&b);
	free(all.v);
}

void
cli_report(struct lyncc_unit *u, const struct cli_opts *o)
{
	cli_report_units(&u, 1, o);
}

/* Write the outputs of a run, all or nothing (lyncc_write_outputs); say
 * why it failed on stderr. */
int
cli_write_all(const struct lyncc_unit *u, const struct lyncc_output *v, size_t n)
{
	size_t bad;
	const char *why;

	if (lyncc_write_outputs(u, v, n, &bad, &why) == 0)
		return 0;
	cli_write_error(v[bad].path, why, errno, n);
	return -1;
}

void
cli_write_error(const char *path, const char *why, int err, size_t n)
{
	if (why != NULL)
		fprintf(stderr, "lyncc: refusing to write '%s': %s\n", path, why);
	else
		fprintf(stderr, "lyncc: cannot write '%s': %s%s\n", path &&
		    strcmp(path, "-") ? path : "<stdout>", strerror(err),
		    n > 1 || (path && strcmp(path, "-")) ?
		    "; nothing was written" : "");
}

int
cli_write_outputs(const struct lyncc_output *v, size_t n)
{
	return cli_write_all(NULL, v, n);
}

int
cli_write(const struct lyncc_unit *u, const char *path, const char *data, size_t len)
{
	struct lyncc_output f;

	f.path = path;
	f.data = data ? data : "";
	f.len = len;
	return cli_write_all(u, &f, 1);
}

/* Load a site file (or only the stdlib with path NULL). */
struct lyncc_unit *
cli_load(const struct cli_opts *o, const char *path, int *rc)
{
	struct lyncc_unit *u = lyncc_unit_new();
	const char *err;

	u->stdlib_dir = o->stdlib_dir;
	u->dc.werror = o->werror;
	if (o->max_errors)
		u->dc.max_errors = o->max_errors_n;
	u->include_dirs = o->include_dirs;
	u->ninclude_dirs = o->ninclude_dirs;
	/* the listings show the flows inside one zone too; device output
	 * and the checks have no use for them (ir_site.local_flows) */
	u->local_flows = o->cmd != NULL && (strcmp(o->cmd, "flows") == 0 ||
	    strcmp(o->cmd, "ir") == 0 || strcmp(o->cmd, "query") == 0 ||
	    strcmp(o->cmd, "diff") == 0);
	if ((*rc = lyncc_load_file(u, path, &err)) == LYNCC_EXIT_USAGE)
		fprintf(stderr, "lyncc: cannot read %s\n", err);
	return u;
}

bool
cli_report_failed(void)
{
	return report_failed;
}
