/*
 * import.h - read a Topology Builder topology (the .tbxml file Topology
 * Builder saves, or the XML of Get-CsTopology -AsXml) and write one .lync
 * site per central site (docs/import.md).
 */
#ifndef LYNCC_COMPILER_IMPORT_H
#define LYNCC_COMPILER_IMPORT_H

#include <stddef.h>

/* Largest topology document read (bytes). */
#define LYNCC_IMPORT_MAX_BYTES	(16u * 1024 * 1024)

struct lyncc_import_site {
	char	*name;		/* the .lync site name (a valid name) */
	char	*text;		/* the .lync file */
	size_t	 len;
};

struct lyncc_import {
	struct lyncc_import_site *sites;	/* one per central site, document order */
	size_t	 nsites;
	char	*diags;		/* "FILE:LINE: error: ..." lines, NUL-terminated */
	unsigned nerrors;
};

/* Import the topology in data (len bytes; name is the file name used in
 * the diagnostics and the header comment).  0 on success; -1 with
 * r->nerrors > 0 and r->diags saying why.  Free r with lyncc_import_free. */
int	lyncc_import_buffer(const char *name, const char *data, size_t len,
	    struct lyncc_import *r);
void	lyncc_import_free(struct lyncc_import *r);

#endif /* LYNCC_COMPILER_IMPORT_H */
