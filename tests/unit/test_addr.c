/*
 * test_addr.c - IPv4/IPv6 parse and print, CIDR, containment, allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "addr.h"

static void
roundtrip(const char *in, bool prefix, const char *want)
{
	struct ir_addr a;
	const char *why = NULL;
	char buf[ADDR_STRLEN];

	assert_int_equal(addr_parse(in, &a, prefix, &why), 0);
	assert_null(why);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), want);
}

static void
bad(const char *in, bool prefix, const char *want_why)
{
	struct ir_addr a;
	const char *why = NULL;

	assert_int_equal(addr_parse(in, &a, prefix, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, want_why);
}

static void
test_addr_parse_print_v4(void **state)
{
	(void)state;
	roundtrip("203.0.113.10", false, "203.0.113.10");
	roundtrip("203.0.113.0/24", true, "203.0.113.0/24");
	roundtrip("0.0.0.0/0", true, "0.0.0.0/0");
	roundtrip("10.0.0.1/32", true, "10.0.0.1");
}

static void
test_addr_parse_print_v6(void **state)
{
	(void)state;
	roundtrip("2001:DB8:0:0:0:0:0:1", false, "2001:db8::1");
	roundtrip("2001:db8::/32", true, "2001:db8::/32");
	roundtrip("::1", false, "::1");
	roundtrip("fe80::1:0:0:1", false, "fe80::1:0:0:1");
}

static void
test_addr_rejects(void **state)
{
	(void)state;
	bad("203.0.113.300", false, "not a valid IPv4 address");
	bad("203.0.113", false, "not a valid IPv4 address");
	bad("203.0.113.01", false, "not a valid IPv4 address");
	bad("1.2.3.4.5", false, "not a valid IPv4 address");
	bad("203.0.113.0/24", false, "a host address is expected here, not a prefix");
	bad("203.0.113.1/24", true, "host bits are set below the prefix length");
	bad("203.0.113.0/33", true, "IPv4 prefix length is at most 32");
	bad("2001:db8::/129", true, "IPv6 prefix length is at most 128");
	bad("2001:db8:::1", false, "not a valid IPv6 address");
	bad("10.0.0.0/", true, "bad prefix length");
	bad("10.0.0.0/08", true, "bad prefix length");
}

static void
test_addr_contains_overlap(void **state)
{
	struct ir_addr n, h, o, v6;
	const char *why;

	(void)state;
	assert_int_equal(addr_parse("10.0.0.0/8", &n, true, &why), 0);
	assert_int_equal(addr_parse("10.1.2.3", &h, false, &why), 0);
	assert_int_equal(addr_parse("10.128.0.0/9", &o, true, &why), 0);
	assert_int_equal(addr_parse("2001:db8::1", &v6, false, &why), 0);
	assert_true(addr_contains(&n, &h));
	assert_false(addr_contains(&h, &n));
	assert_true(addr_overlap(&n, &o));
	assert_false(addr_contains(&n, &v6));
	assert_false(addr_overlap(&o, &h));
	assert_true(addr_is_private(&h));
	assert_false(addr_is_private(&v6));
	assert_true(addr_cmp(&n, &h) < 0);
	assert_true(addr_cmp(&h, &v6) < 0);
}

static void
test_addr_allocation(void **state)
{
	struct ir_addr net, a;
	const char *why;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("203.0.113.16/28", &net, true, &why), 0);
	assert_int_equal(addr_usable_hosts(&net), 14);
	assert_int_equal(addr_nth_host(&net, 0, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "203.0.113.17");
	assert_int_equal(addr_nth_host(&net, 13, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "203.0.113.30");
	assert_int_equal(addr_nth_host(&net, 14, &a), -1);
	assert_int_equal(addr_parse("198.51.100.0/31", &net, true, &why), 0);
	assert_int_equal(addr_usable_hosts(&net), 2);
	assert_int_equal(addr_parse("2001:db8::/126", &net, true, &why), 0);
	assert_int_equal(addr_usable_hosts(&net), 3);
	assert_int_equal(addr_nth_host(&net, 0, &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "2001:db8::1");
	assert_int_equal(addr_parse("10.0.0.255/32", &net, true, &why), 0);
	assert_int_equal(addr_usable_hosts(&net), 1);
	assert_string_equal(addr_v4_mask(&(struct ir_addr){ .family = 4, .prefix = 28 },
	    buf, sizeof(buf)), "255.255.255.240");
}

static const char *
special(const char *in)
{
	struct ir_addr a;
	const char *why;

	assert_int_equal(addr_parse(in, &a, true, &why), 0);
	return addr_special(&a);
}

/* issue 13: addresses no interface or party can have (RFC 6890) */
static void
test_addr_special(void **state)
{
	struct ir_addr net, a;
	const char *why;

	(void)state;
	assert_non_null(strstr(special("0.0.0.0"), "unspecified"));
	assert_non_null(strstr(special("255.255.255.255"), "limited broadcast"));
	assert_non_null(strstr(special("127.0.0.1"), "loopback"));
	assert_non_null(strstr(special("127.0.0.0/8"), "loopback"));
	assert_non_null(strstr(special("224.0.0.5"), "multicast"));
	assert_non_null(strstr(special("239.1.0.0/16"), "multicast"));
	assert_non_null(strstr(special("169.254.1.1"), "link-local"));
	assert_non_null(strstr(special("240.0.0.1"), "reserved"));
	assert_non_null(strstr(special("::"), "unspecified"));
	assert_non_null(strstr(special("::1"), "loopback"));
	assert_non_null(strstr(special("fe80::1"), "link-local"));
	assert_non_null(strstr(special("ff02::1"), "multicast"));
	assert_null(special("10.1.2.3"));
	assert_null(special("203.0.113.10"));
	assert_null(special("2001:db8::1"));
	assert_null(special("0.0.0.0/0"));	/* "any": LYNC-E026's */
	assert_null(special("128.0.0.0/1"));	/* wider than a special range */

	assert_int_equal(addr_parse("172.16.20.0/24", &net, true, &why), 0);
	assert_int_equal(addr_parse("172.16.20.0", &a, false, &why), 0);
	assert_true(addr_is_net_or_bcast(&net, &a));
	assert_int_equal(addr_parse("172.16.20.255", &a, false, &why), 0);
	assert_true(addr_is_net_or_bcast(&net, &a));
	assert_int_equal(addr_parse("172.16.20.1", &a, false, &why), 0);
	assert_false(addr_is_net_or_bcast(&net, &a));
	assert_int_equal(addr_parse("10.0.0.0/31", &net, true, &why), 0);
	assert_int_equal(addr_parse("10.0.0.0", &a, false, &why), 0);
	assert_false(addr_is_net_or_bcast(&net, &a));	/* RFC 3021 */
	bad("::ffff:192.0.2.1", false, "an IPv6 address with an embedded IPv4 "
	    "address: write the IPv4 address itself, or the IPv6 address in hex");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse_print_v4),
		cmocka_unit_test(test_addr_parse_print_v6),
		cmocka_unit_test(test_addr_rejects),
		cmocka_unit_test(test_addr_contains_overlap),
		cmocka_unit_test(test_addr_allocation),
		cmocka_unit_test(test_addr_special),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
