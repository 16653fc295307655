/*
 * haproxy.c - HAProxy 2.6+ backend (placeholder until its issue lands: emits nothing
 * and refuses to run, so no partial config is ever written).
 */
#include "backend.h"

static int
haproxy_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	(void)site;
	diag_error(dc, &dev->loc, "the 'haproxy' target is not implemented yet");
	return -1;
}

static int
haproxy_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	(void)site;
	(void)dev;
	(void)opts;
	(void)out;
	return -1;
}

const struct lyncc_backend haproxy_backend = {
	.name		= "haproxy",
	.file_ext	= ".haproxy.cfg",
	.kind		= DEV_LB,
	.description	= "HAProxy 2.6+",
	.check		= haproxy_check,
	.emit		= haproxy_emit,
};
