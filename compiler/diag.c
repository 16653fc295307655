/*
 * diag.c - sources, line maps, diagnostic records and their rendering.
 */
#include "diag.h"
#include "arena.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct source *
source_new(struct arena *a, const char *name, const char *path,
    const char *text, size_t len)
{
	struct source *s = arena_alloc(a, sizeof(*s));
	size_t i, n = 1, k = 0;

	s->name = arena_strdup(a, name);
	s->path = path ? arena_strdup(a, path) : NULL;
	s->text = arena_strndup(a, text, len);
	s->len = len;
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			n++;
	s->lines = arena_alloc(a, n * sizeof(size_t));
	s->lines[k++] = 0;
	for (i = 0; i < len; i++)
		if (text[i] == '\n' && k < n)
			s->lines[k++] = i + 1;
	s->nlines = k;
	return s;
}

struct source *
source_load_flags(struct arena *a, const char *path, const char *name,
    int flags, char **err)
{
	bool std = strcmp(path, "-") == 0;
	int fd;
	struct stat st;
	struct strbuf b;
	char buf[8192];
	ssize_t n;
	struct source *s;

	*err = NULL;
	if (std)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_NOCTTY |
	    ((flags & SOURCE_REGULAR) ? O_NONBLOCK : 0))) < 0) {
		*err = arena_printf(a, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || ((flags & SOURCE_REGULAR) && !S_ISREG(st.st_mode)) ||
	    S_ISDIR(st.st_mode)) {
		*err = arena_printf(a, "%s: %s", path, S_ISDIR(st.st_mode) ?
		    "is a directory" : "not a regular file");
		if (!std)
			close(fd);
		return NULL;
	}
	sb_init(&b);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sb_putn(&b, buf, (size_t)n);
		if (b.len > SOURCE_MAX_BYTES) {
			*err = arena_printf(a, "%s: larger than the limit of %u MiB",
			    path, SOURCE_MAX_BYTES >> 20);
			break;
		}
	}
	if (n < 0)
		*err = arena_printf(a, "%s: read error: %s", path, strerror(errno));
	if (!std)
		close(fd);
	if (*err != NULL) {
		sb_free(&b);
		return NULL;
	}
	s = source_new(a, name ? name : (std ? "<stdin>" : path),
	    std ? NULL : path, b.s ? b.s : "", b.len);
	s->has_id = true;
	s->dev = (unsigned long long)st.st_dev;
	s->ino = (unsigned long long)st.st_ino;
	sb_free(&b);
	return s;
}

struct source *
source_load(struct arena *a, const char *path, const char *name, char **err)
{
	return source_load_flags(a, path, name, 0, err);
}

const char *
source_line(const struct source *s, unsigned line, size_t *len)
{
	size_t start, end;

	if (s == NULL || line == 0 || line > s->nlines)
		return NULL;
	start = s->lines[line - 1];
	end = start;
	while (end < s->len && s->text[end] != '\n' && s->text[end] != '\r')
		end++;
	*len = end - start;
	return s->text + start;
}

void
diag_init(struct diag_ctx *dc, struct arena *a)
{
	memset(dc, 0, sizeof(*dc));
	dc->arena = a;
}

static __attribute__((__format__(printf, 5, 0))) struct diag *
diag_vadd(struct diag_ctx *dc, enum diag_sev sev, const char *code,
    const struct srcloc *loc, const char *fmt, va_list ap)
{
	struct diag *d;

	if (sev == DIAG_WARNING && dc->werror)
		sev = DIAG_ERROR;
	/* past the cap, count but do not keep: the caller's notes and hints
	 * go to a scratch record that is never rendered */
	if (dc->max_errors && sev != DIAG_NOTE &&
	    (sev == DIAG_ERROR ? dc->errors : dc->warnings) >= dc->max_errors) {
		if (sev == DIAG_ERROR)
			dc->errors++, dc->dropped_errors++;
		else
			dc->warnings++, dc->dropped_warnings++;
		return NULL;
	}
	d = VEC_PUSH(dc->arena, dc->v, dc->n, dc->cap);
	memset(d, 0, sizeof(*d));
	d->sev = sev;
	d->code = code;
	if (loc)
		d->loc = *loc;
	d->msg = arena_vprintf(dc->arena, fmt, ap);
	if (sev == DIAG_ERROR)
		dc->errors++;
	else if (sev == DIAG_WARNING)
		dc->warnings++;
	return d;
}

