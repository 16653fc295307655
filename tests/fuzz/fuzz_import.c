/*
 * fuzz_import.c - a libFuzzer target over `lyncc import`, in memory:
 * lyncc_import_buffer (compiler/import.c: UTF-16, the DOCTYPE refusal,
 * libxml2 and the topology reader) on the input, then every .lync site it
 * writes through the compiler as `lyncc check` runs it (parse, resolve,
 * expand, the site's checks) and its diagnostics as text.  An imported site
 * may have errors (what a topology does not hold is left to complete); it
 * must not crash the compiler.
 *
 * Built by -DLYNCC_FUZZ=ON with clang (tests/fuzz/run.sh . . . import); with
 * any compiler, tests/fuzz/replay.c links the same function into
 * lyncc_fuzz_import_replay, which runs the committed corpus
 * (tests/fuzz/import-corpus) and the import fixtures (ctest fuzz/import-corpus).
 */
#include "lyncc.h"
#include "import.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lyncc_stdlib *stdlib_parsed;

static void
free_stdlib(void)
{
	lyncc_stdlib_free(stdlib_parsed);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lyncc_import r;
	struct strbuf b;
	size_t i;

	if (size > LYNCC_IMPORT_MAX_BYTES)
		return 0;	/* the CLI refuses it before reading */
	if (lyncc_import_buffer("fuzz.xml", (const char *)data, size, &r) != 0) {
		if (r.nerrors == 0 || r.diags == NULL)
			abort();	/* a failure must say why */
		lyncc_import_free(&r);
		return 0;
	}
	if (stdlib_parsed == NULL) {
		stdlib_parsed = lyncc_stdlib_parse();
		if (stdlib_parsed == NULL)
			abort();	/* the embedded stdlib does not parse */
		atexit(free_stdlib);
	}
	sb_init(&b);
	for (i = 0; i < r.nsites; i++) {
		struct lyncc_unit *u = lyncc_unit_new();

		u->stdlib = stdlib_parsed;
		(void)lyncc_load(u, "fuzz.lync", NULL, r.sites[i].text, r.sites[i].len);
		if (u->expanded)
			(void)lyncc_check(u, NULL);
		sb_reset(&b);
		diag_render_text(&u->dc, &b);
		lyncc_unit_free(u);
	}
	sb_free(&b);
	lyncc_import_free(&r);
	return 0;
}
