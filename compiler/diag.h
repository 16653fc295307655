/*
 * diag.h - source files, locations and diagnostics.
 *
 * Diagnostics are records queued on a context and rendered once, at the
 * end, in the order they were reported.  The library never prints on its
 * own.  A record may carry a check ID (LYNC-E012), notes that point at
 * other places, a fix hint and a citation.
 *
 *   site.lync:14:22: error: unknown property 'nodez'; did you mean 'nodes'?
 *      14 |   nodez 2;
 *         |   ^~~~~
 *   hint: ...
 */
#ifndef LYNCC_COMPILER_DIAG_H
#define LYNCC_COMPILER_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct arena;
struct strbuf;

struct source {
	const char	*name;		/* as shown in diagnostics */
	const char	*path;		/* for includes; NULL for embedded */
	const char	*text;		/* NUL-terminated */
	size_t		 len;
	size_t		*lines;		/* offsets of line starts */
	size_t		 nlines;
	bool		 builtin;	/* embedded stdlib */
	bool		 noecho;	/* never quote its lines (did not parse) */
	bool		 has_id;	/* dev/ino valid (a file was read) */
	unsigned long long dev, ino;	/* the file's identity, for include cycles */
};

struct srcloc {
	const struct source	*src;
	unsigned		 line, col;	/* 1-based */
	unsigned		 end_line, end_col;	/* last column, inclusive */
};

enum diag_sev { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_note {
	struct srcloc	 loc;
	char		*msg;
};

struct diag {
	enum diag_sev	 sev;
	const char	*code;		/* check ID or NULL */
	struct srcloc	 loc;
	char		*msg;
	char		*hint;
	char		*cite;
	struct diag_note *notes;
	size_t		 nnotes, capnotes;
};

struct diag_ctx {
	struct arena	*arena;
	struct diag	*v;
	size_t		 n, cap;
	unsigned	 errors, warnings;
	bool		 werror;
	unsigned	 max_errors;	/* per severity; 0: no limit */
	unsigned	 dropped_errors, dropped_warnings;	/* past the cap */
};

/* Default of max_errors (like gcc -fmax-errors); --max-errors N changes it. */
#define DIAG_MAX_ERRORS		50
/* Largest file read (site, include, stdlib), in bytes. */
#define SOURCE_MAX_BYTES	(16u << 20)

struct source	*source_new(struct arena *, const char *name, const char *path,
		    const char *text, size_t len);
struct source	*source_load(struct arena *, const char *path, const char *name,
		    char **err);
/* flags of source_load */
#define SOURCE_REGULAR	1	/* refuse anything but a regular file */
struct source	*source_load_flags(struct arena *, const char *path,
		    const char *name, int flags, char **err);
const char	*source_line(const struct source *, unsigned line, size_t *len);

void		 diag_init(struct diag_ctx *, struct arena *);
struct diag	*diag_add(struct diag_ctx *, enum diag_sev, const char *code,
		    const struct srcloc *, const char *fmt, ...)
		    __attribute__((__format__(printf, 5, 6)));
struct diag	*diag_error(struct diag_ctx *, const struct srcloc *, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
struct diag	*diag_warning(struct diag_ctx *, const struct srcloc *, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
void		 diag_note(struct diag_ctx *, struct diag *, const struct srcloc *,
		    const char *, ...) __attribute__((__format__(printf, 4, 5)));
void		 diag_hint(struct diag_ctx *, struct diag *, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
void		 diag_cite(struct diag_ctx *, struct diag *, const char *);
bool		 diag_failed(const struct diag_ctx *);
void		 diag_render_text(const struct diag_ctx *, struct strbuf *);
/* color: ANSI colours, as gcc -fdiagnostics-color */
void		 diag_render_text_color(const struct diag_ctx *, struct strbuf *,
		    bool color);
void		 diag_render_json(const struct diag_ctx *, struct strbuf *);
/* What a SARIF log says about the tool: its rules (reportingDescriptor
 * objects: the checks) and where to read about it. */
struct diag_rule {
	const char	*id;		/* LYNC-E001 */
	const char	*name;		/* UpperCamelCase identifier */
	const char	*title;		/* shortDescription */
	const char	*help;		/* help text */
	const char	*help_uri;	/* absolute URI or NULL */
	enum diag_sev	 level;		/* defaultConfiguration */
};
struct diag_tool {
	const char		*name, *version, *uri;	/* informationUri */
	const struct diag_rule	*rules;
	size_t			 nrules;
	const char		*other_rule;	/* ruleId of a diagnostic without
						 * a code (one of rules) */
};
void		 diag_render_sarif(const struct diag_ctx *, struct strbuf *,
		    const struct diag_tool *);
/* A file name or path as a URI reference: bytes other than unreserved
 * characters and '/' are percent-encoded ("my site.lync" -> "my%20site.lync",
 * "<stdlib>/edge.lync" -> "%3Cstdlib%3E/edge.lync"). */
void		 diag_uri_encode(struct strbuf *, const char *);

/* s with control bytes and invalid UTF-8 as \xNN (for messages). */
char		*diag_escape(struct arena *, const char *s);

/* Damerau-Levenshtein distance (adjacent swaps cost 1); (size_t)-1 for
 * words longer than 64 bytes. */
size_t		 diag_distance(const char *, const char *);
/* Suggestion: the closest of words[] to s (at most len/3 + 1 edits, and 3),
 * the first of equally close ones; or NULL. */
const char	*diag_suggest(const char *s, const char *const *words, size_t n);

/*
 * diag_suggest for many queries against one long list (a site's pools or
 * zones): each word and its one-letter deletions are indexed once, so a
 * misspelling one edit away is found among the few words that share a
 * deletion with it, not by measuring every word.  The answer is
 * diag_suggest's.  Farther misspellings fall back to measuring every
 * word, with a budget per list of DIAG_WORDS_WORK distance computations
 * (so that thousands of them stay linear): past it, no suggestion
 * (gave_up is set).  words[] must not change while indexed.
 */
#define DIAG_WORDS_WORK		2000000
struct diag_words_key;
struct diag_words {
	const char *const	*words;
	size_t			 n;
	struct diag_words_key	*keys;		/* sorted; built at the first query */
	size_t			 nkeys;
	size_t			 work;		/* distance computations so far */
	bool			 gave_up;	/* the last query hit the budget */
};
void		 diag_words_init(struct diag_words *, const char *const *words, size_t n);
const char	*diag_words_suggest(struct diag_words *, const char *s);
void		 diag_words_free(struct diag_words *);

#endif /* LYNCC_COMPILER_DIAG_H */
