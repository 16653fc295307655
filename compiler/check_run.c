/*
 * check_run.c - the checker's driver: check_site() runs every check in
 * order (check_addr.c, check_site.c) on a context built here.  The checks
 * share only the helpers of check.c, so the layers are
 * check_run.c -> check_addr.c, check_site.c -> check.c.
 */
#include "check_impl.h"
#include "arena.h"
#include "diag.h"

#include <string.h>

static void
cctx_init(struct cctx *cx, struct ir_site *site, struct diag_ctx *dc,
    const struct lyncc_backend *target)
{
	memset(cx, 0, sizeof(*cx));
	cx->site = site;
	cx->dc = dc;
	cx->a = dc->arena;
	cx->target = target;
}

void
check_site_target(struct ir_site *site, struct diag_ctx *dc,
    const struct lyncc_backend *target)
{
	struct cctx cx;

	cctx_init(&cx, site, dc, target);
	check_target(&cx);		/* E017, W003 */
}

void
check_site(struct ir_site *site, struct diag_ctx *dc, const struct lyncc_backend *target)
{
	struct cctx cx;

	cctx_init(&cx, site, dc, target);
	collect_uses(&cx);
	cx.done = arena_alloc(cx.a, (cx.nuses + 1) * sizeof(bool));

	check_edge_snat(&cx);		/* E001 */
	check_edge_addrs(&cx);		/* E002, E003, E010 (extra addresses) */
	check_av_real(&cx);		/* E004 */
	check_conflicts(&cx);		/* E005, E006 (and E002/E004 duplicates) */
	check_edge_subnets(&cx);	/* E007 */
	check_private(&cx);		/* E008 */
	check_families(&cx);		/* E009 */
	check_zone_addrs(&cx);		/* E022 - E026 */
	check_hlb_vip(&cx);		/* E011 */
	check_dns_web(&cx);		/* E012 */
	check_mediation(&cx);		/* E013 */
	check_features(&cx);		/* E014 */
	check_edge_modes(&cx);		/* E015 */
	check_paths(&cx);		/* E016 */
	check_target(&cx);		/* E017, W003 */
	check_edge_nat(&cx);		/* E018, E019 */
	check_stdlib_defs(&cx);		/* E020 */
	check_outside(&cx);		/* E021 */
	check_unused(&cx);		/* W001, W002 */
	check_lb_served(&cx);		/* W004 */
	check_dns_failover(&cx);	/* W005 */
	check_hairpin(&cx);		/* W007 */
	check_gw_media(&cx);		/* W010 */
	check_pstn_gateways(&cx);	/* W011 */
}
