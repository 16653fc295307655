/*
 * cli.c - the command line: argument parsing and the subcommands compile,
 * check, ir, flows and explain (diff, query and dot have their own files).
 *
 *   lyncc SITE.lync -t TARGET [-o FILE|DIR] [--device NAME]
 *   lyncc check SITE.lync [-t TARGET] [--diagnostics-format text|json|sarif]
 *   lyncc ir SITE.lync [-o FILE]
 *   lyncc flows SITE.lync [--format table|csv|json|md|dot] | flows --all
 *   lyncc explain ID        (a check, or a stdlib flow, lbservice or rule)
 *   lyncc diff OLD.lync NEW.lync [-t TARGET] [--format text|json]
 *   lyncc query SITE.lync --from A --to A --proto P --port N [-t TARGET]
 *   lyncc import TOPOLOGY.xml [-o SITE.lync | -o DIR/]   (import.c)
 *
 * Exit status: 0 ok, 1 errors in the input (nothing written), 2 usage or
 * I/O error.  diff: 0 same, 1 different, 2 trouble; query: 0 permitted,
 * 1 denied, 2 trouble.  docs/lyncc.1 documents all of it.
 */
#define _XOPEN_SOURCE 700	/* realpath, fchmod */
#include "cli.h"
#include "lyncc.h"

#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
"usage: lyncc SITE.lync -t TARGET [-o FILE|-] [--device NAME] [options]\n"
"       lyncc SITE.lync -t all -o DIR [options]\n"
"       lyncc SITE.lync -o DIR [options]    (each device's own 'vendor NAME;')\n"
"       lyncc check SITE.lync [-t TARGET] [options]\n"
"       lyncc ir SITE.lync [-o FILE] [options]\n"
"       lyncc flows SITE.lync [--format table|csv|json|md|dot] [-o FILE]\n"
"       lyncc flows --all [--format table|csv|json|md] [--services]\n"
"       lyncc explain ID        (a check, or a stdlib flow, lbservice or rule)\n"
"       lyncc diff OLD.lync NEW.lync [-t TARGET] [--format text|json] [-o FILE]\n"
"       lyncc query SITE.lync --from ADDR --to ADDR --proto tcp|udp --port N\n"
"                   [--sport N] [-t TARGET] [--format text|json]\n"
"       lyncc import TOPOLOGY.xml [-o SITE.lync|-o DIR/]\n"
"       lyncc help [COMMAND]\n"
"\n"
"A first word that is not a command is the site file: it must end in\n"
"'.lync', be '-' (standard input) or name an existing file.\n"
"\n"
"targets: asa (Cisco ASA), srx (Juniper SRX XML), f5 (F5 BIG-IP tmsh),\n"
"         f5-as3 (F5 BIG-IP AS3 declaration), haproxy (HAProxy 2.6+),\n"
"         nft (Linux nftables),\n"
"         all (every target, one file per device)\n"
"\n"
"options (each command takes only its own; 'lyncc COMMAND --help' lists them):\n"
"  -t, --target=TARGET     device configuration to generate (or check, diff,\n"
"                          query against)\n"
"  -o, --output=PATH       output file ('-' or none: standard output);\n"
"                          a directory (DIR/) for one file per device\n"
"      --device=NAME       the device to generate when a site has several\n"
"      --no-header         leave out the version/input header comment\n"
"                          (of generated files and of flows --format dot)\n"
"      --format=F          output format of flows, diff and query\n"
"      --all               flows: list the whole stdlib\n"
"      --services          flows: list the stdlib's LB services (CSV)\n"
"      --from=ADDR         query: the packet's source address\n"
"      --to=ADDR           query: the packet's destination address\n"
"      --proto=tcp|udp     query: the packet's protocol\n"
"      --port=N            query: the packet's destination port\n"
"      --sport=N           query: the packet's source port (default 40000)\n"
"      --stdlib=DIR        use the stdlib in DIR instead of the embedded one\n"
"  -I, --include-dir=DIR   also allow includes from DIR (searched after the\n"
"                          including file's directory)\n"
"  -Werror, --werror       treat warnings as errors\n"
"      --max-errors=N      report at most N errors and N warnings\n"
"                          (default 50; 0: all)\n"
"      --diagnostics-format=F  text (default), json or sarif\n"
"      --diagnostics-output=FILE  write the diagnostics to FILE, not stderr\n"
"      --color[=WHEN]      colour the text diagnostics: auto (default: on a\n"
"                          terminal, unless NO_COLOR is set), always, never\n"
"  -h, --help              this help\n"
"      --version           print the version\n"
"  --                      end of options: what follows is a file name\n"
"\n"
"exit status: 0 success, 1 errors in the input (nothing is written),\n"
"             2 usage or I/O error;\n"
"             diff: 0 no change, 1 changes, 2 trouble (like diff(1));\n"
"             query: 0 permitted, 1 denied, 2 trouble\n"
"\n"
"See lyncc(1).\n";

/* ---- options ------------------------------------------------------------ */

