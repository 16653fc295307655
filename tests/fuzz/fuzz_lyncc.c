/*
 * fuzz_lyncc.c - a libFuzzer target over the whole pipeline, in memory:
 * parse, resolve, expand, check (the site's and each target's), every
 * backend's emitter on every device it serves, the IR as JSON, the flow
 * table, and the diagnostics in text, JSON and SARIF.
 *
 * The embedded stdlib is parsed once per process (lyncc_stdlib_parse), not
 * per input.  Built by -DLYNCC_FUZZ=ON with clang (tests/fuzz/run.sh); with
 * any compiler, tests/fuzz/replay.c links the same function into a program
 * that runs the committed corpus (a ctest).
 */
#include "lyncc.h"
#include "arena.h"
#include "backend.h"
#include "flows.h"
#include "ir_json.h"
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

static uint32_t
fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void
emit_all(struct lyncc_unit *u, struct strbuf *b)
{
	static const char *const header[] = { "fuzz", "input: fuzz.lync", NULL };
	struct emit_opts eo = { header };
	size_t i, j;

	for (i = 0; i < lyncc_nbackends; i++) {
		const struct lyncc_backend *be = lyncc_backends[i];
		unsigned before = u->dc.errors;

		/* the CLI emits only what its target's checks accept */
		lyncc_check(u, be->name);
		if (u->dc.errors != before)
			continue;
		for (j = 0; j < u->site->ndevices; j++)
			if (u->site->devices[j]->kind == be->kind) {
				sb_reset(b);
				be->emit(u->site, u->site->devices[j], &eo, b);
			}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lyncc_unit *u;
	struct strbuf b;
	uint32_t h = fnv1a(data, size);

	if (stdlib_parsed == NULL) {
		stdlib_parsed = lyncc_stdlib_parse();
		if (stdlib_parsed == NULL)
			abort();	/* the embedded stdlib does not parse */
		atexit(free_stdlib);
	}
	u = lyncc_unit_new();
	u->stdlib = stdlib_parsed;
	sb_init(&b);
	/* the checks also run after misspelt references only (u->expanded,
	 * lyncc_load() != 0); nothing is emitted after an error */
	(void)lyncc_load(u, "fuzz.lync", NULL, (const char *)data, size);
	if (u->expanded && lyncc_check(u, NULL) == 0) {
		emit_all(u, &b);
		/* the IR's JSON holds the whole stdlib: costly, so for one input
		 * in 16 (chosen by its bytes, so that a run is repeatable) */
		if ((h & 15) == 0) {
			sb_reset(&b);
			ir_json_site(u->arena, &b, u->site);
		}
		sb_reset(&b);
		flows_render(u->arena, u->site, false, "csv", &b);
	}
	sb_reset(&b);
	diag_render_text(&u->dc, &b);
	if ((h & 7) == 1) {	/* JSON and SARIF diagnostics: one input in 8 */
		sb_reset(&b);
		diag_render_json(&u->dc, &b);
		sb_reset(&b);
		diag_render_sarif(&u->dc, &b, lyncc_sarif_tool(u->arena, NULL));
	}
	sb_free(&b);
	lyncc_unit_free(u);
	return 0;
}
