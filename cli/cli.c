/*
 * cli.c - the command line: argument parsing and the subcommands compile,
 * check, ir, flows and explain (diff, query and dot have their own files).
 *
 *   lyncc SITE.lync -t TARGET [-o FILE|DIR] [--device NAME]
 *   lyncc check SITE.lync [-t TARGET] [--diagnostics-format text|json|sarif]
 *   lyncc ir SITE.lync [-o FILE]
 *   lyncc flows SITE.lync [--format table|csv|json|md|dot] | flows --all
 *   lyncc explain ID
 *   lyncc diff OLD.lync NEW.lync [-t TARGET] [--format text|json]
 *   lyncc query SITE.lync --from A --to A --proto P --port N [-t TARGET]
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
"usage: lyncc SITE.lync -t TARGET [-o FILE|-] [--device NAME] [options]\n"
"       lyncc SITE.lync -t all -o DIR [options]\n"
"       lyncc check SITE.lync [-t TARGET] [--diagnostics-format text|json|sarif]\n"
"       lyncc ir SITE.lync [-o FILE]\n"
"       lyncc flows SITE.lync [--format table|csv|json|md|dot]\n"
"       lyncc flows --all [--format table|csv|json|md] [--services]\n"
"       lyncc explain ID\n"
"       lyncc diff OLD.lync NEW.lync [-t TARGET] [--format text|json]\n"
"       lyncc query SITE.lync --from ADDR --to ADDR --proto tcp|udp --port N [-t TARGET]\n"
"\n"
"targets: asa (Cisco ASA), srx (Juniper SRX XML), f5 (F5 BIG-IP tmsh),\n"
"         haproxy (HAProxy 2.6+), nft (Linux nftables),\n"
"         all (every target, one file per device)\n"
"\n"
"options:\n"
"  -t, --target TARGET     device configuration to generate\n"
"  -o, --output PATH       output file ('-' or none: standard output);\n"
"                          a directory (DIR/) for one file per device\n"
"  --device NAME           the device to generate when a site has several\n"
"  --stdlib DIR            use the stdlib in DIR instead of the embedded one\n"
"  -I DIR                  also allow includes from DIR (searched after the\n"
"                          including file's directory)\n"
"  -Werror, --werror       treat warnings as errors\n"
"  --max-errors N          stop reporting after N errors and N warnings\n"
"                          (default 50; 0: no limit)\n"
"  --no-header             leave out the version/input header comment\n"
"  --diagnostics-format F  text (default), json or sarif, on standard error\n"
"  --format F              output format of flows and diff\n"
"  --all                   flows: list the whole stdlib\n"
"  --services              flows: list the stdlib's LB services (CSV)\n"
"  --from ADDR             query: the packet's source address\n"
"  --to ADDR               query: the packet's destination address\n"
"  --proto tcp|udp         query: the packet's protocol\n"
"  --port N                query: the packet's destination port\n"
"  -h, --help              this help\n"
"  --version               print the version\n"
"\n"
"exit status: 0 success, 1 errors in the input (nothing is written),\n"
"             2 usage or I/O error;\n"
"             diff: 0 no change, 1 changes, 2 trouble (like diff(1));\n"
"             query: 0 permitted, 1 denied, 2 trouble\n"
"\n"
"See lyncc(1).\n";

static int usage_error(const char *, const char *)
    __attribute__((__format__(printf, 1, 0)));

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("lyncc: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fputs("\nTry 'lyncc --help'.\n", stderr);
	return LYNCC_EXIT_USAGE;
}

/* Render the diagnostics of u on stderr in the chosen format. */
void
cli_report(struct lyncc_unit *u, const struct cli_opts *o)
{
	struct strbuf b;
	enum lyncc_diag_format f = LYNCC_DIAG_TEXT;

	(void)lyncc_diag_format_parse(o->diag_format, &f);
	sb_init(&b);
	lyncc_render_diags(u, f, &b);
	if (b.len)
		fwrite(b.s, 1, b.len, stderr);
	sb_free(&b);
}

/* Write the outputs of a run, all or nothing (lyncc_write_outputs); say
 * why it failed on stderr. */