enum {
	OPT_DEVICE = 256, OPT_NO_HEADER, OPT_FORMAT, OPT_ALL, OPT_SERVICES,
	OPT_FROM, OPT_TO, OPT_PROTO, OPT_PORT, OPT_SPORT, OPT_STDLIB, OPT_WERROR,
	OPT_DIAG_FORMAT, OPT_DIAG_OUTPUT, OPT_COLOR, OPT_HELP, OPT_VERSION,
	OPT_MAX_ERRORS,
};

struct opt_def {
	int		 id;		/* the short option's letter, or OPT_* */
	const char	*name;		/* long name */
	int		 has_arg;
	const char	*arg;		/* "TARGET" */
	const char	*help;
};

static const struct opt_def opt_table[] = {
	{ 't', "target", required_argument, "TARGET", CLI_TARGETS },
	{ 'o', "output", required_argument, "PATH", "output file ('-': standard output)" },
	{ OPT_DEVICE, "device", required_argument, "NAME", "the device to generate" },
	{ OPT_NO_HEADER, "no-header", no_argument, NULL, "leave out the header comment" },
	{ OPT_FORMAT, "format", required_argument, "F", "output format (see the usage)" },
	{ OPT_ALL, "all", no_argument, NULL, "list the whole stdlib" },
	{ OPT_SERVICES, "services", no_argument, NULL, "list the stdlib's LB services" },
	{ OPT_FROM, "from", required_argument, "ADDR", "the packet's source address" },
	{ OPT_TO, "to", required_argument, "ADDR", "the packet's destination address" },
	{ OPT_PROTO, "proto", required_argument, "tcp|udp", "the packet's protocol" },
	{ OPT_PORT, "port", required_argument, "N", "the packet's destination port" },
	{ OPT_SPORT, "sport", required_argument, "N",
	  "the packet's source port (default 40000, ephemeral)" },
	{ OPT_STDLIB, "stdlib", required_argument, "DIR", "use the stdlib in DIR" },
	{ 'I', "include-dir", required_argument, "DIR", "also allow includes from DIR" },
	{ OPT_MAX_ERRORS, "max-errors", required_argument, "N",
	  "report at most N errors and N warnings (default 50, 0: all)" },
	{ OPT_WERROR, "werror", no_argument, NULL, "treat warnings as errors (-Werror)" },
	{ OPT_DIAG_FORMAT, "diagnostics-format", required_argument, "F",
	  "text (default), json or sarif" },
	{ OPT_DIAG_OUTPUT, "diagnostics-output", required_argument, "FILE",
	  "write the diagnostics to FILE" },
	{ OPT_COLOR, "color", optional_argument, "WHEN", "auto, always or never" },
	{ OPT_HELP, "help", no_argument, NULL, "this help" },
	{ OPT_VERSION, "version", no_argument, NULL, "print the version" },
};
#define NOPTS	(sizeof(opt_table) / sizeof(opt_table[0]))

/* the options every command that loads a site takes */
#define DIAG_OPTS	OPT_STDLIB, 'I', OPT_WERROR, OPT_MAX_ERRORS, OPT_DIAG_FORMAT, \
			OPT_DIAG_OUTPUT, OPT_COLOR, OPT_HELP

struct command {
	const char	*name;
	int		(*run)(const struct cli_opts *);
	unsigned	 min_args, max_args;
	const char	*usage;		/* the lines after "usage: " */
	int		 opts[20];	/* 0-terminated */
};

static int cmd_compile(const struct cli_opts *);
static int cmd_check(const struct cli_opts *);
static int cmd_ir(const struct cli_opts *);
static int cmd_flows(const struct cli_opts *);
static int cmd_explain(const struct cli_opts *);
static int cmd_help(const struct cli_opts *);
static int unknown_command(const struct cli_opts *, const char *);

static const struct command commands[] = {
	{ "compile", cmd_compile, 1, 1,
	  "lyncc [compile] SITE.lync -t TARGET [-o FILE|-] [--device NAME] [options]\n"
	  "       lyncc [compile] SITE.lync -t all -o DIR [options]\n"
	  "       lyncc [compile] SITE.lync -o DIR [options]    (each device's own 'vendor NAME;')\n",
	  { 't', 'o', OPT_DEVICE, OPT_NO_HEADER, DIAG_OPTS, OPT_VERSION, 0 } },
	{ "check", cmd_check, 1, 1,
	  "lyncc check SITE.lync [-t TARGET] [options]\n",
	  { 't', 'o', DIAG_OPTS, 0 } },
	{ "ir", cmd_ir, 1, 1,
	  "lyncc ir SITE.lync [-o FILE] [options]\n",
	  { 'o', DIAG_OPTS, 0 } },
	{ "flows", cmd_flows, 0, 1,
	  "lyncc flows SITE.lync [--format table|csv|json|md|dot] [-o FILE]\n"
	  "       lyncc flows --all [--format table|csv|json|md] [--services]\n",
	  { OPT_FORMAT, OPT_ALL, OPT_SERVICES, 'o', OPT_NO_HEADER, DIAG_OPTS, 0 } },
	{ "explain", cmd_explain, 1, 1,
	  "lyncc explain ID   (a check, or a stdlib flow, lbservice or rule)\n",
	  { OPT_STDLIB, OPT_HELP, 0 } },
	{ "diff", cli_diff, 2, 2,
	  "lyncc diff OLD.lync NEW.lync [-t TARGET] [--format text|json] [-o FILE]\n",
	  { 't', OPT_FORMAT, 'o', DIAG_OPTS, 0 } },
	{ "query", cli_query, 1, 1,
	  "lyncc query SITE.lync --from ADDR --to ADDR --proto tcp|udp --port N\n"
	  "                   [--sport N] [-t TARGET] [--format text|json]\n",
	  { OPT_FROM, OPT_TO, OPT_PROTO, OPT_PORT, OPT_SPORT, 't', OPT_FORMAT, DIAG_OPTS, 0 } },
	{ "import", cli_import, 1, 1,
	  "lyncc import TOPOLOGY.xml [-o SITE.lync|-o DIR/]\n",
	  { 'o', OPT_HELP, 0 } },
	{ "help", cmd_help, 0, 1,
	  "lyncc help [COMMAND]\n",
	  { OPT_HELP, 0 } },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const struct command *
command_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static const struct opt_def *
opt_find(int id)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (opt_table[i].id == id)
			return &opt_table[i];
	return NULL;
}

