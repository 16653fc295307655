/*
 * f5.c - F5 BIG-IP tmsh backend (placeholder until its issue lands: emits nothing
 * and refuses to run, so no partial config is ever written).
 */
#include "backend.h"

static int
f5_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	(void)site;
	diag_error(dc, &dev->loc, "the 'f5' target is not implemented yet");
	return -1;
}

static int
f5_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	(void)site;
	(void)dev;
	(void)opts;
	(void)out;
	return -1;
}

const struct lyncc_backend f5_backend = {
	.name		= "f5",
	.file_ext	= ".f5.tmsh",
	.kind		= DEV_LB,
	.description	= "F5 BIG-IP tmsh",
	.check		= f5_check,
	.emit		= f5_emit,
};