struct diag *
diag_add(struct diag_ctx *dc, enum diag_sev sev, const char *code,
    const struct srcloc *loc, const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, fmt);
	d = diag_vadd(dc, sev, code, loc, fmt, ap);
	va_end(ap);
	return d;
}

struct diag *
diag_error(struct diag_ctx *dc, const struct srcloc *loc, const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, fmt);
	d = diag_vadd(dc, DIAG_ERROR, NULL, loc, fmt, ap);
	va_end(ap);
	return d;
}

struct diag *
diag_warning(struct diag_ctx *dc, const struct srcloc *loc, const char *fmt, ...)
{
	va_list ap;
	struct diag *d;

	va_start(ap, fmt);
	d = diag_vadd(dc, DIAG_WARNING, NULL, loc, fmt, ap);
	va_end(ap);
	return d;
}

void
diag_note(struct diag_ctx *dc, struct diag *d, const struct srcloc *loc,
    const char *fmt, ...)
{
	va_list ap;
	struct diag_note *n;

	if (d == NULL)
		return;
	n = VEC_PUSH(dc->arena, d->notes, d->nnotes, d->capnotes);
	memset(n, 0, sizeof(*n));
	if (loc)
		n->loc = *loc;
	va_start(ap, fmt);
	n->msg = arena_vprintf(dc->arena, fmt, ap);
	va_end(ap);
}

void
diag_hint(struct diag_ctx *dc, struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	d->hint = arena_vprintf(dc->arena, fmt, ap);
	va_end(ap);
}

void
diag_cite(struct diag_ctx *dc, struct diag *d, const char *cite)
{
	if (d != NULL && cite != NULL)
		d->cite = arena_strdup(dc->arena, cite);
}

bool
diag_failed(const struct diag_ctx *dc)
{
	return dc->errors > 0;
}

static const char *const sev_name[] = { "error", "warning", "note" };

/* Width of byte p[0] as sb_put_text prints it: 1, or 4 for "\xNN". */
static size_t
text_width(const char *p, size_t *seq)
{
	unsigned char c = (unsigned char)*p;

	*seq = 1;
	if (c == '\t')
		return 1;
	if (c < 0x20 || c == 0x7f)
		return 4;
	if (c >= 0x80) {
		if ((*seq = sb_utf8_seq(p)) == 0) {
			*seq = 1;
			return 4;
		}
		/* U+FEFF, a byte order mark, shows as nothing */
		return memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 0 : 1;
	}
	return 1;
}

/* Text from the input, on a terminal or in a CI log: control bytes (ESC,
 * CR, ...) and invalid UTF-8 as \xNN, tabs as spaces, so no input can
 * move the cursor, recolour the terminal or forge a log line. */
static void
sb_put_text(struct strbuf *b, const char *s, size_t len)
{
	size_t i, seq;

	for (i = 0; i < len; i += seq) {
		size_t w = text_width(s + i, &seq);

		if (i + seq > len)
			seq = 1, w = 4;
		if (s[i] == '\t')
			sb_putc(b, ' ');
		else if (w == 4)
			sb_printf(b, "\\x%02x", (unsigned char)s[i]);
		else
			sb_putn(b, s + i, seq);
	}
}

static void
sb_put_textz(struct strbuf *b, const char *s)
{
	sb_put_text(b, s, strlen(s));
}

char *
diag_escape(struct arena *a, const char *s)
{
	struct strbuf b;
	char *r;

	sb_init(&b);
	sb_put_textz(&b, s);
	r = arena_strdup(a, b.s ? b.s : "");
	sb_free(&b);
	return r;
}

/* ANSI colours of the text format, gcc's: bold location, bold red error,
 * bold magenta warning, bold cyan note, bold green caret. */
#define COLOR_BOLD	"\033[1m"
#define COLOR_RESET	"\033[0m"
#define COLOR_CARET	"\033[1;32m"
static const char *const sev_color[] = { "\033[1;31m", "\033[1;35m", "\033[1;36m" };

/* Print the source line and a caret line under loc, gcc style.  A long
 * line is cut to a window around the caret; a source marked noecho (an
 * include that did not parse as .lync) is never shown. */
