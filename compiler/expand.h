/*
 * expand.h - applicable flows, routes, NAT and LB services.
 */
#ifndef LYNCC_COMPILER_EXPAND_H
#define LYNCC_COMPILER_EXPAND_H

#include "ir.h"

void		expand_site(struct arena *, struct ir_site *);
/* Zone route: number of hops (devices) and, if the arrays are given, the
 * devices and zones along it (zones has hops+1 entries); -1 if none. */
int		expand_route(const struct ir_site *, const struct ir_zone *from,
		    const struct ir_zone *to, struct ir_device **hops,
		    struct ir_zone **zones);
/* Fill every firewall's full flow list (ir_device.flows), once. */
void		expand_device_flows(const struct ir_site *);
bool		expand_role_vip(enum ir_role);
enum ir_svc	expand_role_svc(enum ir_role, enum ir_side_kind *);

#endif /* LYNCC_COMPILER_EXPAND_H */
