/*
 * strbuf.h - growable byte buffer (malloc-owned) for building output.
 * Backends write their whole output into one strbuf; the driver writes it
 * to the destination only when the compilation succeeded.
 */
#ifndef LYNCC_COMPILER_STRBUF_H
#define LYNCC_COMPILER_STRBUF_H

#include <stddef.h>
#include <stdarg.h>
#include <string.h>

struct strbuf {
	char	*s;
	size_t	 len, cap;
};

void	sb_init(struct strbuf *);
void	sb_free(struct strbuf *);
void	sb_reset(struct strbuf *);
/* Make room for n more bytes and the NUL (the slow path of the inline
 * appends below). */
void	sb_grow(struct strbuf *, size_t n);
/* The appends the backends make millions of times are inline: a bounds
 * check, a copy, the NUL kept after the text (b->s is always a string). */
static inline void
sb_putn(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}
static inline void
sb_putc(struct strbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		sb_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}
static inline void
sb_puts(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}
/* Decimal of an unsigned number. */
void	sb_putu(struct strbuf *, unsigned long long);
/* %s %c %d %i %u %x %% with l, ll or z and no flag, width or precision
 * are formatted here; any other format goes to vsnprintf (same bytes). */
void	sb_printf(struct strbuf *, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));
void	sb_vprintf(struct strbuf *, const char *, va_list)
	    __attribute__((__format__(printf, 2, 0)));
/* Length (1-4) of the valid UTF-8 sequence at s, 0 if invalid or at NUL. */
size_t	sb_utf8_seq(const char *s);
/* JSON string literal, with quotes; invalid UTF-8 becomes U+FFFD */
void	sb_json_str(struct strbuf *, const char *);
char	*sb_detach(struct strbuf *);

#endif /* LYNCC_COMPILER_STRBUF_H */
