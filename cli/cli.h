/*
 * cli.h - command-line options and the subcommands kept in their own files.
 * The command line sits on top of the library (compiler/lyncc.h); the
 * library never calls it.
 */
#ifndef LYNCC_CLI_CLI_H
#define LYNCC_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct lyncc_unit;

#include "lyncc.h"

/* The -t values, for help texts and "unknown target" messages
 * (backends/registry.c lists the targets). */
#define CLI_TARGETS	"asa, srx, f5, f5-as3, haproxy, nft or all"

struct cli_opts {
	const char	*cmd;		/* "compile", "check", ... */
	const char	*input, *input2;
	const char	*target, *output, *device, *stdlib_dir;
	const char	*diag_format, *format;
	const char	*q_from, *q_to, *q_proto, *q_port, *q_sport;
	const char	*max_errors;	/* --max-errors, as given */
	unsigned	 max_errors_n;
	const char	**include_dirs;	/* -I DIR, in order */
	size_t		 ninclude_dirs;
	const char	*diag_output;	/* --diagnostics-output FILE */
	enum lyncc_diag_format diag_fmt;
	bool		 color;		/* colour the text diagnostics */
	bool		 werror, no_header, all, services;
};

/* common.c: what the subcommands share */
/* "lyncc CMD" ("lyncc" for compile), for messages */
const char		*cli_prog_name(const struct cli_opts *);
/* Whether --diagnostics-output could not be written (exit status 2). */
bool			 cli_report_failed(void);
/* Load a site (lyncc_load_file) with the options' stdlib and -Werror; a
 * read error is said on stderr and gives *rc LYNCC_EXIT_USAGE. */
struct lyncc_unit	*cli_load(const struct cli_opts *, const char *path, int *rc);
/* The unit's diagnostics on stderr in --diagnostics-format. */
void			 cli_report(struct lyncc_unit *, const struct cli_opts *);
/* The diagnostics of several units as one document (diff). */
void			 cli_report_units(struct lyncc_unit *const *, size_t n,
			    const struct cli_opts *);
/* "lyncc CMD: message" and "Try 'lyncc CMD --help'." on stderr; returns
 * LYNCC_EXIT_USAGE. */
int			 cli_usage(const struct cli_opts *, const char *fmt, ...)
			    __attribute__((__format__(printf, 2, 3)));
/* Write data to path (NULL or "-": stdout) as lyncc_write_outputs() does;
 * refuses a block device, a directory and an input file of u; says why on
 * stderr when it fails. */
int			 cli_write(const struct lyncc_unit *u, const char *path,
			    const char *data, size_t len);

/* Write several outputs, all or nothing (lyncc_write_outputs); says why
 * it failed on stderr.  cli_write_all also refuses the input files of u. */
int			 cli_write_outputs(const struct lyncc_output *, size_t n);
int			 cli_write_all(const struct lyncc_unit *u,
			    const struct lyncc_output *, size_t n);
/* Why writing output path (of n in the run) failed, on stderr: why, a
 * refusal, or NULL and the error err. */
void			 cli_write_error(const char *path, const char *why, int err,
			    size_t n);

int	cli_diff(const struct cli_opts *);	/* diff.c */
int	cli_import(const struct cli_opts *);	/* import.c */
int	cli_query(const struct cli_opts *);	/* query.c */
int	cli_dot(const struct cli_opts *);	/* dot.c */
/* The whole command line (cli.c). */
int	cli_main(int argc, char **argv);

#endif /* LYNCC_CLI_CLI_H */
