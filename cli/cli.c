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
#include "cli.h"
#include "lyncc.h"

#include <errno.h>
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
"  -Werror, --werror       treat warnings as errors\n"
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

/* Write an output file (lyncc_write_file); say why it failed on stderr. */
int
cli_write(const char *path, const char *data, size_t len)
{
	if (lyncc_write_file(path, data, len) == 0)
		return 0;
	fprintf(stderr, "lyncc: cannot write '%s': %s\n",
	    path && strcmp(path, "-") ? path : "<stdout>", strerror(errno));
	return -1;
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
	h[1] = arena_printf(a, "input: %s", base_name(input));
	h[2] = arena_printf(a, "device: %s (%s)", dev->name, ir_device_kind_name[dev->kind]);
	h[3] = arena_printf(a, "do not edit: change the .lync source and recompile");
	return h;
}

struct out_file {
	const char	*path;
	struct strbuf	 data;
};

/* The devices --device selects (all of them without it). */
static size_t
select_devices(struct lyncc_unit *u, const struct cli_opts *o, int kind,
    const struct ir_device **devs, size_t max)
{
	size_t j, nd = 0;

	for (j = 0; j < u->site->ndevices && nd < max; j++) {
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
plan_jobs(struct lyncc_unit *u, const struct cli_opts *o, struct job *jobs,
    size_t max, bool all, bool dir_mode)
{
	const struct ir_device *devs[64];
	bool ok[64];
	size_t nd, nj = 0, i, j;

	if (o->target == NULL) {
		/* by vendor */
		nd = select_devices(u, o, -1, devs, 64);
		lyncc_check(u, NULL);
		for (i = 0; i < nd && nj < max; i++) {
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
				jobs[nj].b = b;
				jobs[nj++].dev = devs[i];
			}
		}
		return nj;
	}
	if (all) {
		lyncc_check(u, NULL);
		for (i = 0; i < lyncc_nbackends; i++) {
			const struct lyncc_backend *b = lyncc_backends[i];

			nd = select_devices(u, o, (int)b->kind, devs, 64);
			if (nd == 0)
				continue;
			lyncc_target_serves(u, b->name, devs, nd, ok, true);
			for (j = 0; j < nd && nj < max; j++)
				if (ok[j]) {
					jobs[nj].b = b;
					jobs[nj++].dev = devs[j];
				}
		}
		return nj;
	}
	{
		const struct lyncc_backend *b = backend_find(o->target);

		lyncc_check(u, b->name);
		nd = select_devices(u, o, (int)b->kind, devs, 64);
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
			return 0;
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
			return 0;
		}
		for (j = 0; j < nd && nj < max; j++) {
			jobs[nj].b = b;
			jobs[nj++].dev = devs[j];
		}
		return nj;
	}
}

