/*
 * strbuf.c - growable byte buffer.
 */
#include "strbuf.h"
#include "arena.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sb_init(struct strbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
	b->sink = NULL;
}

void
sb_free(struct strbuf *b)
{
	free(b->s);
	sb_init(b);
}

void
sb_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* Hand the buffered text to the sink (or drop it after a write error);
 * a buffer a long append grew is a chunk again. */
static void
sink_flush(struct strbuf *b)
{
	struct sb_sink *k = b->sink;

	if (b->len != 0 && k->err == 0) {
		errno = 0;
		if (k->write(k->ctx, b->s, b->len) != 0)
			k->err = errno ? errno : EIO;
		else
			k->written += b->len;
	}
	b->len = 0;
	if (b->cap > k->chunk) {
		b->s = xrealloc(b->s, k->chunk);
		b->cap = k->chunk;
	}
	b->s[0] = '\0';
}

void
sb_grow(struct strbuf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	/* streaming: empty the buffer into the sink before growing it */
	if (b->sink != NULL) {
		sink_flush(b);
		if (n + 1 <= b->cap)
			return;
	}
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->s = xrealloc(b->s, b->cap);
}

/* The digits of v at the end of buf[24]; returns where they start. */
static char *
fmt_u(char *end, unsigned long long v)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

void
sb_putu(struct strbuf *b, unsigned long long v)
{
	char buf[24], *p = fmt_u(buf + sizeof(buf), v);

	sb_putn(b, p, (size_t)(buf + sizeof(buf) - p));
}

static void
put_x(struct strbuf *b, unsigned long long v)
{
	char buf[24], *p = buf + sizeof(buf);

	do
		*--p = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	sb_putn(b, p, (size_t)(buf + sizeof(buf) - p));
}

static void
put_d(struct strbuf *b, long long v)
{
	if (v < 0) {
		sb_putc(b, '-');
		sb_putu(b, 0ull - (unsigned long long)v);
	} else
		sb_putu(b, (unsigned long long)v);
}

/* One formatting pass when the result fits the free space (the common
 * case: the buffer doubles), a second only when it did not. */
static void slow_vprintf(struct strbuf *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
slow_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	size_t room;

	if (b->cap - b->len < 128)
		sb_grow(b, 128);
	room = b->cap - b->len;
	va_copy(aq, ap);
	n = vsnprintf(b->s + b->len, room, fmt, aq);
	va_end(aq);
	if (n <= 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		sb_grow(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

/*
 * The formats the backends use by the million, without vsnprintf: a
 * conversion s, c, d, i, u or x with no flag, width or precision and a
 * length of none, l, ll or z, and %%.  At any other conversion the rest
 * of the format, from that conversion on, goes to vsnprintf with the
 * arguments not yet taken (C11 7.21.6.12: ap may have been used by
 * va_arg): the conversions are independent, so the bytes are those of
 * vsnprintf on the whole format, a NULL %s included ("(null)", glibc's).
 * What was appended is never taken back, so a streaming buffer may flush
 * in the middle.
 */
static void
fast_vprintf(struct strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
fast_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *q, *conv;

	for (;;) {
		int lng = 0;	/* 1: l, 2: ll, 3: z */

		for (q = p; *q && *q != '%'; q++)
			;
		if (q > p)
			sb_putn(b, p, (size_t)(q - p));
		if (*q == '\0')
			return;
		conv = q++;
		if (*q == 'l') {
			lng = 1, q++;
			if (*q == 'l')
				lng = 2, q++;
		} else if (*q == 'z')
			lng = 3, q++;
		switch (*q) {
		case '%':
			if (lng)
				goto slow;
			sb_putc(b, '%');
			break;
		case 's': {
			const char *s;

			if (lng)
				goto slow;
			s = va_arg(ap, const char *);
			sb_puts(b, s ? s : "(null)");
			break;
		}
		case 'c':
			if (lng)
				goto slow;
			sb_putc(b, (char)(unsigned char)va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			put_d(b, lng == 0 ? (long long)va_arg(ap, int) :
			    lng == 1 ? (long long)va_arg(ap, long) :
			    lng == 2 ? va_arg(ap, long long) :
			    (long long)va_arg(ap, ptrdiff_t));
			break;
		case 'u':
		case 'x': {
			unsigned long long v = lng == 0 ? va_arg(ap, unsigned) :
			    lng == 1 ? va_arg(ap, unsigned long) :
			    lng == 2 ? va_arg(ap, unsigned long long) :
			    va_arg(ap, size_t);

			if (*q == 'u')
				sb_putu(b, v);
			else
				put_x(b, v);
			break;
		}
		default:
			goto slow;
		}
		p = q + 1;
	}
slow:
	/* the tail of the caller's format, which -Wformat checked whole */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	slow_vprintf(b, conv, ap);
#pragma GCC diagnostic pop
}

void
sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	fast_vprintf(b, fmt, ap);
	if (b->s == NULL)
		sb_grow(b, 0);	/* an empty format: still a string, as before */
}

void
sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

void
sb_json_str(struct strbuf *b, const char *s)
{
	const unsigned char *p;
	size_t n;

	sb_putc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80) {
			/* valid UTF-8 as is; any other byte as U+FFFD, so the
			 * output is always valid JSON */
			if ((n = sb_utf8_seq((const char *)p)) == 0)
				sb_puts(b, "\\ufffd");
			else {
				sb_putn(b, (const char *)p, n);
				p += n - 1;
			}
			continue;
		}
		switch (*p) {
		case '"':	sb_puts(b, "\\\""); break;
		case '\\':	sb_puts(b, "\\\\"); break;
		case '\n':	sb_puts(b, "\\n"); break;
		case '\r':	sb_puts(b, "\\r"); break;
		case '\t':	sb_puts(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sb_printf(b, "\\u%04x", *p);
			else
				sb_putc(b, (char)*p);
		}
	}
	sb_putc(b, '"');
}

size_t
sb_utf8_seq(const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t n, i;
	unsigned long c;

	if (p[0] < 0x80)
		return p[0] ? 1 : 0;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

char *
sb_detach(struct strbuf *b)
{
	char *s = b->s;

	if (s == NULL)
		s = xstrdup("");
	sb_init(b);
	return s;
}

void
sb_stream(struct strbuf *b, struct sb_sink *k, size_t chunk)
{
	b->sink = k;
	if (chunk < 16)
		chunk = 16;
	k->chunk = chunk;
	if (b->cap < chunk) {
		b->s = xrealloc(b->s, chunk);
		b->cap = chunk;
		b->s[b->len] = '\0';
	}
}

int
sb_flush(struct strbuf *b)
{
	if (b->sink == NULL)
		return 0;
	sink_flush(b);
	if (b->sink->err != 0) {
		errno = b->sink->err;
		return -1;
	}
	return 0;
}

int
sb_unstream(struct strbuf *b)
{
	int rc = sb_flush(b), e = errno;

	b->sink = NULL;
	errno = e;
	return rc;
}
