/*
 * strbuf.c - growable byte buffer.
 */
#include "strbuf.h"
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sb_init(struct strbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
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

static void
sb_reserve(struct strbuf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->s = xrealloc(b->s, b->cap);
}

void
sb_putn(struct strbuf *b, const char *s, size_t n)
{
	sb_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sb_putc(struct strbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		sb_reserve(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void
sb_puts(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* One formatting pass when the result fits the free space (the common
 * case: the buffer doubles), a second only when it did not. */
void
sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	size_t room;

	if (b->cap - b->len < 128)
		sb_reserve(b, 128);
	room = b->cap - b->len;
	va_copy(aq, ap);
	n = vsnprintf(b->s + b->len, room, fmt, aq);
	va_end(aq);
	if (n <= 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		sb_reserve(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
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
