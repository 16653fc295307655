/*
 * test_parse.c - the scanner and the parser: tokens, locations, blocks,
 * error recovery and the exact diagnostic text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "strbuf.h"

struct fixture {
	struct arena	*a;
	struct diag_ctx	 dc;
	struct parse_ctx pc;
};

static int
parse(struct fixture *f, const char *text)
{
	memset(f, 0, sizeof(*f));
	f->a = arena_new();
	diag_init(&f->dc, f->a);
	f->pc.arena = f->a;
	f->pc.dc = &f->dc;
	f->pc.src = source_new(f->a, "t.lync", NULL, text, strlen(text));
	return ast_parse(&f->pc);
}

static char *
rendered(struct fixture *f)
{
	struct strbuf b;
	char *s;

	sb_init(&b);
	diag_render_text(&f->dc, &b);
	s = arena_strdup(f->a, b.s ? b.s : "");
	sb_free(&b);
	return s;
}

static void
test_parse_words_and_blocks(void **state)
{
	struct fixture f;
	struct ast_stmt *s;

	(void)state;
	assert_int_equal(parse(&f, "# comment\nedge pool e1 < nodes 2; lb hlb; >\n"
	    "zone x external;\n"), 0);
	assert_int_equal(f.pc.top.n, 2);
	s = f.pc.top.v[0];
	assert_int_equal(s->nwords, 3);
	assert_string_equal(s->words[2].text, "e1");
	assert_int_equal(s->words[2].loc.line, 2);
	assert_int_equal(s->words[2].loc.col, 11);
	assert_int_equal(s->words[2].loc.end_col, 12);
	assert_true(s->has_block);
	assert_int_equal(s->nkids, 2);
	assert_string_equal(s->kids[1]->words[1].text, "hlb");
	assert_false(f.pc.top.v[1]->has_block);
	arena_free(f.a);
}

static void
test_scan_token_kinds(void **state)
{
	struct fixture f;
	struct ast_stmt *s;

	(void)state;
	assert_int_equal(parse(&f, "x 203.0.113.0/24 2001:db8::1 50000-59999 "
	    "edge.ext.access-443 \"a \\\"q\\\" \\\\ b\";"), 0);
	s = f.pc.top.v[0];
	assert_int_equal(s->nwords, 6);
	assert_string_equal(s->words[1].text, "203.0.113.0/24");
	assert_string_equal(s->words[2].text, "2001:db8::1");
	assert_string_equal(s->words[3].text, "50000-59999");
	assert_string_equal(s->words[4].text, "edge.ext.access-443");
	assert_int_equal(s->words[5].kind, AST_STRING);
	assert_string_equal(s->words[5].text, "a \"q\" \\ b");
	arena_free(f.a);
}

static void
test_parse_reports_every_error(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(parse(&f, "a b;\n; c d;\nx $ y;\nz \"open\n"), -1);
	assert_string_equal(rendered(&f),
	    "t.lync:2:1: error: unexpected ';'; expected end of file or a word\n"
	    "    2 | ; c d;\n"
	    "      | ^\n"
	    "  hint: a statement starts with a word, as in 'nodes 2;'\n"
	    "t.lync:3:3: error: unexpected character\n"
	    "    3 | x $ y;\n"
	    "      |   ^\n"
	    "  hint: names may use letters, digits and '_.:/-'; put other text in "
	    "double quotes\n"
	    "t.lync:4:3: error: unterminated string\n"
	    "    4 | z \"open\n"
	    "      |   ^~~~~\n"
	    "  hint: close the string with '\"' on the same line\n"
	    "3 errors generated.\n");
	arena_free(f.a);
}

static void
test_parse_unterminated_block(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(parse(&f, "edge pool e <\n  nodes 2;\n"), -1);
	assert_string_equal(rendered(&f),
	    "t.lync:2:11: error: unexpected end of file; expected '>'\n"
	    "    2 |   nodes 2;\n"
	    "      |           ^\n"
	    "t.lync:1:13: note: to close the block opened here\n"
	    "    1 | edge pool e <\n"
	    "      |             ^\n"
	    "1 error generated.\n");
	arena_free(f.a);
}

static void
test_parse_hostile_bytes(void **state)
{
	struct fixture f;
	const char text[] = "a\0b;\n\x01\xff < > > ;;; <<<";

	(void)state;
	memset(&f, 0, sizeof(f));
	f.a = arena_new();
	diag_init(&f.dc, f.a);
	f.pc.arena = f.a;
	f.pc.dc = &f.dc;
	f.pc.src = source_new(f.a, "t.lync", NULL, text, sizeof(text) - 1);
	assert_int_equal(ast_parse(&f.pc), -1);
	assert_true(f.dc.errors >= 1);
	arena_free(f.a);
}

/* issue 13: a BOM at the start is skipped; NUL in a string is an error;
 * nesting past AST_MAX_DEPTH is one clear error, not "memory exhausted". */
