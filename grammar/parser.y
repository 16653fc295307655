/*
 * parser.y - the .lync grammar.
 *
 *   file  : stmt*
 *   stmt  : word+ ';'
 *         | word+ '<' stmt* '>'
 *   word  : WORD | STRING
 *
 * Every action is one constructor call.  Errors recover at the next ';' or
 * '>', so one run reports every syntax error in a file.
 */
%define api.pure full
%define api.prefix {lync_yy}
%define parse.error custom
%define api.location.type {struct srcloc}
%locations
%param { void *scanner }
%parse-param { struct parse_ctx *pc }

%code requires {
#include "ast.h"
#define YYLLOC_DEFAULT(Cur, Rhs, N)					\
	do {								\
		if (N) {						\
			(Cur) = YYRHSLOC(Rhs, 1);			\
			(Cur).end_line = YYRHSLOC(Rhs, N).end_line;	\
			(Cur).end_col = YYRHSLOC(Rhs, N).end_col;	\
		} else {						\
			(Cur) = YYRHSLOC(Rhs, 0);			\
			(Cur).line = (Cur).end_line;			\
			(Cur).col = (Cur).end_col + 1;			\
			(Cur).end_col = (Cur).col;			\
		}							\
	} while (0)
}

%code {
#include "arena.h"
#include <string.h>

int	lync_yylex(LYNC_YYSTYPE *, struct srcloc *, void *);

#define TREE(pc)	((pc)->tree != NULL ? (pc)->tree : (pc)->arena)

static struct ast_stmt *
stmt_new(struct parse_ctx *pc)
{
	return arena_alloc(TREE(pc), sizeof(struct ast_stmt));
}

static struct ast_stmt *
stmt_word(struct parse_ctx *pc, struct ast_stmt *s, enum ast_word_kind k,
    const char *text, const struct srcloc *loc)
{
	struct ast_word *w;

	if (s == NULL) {
		s = stmt_new(pc);
		s->loc = *loc;
		s->capwords = pc->nstage;	/* until stmt_seal: where they start */
	}
	if (pc->nstage == pc->capstage) {
		pc->capstage = pc->capstage ? 2 * pc->capstage : 64;
		pc->stage = xrealloc(pc->stage, pc->capstage * sizeof(*pc->stage));
	}
	w = &pc->stage[pc->nstage++];
	s->nwords++;
	w->kind = k;
	w->text = text;
	w->loc = *loc;
	return s;
}

/* The statement's words, complete: moved from the stack into the tree at
 * their exact size (doubling left as much again, for hundreds of
 * thousands of statements); the stack drops them, and the words of any
 * statement given up inside its block (a syntax error). */
static struct ast_stmt *
stmt_seal(struct parse_ctx *pc, struct ast_stmt *s)
{
	struct ast_word *v = arena_alloc(TREE(pc), s->nwords * sizeof(*v));

	memcpy(v, pc->stage + s->capwords, s->nwords * sizeof(*v));
	pc->nstage = s->capwords;
	s->words = v;
	s->capwords = s->nwords;
	return s;
}

static struct ast_stmt *
stmt_block(struct parse_ctx *pc, struct ast_stmt *s, struct ast_list *kids,
    const struct srcloc *open)
{
	stmt_seal(pc, s);
	s->has_block = 1;
	s->kids = kids->v;
	s->nkids = kids->n;
	s->capkids = kids->cap;
	s->block_loc = *open;
	return s;
}

static struct ast_list *
list_add(struct parse_ctx *pc, struct ast_list *l, struct ast_stmt *s)
{
	if (l == NULL)
		l = arena_alloc(TREE(pc), sizeof(*l));
	if (s != NULL)
		*VEC_PUSH(TREE(pc), l->v, l->n, l->cap) = s;
	return l;
}

static void lync_yyerror(struct srcloc *, void *, struct parse_ctx *, const char *);
}

%union {
	const char		*str;
	struct ast_stmt		*stmt;
	struct ast_list		*list;
}

%token <str> WORD "word" STRING "string"
%token BADSTRING "unterminated string" BADESCAPE "bad escape" JUNK "stray character"
%token BADNUL "NUL byte"
%token END 0 "end of file"

