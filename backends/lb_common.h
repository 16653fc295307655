/*
 * lb_common.h - what the load-balancer backends (f5.c, haproxy.c) share:
 * object names, comment blocks, and the checks every LB target makes.
 *
 * Names are "<site>_<pool>_<service id>", with "_<VIP>" appended when one
 * device carries the same service of the same pool on more than one VIP
 * (IPv4 and IPv6), sanitized to [A-Za-z0-9_.-] (anything else becomes
 * '_').  Order is always the IR's: device->lbsvcs in expansion order.
 */
#ifndef LYNCC_BACKENDS_LB_COMMON_H
#define LYNCC_BACKENDS_LB_COMMON_H

#include "backend.h"

#include <stdbool.h>

#define LB_NAMELEN	256

/* The name of one service on its device (see above). */
const char	*lb_svc_name(char *buf, size_t len, const struct ir_site *,
		    const struct ir_device *, const struct ir_lbsvc *);
/* Replace every character outside [A-Za-z0-9_.-] by '_', in place. */
char		*lb_sanitize(char *);
/* "fe01 internal VIP 10.10.1.10 TCP 443" */
const char	*lb_svc_label(char *buf, size_t len, const struct ir_lbsvc *);
/* Plain HTTP web ports (80, 8080): a cookie can be inserted there. */
bool		 lb_http_port(uint16_t);
/* The source-persistence timeout to use: the service's, else 1200 s. */
unsigned	 lb_persist_timeout(const struct ir_lbsvc *);
/* The idle timeout to use: the service's, else 1800 s. */
unsigned	 lb_idle_timeout(const struct ir_lbsvc *);

/* The header lines, each behind prefix ("# "), then an empty line. */
void		 lb_header(struct strbuf *, const struct emit_opts *,
		    const char *prefix);
/* Comment lines that describe a service: what, settings, note, citations. */
void		 lb_describe(struct strbuf *, const struct ir_lbsvc *,
		    const char *prefix);
/* Comment lines for the return routing the transparent services of dev
 * need; false (and nothing written) when none is transparent.  The
 * backend adds how to do it on its device. */
bool		 lb_routing_note(struct strbuf *, const struct ir_device *,
		    const char *prefix);

/*
 * Checks every LB target makes (errors at the pool's `lb` statement):
 * a load balancer that serves pools but carries no service, a service
 * without members, two services on one VIP/protocol/port, and
 * MS-WSMAN cookie persistence on a TLS port (it needs SSL bridging with the
 * web services certificate, which the IR does not carry).
 */
int		 lb_check_common(const struct ir_device *, struct diag_ctx *,
		    const char *target);
/* Where to report a problem with a service. */
const struct srcloc *lb_svc_loc(const struct ir_lbsvc *);

#endif /* LYNCC_BACKENDS_LB_COMMON_H */
