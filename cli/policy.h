/*
 * policy.h - shared helpers of the policy-repository subcommands (diff,
 * query, dot): text forms of IR values and the names the backends give to
 * the rule or virtual server generated from one flow or LB service.
 */
#ifndef LYNCC_CLI_POLICY_H
#define LYNCC_CLI_POLICY_H

#include "ir.h"

struct arena;
struct cli_opts;
struct lyncc_backend;
struct lyncc_unit;

/* "443", "50000-59999" */
char	*pol_ports(struct arena *, unsigned lo, unsigned hi);
/* "any", or the addresses separated by sep */
char	*pol_addrs(struct arena *, const struct ir_addrset *, const char *sep);
/* "fw-ext fw-int", "(same zone)" or "(no route)" */
char	*pol_path(struct arena *, const struct ir_flow *);
/* the flow definition's citations, "; "-separated */
char	*pol_cites(struct arena *, const struct ir_flowdef *);
/* "tcp 443", "udp 3478", "tcp+udp 5060" */
char	*pol_proto_ports(struct arena *, unsigned proto, unsigned lo, unsigned hi);

/*
 * The rule a firewall backend generates for one flow on one firewall:
 *   asa  access-list <ingress zone>_access_in, remark "<flow ID>: SRC -> DST"
 *   srx  from-zone <ingress> to-zone <egress> policy <flow ID>
 *   nft  chain lyncc_forward: iifname "<in>" oifname "<out>" ... comment
 *        "<flow ID>: ..."
 * The one place that knows the backends' naming; diff and query use it.
 */
char	*pol_rule_name(struct arena *, const struct lyncc_backend *,
	    const struct ir_device *, const struct ir_fwflow *);
/* The virtual server an LB backend generates for one LB service on device v
 * (lb_svc_name()):  f5 "ltm virtual /lyncc_SITE/NAME_vs", f5-as3 "lyncc_SITE/DEVICE/NAME_vs"
 * (tenant/application/service), haproxy "frontend
 * vip_NAME". */
char	*pol_vs_name(struct arena *, const struct lyncc_backend *,
	    const struct ir_site *, const struct ir_device *, const struct ir_lbsvc *);

/* Load a site and report its diagnostics on stderr; NULL (and *rc set) if
 * it could not be read or has errors. */
struct lyncc_unit *pol_load(const struct cli_opts *, const char *path, int *rc);

#endif /* LYNCC_CLI_POLICY_H */
