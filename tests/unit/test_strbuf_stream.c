/*
 * test_strbuf_stream.c - a strbuf streaming into a sink (sb_stream, the
 * way lyncc compile writes a config to its temporary file) hands the sink
 * exactly the bytes the same appends leave in a memory strbuf: across
 * chunk boundaries, for every kind of append (putc, putn, putu, the
 * printf fast path, its vsnprintf fallback for the rest of a format whose
 * first part was already appended, JSON strings, one append larger than
 * the chunk),
 * while it buffers about one chunk only.  A write error is kept: the rest
 * is dropped, sb_flush fails with the first errno.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"

/* a sink collecting into a memory strbuf; fail_at: the call that fails
 * (ENOSPC), 0: none */
struct collect {
	struct strbuf	 got;
	unsigned	 calls, fail_at;
	size_t		 largest;	/* largest single write */
};

static int
collect_write(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;

	c->calls++;
	if (c->fail_at && c->calls >= c->fail_at) {
		errno = ENOSPC;
		return -1;
	}
	if (n > c->largest)
		c->largest = n;
	sb_putn(&c->got, s, n);
	return 0;
}

/* s streaming into c through k, chunk bytes at a time */
static void
start(struct strbuf *s, struct sb_sink *k, struct collect *c, size_t chunk,
    unsigned fail_at)
{
	memset(c, 0, sizeof(*c));
	c->fail_at = fail_at;
	sb_init(&c->got);
	memset(k, 0, sizeof(*k));
	k->write = collect_write;
	k->ctx = c;
	sb_init(s);
	sb_stream(s, k, chunk);
}

static char long_text[5000];

/* The same appends, whatever the buffer does with them. */
static void
appends(struct strbuf *b)
{
	int i;

	for (i = 0; i < 300; i++) {
		sb_putc(b, 'a' + i % 26);
		sb_puts(b, " word ");
		sb_putn(b, "0123456789", (size_t)(i % 11));
		sb_putu(b, (unsigned long long)i * 7919u);
		sb_printf(b, " %s=%d/%u/%x %c%%\n", "key", -i, (unsigned)i, (unsigned)i, 'q');
		/* a fast part, then a conversion only vsnprintf does: the rest
		 * of the format goes to vsnprintf, with the arguments left */
		sb_printf(b, "access-list %s %.*s|%5d\n", "acl-name-that-is-long", 7,
		    "extended permit", i);
		sb_printf(b, "%08.3f %-6s|\n", i / 3.0, "x");
		sb_json_str(b, "q\"uote\\ \t\x01 caf\xc3\xa9 \xff");
		sb_putc(b, '\n');
		if (i % 97 == 0)	/* one append larger than any chunk tried */
			sb_puts(b, long_text);
	}
}

static void
same_bytes(size_t chunk)
{
	struct strbuf mem, s;
	struct sb_sink k;
	struct collect c;

	memset(&c, 0, sizeof(c));
	sb_init(&c.got);
	sb_init(&mem);
	appends(&mem);

	memset(&k, 0, sizeof(k));
	k.write = collect_write;
	k.ctx = &c;
	sb_init(&s);
	sb_puts(&s, "before the stream|");	/* text already there is kept */
	sb_stream(&s, &k, chunk);
	appends(&s);
	assert_int_equal(sb_unstream(&s), 0);
	assert_null(s.sink);
	assert_int_equal(s.len, 0);

	assert_int_equal(c.got.len, mem.len + strlen("before the stream|"));
	assert_memory_equal(c.got.s, "before the stream|", strlen("before the stream|"));
	assert_memory_equal(c.got.s + strlen("before the stream|"), mem.s, mem.len);
	assert_int_equal(k.written, c.got.len);
	assert_int_equal(k.err, 0);
	/* it streamed: many writes, none much larger than a chunk or the
	 * longest single append, and the buffer stayed that small */
	assert_true(c.calls > mem.len / (chunk + sizeof(long_text)));
	assert_true(c.largest <= 2 * (chunk + sizeof(long_text)) + 256);
	assert_true(s.cap <= 2 * (chunk + sizeof(long_text)) + 256);
	sb_free(&s);
	sb_free(&mem);
	sb_free(&c.got);
}

static void
test_same_bytes(void **state)
{
	(void)state;
	memset(long_text, 'L', sizeof(long_text) - 1);
	same_bytes(16);
	same_bytes(17);
	same_bytes(100);
	same_bytes(4096);
	same_bytes(1 << 20);	/* output's chunk: nothing flushed before the end */
}

/* By hand: "ab" then "cdef" with a 16-byte chunk is one write at the end. */
static void
test_small(void **state)
{
	struct strbuf s;
	struct sb_sink k;
	struct collect c;

	(void)state;
	start(&s, &k, &c, 16, 0);
	sb_puts(&s, "ab");
	sb_printf(&s, "%s%d", "cd", 42);
	assert_int_equal(c.calls, 0);
	assert_int_equal(sb_flush(&s), 0);
	assert_int_equal(c.calls, 1);
	assert_string_equal(c.got.s, "abcd42");
	/* then 10 and 10 bytes: the second does not fit, the first 10 go */
	sb_puts(&s, "0123456789");
	sb_puts(&s, "abcdefghij");
	assert_int_equal(c.calls, 2);
	assert_string_equal(c.got.s, "abcd420123456789");
	assert_string_equal(s.s, "abcdefghij");
	assert_int_equal(sb_unstream(&s), 0);
	assert_string_equal(c.got.s, "abcd420123456789abcdefghij");
	assert_int_equal(k.written, 26);
	sb_free(&s);
	sb_free(&c.got);
}

/* The second write fails: what follows is dropped, not written, and the
 * error is what sb_flush reports, to the end. */
static void
test_write_error(void **state)
{
	struct strbuf s;
	struct sb_sink k;
	struct collect c;
	int i;

	(void)state;
	start(&s, &k, &c, 64, 2);
	for (i = 0; i < 1000; i++)
		sb_printf(&s, "line %d of the config\n", i);
	assert_int_equal(c.calls, 2);	/* none after the failure */
	assert_int_equal(k.err, ENOSPC);
	assert_true(c.got.len > 0 && c.got.len <= 64);
	assert_int_equal(k.written, c.got.len);
	assert_true(s.cap <= 64);	/* the dropped text did not pile up */
	errno = 0;
	assert_int_equal(sb_flush(&s), -1);
	assert_int_equal(errno, ENOSPC);
	errno = 0;
	assert_int_equal(sb_unstream(&s), -1);
	assert_int_equal(errno, ENOSPC);
	sb_free(&s);
	sb_free(&c.got);
}

/* A memory strbuf is what it was: sb_flush does nothing, keeps it all. */
static void
test_memory(void **state)
{
	struct strbuf s;
	int i;

	(void)state;
	sb_init(&s);
	for (i = 0; i < 100000; i++)
		sb_puts(&s, "0123456789");
	assert_int_equal(sb_flush(&s), 0);
	assert_int_equal(s.len, 1000000);
	assert_null(s.sink);
	sb_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