%type <stmt> stmt words
%type <list> stmts

%%

file	: stmts			{ pc->top = *$1; }
	;

stmts	: %empty		{ $$ = list_add(pc, NULL, NULL); }
	| stmts stmt		{ $$ = list_add(pc, $1, $2); }
	;

stmt	: words ';'		{ $$ = stmt_seal(pc, $1); }
	| words '<' stmts '>'	{ $$ = stmt_block(pc, $1, $3, &@2); }
	| error ';'		{ $$ = NULL; yyerrok; }
	| error '>'		{ $$ = NULL; yyerrok; }
	;

words	: WORD			{ $$ = stmt_word(pc, NULL, AST_WORD, $1, &@1); }
	| STRING		{ $$ = stmt_word(pc, NULL, AST_STRING, $1, &@1); }
	| words WORD		{ $$ = stmt_word(pc, $1, AST_WORD, $2, &@2); }
	| words STRING		{ $$ = stmt_word(pc, $1, AST_STRING, $2, &@2); }
	;

%%

static const char *
tok_show(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_YYEOF:	return "end of file";
	case YYSYMBOL_WORD:	return "a word";
	case YYSYMBOL_STRING:	return "a string";
	default:		return yysymbol_name(k);
	}
}

static int
yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, struct parse_ctx *pc)
{
	yysymbol_kind_t la = yypcontext_token(ctx);
	yysymbol_kind_t exp[8];
	int n = yypcontext_expected_tokens(ctx, exp, 8), i;
	const struct srcloc *loc = yypcontext_location(ctx);
	struct diag *d;
	char buf[160] = "";

	(void)scanner;
	if (pc->too_deep)
		return 0;	/* the scanner said why it stopped */
	pc->syntax_errors++;
	if (la == YYSYMBOL_BADNUL) {
		d = diag_error(pc->dc, loc, "NUL byte in string");
		diag_hint(pc->dc, d, "strings are one line of text");
		return 0;
	}
	if (la == YYSYMBOL_BADSTRING) {
		d = diag_error(pc->dc, loc, "unterminated string");
		diag_hint(pc->dc, d, "close the string with '\"' on the same line");
		return 0;
	}
	if (la == YYSYMBOL_BADESCAPE) {
		d = diag_error(pc->dc, loc, "invalid escape in string");
		diag_hint(pc->dc, d, "only \\\" and \\\\ are escapes; strings are one "
		    "line of text");
		return 0;
	}
	if (la == YYSYMBOL_JUNK) {
		d = diag_error(pc->dc, loc, "unexpected character");
		diag_hint(pc->dc, d, "names may use letters, digits and '_.:/-'; "
		    "put other text in double quotes");
		return 0;
	}
	for (i = 0; i < n && n > 0; i++) {
		size_t len = strlen(buf);

		if (exp[i] == YYSYMBOL_STRING)
			continue;	/* "a word" says it */
		snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    len ? " or " : "", tok_show(exp[i]));
	}
	if (la == YYSYMBOL_YYEOF && pc->nopen > 0) {
		d = diag_error(pc->dc, loc, "unexpected end of file; expected '>'");
		diag_note(pc->dc, d, &pc->open[pc->nopen - 1],
		    "to close the block opened here");
		return 0;
	}
	if (la == YYSYMBOL_YYEOF) {
		d = diag_error(pc->dc, loc, "unexpected end of file; expected %s", buf);
		diag_hint(pc->dc, d, "every statement ends with ';'");
		return 0;
	}
	d = diag_error(pc->dc, loc, "unexpected %s; expected %s", tok_show(la), buf);
	if (strcmp(yysymbol_name(la), "';'") == 0 || strcmp(yysymbol_name(la), "'>'") == 0)
		diag_hint(pc->dc, d, "a statement starts with a word, as in 'nodes 2;'");
	return 0;
}

static void
lync_yyerror(struct srcloc *loc, void *scanner, struct parse_ctx *pc, const char *msg)
{
	(void)scanner;
	if (pc->too_deep)
		return;
	pc->syntax_errors++;
	diag_error(pc->dc, loc, "%s", msg);
}
