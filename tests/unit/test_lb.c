/*
 * test_lb.c - the LB backends' helpers (backends/lb_common.c) and the
 * can_serve hook `-t all` uses (issue 12, item 1):
 *   - HAProxy cannot serve a load balancer with a UDP service: false, and
 *     the reason names the service (A/V STUN UDP 3478 of seed 000's HLB
 *     edge, Gg398739); it can serve a TCP-only one; the F5 targets have no
 *     limit (NULL hook);
 *   - comment text escapes every byte that could end a comment line;
 *   - the string set finds what was added, and only that, across growth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "lb_common.h"
#include "lyncc.h"
#include "strbuf.h"

/* examples/edge-hlb.lync, trimmed: one HLB edge pool, a front end */
static const char site_text[] =
    "site t;\ndomain t.test;\n"
    "features < sip-federation; >\n"
    "party federation-partners < address 198.51.100.0/24; >\n"
    "zone internet external;\n"
    "zone dmz-ext perimeter < networks 203.0.113.0/24; >\n"
    "zone dmz-int perimeter < networks 172.16.20.0/24; >\n"
    "zone corp internal < networks 10.10.0.0/16; >\n"
    "edge pool edge01 < nodes 2; lb hlb;\n"
    "  external < zone dmz-ext; vip access 203.0.113.10; vip webconf 203.0.113.11;\n"
    "    vip av 203.0.113.12;\n"
    "    node 1 < access 203.0.113.21; webconf 203.0.113.22; av 203.0.113.23; >\n"
    "    node 2 < access 203.0.113.31; webconf 203.0.113.32; av 203.0.113.33; > >\n"
    "  internal < zone dmz-int; vip 172.16.20.10; node 1 172.16.20.11; node 2 172.16.20.12; >\n"
    "  snat access webconf; >\n"
    "frontend pool fe01 < nodes 2; lb hlb; zone corp; vip 10.10.1.10;\n"
    "  node 1 10.10.1.11; node 2 10.10.1.12; >\n"
    "firewall fw-ext < between internet dmz-ext; >\n"
    "firewall fw-int < between dmz-int corp; >\n"
    "loadbalancer hlb-ext < serves edge01.external; >\n"
    "loadbalancer hlb-fe < serves fe01; >\n"
    "loadbalancer hlb-int < serves edge01.internal; >\n";

static void
test_can_serve(void **state)
{
	struct lyncc_unit *u = lyncc_unit_new();
	const struct lyncc_backend *ha = backend_find("haproxy");
	struct ir_device *ext, *fe;
	struct strbuf why;

	(void)state;
	assert_int_equal(lyncc_load(u, "t.lync", NULL, site_text, sizeof(site_text) - 1), 0);
	ext = ir_device_find(u->site, "hlb-ext");
	fe = ir_device_find(u->site, "hlb-fe");
	assert_non_null(ext);
	assert_non_null(fe);
	assert_non_null(ha);
	assert_non_null(ha->can_serve);
	sb_init(&why);
	/* the HLB edge's external side: TCP services (and UDP 3478, which
	 * HAProxy leaves out with LYNC-W008), so HAProxy serves it */
	assert_true(ha->can_serve(u->site, ext, &why));
	assert_true(why.len == 0);
	sb_reset(&why);
	assert_true(ha->can_serve(u->site, fe, &why));
	assert_true(why.len == 0);
	assert_true(ha->can_serve(u->site, fe, NULL));
	assert_null(backend_find("f5")->can_serve);
	assert_null(backend_find("f5-as3")->can_serve);
	sb_free(&why);
	lyncc_unit_free(u);
}

static void
test_comment_text(void **state)
{
	struct strbuf b;

	(void)state;
	sb_init(&b);
	lb_put_comment_text(&b, "a\nb\rc\td\x1b%e\\f\x7f\xc3\xa9 g\\");
	assert_string_equal(b.s, "a%0Ab%0Dc%09d%1B%25e\\f%7F%C3%A9 g%5C");
	sb_reset(&b);
	lb_put_safe_text(&b, "x\"y}{z;#\n(1)");
	assert_string_equal(b.s, "x_y__z;__(1)");
	sb_free(&b);
}

static void
test_strset(void **state)
{
	struct lb_strset ss;
	char k[32];
	int i;

	(void)state;
	lb_strset_init(&ss);
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		assert_true(lb_strset_add(&ss, k));
	}
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		assert_false(lb_strset_add(&ss, k));
	}
	assert_true(lb_strset_add(&ss, "key-5000"));
	assert_int_equal(ss.n, 5001);
	lb_strset_free(&ss);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_can_serve),
		cmocka_unit_test(test_comment_text),
		cmocka_unit_test(test_strset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