#define SNIPPET_MAX	160
static void
render_snippet(struct strbuf *b, const struct srcloc *loc, bool color)
{
	const char *line;
	size_t len, i, seq, from = 0, to;
	unsigned end;
	char num[16];
	int w;

	if (loc->src == NULL || loc->src->noecho ||
	    (line = source_line(loc->src, loc->line, &len)) == NULL)
		return;
	end = (loc->end_line == loc->line) ? loc->end_col : (unsigned)len;
	if (loc->col > SNIPPET_MAX / 2 && len > SNIPPET_MAX)
		from = loc->col - SNIPPET_MAX / 2;
	to = len - from > SNIPPET_MAX ? from + SNIPPET_MAX : len;
	/* do not cut a UTF-8 sequence */
	while (from > 0 && ((unsigned char)line[from] & 0xc0) == 0x80)
		from--;
	while (to < len && ((unsigned char)line[to] & 0xc0) == 0x80)
		to++;
	w = snprintf(num, sizeof(num), "%u", loc->line);
	if (w < 4)
		w = 4;
	sb_printf(b, " %*u | %s", w, loc->line, from ? "..." : "");
	sb_put_text(b, line + from, to - from);
	sb_puts(b, to < len ? "...\n" : "\n");
	sb_printf(b, " %*s | %s", w, "", from ? "   " : "");
	for (i = from; i + 1 < loc->col && i < to; i += seq) {
		size_t k, tw = text_width(line + i, &seq);

		for (k = 0; k < tw; k++)
			sb_putc(b, ' ');
	}
	sb_puts(b, color ? COLOR_CARET "^" : "^");
	for (i = loc->col; i < end && i < to; i += seq) {
		size_t k, tw = text_width(line + i, &seq);

		for (k = 0; k < tw; k++)
			sb_putc(b, '~');
	}
	sb_puts(b, color ? COLOR_RESET "\n" : "\n");
}

static void
render_prefix(struct strbuf *b, const struct srcloc *loc, enum diag_sev sev,
    const char *code, const char *msg, bool color)
{
	if (color)
		sb_puts(b, COLOR_BOLD);
	if (loc->src) {
		sb_put_textz(b, loc->src->name);
		sb_printf(b, ":%u:%u: ", loc->line, loc->col);
	} else
		sb_puts(b, "lyncc: ");
	if (color)
		sb_printf(b, COLOR_RESET "%s%s:" COLOR_RESET " ", sev_color[sev],
		    sev_name[sev]);
	else
		sb_printf(b, "%s: ", sev_name[sev]);
	sb_put_textz(b, msg);
	if (code)
		sb_printf(b, " [%s]", code);
	sb_putc(b, '\n');
}

void
diag_render_text(const struct diag_ctx *dc, struct strbuf *b)
{
	diag_render_text_color(dc, b, false);
}

void
diag_render_text_color(const struct diag_ctx *dc, struct strbuf *b, bool color)
{
	size_t i, j;

	for (i = 0; i < dc->n; i++) {
		const struct diag *d = &dc->v[i];

		render_prefix(b, &d->loc, d->sev, d->code, d->msg, color);
		render_snippet(b, &d->loc, color);
		for (j = 0; j < d->nnotes; j++) {
			render_prefix(b, &d->notes[j].loc, DIAG_NOTE, NULL,
			    d->notes[j].msg, color);
			render_snippet(b, &d->notes[j].loc, color);
		}
		if (d->hint) {
			sb_puts(b, "  hint: ");
			sb_put_textz(b, d->hint);
			sb_putc(b, '\n');
		}
		if (d->cite)
			sb_printf(b, "  see: %s\n", d->cite);
	}
	if (dc->dropped_errors || dc->dropped_warnings) {
		sb_puts(b, "lyncc: too many diagnostics: ");
		if (dc->dropped_errors)
			sb_printf(b, "%u more error%s", dc->dropped_errors,
			    dc->dropped_errors == 1 ? "" : "s");
		if (dc->dropped_errors && dc->dropped_warnings)
			sb_puts(b, " and ");
		if (dc->dropped_warnings)
			sb_printf(b, "%u more warning%s", dc->dropped_warnings,
			    dc->dropped_warnings == 1 ? "" : "s");
		sb_printf(b, " not shown (at most %u of each; --max-errors N "
		    "changes it, 0 shows all)\n", dc->max_errors);
	}
	if (dc->errors || dc->warnings) {
		if (dc->errors)
			sb_printf(b, "%u error%s", dc->errors, dc->errors == 1 ? "" : "s");
		if (dc->errors && dc->warnings)
			sb_puts(b, ", ");
		if (dc->warnings)
			sb_printf(b, "%u warning%s", dc->warnings, dc->warnings == 1 ? "" : "s");
		sb_puts(b, " generated.\n");
	}
}

