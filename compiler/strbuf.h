/*
 * strbuf.h - growable byte buffer (malloc-owned) for building output.
 * Backends append a device's output to one strbuf.  In memory it holds
 * the whole text; given a sink (sb_stream) it holds at most about one
 * chunk: the text is handed to the sink whenever the buffer is full, so
 * the driver can write a large config to its temporary file as it is
 * generated (compiler/output.c).  A backend only appends: it never reads
 * or patches what it wrote (those bytes may be gone).
 */
#ifndef LYNCC_COMPILER_STRBUF_H
#define LYNCC_COMPILER_STRBUF_H

#include <stddef.h>
#include <stdarg.h>
#include <string.h>

struct sb_sink;

struct strbuf {
	char		*s;
	size_t		 len, cap;
	struct sb_sink	*sink;		/* NULL: everything stays in memory */
};

/* Where a streaming strbuf's text goes (sb_stream). */
struct sb_sink {
	/* write all n bytes: 0, or -1 with errno set */
	int		(*write)(void *ctx, const char *, size_t n);
	void		*ctx;
	int		 err;		/* errno of the first failed write, or 0;
					 * after it the text is dropped */
	size_t		 chunk;		/* the buffer's size (sb_stream) */
	unsigned long long written;	/* bytes handed to write */
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
 * are formatted here; from any other conversion on, the rest of the
 * format goes to vsnprintf (same bytes).  Nothing is taken back. */
void	sb_printf(struct strbuf *, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));
void	sb_vprintf(struct strbuf *, const char *, va_list)
	    __attribute__((__format__(printf, 2, 0)));
/* Length (1-4) of the valid UTF-8 sequence at s, 0 if invalid or at NUL. */
size_t	sb_utf8_seq(const char *s);
/* JSON string literal, with quotes; invalid UTF-8 becomes U+FFFD */
void	sb_json_str(struct strbuf *, const char *);
char	*sb_detach(struct strbuf *);

/* From now on hand b's text to sink whenever about chunk bytes are
 * buffered (the text already in b included); b keeps a chunk-sized
 * buffer.  sb_flush hands over the rest: 0, or -1 with errno the first
 * write error (sink->err).  sb_unstream flushes and detaches the sink. */
void	sb_stream(struct strbuf *, struct sb_sink *, size_t chunk);
int	sb_flush(struct strbuf *);
int	sb_unstream(struct strbuf *);

#endif /* LYNCC_COMPILER_STRBUF_H */
