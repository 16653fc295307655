/*
 * strbuf.h - growable byte buffer (malloc-owned) for building output.
 * Backends write their whole output into one strbuf; the driver writes it
 * to the destination only when the compilation succeeded.
 */
#ifndef LYNCC_COMPILER_STRBUF_H
#define LYNCC_COMPILER_STRBUF_H

#include <stddef.h>
#include <stdarg.h>

struct strbuf {
	char	*s;
	size_t	 len, cap;
};

void	sb_init(struct strbuf *);
void	sb_free(struct strbuf *);
void	sb_reset(struct strbuf *);
void	sb_putc(struct strbuf *, char);
void	sb_puts(struct strbuf *, const char *);
void	sb_putn(struct strbuf *, const char *, size_t);
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