static void
json_loc(struct strbuf *b, const struct srcloc *loc)
{
	if (loc->src == NULL) {
		sb_puts(b, "null");
		return;
	}
	sb_puts(b, "{\"file\":");
	sb_json_str(b, loc->src->name);
	sb_printf(b, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u}",
	    loc->line, loc->col, loc->end_line ? loc->end_line : loc->line,
	    loc->end_col ? loc->end_col : loc->col);
}

void
diag_render_json(const struct diag_ctx *dc, struct strbuf *b)
{
	size_t i, j;

	sb_puts(b, "{\"diagnostics\":[");
	for (i = 0; i < dc->n; i++) {
		const struct diag *d = &dc->v[i];

		sb_puts(b, i ? ",\n" : "\n");
		sb_puts(b, "{\"severity\":");
		sb_json_str(b, sev_name[d->sev]);
		sb_puts(b, ",\"code\":");
		if (d->code)
			sb_json_str(b, d->code);
		else
			sb_puts(b, "null");
		sb_puts(b, ",\"message\":");
		sb_json_str(b, d->msg);
		sb_puts(b, ",\"location\":");
		json_loc(b, &d->loc);
		sb_puts(b, ",\"hint\":");
		if (d->hint)
			sb_json_str(b, d->hint);
		else
			sb_puts(b, "null");
		sb_puts(b, ",\"citation\":");
		if (d->cite)
			sb_json_str(b, d->cite);
		else
			sb_puts(b, "null");
		sb_puts(b, ",\"notes\":[");
		for (j = 0; j < d->nnotes; j++) {
			sb_puts(b, j ? "," : "");
			sb_puts(b, "{\"message\":");
			sb_json_str(b, d->notes[j].msg);
			sb_puts(b, ",\"location\":");
			json_loc(b, &d->notes[j].loc);
			sb_puts(b, "}");
		}
		sb_puts(b, "]}");
	}
	sb_printf(b, "\n],\"errors\":%u,\"warnings\":%u}\n", dc->errors, dc->warnings);
}

void
diag_uri_encode(struct strbuf *u, const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			sb_putc(u, (char)*p);
		else
			sb_printf(u, "%%%02X", *p);
	}
}

/* A file name as a relative URI reference, as a JSON string. */
static void
sarif_uri(struct strbuf *b, const char *name)
{
	struct strbuf u;

	sb_init(&u);
	diag_uri_encode(&u, name);
	sb_json_str(b, u.s ? u.s : "");
	sb_free(&u);
}

/* A SARIF physicalLocation object. */
static void
sarif_phys(struct strbuf *b, const struct srcloc *loc)
{
	sb_puts(b, "{\"artifactLocation\":{\"uri\":");
	sarif_uri(b, loc->src->name);
	sb_printf(b, "},\"region\":{\"startLine\":%u,\"startColumn\":%u,"
	    "\"endLine\":%u,\"endColumn\":%u}}", loc->line ? loc->line : 1,
	    loc->col ? loc->col : 1,
	    loc->end_line ? loc->end_line : (loc->line ? loc->line : 1),
	    (loc->end_col ? loc->end_col : (loc->col ? loc->col : 1)) + 1);
}

static void
sarif_rule(struct strbuf *b, const struct diag_rule *r)
{
	static const char *const level[] = { "error", "warning", "note" };

	sb_puts(b, "{\"id\": ");
	sb_json_str(b, r->id);
	sb_puts(b, ", \"name\": ");
	sb_json_str(b, r->name);
	sb_puts(b, ",\n         \"shortDescription\": {\"text\": ");
	sb_json_str(b, r->title);
	sb_puts(b, "},\n         \"help\": {\"text\": ");
	sb_json_str(b, r->help);
	sb_puts(b, "}");
	if (r->help_uri) {
		sb_puts(b, ",\n         \"helpUri\": ");
		sb_json_str(b, r->help_uri);
	}
	sb_printf(b, ",\n         \"defaultConfiguration\": {\"level\": \"%s\"}}",
	    level[r->level]);
}

