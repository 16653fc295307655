/*
 * parse.c - run the flex scanner and bison parser over one source.
 */
#include "ast.h"
#include "arena.h"
#include "parser.h"
#define YYSTYPE LYNC_YYSTYPE
#define YYLTYPE LYNC_YYLTYPE
#include "scanner.h"

#include <stdlib.h>
#include <string.h>

int
ast_parse(struct parse_ctx *pc)
{
	yyscan_t sc;
	YY_BUFFER_STATE buf;
	int rc;
	size_t skip;

	memset(&pc->top, 0, sizeof(pc->top));
	pc->stage = NULL;
	pc->nstage = pc->capstage = 0;
	pc->line = 1;
	pc->col = 1;	/* in bytes, as source_line() counts */
	pc->nopen = 0;
	if (lync_yylex_init_extra(pc, &sc) != 0)
		return -1;
	pc->too_deep = 0;
	/* a UTF-8 byte order mark at the start (Windows editors) */
	skip = pc->src->len >= 3 && memcmp(pc->src->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	pc->col += (unsigned)skip;
	buf = lync_yy_scan_bytes(pc->src->text + skip, (int)(pc->src->len - skip), sc);
	rc = lync_yyparse(sc, pc);
	lync_yy_delete_buffer(buf, sc);
	lync_yylex_destroy(sc);
	free(pc->stage);
	pc->stage = NULL;
	pc->nstage = pc->capstage = 0;
	return rc == 0 && pc->syntax_errors == 0 ? 0 : -1;
}
