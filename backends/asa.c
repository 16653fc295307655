/*
 * asa.c - Cisco ASA 9.x CLI backend (placeholder until its issue lands: emits nothing
 * and refuses to run, so no partial config is ever written).
 */
#include "backend.h"

static int
asa_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	(void)site;
	diag_error(dc, &dev->loc, "the 'asa' target is not implemented yet");
	return -1;
}

static int
asa_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	(void)site;
	(void)dev;
	(void)opts;
	(void)out;
	return -1;
}

const struct lyncc_backend asa_backend = {
	.name		= "asa",
	.file_ext	= ".asa.cfg",
	.kind		= DEV_FIREWALL,
	.description	= "Cisco ASA 9.x CLI",
	.check		= asa_check,
	.emit		= asa_emit,
};
