/*
 * ir_json.h - JSON rendering of the IR.
 */
#ifndef LYNCC_COMPILER_IR_JSON_H
#define LYNCC_COMPILER_IR_JSON_H

#include "ir.h"

struct strbuf;

void	ir_json_site(struct arena *, struct strbuf *, const struct ir_site *);
void	ir_json_flow(struct arena *, struct strbuf *, const struct ir_flow *, int depth);

#endif /* LYNCC_COMPILER_IR_JSON_H */
