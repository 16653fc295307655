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

/* Text of one comment line: every byte outside printable ASCII, '%', and
 * a '\\' that ends the text (a line continuation to some parsers) are
 * written as %XX, so no input (a file name with a newline, an ESC, a CR)
 * can end the comment and start a live line of config. */
void		 lb_put_comment_text(struct strbuf *, const char *);
/* Text for a double-quoted vendor string (F5 description, AS3 remark):
 * only [A-Za-z0-9 _.,:;()/=+-] kept, anything else becomes '_'. */
void		 lb_put_safe_text(struct strbuf *, const char *);
/* The cookie of PERSIST_COOKIE services: MS-WSMAN [MS-HLBREQ], whatever
 * the IR leaves in cookie_name (never "(null)"). */
const char	*lb_cookie_name(const struct ir_lbsvc *);
/* The header lines, each behind prefix ("# ") through lb_put_comment_text,
 * then an empty line. */
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

/*
 * A set of strings (open addressing, FNV-1a), to emit each shared object
 * once in O(1) per lookup instead of comparing with every earlier one.
 * The set owns copies of its strings.
 */
struct lb_strset {
	char	**v;
	size_t	 n, cap;		/* cap: 0 or a power of two */
};
void	lb_strset_init(struct lb_strset *);
/* true when s was not in the set (and is now) */
bool	lb_strset_add(struct lb_strset *, const char *s);
void	lb_strset_free(struct lb_strset *);

/* The F5 administrative partition (tmsh) and AS3 tenant of a site:
 * "lyncc_<site>", sanitized (lb_sanitize) and at most 63 characters. */
const char	*lb_partition(char *buf, size_t len, const struct ir_site *);

/*
 * The HLB as the edge nodes' default gateway (seed 000 HLB requirements:
 * the HLB is the default gateway of the edge's external interfaces; issue
 * 11).  From the IR's lb_forwards of dev (expand.c: one per flow the
 * nodes of an HLB edge pool originate on its external side - the same
 * flows the firewall backends permit):
 *   - a flow whose source is an edge external VIP role (edge.access-vip:
 *     federation SIP 5061 out) leaves from the VIP: one route per node
 *     address of that service, protocol and port, translated to the VIP
 *     (snat_to);
 *   - a flow whose source is the nodes' own addresses (A/V 443/3478,
 *     Access DNS/CRL) leaves with the real address: one route per node
 *     address and protocol, any port, no translation.
 * Order: the IR's flows, then nodes; each route once.  *n gets the count;
 * the array is malloc'd (free it), NULL when there is none.
 */
struct lb_gwroute {
	const struct ir_pool	*pool;
	const struct ir_flow	*flow;		/* the first flow that needs it */
	struct ir_addr		 src;		/* a node address (host) */
	unsigned		 node;		/* 1-based */
	enum ir_svc		 svc;		/* access, webconf or av */
	unsigned		 proto;		/* PROTO_TCP or PROTO_UDP */
	uint16_t		 port;		/* 0: any */
	const struct ir_addr	*snat_to;	/* the VIP, or NULL: real address */
};
struct lb_gwroute	*lb_gateway_routes(const struct ir_site *,
			    const struct ir_device *, size_t *n);
/* Errors for what lb_gateway_routes cannot express: a flow from an edge
 * VIP over a port range (a translated forwarding virtual is per port). */
int	lb_check_gateway(const struct ir_site *, const struct ir_device *,
	    struct diag_ctx *, const char *target);
/* "edge01_gw_n1_access_tcp_5061", "edge01_gw_n2_av_udp" (sanitized) */
const char	*lb_gwroute_name(char *buf, size_t len, const struct lb_gwroute *);
/* "/Common/dmz-ext": the BIG-IP VLAN a forwarding virtual is enabled on,
 * the nodes' external zone's name (a load balancer has no `interface`
 * statement; zone names are letters, digits, -_. and sanitized anyway) */
const char	*lb_gwroute_vlan(char *buf, size_t len, const struct lb_gwroute *);

/*
 * Can this LB target serve dev?  Backends with a limit (HAProxy: no UDP)
 * write the reason, one line, to why and return false; the driver's
 * `-t all` reports it and skips the target for that device.
 */
bool	lb_can_serve_udp_free(const struct ir_device *, struct strbuf *why,
	    const char *target);

#endif /* LYNCC_BACKENDS_LB_COMMON_H */
