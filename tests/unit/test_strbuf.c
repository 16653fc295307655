/*
 * test_strbuf.c - sb_printf writes exactly what snprintf writes: its own
 * fast path (%s %c %d %i %u %x %% with l, ll, z) and the vsnprintf
 * fallback (flags, widths, precisions, other conversions), the extremes of
 * each integer type, a NULL %s, and text long enough to grow the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"

/* sb_printf onto a buffer already holding "pre:", against snprintf */
#define SAME(...) do {							\
	struct strbuf b_;						\
	char want_[4096];						\
									\
	sb_init(&b_);							\
	sb_puts(&b_, "pre:");						\
	sb_printf(&b_, __VA_ARGS__);					\
	snprintf(want_, sizeof(want_), __VA_ARGS__);			\
	assert_string_equal(b_.s + 4, want_);				\
	assert_int_equal(b_.len, 4 + strlen(want_));			\
	sb_free(&b_);							\
} while (0)

static void
test_fast_conversions(void **state)
{
	(void)state;
	SAME("plain text, no conversion");
	SAME("%s|%s|%c|%%", "a", "", 'z');
	SAME("%d %d %d %i", 0, -1, INT_MIN, INT_MAX);
	SAME("%u %u %x %x", 0u, UINT_MAX, 0u, 0xdeadbeefu);
	SAME("%ld %ld %lu %lx", LONG_MIN, LONG_MAX, ULONG_MAX, ULONG_MAX);
	SAME("%lld %lld %llu %llx", LLONG_MIN, LLONG_MAX, ULLONG_MAX, 255ull);
	SAME("%zu %zx %zd", (size_t)SIZE_MAX, (size_t)4096, (ptrdiff_t)-42);
	SAME("ltm virtual /%s/%s {\n    destination %s:%u\n}\n", "p", "v", "192.0.2.1", 5061u);
	SAME("%s", "trailing text after the last conversion%");
}

static void
test_null_string(void **state)
{
	struct strbuf b;
	const char *volatile none = NULL;	/* not known NULL to the compiler */

	(void)state;
	sb_init(&b);
	sb_printf(&b, "[%s]", none);
	assert_string_equal(b.s, "[(null)]");	/* glibc's, as vsnprintf gave */
	sb_free(&b);
}

static void
test_fallback_formats(void **state)
{
	(void)state;
	SAME("%5d|%-5d|%05u|%02x|%X", 42, 42, 7u, 10u, 0xabcu);
	SAME("%.3s|%10s|%-4s|", "abcdef", "right", "l");
	SAME("%s %5s %d", "mixed", "fast", 1);	/* a fallback after fast ones */
	SAME("%hu %hhu %o %p", (unsigned short)65535, (unsigned char)255, 8u, (void *)0);
	SAME("%.2f %g", 1.5, 0.25);
}

static void
test_growth(void **state)
{
	char big[3000];
	struct strbuf b;
	int i;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	SAME("%s%u%s", big, 12345u, big + 2000);
	SAME("%8s%s", "w", big);			/* the vsnprintf path grows too */
	sb_init(&b);
	for (i = 0; i < 10000; i++)
		sb_printf(&b, "%d,", i);
	assert_int_equal(b.len, 10 + 90 * 2 + 900 * 3 + 9000 * 4 + 10000);
	assert_memory_equal(b.s + b.len - 5, "9999,", 5);
	assert_int_equal(b.s[b.len], '\0');
	sb_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_conversions),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_fallback_formats),
		cmocka_unit_test(test_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