void
diag_render_sarif(const struct diag_ctx *dc, struct strbuf *b,
    const struct diag_tool *t)
{
	size_t i, j, k;
	static const char *const level[] = { "error", "warning", "note" };

	sb_puts(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	    "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
	    "    \"tool\": {\"driver\": {\"name\": ");
	sb_json_str(b, t->name);
	sb_puts(b, ", \"version\": ");
	sb_json_str(b, t->version);
	sb_puts(b, ", \"informationUri\": ");
	sb_json_str(b, t->uri);
	sb_puts(b, ",\n      \"rules\": [");
	for (k = 0; k < t->nrules; k++) {
		sb_puts(b, k ? ",\n        " : "\n        ");
		sarif_rule(b, &t->rules[k]);
	}
	sb_puts(b, t->nrules ? "\n      ]}},\n" : "]}},\n");
	sb_puts(b, "    \"results\": [");
	for (i = 0; i < dc->n; i++) {
		const struct diag *d = &dc->v[i];
		const char *id = d->code ? d->code : t->other_rule;
		struct strbuf m;

		sb_init(&m);
		sb_puts(&m, d->msg);
		if (d->hint)
			sb_printf(&m, " (hint: %s)", d->hint);
		if (d->cite)
			sb_printf(&m, " (see: %s)", d->cite);
		sb_puts(b, i ? ",\n      " : "\n      ");
		sb_puts(b, "{\"ruleId\": ");
		sb_json_str(b, id ? id : "");
		for (k = 0; id && k < t->nrules; k++)
			if (strcmp(t->rules[k].id, id) == 0) {
				sb_printf(b, ", \"ruleIndex\": %zu", k);
				break;
			}
		sb_printf(b, ", \"level\": \"%s\", \"message\": {\"text\": ", level[d->sev]);
		sb_json_str(b, m.s ? m.s : "");
		sb_free(&m);
		sb_puts(b, "}");
		if (d->loc.src) {
			sb_puts(b, ", \"locations\": [{\"physicalLocation\":");
			sarif_phys(b, &d->loc);
			sb_puts(b, "}]");
		}
		if (d->nnotes) {
			int first = 1;

			sb_puts(b, ", \"relatedLocations\": [");
			for (j = 0; j < d->nnotes; j++) {
				if (d->notes[j].loc.src == NULL)
					continue;
				sb_puts(b, first ? "" : ", ");
				first = 0;
				sb_printf(b, "{\"id\": %zu, \"physicalLocation\": ", j);
				sarif_phys(b, &d->notes[j].loc);
				sb_puts(b, ", \"message\": {\"text\": ");
				sb_json_str(b, d->notes[j].msg);
				sb_puts(b, "}}");
			}
			sb_puts(b, "]");
		}
		sb_puts(b, "}");
	}
	sb_puts(b, dc->n ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n");
}

/*
 * Damerau-Levenshtein distance (optimal string alignment): insertions,
 * deletions, substitutions and swaps of two adjacent letters each cost 1,
 * so "dmz-nit" is 1 from "dmz-int" and 2 from "dmz-ext".  Three rows; words
 * longer than 64 bytes are not compared.
 */
size_t
diag_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best;
	size_t rows[3][65], *pp, *p, *c, *t;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	pp = rows[0];
	p = rows[1];
	c = rows[2];
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		c[0] = i;
		for (j = 1; j <= lb; j++) {
			best = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < best)
				best = p[j] + 1;
			if (c[j - 1] + 1 < best)
				best = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			c[j] = best;
		}
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

/* the most edits a suggestion for s may be away */
static size_t
suggest_max(const char *s)
{
	size_t max = strlen(s) / 3 + 1;

	return max > 3 ? 3 : max;
}

/* Is words[i] at distance d a better pick than the best so far?  The
 * closest wins, then the first. */
static void
suggest_consider(size_t d, size_t i, size_t max, size_t *best, size_t *pick)
{
	if (d <= max && (d < *best || (d == *best && i < *pick))) {
		*best = d;
		*pick = i;
	}
}