static int
cmd_compile(const struct cli_opts *o)
{
	struct lyncc_unit *u;
	struct job jobs[64 * 8];
	size_t nj, i, nout = 0;
	struct out_file outs[64 * 8];
	int rc;
	bool all = o->target && strcmp(o->target, "all") == 0;
	bool dir_mode = all;
	struct stat st0;

	/* -o DIR (an existing directory, or a name ending in '/'): one file
	 * per device, DIR/<device><ext> */
	if (o->output && strcmp(o->output, "-") != 0 &&
	    ((stat(o->output, &st0) == 0 && S_ISDIR(st0.st_mode)) ||
	    o->output[strlen(o->output) - 1] == '/'))
		dir_mode = true;

	if (all) {
		if (o->output == NULL || strcmp(o->output, "-") == 0)
			return usage_error("%s", "-t all writes one file per target and "
			    "device: give a directory with -o DIR");
	} else if (o->target && backend_find(o->target) == NULL)
		return usage_error("unknown target '%s' (expected asa, srx, f5, haproxy, "
		    "nft or all)", o->target);

	u = cli_load(o, o->input, &rc);
	if (rc == LYNCC_EXIT_USAGE) {
		lyncc_unit_free(u);
		return rc;
	}
	if (rc == LYNCC_EXIT_OK && o->target == NULL) {
		const struct ir_device *devs[64];
		size_t nd = select_devices(u, o, -1, devs, 64), k;
		bool vendors = false;

		for (k = 0; k < nd; k++)
			vendors |= devs[k]->vendor != NULL;
		if (!vendors) {
			lyncc_unit_free(u);
			return usage_error("%s", "no target: give -t asa|srx|f5|haproxy|nft|all, "
			    "declare each device's vendor (vendor asa;), or use 'lyncc check'");
		}
	}
	nj = rc == LYNCC_EXIT_OK ? plan_jobs(u, o, jobs, 64 * 8, all, dir_mode) : 0;
	if (!diag_failed(&u->dc) && nj > 1 && !dir_mode)
		diag_hint(&u->dc, diag_error(&u->dc, NULL, "the site's vendors make %zu "
		    "device files", nj), "write one file per device with -o DIR/, or "
		    "pick one with --device NAME");
	memset(outs, 0, sizeof(outs));
	for (i = 0; i < nj && !diag_failed(&u->dc); i++) {
		const struct lyncc_backend *b = jobs[i].b;
		struct emit_opts eo;
		struct out_file *f = &outs[nout++];

		eo.header = (const char *const *)header_lines(u->arena, o, o->input,
		    jobs[i].dev, b);
		sb_init(&f->data);
		f->path = dir_mode ? arena_printf(u->arena, "%s%s%s%s", o->output,
		    o->output[strlen(o->output) - 1] == '/' ? "" : "/",
		    jobs[i].dev->name, b->file_ext) : o->output;
		if (b->emit(u->site, jobs[i].dev, &eo, &f->data) != 0 &&
		    !diag_failed(&u->dc))
			diag_error(&u->dc, &jobs[i].dev->loc, "the %s backend failed on "
			    "'%s'", b->name, jobs[i].dev->name);
	}
	cli_report(u, o);
	if (diag_failed(&u->dc))
		rc = LYNCC_EXIT_INPUT;
	if (rc == LYNCC_EXIT_OK && dir_mode) {
		struct stat st;

		if (stat(o->output, &st) != 0 && mkdir(o->output, 0755) != 0) {
			fprintf(stderr, "lyncc: cannot create directory '%s': %s\n",
			    o->output, strerror(errno));
			rc = LYNCC_EXIT_USAGE;
		}
	}
	for (i = 0; i < nout; i++) {
		if (rc == LYNCC_EXIT_OK && cli_write(outs[i].path, outs[i].data.s ?
		    outs[i].data.s : "", outs[i].data.len) != 0)
			rc = LYNCC_EXIT_USAGE;
		sb_free(&outs[i].data);
	}
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
	if (rc == LYNCC_EXIT_OK && cli_write(o->output, b.s, b.len) != 0)
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
	if (rc == LYNCC_EXIT_OK && cli_write(o->output, b.s ? b.s : "", b.len) != 0)
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

int
cli_main(int argc, char **argv)
{
	struct cli_opts o;
	int i;
	const char *cmd = NULL;

	memset(&o, 0, sizeof(o));
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
			o.werror = true;
		else if (is_opt(a, NULL, "--no-header"))
			o.no_header = true;
		else if (is_opt(a, NULL, "--all"))
			o.all = true;
		else if (is_opt(a, NULL, "--services"))
			o.services = o.all = true;
		else if (is_opt(a, "-t", "--target"))
			slot = &o.target;
		else if (is_opt(a, "-o", "--output"))
			slot = &o.output;
		else if (is_opt(a, NULL, "--device"))
			slot = &o.device;
		else if (is_opt(a, NULL, "--stdlib"))
			slot = &o.stdlib_dir;
		else if (is_opt(a, NULL, "--diagnostics-format"))
			slot = &o.diag_format;
		else if (is_opt(a, NULL, "--format"))
			slot = &o.format;
		else if (is_opt(a, NULL, "--from"))
			slot = &o.q_from;
		else if (is_opt(a, NULL, "--to"))
			slot = &o.q_to;
		else if (is_opt(a, NULL, "--proto"))
			slot = &o.q_proto;
		else if (is_opt(a, NULL, "--port"))
			slot = &o.q_port;
		else if (strncmp(a, "--diagnostics-format=", 21) == 0)
			o.diag_format = a + 21;
		else if (strncmp(a, "--format=", 9) == 0)
			o.format = a + 9;
		else if (a[0] == '-' && a[1] != '\0')
			return usage_error("unknown option '%s'", a);
		else if (o.input == NULL)
			o.input = a;
		else if (o.input2 == NULL && cmd && strcmp(cmd, "diff") == 0)
			o.input2 = a;
		else
			return usage_error("unexpected argument '%s'", a);
		if (slot) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a value", a);
			*slot = argv[++i];
		}
	}
	if (o.diag_format && strcmp(o.diag_format, "text") &&
	    strcmp(o.diag_format, "json") && strcmp(o.diag_format, "sarif"))
		return usage_error("unknown diagnostics format '%s' (text, json, sarif)",
		    o.diag_format);
	if (cmd && strcmp(cmd, "explain") == 0)
		return cmd_explain(&o);
	if (cmd && strcmp(cmd, "flows") == 0)
		return cmd_flows(&o);
	if (o.input == NULL)
		return usage_error("%s", "no input file");
	if (cmd && strcmp(cmd, "check") == 0)
		return cmd_check(&o);
	if (cmd && strcmp(cmd, "ir") == 0)
		return cmd_ir(&o);
	if (cmd && strcmp(cmd, "diff") == 0)
		return cli_diff(&o);
	if (cmd && strcmp(cmd, "query") == 0)
		return cli_query(&o);
	return cmd_compile(&o);
}
