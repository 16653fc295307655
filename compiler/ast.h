/*
 * ast.h - the parse tree of a .lync file.
 *
 * The grammar is deliberately uniform: a file is a list of statements, a
 * statement is a list of words ended by ';' or followed by a '<' ... '>'
 * block of statements.  What the words mean is decided in resolve.c from a
 * table of statement shapes, which is also where "did you mean" comes from.
 *
 *   edge pool e1 < nodes 2; lb hlb; >
 *   ^^^^ ^^^^ ^^   words, then a block with two statements
 */
#ifndef LYNCC_COMPILER_AST_H
#define LYNCC_COMPILER_AST_H

#include "diag.h"

enum ast_word_kind { AST_WORD, AST_STRING };

struct ast_word {
	enum ast_word_kind	 kind;
	const char		*text;
	struct srcloc		 loc;
};

struct ast_stmt {
	struct ast_word		*words;
	size_t			 nwords, capwords;
	struct ast_stmt		**kids;
	size_t			 nkids, capkids;
	int			 has_block;
	struct srcloc		 loc;		/* first word */
	struct srcloc		 block_loc;	/* the '<' */
};

struct ast_list {
	struct ast_stmt		**v;
	size_t			 n, cap;
};

/* Deepest block nesting accepted (docs/language.md, "Limits"). */
#define AST_MAX_DEPTH	64

struct parse_ctx {
	struct arena		*arena;		/* the words' text */
	/* the statements and lists (NULL: arena): an arena of their own can
	 * be freed once the tree is resolved, the text stays */
	struct arena		*tree;
	struct diag_ctx		*dc;
	const struct source	*src;
	struct ast_list		 top;
	/* open '<' locations, for "unterminated block" notes */
	struct srcloc		 open[AST_MAX_DEPTH];
	unsigned		 nopen;
	int			 too_deep;	/* stopped at AST_MAX_DEPTH */
	unsigned		 syntax_errors;
	unsigned		 line, col;	/* scanner position */
	int			 bad_last;	/* after an unterminated string:
						 * the last ';' or '>' it gave */
	/* the words of the statements being read, a stack (a statement's
	 * words end before its block's statements start): each statement
	 * moves its own to the tree at their exact size when it ends */
	struct ast_word		*stage;
	size_t			 nstage, capstage;
};

/* Parse one source into pc->top; syntax errors go to the diag ctx. */
int	ast_parse(struct parse_ctx *pc);

#endif /* LYNCC_COMPILER_AST_H */
