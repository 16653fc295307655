/*
 * sources.h - the documents the stdlib cites, by the names a reader can
 * look up: each seed page's TechNet ID and its tables by number, and the
 * keys of the other Microsoft and vendor documents (docs/sources.md).
 */
#ifndef LYNCC_COMPILER_SOURCES_H
#define LYNCC_COMPILER_SOURCES_H

struct lyncc_source {
	const char	*file;		/* seed file name, or NULL for a doc key */
	const char	*id;		/* TechNet ID (Gg398739) or doc key */
	const char	*title;		/* English title */
	const char	*url;		/* where to read it, or NULL */
	const char	*const *tables;	/* table names in page order, NULL-ended */
};

extern const struct lyncc_source lyncc_sources[];
extern const unsigned lyncc_nsources;

/* The source named by a seed file name, a TechNet ID or a doc key. */
const struct lyncc_source *source_find(const char *name);
/* 1-based number of a table on a seed page, 0 for a prose section. */
unsigned source_table(const struct lyncc_source *, const char *table);

/* A seed citation as a reader looks it up: "Gg398739 t1 r9" for a table
 * row, "Gg398739 prose 2" for a prose section; a file the table does not
 * know keeps its own name.  Writes at most n bytes (NUL included). */
void source_cite(char *buf, unsigned long n, const char *file, const char *table,
    unsigned row);

#endif /* LYNCC_COMPILER_SOURCES_H */
