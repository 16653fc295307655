/*
 * test_stdlib_cache.c - a unit whose stdlib was parsed and resolved once
 * (lyncc_stdlib_parse, used by the fuzzer) compiles every example and
 * golden case exactly as a unit that parses the stdlib itself: the same IR
 * JSON, the same diagnostics, the same ASA/SRX/F5/HAProxy configs; and one
 * site's features do not leak into the next site that shares the cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lyncc.h"
#include "arena.h"
#include "backend.h"
#include "ir_json.h"
#include "strbuf.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* everything a unit produces, as one string */
static char *
compile(const struct lyncc_stdlib *cache, const char *text, size_t len)
{
	struct lyncc_unit *u = lyncc_unit_new();
	struct emit_opts eo = { NULL };
	struct strbuf b;
	size_t i, j;

	u->stdlib = cache;
	sb_init(&b);
	if (lyncc_load(u, "site.lync", NULL, text, len) == 0 && lyncc_check(u, NULL) == 0) {
		ir_json_site(u->arena, &b, u->site);
		for (i = 0; i < lyncc_nbackends; i++) {
			unsigned before = u->dc.errors;

			lyncc_check(u, lyncc_backends[i]->name);
			for (j = 0; u->dc.errors == before && j < u->site->ndevices; j++)
				if (u->site->devices[j]->kind == lyncc_backends[i]->kind)
					lyncc_backends[i]->emit(u->site, u->site->devices[j], &eo, &b);
		}
	}
	diag_render_text(&u->dc, &b);
	lyncc_unit_free(u);
	sb_putc(&b, '\0');
	return sb_detach(&b);
}

static unsigned
compare_dir(const struct lyncc_stdlib *cache, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name), len;
		char path[4096 + 256 + 2], *text, *a, *b;

		if (l < 6 || strcmp(e->d_name + l - 5, ".lync") != 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    sizeof(path))
			fail_msg("%s/%s: path too long", dir, e->d_name);
		text = slurp(path, &len);
		a = compile(NULL, text, len);
		b = compile(cache, text, len);
		if (strcmp(a, b) != 0)
			fail_msg("%s: differs with the stdlib cache", path);
		free(a);
		free(b);
		free(text);
		n++;
	}
	closedir(d);
	return n;
}

static void
test_cache_same_output(void **state)
{
	const char *src = getenv("SRCDIR");
	struct lyncc_stdlib *cache = lyncc_stdlib_parse();
	static const char *const dirs[] = { "examples", "tests/golden/check",
	    "tests/golden/resolve", "tests/golden/fw", "tests/golden/lb",
	    "tests/golden/srx", "tests/golden/asa" };
	char dir[4096];
	unsigned n = 0;
	size_t i;
	DIR *d;

	(void)state;
	assert_non_null(src);
	assert_non_null(cache);
	/* twice over: the second pass runs after every site has used the cache */
	for (i = 0; i < 2 * sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", src, dirs[i % (sizeof(dirs) / sizeof(dirs[0]))]);
		if ((d = opendir(dir)) == NULL)
			continue;
		closedir(d);
		n += compare_dir(cache, dir);
	}
	assert_true(n > 20);
	lyncc_stdlib_free(cache);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_same_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
