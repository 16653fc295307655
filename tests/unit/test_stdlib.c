/*
 * test_stdlib.c - the embedded stdlib parses, resolves and checks with
 * zero diagnostics, and every definition carries a citation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lyncc.h"
#include "strbuf.h"

static void
test_stdlib_loads_clean(void **state)
{
	struct lyncc_unit *u = lyncc_unit_new();
	struct strbuf b;

	(void)state;
	assert_true(lyncc_stdlib_nfiles > 0);
	assert_int_equal(lyncc_load(u, "<none>", NULL, NULL, 0), 0);
	assert_int_equal(lyncc_check(u, NULL), 0);
	sb_init(&b);
	diag_render_text(&u->dc, &b);
	assert_string_equal(b.s ? b.s : "", "");
	sb_free(&b);
	assert_int_equal(u->dc.n, 0);
	assert_true(u->site->nflowdefs > 100);
	assert_true(u->site->nlbdefs > 10);
	assert_true(u->site->nrules > 5);
	lyncc_unit_free(u);
}

static void
test_stdlib_every_definition_cited(void **state)
{
	struct lyncc_unit *u = lyncc_unit_new();
	size_t i;

	(void)state;
	assert_int_equal(lyncc_load(u, "<none>", NULL, NULL, 0), 0);
	for (i = 0; i < u->site->nflowdefs; i++) {
		const struct ir_flowdef *f = u->site->flowdefs[i];

		if (f->ncites == 0 || f->note == NULL)
			fail_msg("flow %s has no citation or note", f->id);
		assert_true(strlen(f->id) <= 48);
	}
	for (i = 0; i < u->site->nlbdefs; i++)
		if (u->site->lbdefs[i]->ncites == 0)
			fail_msg("lbservice %s has no citation", u->site->lbdefs[i]->id);
	for (i = 0; i < u->site->nrules; i++)
		if (u->site->rules[i]->ncites == 0 || u->site->rules[i]->note == NULL)
			fail_msg("rule %s has no citation or note", u->site->rules[i]->id);
	lyncc_unit_free(u);
}

static void
test_stdlib_no_site_no_flows(void **state)
{
	struct lyncc_unit *u = lyncc_unit_new();

	(void)state;
	assert_int_equal(lyncc_load(u, "<none>", NULL, NULL, 0), 0);
	assert_int_equal(u->site->nflows, 0);
	assert_int_equal(u->site->nlbsvcs, 0);
	lyncc_unit_free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdlib_loads_clean),
		cmocka_unit_test(test_stdlib_every_definition_cited),
		cmocka_unit_test(test_stdlib_no_site_no_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
