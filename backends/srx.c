/*
 * srx.c - Juniper SRX Junos XML backend (placeholder until its issue lands: emits nothing
 * and refuses to run, so no partial config is ever written).
 */
#include "backend.h"

static int
srx_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	(void)site;
	diag_error(dc, &dev->loc, "the 'srx' target is not implemented yet");
	return -1;
}

static int
srx_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	(void)site;
	(void)dev;
	(void)opts;
	(void)out;
	return -1;
}

const struct lyncc_backend srx_backend = {
	.name		= "srx",
	.file_ext	= ".srx.xml",
	.kind		= DEV_FIREWALL,
	.description	= "Juniper SRX Junos XML",
	.check		= srx_check,
	.emit		= srx_emit,
};