/* The help of one command: its usage and its options. */
static void
command_help(const struct command *c, FILE *f)
{
	size_t i;

	fprintf(f, "usage: %s\noptions:\n", c->usage);
	for (i = 0; c->opts[i]; i++) {
		const struct opt_def *d = opt_find(c->opts[i]);
		char left[64];

		/* check takes -o only to refuse it with a reason */
		if (d->id == 'o' && strcmp(c->name, "check") == 0)
			continue;

		const char *lb = d->has_arg == optional_argument ? "[=" :
		    d->has_arg == required_argument ? "=" : "";
		const char *rb = d->has_arg == optional_argument ? "]" : "";

		if (d->id == OPT_WERROR)
			snprintf(left, sizeof(left), "-Werror, --werror");
		else if (d->id < 256 || d->id == OPT_HELP)
			snprintf(left, sizeof(left), "-%c, --%s%s%s%s",
			    d->id == OPT_HELP ? 'h' : d->id, d->name, lb,
			    d->arg ? d->arg : "", rb);
		else
			snprintf(left, sizeof(left), "    --%s%s%s%s", d->name, lb,
			    d->arg ? d->arg : "", rb);
		fprintf(f, "  %-30s %s\n", left, d->help);
	}
	if (strcmp(c->name, "diff") == 0)
		fputs("exit status: 0 no change, 1 changes, 2 trouble (usage, I/O, errors "
		    "in a site)\n", f);
	else if (strcmp(c->name, "query") == 0)
		fputs("exit status: 0 permitted, 1 denied, 2 trouble (usage, I/O, errors "
		    "in the site)\n", f);
	else if (strcmp(c->name, "help") != 0)
		fputs("exit status: 0 success, 1 errors in the input (nothing is "
		    "written), 2 usage or I/O error\n", f);
	fputs("See lyncc(1).\n", f);
}