const char *
diag_suggest(const char *s, const char *const *words, size_t n)
{
	size_t i, best = (size_t)-1, pick = (size_t)-1, max = suggest_max(s);
	size_t ls = strlen(s), lw;

	for (i = 0; i < n; i++) {
		if (words[i] == NULL)
			continue;
		/* a distance is at least the difference of the lengths */
		lw = strlen(words[i]);
		if ((lw > ls ? lw - ls : ls - lw) > max)
			continue;
		suggest_consider(diag_distance(s, words[i]), i, max, &best, &pick);
	}
	return pick == (size_t)-1 ? NULL : words[pick];
}

/* ---- the index of one-letter deletions ---------------------------------- */

struct diag_words_key {
	uint64_t	h;	/* of the word, or of it without one letter */
	size_t		i;	/* words[i] */
};

/* FNV-1a of s[0..len) without the byte at skip (len: none skipped) */
static uint64_t
del_hash(const char *s, size_t len, size_t skip)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t k;

	for (k = 0; k < len; k++)
		if (k != skip) {
			h ^= (unsigned char)s[k];
			h *= 0x100000001b3ULL;
		}
	return h ^ (len - (skip < len));	/* the length: "ab" and "ab\0" differ */
}

static int
key_cmp(const void *a, const void *b)
{
	const struct diag_words_key *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
diag_words_init(struct diag_words *dw, const char *const *words, size_t n)
{
	memset(dw, 0, sizeof(*dw));
	dw->words = words;
	dw->n = n;
}

void
diag_words_free(struct diag_words *dw)
{
	free(dw->keys);
	dw->keys = NULL;
}

static void
words_build(struct diag_words *dw)
{
	size_t i, k, len, cap = 0, n = 0;

	for (i = 0; i < dw->n; i++)
		if (dw->words[i] != NULL && (len = strlen(dw->words[i])) <= 64)
			cap += len + 1;
	dw->keys = xcalloc(cap + 1, sizeof(*dw->keys));
	for (i = 0; i < dw->n; i++) {
		if (dw->words[i] == NULL || (len = strlen(dw->words[i])) > 64)
			continue;
		for (k = 0; k <= len; k++) {
			dw->keys[n].h = del_hash(dw->words[i], len, k);
			dw->keys[n++].i = i;
		}
	}
	qsort(dw->keys, n, sizeof(*dw->keys), key_cmp);
	dw->nkeys = n;
}

/* the first key with hash h, or nkeys */
static size_t
key_lower(const struct diag_words *dw, uint64_t h)
{
	size_t lo = 0, hi = dw->nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dw->keys[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *
diag_words_suggest(struct diag_words *dw, const char *s)
{
	size_t len = strlen(s), max = suggest_max(s), best = (size_t)-1;
	size_t pick = (size_t)-1, k, j, i, lw;

	dw->gave_up = false;
	if (dw->n < 32)
		return diag_suggest(s, dw->words, dw->n);
	if (len > 64)
		return NULL;	/* diag_distance compares no such word */
	if (dw->keys == NULL)
		words_build(dw);
	/*
	 * Every word at most one edit from s shares a key with it: s itself
	 * or s without one letter against the word or the word without one
	 * letter (an insertion, a deletion, a substitution or a swap of two
	 * neighbours is undone by deleting one letter on each side).  So if
	 * one of them is 0 or 1 away, the closest and first of them is the
	 * answer.  Hash collisions only add candidates, which are measured.
	 */
	for (k = 0; k <= len; k++) {
		uint64_t h = del_hash(s, len, k);

		/* (a key is a word or a word less one letter: at most 1 +
		 * 256 x (length + 1) words share it, however long the list) */
		for (j = key_lower(dw, h); j < dw->nkeys && dw->keys[j].h == h; j++)
			suggest_consider(diag_distance(s, dw->words[dw->keys[j].i]),
			    dw->keys[j].i, max, &best, &pick);
	}
	if (best <= 1)
		return dw->words[pick];
	/* two or three edits: every word is measured (the lengths first) */
	best = (size_t)-1;
	pick = (size_t)-1;
	for (i = 0; i < dw->n; i++) {
		if (dw->words[i] == NULL)
			continue;
		lw = strlen(dw->words[i]);
		if ((lw > len ? lw - len : len - lw) > max)
			continue;
		if (dw->work >= DIAG_WORDS_WORK) {
			dw->gave_up = true;
			return NULL;
		}
		dw->work++;
		suggest_consider(diag_distance(s, dw->words[i]), i, max, &best, &pick);
	}
	return pick == (size_t)-1 ? NULL : dw->words[pick];
}