static int
cli_write_all(const struct lyncc_unit *u, const struct lyncc_output *v, size_t n)
{
	size_t bad;
	const char *why;

	if (lyncc_write_outputs(u, v, n, &bad, &why) == 0)
		return 0;
	if (why != NULL)
		fprintf(stderr, "lyncc: refusing to write '%s': %s\n", v[bad].path, why);
	else
		fprintf(stderr, "lyncc: cannot write '%s': %s%s\n", v[bad].path &&
		    strcmp(v[bad].path, "-") ? v[bad].path : "<stdout>", strerror(errno),
		    n > 1 || (v[bad].path && strcmp(v[bad].path, "-")) ?
		    "; nothing was written" : "");
	return -1;
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

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
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
	if ((*rc = lyncc_load_file(u, path, &err)) == LYNCC_EXIT_USAGE)
		fprintf(stderr, "lyncc: cannot read %s\n", err);
	return u;
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

/* one generated file: where it goes and its bytes */
struct out_file {
	const char	*path;
	struct strbuf	 data;
};

static int
cmd_compile(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	const struct lyncc_backend *targets[8];
	size_t nt = 0, i, j, nout = 0;
	struct out_file *outs = NULL;
	size_t capout = 0;
	int rc;
	bool all = strcmp(o->target, "all") == 0;
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
		for (i = 0; i < lyncc_nbackends; i++)
			targets[nt++] = lyncc_backends[i];
		if (o->output == NULL || strcmp(o->output, "-") == 0)
			return usage_error("%s", "-t all writes one file per target and "
			    "device: give a directory with -o DIR");
	} else if ((targets[0] = backend_find(o->target)) != NULL)
		nt = 1;
	else
		return usage_error("unknown target '%s' (expected asa, srx, f5, haproxy, "
		    "nft or all)", o->target);

	u = cli_load(o, o->input, &rc);
	if (rc == LYNCC_EXIT_USAGE) {
		lyncc_unit_free(u);
		return rc;
	}
	if (rc == LYNCC_EXIT_OK)
		for (i = 0; i < nt; i++) {
			bool has = false;

			for (j = 0; j < u->site->ndevices; j++)
				if (u->site->devices[j]->kind == targets[i]->kind)
					has = true;
			if (has || !all)
				lyncc_check(u, targets[i]->name);
		}
	for (i = 0; i < nt && !diag_failed(&u->dc); i++) {
		const struct lyncc_backend *b = targets[i];
		const struct ir_device **devs = arena_alloc(u->arena,
		    (u->site->ndevices + 1) * sizeof(*devs));
		size_t nd = 0;

		for (j = 0; j < u->site->ndevices; j++) {
			const struct ir_device *v = u->site->devices[j];

			if (v->kind != b->kind)
				continue;
			if (o->device && strcmp(o->device, v->name) != 0)
				continue;
			devs[nd++] = v;
		}
		if (nd == 0 && all)
			continue;
		if (nd == 0) {
			struct diag *d;

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
			break;
		}
		if (nd > 1 && !dir_mode) {
			struct diag *d = diag_error(&u->dc, NULL, "the site has %zu %ss; "
			    "pick one with --device NAME", nd, ir_device_kind_name[b->kind]);
			char *names = "";

			for (j = 0; j < nd; j++)
				names = arena_printf(u->arena, "%s%s%s", names, j ? ", " : "",
				    devs[j]->name);
			diag_hint(&u->dc, d, "devices: %s; or write one file per device "
			    "with -o DIR/", names);
			break;
		}
		for (j = 0; j < nd; j++) {
			struct emit_opts eo;
			struct out_file *f = VEC_PUSH(u->arena, outs, nout, capout);

			memset(f, 0, sizeof(*f));
			eo.header = (const char *const *)header_lines(u->arena, o, o->input,
			    devs[j], b);
			sb_init(&f->data);
			f->path = dir_mode ? arena_printf(u->arena, "%s%s%s%s", o->output,
			    o->output[strlen(o->output) - 1] == '/' ? "" : "/",
			    devs[j]->name, b->file_ext) : o->output;
			if (b->emit(u->site, devs[j], &eo, &f->data) != 0 &&
			    !diag_failed(&u->dc))
				diag_error(&u->dc, &devs[j]->loc, "the %s backend failed on "
				    "'%s'", b->name, devs[j]->name);
		}
	}
	cli_report(u, o);
	if (diag_failed(&u->dc))
		rc = LYNCC_EXIT_INPUT;
	if (rc == LYNCC_EXIT_OK && dir_mode) {
		struct stat st;

		if (stat(o->output, &st) == 0 && !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "lyncc: '%s' is not a directory\n", o->output);
			rc = LYNCC_EXIT_USAGE;
		} else if (stat(o->output, &st) != 0) {
			if (mkdir(o->output, 0777) != 0) {
				fprintf(stderr, "lyncc: cannot create directory '%s': %s\n",
				    o->output, strerror(errno));
				rc = LYNCC_EXIT_USAGE;
			} else
				made_dir = true;
		}
	}
	if (rc == LYNCC_EXIT_OK) {
		struct lyncc_output *w = arena_alloc(u->arena, (nout + 1) * sizeof(*w));

		for (i = 0; i < nout; i++) {
			w[i].path = outs[i].path;
			w[i].data = outs[i].data.s ? outs[i].data.s : "";
			w[i].len = outs[i].data.len;
		}
		if (cli_write_all(u, w, nout) != 0) {
			rc = LYNCC_EXIT_USAGE;
			if (made_dir)
				rmdir(o->output);
		}
	}
	for (i = 0; i < nout; i++)
		sb_free(&outs[i].data);
	lyncc_unit_free(u);
	return rc;
}