/* A usage error that shows the command's usage lines. */
static int
usage_with_synopsis(const struct command *c, const struct cli_opts *o,
    const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s '%s'\nusage: %s", cli_prog_name(o), what, arg, c->usage);
	fprintf(stderr, "Try '%s --help'.\n", cli_prog_name(o));
	return LYNCC_EXIT_USAGE;
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static char **
header_lines(struct arena *a, const struct cli_opts *o, const char *input,
    const struct ir_device *dev, const struct lyncc_backend *b)
{
	char **h;

	if (o->no_header)
		return NULL;
	h = arena_alloc(a, 5 * sizeof(char *));
	h[0] = arena_printf(a, "generated by lyncc %s (stdlib %s) for %s",
	    LYNCC_VERSION, LYNCC_STDLIB_VERSION, b->description);
	/* the file name is the one text of a header that the site file does
	 * not check: no newline, CR or other control byte reaches a config */
	h[1] = arena_printf(a, "input: %s", diag_escape(a, base_name(input)));
	h[2] = arena_printf(a, "device: %s (%s)", dev->name, ir_device_kind_name[dev->kind]);
	h[3] = arena_printf(a, "do not edit: change the .lync source and recompile");
	return h;
}

/* Errors of compile's command line reported as diagnostics (a --device
 * that names no device, several devices and no --device or -o DIR/). */
static unsigned usage_errors;

/* The devices --device selects (all of them without it). */
static size_t
select_devices(struct lyncc_unit *u, const struct cli_opts *o, int kind,
    const struct ir_device ***out)
{
	const struct ir_device **devs = arena_alloc(u->arena,
	    (u->site->ndevices + 1) * sizeof(*devs));
	size_t j, nd = 0;

	*out = devs;
	for (j = 0; j < u->site->ndevices; j++) {
		const struct ir_device *v = u->site->devices[j];

		if (v->kind == DEV_ROUTER || (kind >= 0 && (int)v->kind != kind))
			continue;
		if (o->device && strcmp(o->device, v->name) != 0)
			continue;
		devs[nd++] = v;
	}
	return nd;
}

struct job {
	const struct lyncc_backend	*b;
	const struct ir_device		*dev;
};

/*
 * What to write: with -t TARGET every selected device of its kind; with
 * -t all every target for every device it can serve (the others are
 * warnings); without -t each device in its own vendor's form.
 */
static size_t
plan_jobs(struct lyncc_unit *u, const struct cli_opts *o, struct job **out,
    bool all, bool dir_mode)
{
	const struct ir_device **devs;
	bool *ok = arena_alloc(u->arena, (u->site->ndevices + 1) * sizeof(*ok));
	struct job *jobs = NULL;
	size_t nd, nj = 0, capj = 0, i, j;

	if (o->target == NULL) {
		/* by vendor */
		nd = select_devices(u, o, -1, &devs);
		lyncc_check(u, NULL);
		for (i = 0; i < nd; i++) {
			const struct lyncc_backend *b = devs[i]->vendor ?
			    backend_find(devs[i]->vendor) : NULL;

			if (devs[i]->vendor == NULL) {
				diag_hint(&u->dc, diag_error(&u->dc, &devs[i]->loc, "%s '%s' "
				    "has no vendor, and no -t TARGET was given",
				    ir_device_kind_name[devs[i]->kind], devs[i]->name),
				    "declare it in the device: vendor %s; (or give -t)",
				    devs[i]->kind == DEV_FIREWALL ? "asa|srx|nft" :
				    "f5|f5-as3|haproxy");
				continue;
			}
			if (b == NULL || b->kind != devs[i]->kind) {
				diag_error(&u->dc, &devs[i]->vendor_loc, "this lyncc has no "
				    "'%s' target for %s '%s'", devs[i]->vendor,
				    ir_device_kind_name[devs[i]->kind], devs[i]->name);
				continue;
			}
			if (lyncc_target_serves(u, b->name, &devs[i], 1, ok, false) == 0) {
				struct job *jb = VEC_PUSH(u->arena, jobs, nj, capj);

				jb->b = b;
				jb->dev = devs[i];
			}
		}
		*out = jobs;
		return nj;
	}
	if (all) {
		lyncc_check(u, NULL);
		for (i = 0; i < lyncc_nbackends; i++) {
			const struct lyncc_backend *b = lyncc_backends[i];

			nd = select_devices(u, o, (int)b->kind, &devs);
			if (nd == 0)
				continue;
			lyncc_target_serves(u, b->name, devs, nd, ok, true);
			for (j = 0; j < nd; j++)
				if (ok[j]) {
					struct job *jb = VEC_PUSH(u->arena, jobs, nj, capj);

					jb->b = b;
					jb->dev = devs[j];
				}
		}
		*out = jobs;
		return nj;
	}
	{
		const struct lyncc_backend *b = backend_find(o->target);

		/* the site's checks, then the target's for the devices that
		 * will be written only (--device X: not the other balancers) */
		lyncc_check(u, NULL);
		nd = select_devices(u, o, (int)b->kind, &devs);
		if (nd == 0) {
			struct diag *d;

			if (o->device)	/* a site without the kind: exit 1 */
				usage_errors++;
			if (o->device)
				d = diag_error(&u->dc, NULL, "no %s named '%s' in the site",
				    ir_device_kind_name[b->kind], o->device);
			else
				d = diag_error(&u->dc, NULL, "the site has no %s, so there is "
				    "nothing to generate for '%s'", ir_device_kind_name[b->kind],
				    b->name);
			diag_hint(&u->dc, d, b->kind == DEV_FIREWALL ?
			    "declare one: firewall NAME < between ZONE ZONE; >" :
			    "declare one: loadbalancer NAME < serves POOL; >");
			return 0;
		}
		if (nd > 1 && !dir_mode) {
			struct diag *d = diag_error(&u->dc, NULL, "the site has %zu %ss; "
			    "pick one with --device NAME", nd, ir_device_kind_name[b->kind]);
			char *names = "";

			usage_errors++;

			for (j = 0; j < nd; j++)
				names = arena_printf(u->arena, "%s%s%s", names, j ? ", " : "",
				    devs[j]->name);
			diag_hint(&u->dc, d, "devices: %s; or write one file per device "
			    "with -o DIR/", names);
			return 0;
		}
		if (lyncc_target_serves(u, b->name, devs, nd, ok, false) != 0)
			return 0;
		for (j = 0; j < nd; j++) {
			struct job *jb = VEC_PUSH(u->arena, jobs, nj, capj);

			jb->b = b;
			jb->dev = devs[j];
		}
		*out = jobs;
		return nj;
	}
}

static int
cmd_compile(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	struct job *jobs = NULL;
	size_t nj, i, bad = 0;
	const char **paths;
	struct strbuf *datas;
	struct lyncc_outs *outs = NULL;
	/* why the outputs could not be written, said after the diagnostics */
	const char *dir_msg = NULL, *why = NULL;
	bool wfail = false;
	int rc, werr = 0;
	bool all = o->target && strcmp(o->target, "all") == 0;
	bool dir_mode = all;
	struct stat st0;
	bool made_dir = false;

	/* -o DIR (an existing directory, or a name ending in '/'): one file
	 * per device, DIR/<device><ext> */
	if (o->output && strcmp(o->output, "-") != 0 &&
	    ((stat(o->output, &st0) == 0 && S_ISDIR(st0.st_mode)) ||
	    o->output[strlen(o->output) - 1] == '/'))
		dir_mode = true;

	if (all) {
		if (o->output == NULL || strcmp(o->output, "-") == 0)
			return cli_usage(o, "-t all writes one file per target and "
			    "device: give a directory with -o DIR");
	} else if (o->target && backend_find(o->target) == NULL)
		return cli_usage(o, "unknown target '%s' (expected " CLI_TARGETS ")",
		    o->target);

	u = cli_load(o, o->input, &rc);
	if (rc == LYNCC_EXIT_USAGE) {
		lyncc_unit_free(u);
		return rc;
	}
	if (rc == LYNCC_EXIT_OK && o->target == NULL) {
		const struct ir_device **devs;
		size_t nd = select_devices(u, o, -1, &devs), k;
		bool vendors = false;

		for (k = 0; k < nd; k++)
			vendors |= devs[k]->vendor != NULL;
		if (!vendors) {
			lyncc_unit_free(u);
			return cli_usage(o, "no target: give -t asa|srx|f5|f5-as3|haproxy|nft|all, "
			    "declare each device's vendor (vendor asa;), or use 'lyncc check'");
		}
	}
	/* the checks also run after misspelt references (one error per mistake) */
	nj = rc == LYNCC_EXIT_OK || u->expanded ?
	    plan_jobs(u, o, &jobs, all, dir_mode) : 0;
	if (!diag_failed(&u->dc) && nj > 1 && !dir_mode) {
		diag_hint(&u->dc, diag_error(&u->dc, NULL, "the site's vendors make %zu "
		    "device files", nj), "write one file per device with -o DIR/, or "
		    "pick one with --device NAME");
		usage_errors++;
	}
	/* each file's path; the destinations are checked, and -o DIR/ made,
	 * before the first byte is generated: a device's text streams into
	 * its temporary file as the backend writes it (lyncc_outs_open) */
	paths = arena_alloc(u->arena, (nj + 1) * sizeof(*paths));
	for (i = 0; i < nj; i++)
		paths[i] = dir_mode ? arena_printf(u->arena, "%s%s%s%s", o->output,
		    o->output[strlen(o->output) - 1] == '/' ? "" : "/",
		    jobs[i].dev->name, jobs[i].b->file_ext) : o->output;
	if (rc == LYNCC_EXIT_OK && !diag_failed(&u->dc)) {
		struct stat st;

		if (!dir_mode)
			;
		else if (stat(o->output, &st) == 0 && !S_ISDIR(st.st_mode))
			dir_msg = arena_printf(u->arena, "lyncc: '%s' is not a directory\n",
			    o->output);
		else if (stat(o->output, &st) != 0) {
			if (mkdir(o->output, 0777) != 0)
				dir_msg = arena_printf(u->arena, "lyncc: cannot create "
				    "directory '%s': %s\n", o->output, strerror(errno));
			else
				made_dir = true;
		}
		if (dir_msg == NULL &&
		    (outs = lyncc_outs_new(u, paths, nj, &bad, &why)) == NULL)
			wfail = true;
	}
	datas = arena_alloc(u->arena, (nj + 1) * sizeof(*datas));
	for (i = 0; i < nj; i++)
		sb_init(&datas[i]);
	for (i = 0; outs != NULL && !wfail && i < nj && !diag_failed(&u->dc); i++) {
		const struct lyncc_backend *b = jobs[i].b;
		struct emit_opts eo;

		eo.header = (const char *const *)header_lines(u->arena, o, o->input,
		    jobs[i].dev, b);
		if (lyncc_outs_open(outs, i, &datas[i]) != 0) {
			wfail = true, bad = i, werr = errno;
			break;
		}
		if (b->emit(u->site, jobs[i].dev, &eo, &datas[i]) != 0 &&
		    !diag_failed(&u->dc))
			diag_error(&u->dc, &jobs[i].dev->loc, "the %s backend failed on "
			    "'%s'", b->name, jobs[i].dev->name);
		if (lyncc_outs_close(outs, i, &datas[i]) != 0)
			wfail = true, bad = i, werr = errno;
	}
	cli_report(u, o);
	/* errors of the command line (--device, -o for several files) rather
	 * than of the site: a usage error, when they are the only errors */
	if (diag_failed(&u->dc))
		rc = usage_errors && u->dc.errors == usage_errors ? LYNCC_EXIT_USAGE :
		    LYNCC_EXIT_INPUT;
	else if (rc == LYNCC_EXIT_OK && dir_msg != NULL) {
		fputs(dir_msg, stderr);
		rc = LYNCC_EXIT_USAGE;
	} else if (rc == LYNCC_EXIT_OK && wfail) {
		cli_write_error(paths[bad], why, werr, nj);
		rc = LYNCC_EXIT_USAGE;
	}
	if (rc == LYNCC_EXIT_OK && outs != NULL && lyncc_outs_commit(outs, &bad) != 0) {
		cli_write_error(paths[bad], NULL, errno, nj);
		rc = LYNCC_EXIT_USAGE;
	}
	lyncc_outs_free(outs);	/* the temporary files of a failed run */
	if (rc != LYNCC_EXIT_OK && made_dir)
		rmdir(o->output);
	for (i = 0; i < nj; i++)
		sb_free(&datas[i]);
	lyncc_unit_free(u);
	return rc;
}

static int
cmd_check(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	int rc;

	if (o->target && strcmp(o->target, "all") != 0 && backend_find(o->target) == NULL)
		return cli_usage(o, "unknown target '%s' (expected " CLI_TARGETS ")",
		    o->target);
	u = cli_load(o, o->input, &rc);
	if (u->expanded) {	/* also after misspelt references */
		if (o->target && strcmp(o->target, "all") == 0) {
			size_t i;

			for (i = 0; i < lyncc_nbackends; i++)
				lyncc_check(u, lyncc_backends[i]->name);
		} else
			lyncc_check(u, o->target);
		if (diag_failed(&u->dc))
			rc = LYNCC_EXIT_INPUT;
	}
	if (rc != LYNCC_EXIT_USAGE)
		cli_report(u, o);
	lyncc_unit_free(u);
	return rc;
}

static int
cmd_ir(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	struct strbuf b;
	int rc;

	u = cli_load(o, o->input, &rc);
	sb_init(&b);
	if (rc == LYNCC_EXIT_OK)
		ir_json_site(u->arena, &b, u->site);
	if (rc != LYNCC_EXIT_USAGE)
		cli_report(u, o);
	if (rc == LYNCC_EXIT_OK && cli_write(u, o->output, b.s, b.len) != 0)
		rc = LYNCC_EXIT_USAGE;
	sb_free(&b);
	lyncc_unit_free(u);
	return rc;
}

static int
cmd_flows(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	struct strbuf b;
	const char *fmt = o->format ? o->format : "table";
	int rc;

	if (strcmp(fmt, "dot") == 0) {
		if (o->all)
			return cli_usage(o, "--format dot draws one site, not --all");
		return cli_dot(o);
	}
	if (o->no_header)	/* only the diagram has a header */
		return cli_usage(o, "--no-header is for --format dot (the other "
		    "formats have no header)");
	if (strcmp(fmt, "table") && strcmp(fmt, "csv") && strcmp(fmt, "json") &&
	    strcmp(fmt, "md"))
		return cli_usage(o, "unknown flows format '%s' (table, csv, json, md, dot)",
		    fmt);
	if (!o->all && o->input == NULL)
		return cli_usage(o, "needs a SITE file or --all");
	u = cli_load(o, o->all ? NULL : o->input, &rc);
	sb_init(&b);
	if (rc == LYNCC_EXIT_OK && o->services)
		lbdefs_render(u->arena, u->site, &b);
	else if (rc == LYNCC_EXIT_OK)
		flows_render(u->arena, u->site, o->all, fmt, &b);
	if (rc != LYNCC_EXIT_USAGE)
		cli_report(u, o);
	if (rc == LYNCC_EXIT_OK && cli_write(u, o->output, b.s ? b.s : "", b.len) != 0)
		rc = LYNCC_EXIT_USAGE;
	sb_free(&b);
	lyncc_unit_free(u);
	return rc;
}

/* `lyncc explain ID`: a check (with the stdlib rule it enforces), or a
 * stdlib flow, lbservice or rule.  An unknown ID suggests the closest of
 * them and lists the checks (the completions read that list). */
static char *
ascii_lower(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

static int
cmd_explain(const struct cli_opts *o)
{
	const struct check_info *c = NULL;
	struct lyncc_unit *u;
	struct strbuf b;
	const char **ids, **names, *s;
	char *lower;
	size_t i, n, nc;
	int rc;

	/* IDs in any case: LYNC-E006, lync-e006; flow IDs are lower case */
	for (i = 0; check_table[i].id && c == NULL; i++)
		if (strcasecmp(check_table[i].id, o->input) == 0)
			c = &check_table[i];

	u = cli_load(o, NULL, &rc);
	if (rc != LYNCC_EXIT_OK) {
		if (rc != LYNCC_EXIT_USAGE)
			cli_report(u, o);
		lyncc_unit_free(u);
		return rc;
	}
	sb_init(&b);
	if (c != NULL) {
		const struct ir_rule *r = c->rule ? ir_rule_find(u->site, c->rule) : NULL;

		sb_printf(&b, "%s: %s\n\n%s\n", c->id, c->title, c->explain);
		if (r != NULL) {
			sb_puts(&b, "\n");
			rule_explain(u->arena, r, &b);
		}
	} else if (def_explain(u->arena, u->site, o->input, &b) != 0 &&
	    def_explain(u->arena, u->site, (lower = arena_strdup(u->arena, o->input),
	    ascii_lower(lower)), &b) != 0) {
		n = def_ids(u->arena, u->site, &ids);
		for (nc = 0; check_table[nc].id; nc++)
			;
		names = arena_alloc(u->arena, (n + nc + 1) * sizeof(*names));
		for (i = 0; i < nc; i++)
			names[i] = check_table[i].id;
		memcpy(names + nc, ids, n * sizeof(*names));
		s = diag_suggest(o->input, names, n + nc);
		fprintf(stderr, "lyncc explain: no check, flow, lbservice or rule '%s'",
		    diag_escape(u->arena, o->input));
		if (s != NULL)
			fprintf(stderr, "; did you mean '%s'?", s);
		fputs("\nthe checks are:\n", stderr);
		for (i = 0; check_table[i].id; i++)
			fprintf(stderr, "  %s  %s\n", check_table[i].id, check_table[i].title);
		fputs("the stdlib's flows: 'lyncc flows --all'; its lbservices: "
		    "'lyncc flows --all --services'\n", stderr);
		sb_free(&b);
		lyncc_unit_free(u);
		return LYNCC_EXIT_USAGE;
	}
	fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
	lyncc_unit_free(u);
	return LYNCC_EXIT_OK;
}

/* An unrecognised long option: ambiguous (a prefix of several of the
 * command's options), another command's, or unknown. */
static int
bad_long_option(const struct command *c, const struct cli_opts *o, const char *arg)
{
	const char *name = arg + (strncmp(arg, "--", 2) == 0 ? 2 : 0);
	size_t len = strcspn(name, "="), i, j, n = 0;
	char which[256] = "";

	for (i = 0; c->opts[i]; i++) {
		const struct opt_def *d = opt_find(c->opts[i]);

		if (strncmp(d->name, name, len) == 0 && n++ < 4)
			snprintf(which + strlen(which), sizeof(which) - strlen(which),
			    "%s--%s", n > 1 ? ", " : "", d->name);
	}
	if (n > 1)
		return cli_usage(o, "ambiguous option '%.*s' (%s)", (int)(len + 2), arg,
		    which);
	n = 0;
	for (i = 0; i < NCOMMANDS; i++)
		for (j = 0; commands[i].opts[j]; j++) {
			const struct opt_def *d = opt_find(commands[i].opts[j]);

			if (strlen(d->name) == len && strncmp(d->name, name, len) == 0 &&
			    n++ < 6)
				snprintf(which + strlen(which), sizeof(which) - strlen(which),
				    "%s%s", n > 1 ? ", " : "", commands[i].name);
		}
	if (n > 0) {
		fprintf(stderr, "%s: %s takes no option '%.*s' (an option of %s)\nusage: %s",
		    cli_prog_name(o), c->name, (int)(len + 2), arg, which, c->usage);
		fprintf(stderr, "Try '%s --help'.\n", cli_prog_name(o));
		return LYNCC_EXIT_USAGE;
	}
	return usage_with_synopsis(c, o, "unknown option", arg);
}

static int
cmd_help(const struct cli_opts *o)
{
	const struct command *c;

	if (o->input == NULL) {
		fputs(usage_text, stdout);
		return LYNCC_EXIT_OK;
	}
	if ((c = command_find(o->input)) == NULL)
		return unknown_command(o, o->input);
	command_help(c, stdout);
	return LYNCC_EXIT_OK;
}

/* Is the first word a site file rather than a command?  It is when it
 * ends in ".lync", is "-" or names an existing file. */
static bool
looks_like_site(const char *a)
{
	size_t n = strlen(a);
	struct stat st;

	return (n > 5 && strcmp(a + n - 5, ".lync") == 0) || strcmp(a, "-") == 0 ||
	    stat(a, &st) == 0;
}

static int
unknown_command(const struct cli_opts *o, const char *w)
{
	const char *names[NCOMMANDS], *s;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	if ((s = diag_suggest(w, names, NCOMMANDS)) != NULL && diag_distance(w, s) <= 2)
		return cli_usage(o, "unknown command '%s'; did you mean '%s'?", w, s);
	return cli_usage(o, "'%s' is neither a command nor a site file (a site file "
	    "ends in .lync or exists; 'lyncc -- FILE' takes any name)", w);
}

static int cli_run(int, char **, const char **);

int
cli_main(int argc, char **argv)
{
	/* -I DIR may repeat: room for every argument */
	const char **dirs = xcalloc((size_t)argc + 1, sizeof(char *));
	int rc = cli_run(argc, argv, dirs);

	free(dirs);
	return rc;
}

static int
cli_run(int argc, char **argv, const char **dirs)
{
	struct cli_opts o;
	const struct command *c;
	struct option longopts[NOPTS + 1];
	char shortopts[3 * NOPTS + 2], **av;
	size_t i, nl = 0, ns = 0, nargs;
	int ch, first = 1, n, rc;
	const char *color = "auto";

	memset(&o, 0, sizeof(o));
	o.include_dirs = dirs;
	if (argc < 2) {
		fputs(usage_text, stderr);
		return LYNCC_EXIT_USAGE;
	}
	if ((c = command_find(argv[1])) != NULL)
		first = 2;
	else {
		c = command_find("compile");
		if (argv[1][0] != '-' && !looks_like_site(argv[1]))
			return unknown_command(&o, argv[1]);
	}
	o.cmd = c->name;
	shortopts[ns++] = ':';	/* ':' for a missing argument */
	for (i = 0; c->opts[i]; i++) {
		const struct opt_def *d = opt_find(c->opts[i]);

		longopts[nl].name = d->name;
		longopts[nl].has_arg = d->has_arg;
		longopts[nl].flag = NULL;
		longopts[nl++].val = d->id;
		if (d->id < 256) {
			shortopts[ns++] = (char)d->id;
			if (d->has_arg == required_argument)
				shortopts[ns++] = ':';
		} else if (d->id == OPT_HELP)
			shortopts[ns++] = 'h';
		else if (d->id == OPT_WERROR) {
			shortopts[ns++] = 'W';
			shortopts[ns++] = ':';
		}
	}
	memset(&longopts[nl], 0, sizeof(longopts[nl]));
	shortopts[ns] = '\0';

	/* getopt_long over argv[first - 1 ..]: the command word stands in
	 * for argv[0]; options and operands may be mixed, "--" ends options */
	av = argv + first - 1;
	n = argc - first + 1;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(n, av, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 't': o.target = optarg; break;
		case 'o':
			if (optarg[0] == '\0')
				return cli_usage(&o, "-o needs a file name ('-': standard "
				    "output)");
			if (strcmp(c->name, "check") == 0)
				return cli_usage(&o, "check writes no file; -o is for "
				    "compiling (lyncc SITE.lync -t TARGET -o FILE), and "
				    "--diagnostics-output=FILE writes the diagnostics");
			o.output = optarg;
			break;
		case OPT_DEVICE: o.device = optarg; break;
		case OPT_NO_HEADER: o.no_header = true; break;
		case OPT_FORMAT: o.format = optarg; break;
		case OPT_ALL: o.all = true; break;
		case OPT_SERVICES: o.services = o.all = true; break;
		case OPT_FROM: o.q_from = optarg; break;
		case OPT_TO: o.q_to = optarg; break;
		case OPT_PROTO: o.q_proto = optarg; break;
		case OPT_PORT: o.q_port = optarg; break;
		case OPT_SPORT: o.q_sport = optarg; break;
		case OPT_STDLIB: o.stdlib_dir = optarg; break;
		case 'I':
			if (optarg[0] == '\0')
				return cli_usage(&o, "-I needs a directory");
			o.include_dirs[o.ninclude_dirs++] = optarg;
			break;
		case OPT_MAX_ERRORS: {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' ||
			    errno != 0 || v > 1000000)
				return cli_usage(&o, "--max-errors takes a number from 0 "
				    "to 1000000, not '%s'", optarg);
			o.max_errors = optarg;
			o.max_errors_n = (unsigned)v;
			break;
		}
		case OPT_WERROR: o.werror = true; break;
		case 'W':
			if (strcmp(optarg, "error") != 0)
				return cli_usage(&o, "unknown option '-W%s' (the only -W "
				    "option is -Werror)", optarg);
			o.werror = true;
			break;
		case OPT_DIAG_FORMAT: o.diag_format = optarg; break;
		case OPT_DIAG_OUTPUT: o.diag_output = optarg; break;
		case OPT_COLOR: color = optarg ? optarg : "always"; break;
		case 'h':
		case OPT_HELP:
			if (first == 1)
				fputs(usage_text, stdout);
			else
				command_help(c, stdout);
			return LYNCC_EXIT_OK;
		case OPT_VERSION:
			printf("lyncc %s (stdlib %s)\n", LYNCC_VERSION, LYNCC_STDLIB_VERSION);
			return LYNCC_EXIT_OK;
		case ':':
			return usage_with_synopsis(c, &o, "option needs a value:",
			    av[optind - 1]);
		default:
			if (optopt && optopt < 256) {
				char s[3] = { '-', (char)optopt, '\0' };

				return usage_with_synopsis(c, &o, "unknown option", s);
			}
			return bad_long_option(c, &o, av[optind - 1]);
		}
	}
	nargs = (size_t)(n - optind);
	if (nargs > c->max_args)
		return usage_with_synopsis(c, &o, "unexpected argument",
		    av[optind + (int)c->max_args]);
	if (nargs >= 1)
		o.input = av[optind];
	if (nargs >= 2)
		o.input2 = av[optind + 1];
	if (lyncc_diag_format_parse(o.diag_format, &o.diag_fmt) != 0)
		return cli_usage(&o, "unknown diagnostics format '%s' (text, json, sarif)",
		    o.diag_format);
	if (strcmp(color, "always") == 0)
		o.color = true;
	else if (strcmp(color, "auto") == 0) {
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

		o.color = o.diag_output == NULL && isatty(STDERR_FILENO) &&
		    (nc == NULL || nc[0] == '\0') &&
		    !(term && strcmp(term, "dumb") == 0);
	} else if (strcmp(color, "never") != 0)
		return cli_usage(&o, "unknown --color '%s' (auto, always, never)", color);
	if (nargs < c->min_args) {
		if (strcmp(c->name, "compile") == 0 || strcmp(c->name, "check") == 0 ||
		    strcmp(c->name, "ir") == 0 || strcmp(c->name, "query") == 0 ||
		    strcmp(c->name, "import") == 0)
			return cli_usage(&o, "no input file");
		if (strcmp(c->name, "explain") == 0)
			return cli_usage(&o, "needs a check, flow, lbservice or rule ID, "
			    "e.g. LYNC-E001 or edge.ext.av-stun-udp-3478-in");
		return cli_usage(&o, "needs two site files: lyncc diff OLD.lync "
		    "NEW.lync");
	}
	rc = c->run(&o);
	if (cli_report_failed())
		rc = LYNCC_EXIT_USAGE;
	return rc;
}