static void
test_parse_bom_nul_depth(void **state)
{
	struct fixture f;
	struct strbuf b;
	size_t i;

	(void)state;
	assert_int_equal(parse(&f, "\xef\xbb\xbfsite x;\n"), 0);
	assert_int_equal(f.pc.top.n, 1);
	assert_string_equal(f.pc.top.v[0]->words[0].text, "site");
	arena_free(f.a);

	memset(&f, 0, sizeof(f));
	f.a = arena_new();
	diag_init(&f.dc, f.a);
	f.pc.arena = f.a;
	f.pc.dc = &f.dc;
	f.pc.src = source_new(f.a, "t.lync", NULL, "d \"a\0b\";\n", 10);
	assert_int_equal(ast_parse(&f.pc), -1);
	assert_non_null(strstr(rendered(&f), "t.lync:1:5: error: NUL byte in string"));
	assert_non_null(strstr(rendered(&f), "\"a\\x00b\""));
	arena_free(f.a);

	sb_init(&b);
	for (i = 0; i < 20000; i++)
		sb_puts(&b, "a <");
	assert_int_equal(parse(&f, b.s), -1);
	sb_free(&b);
	assert_int_equal(f.dc.errors, 1);
	assert_non_null(strstr(rendered(&f), "blocks nest too deeply (the limit is 64"));
	arena_free(f.a);
}

/* issue 13: past max_errors, errors are counted, not kept; one line says
 * how many more there were */
static void
test_diag_cap(void **state)
{
	struct fixture f;
	struct strbuf b;
	size_t i;

	(void)state;
	sb_init(&b);
	for (i = 0; i < 1000; i++)
		sb_putc(&b, '>');
	memset(&f, 0, sizeof(f));
	f.a = arena_new();
	diag_init(&f.dc, f.a);
	f.dc.max_errors = 5;
	f.pc.arena = f.a;
	f.pc.dc = &f.dc;
	f.pc.src = source_new(f.a, "t.lync", NULL, b.s, b.len);
	sb_free(&b);
	assert_int_equal(ast_parse(&f.pc), -1);
	assert_int_equal(f.dc.errors, 1000);
	assert_int_equal(f.dc.n, 5);
	assert_non_null(strstr(rendered(&f), "too many diagnostics: 995 more errors not shown"));
	assert_non_null(strstr(rendered(&f), "1000 errors generated."));
	arena_free(f.a);
}

/* control bytes and invalid UTF-8 in messages and lines are escaped */
static void
test_diag_escapes(void **state)
{
	struct fixture f;
	char *r;

	(void)state;
	assert_int_equal(parse(&f, "a \x1b[2J\r;\n"), -1);
	r = rendered(&f);
	assert_null(strchr(r, '\x1b'));
	assert_null(strchr(r, '\r'));
	assert_non_null(strstr(r, "\\x1b[2J"));
	arena_free(f.a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_words_and_blocks),
		cmocka_unit_test(test_scan_token_kinds),
		cmocka_unit_test(test_parse_reports_every_error),
		cmocka_unit_test(test_parse_unterminated_block),
		cmocka_unit_test(test_parse_hostile_bytes),
		cmocka_unit_test(test_parse_bom_nul_depth),
		cmocka_unit_test(test_diag_cap),
		cmocka_unit_test(test_diag_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