static int
cmd_check(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	int rc;

	if (o->target && strcmp(o->target, "all") != 0 && backend_find(o->target) == NULL)
		return usage_error("unknown target '%s'", o->target);
	u = cli_load(o, o->input, &rc);
	if (rc == LYNCC_EXIT_OK) {
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
			return usage_error("%s", "--format dot draws one site, not --all");
		return cli_dot(o);
	}
	if (strcmp(fmt, "table") && strcmp(fmt, "csv") && strcmp(fmt, "json") &&
	    strcmp(fmt, "md"))
		return usage_error("unknown flows format '%s' (table, csv, json, md, dot)",
		    fmt);
	if (!o->all && o->input == NULL)
		return usage_error("%s", "flows needs a SITE file or --all");
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

static int
cmd_explain(const struct cli_opts *o)
{
	const struct check_info *c;
	struct lyncc_unit *u;
	int rc;
	size_t i;

	if (o->input == NULL)
		return usage_error("%s", "explain needs a check ID, e.g. LYNC-E001");
	if ((c = check_find(o->input)) == NULL) {
		fprintf(stderr, "lyncc: no check '%s'; the checks are:\n", o->input);
		for (i = 0; check_table[i].id; i++)
			fprintf(stderr, "  %s  %s\n", check_table[i].id, check_table[i].title);
		return LYNCC_EXIT_USAGE;
	}
	printf("%s: %s\n\n%s\n", c->id, c->title, c->explain);
	if (c->rule) {
		const struct ir_rule *r;

		u = cli_load(o, NULL, &rc);
		if ((r = ir_rule_find(u->site, c->rule)) != NULL) {
			printf("\nrule %s: %s\n", r->id, r->note ? r->note : "");
			for (i = 0; i < r->ncites; i++)
				printf("  source: %s\n", ir_cite_format(u->arena, &r->cites[i]));
		}
		lyncc_unit_free(u);
	}
	return LYNCC_EXIT_OK;
}

static bool
is_opt(const char *a, const char *s, const char *l)
{
	return (s && strcmp(a, s) == 0) || (l && strcmp(a, l) == 0);
}

static int main_opts(struct cli_opts *, int, char **);

int
cli_main(int argc, char **argv)
{
	struct cli_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.include_dirs = xcalloc((size_t)argc + 1, sizeof(char *));
	rc = main_opts(&o, argc, argv);
	free(o.include_dirs);
	return rc;
}

static int
main_opts(struct cli_opts *op, int argc, char **argv)
{
	int i;
	const char *cmd = NULL;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return LYNCC_EXIT_USAGE;
	}
	i = 1;
	if (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "ir") == 0 ||
	    strcmp(argv[1], "flows") == 0 || strcmp(argv[1], "explain") == 0 ||
	    strcmp(argv[1], "diff") == 0 || strcmp(argv[1], "query") == 0 ||
	    strcmp(argv[1], "compile") == 0)
		cmd = argv[i++];
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (is_opt(a, "-h", "--help")) {
			fputs(usage_text, stdout);
			return LYNCC_EXIT_OK;
		}
		if (is_opt(a, NULL, "--version")) {
			printf("lyncc %s (stdlib %s)\n", LYNCC_VERSION, LYNCC_STDLIB_VERSION);
			return LYNCC_EXIT_OK;
		}
		if (is_opt(a, "-Werror", "--werror"))
			op->werror = true;
		else if (is_opt(a, NULL, "--no-header"))
			op->no_header = true;
		else if (is_opt(a, NULL, "--all"))
			op->all = true;
		else if (is_opt(a, NULL, "--services"))
			op->services = op->all = true;
		else if (is_opt(a, "-t", "--target"))
			slot = &op->target;
		else if (is_opt(a, "-o", "--output"))
			slot = &op->output;
		else if (is_opt(a, NULL, "--device"))
			slot = &op->device;
		else if (is_opt(a, NULL, "--max-errors"))
			slot = &op->max_errors;
		else if (is_opt(a, "-I", NULL)) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0')
				return usage_error("option '%s' needs a directory", a);
			op->include_dirs[op->ninclude_dirs++] = argv[++i];
		} else if (strncmp(a, "-I", 2) == 0) {
			op->include_dirs[op->ninclude_dirs++] = a + 2;
		}
		else if (is_opt(a, NULL, "--stdlib"))
			slot = &op->stdlib_dir;
		else if (is_opt(a, NULL, "--diagnostics-format"))
			slot = &op->diag_format;
		else if (is_opt(a, NULL, "--format"))
			slot = &op->format;
		else if (is_opt(a, NULL, "--from"))
			slot = &op->q_from;
		else if (is_opt(a, NULL, "--to"))
			slot = &op->q_to;
		else if (is_opt(a, NULL, "--proto"))
			slot = &op->q_proto;
		else if (is_opt(a, NULL, "--port"))
			slot = &op->q_port;
		else if (strncmp(a, "--diagnostics-format=", 21) == 0)
			op->diag_format = a + 21;
		else if (strncmp(a, "--format=", 9) == 0)
			op->format = a + 9;
		else if (a[0] == '-' && a[1] != '\0')
			return usage_error("unknown option '%s'", a);
		else if (op->input == NULL)
			op->input = a;
		else if (op->input2 == NULL && cmd && strcmp(cmd, "diff") == 0)
			op->input2 = a;
		else
			return usage_error("unexpected argument '%s'", a);
		if (slot) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a value", a);
			*slot = argv[++i];
			if (**slot == '\0')
				return usage_error("option '%s' needs a non-empty value", a);
		}
	}
	if (op->max_errors) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(op->max_errors, &end, 10);
		if (*end != '\0' || errno != 0 || v > 1000000 || op->max_errors[0] == '-')
			return usage_error("--max-errors takes a number from 0 to 1000000, "
			    "not '%s'", op->max_errors);
		op->max_errors_n = (unsigned)v;
	}
	if (op->diag_format && strcmp(op->diag_format, "text") &&
	    strcmp(op->diag_format, "json") && strcmp(op->diag_format, "sarif"))
		return usage_error("unknown diagnostics format '%s' (text, json, sarif)",
		    op->diag_format);
	if (cmd && strcmp(cmd, "explain") == 0)
		return cmd_explain(op);
	if (cmd && strcmp(cmd, "flows") == 0)
		return cmd_flows(op);
	if (op->input == NULL)
		return usage_error("%s", "no input file");
	if (cmd && strcmp(cmd, "check") == 0)
		return cmd_check(op);
	if (cmd && strcmp(cmd, "ir") == 0)
		return cmd_ir(op);
	if (cmd && strcmp(cmd, "diff") == 0)
		return cli_diff(op);
	if (cmd && strcmp(cmd, "query") == 0)
		return cli_query(op);
	if (op->target == NULL)
		return usage_error("%s", "no target: give -t asa|srx|f5|haproxy|nft|all "
		    "(or use 'lyncc check')");
	return cmd_compile(op);
}
