/*
 * ir_names.c - the names of IR values (pool kinds, services, roles ...) and
 * the name lookups of a site.  Below every phase: resolve, expand, the
 * checks and the backends read them, and it calls none of them.
 */
#include "ir.h"
#include "arena.h"
#include "hmap.h"
#include "sources.h"

#include <stdint.h>
#include <string.h>


const char *const ir_pool_kind_name[POOL__N] = {
	"edge", "frontend", "director", "mediation", "pchat", "owa", "rproxy",
};
const char *const ir_svc_name[SVC__N] = {
	"primary", "access", "webconf", "av", "internal", "external", "web-external",
};
const char *const ir_side_name[SIDE__N] = { "internal", "external" };
const char *const ir_lb_name[3] = { "none", "hlb", "dns" };
const char *const ir_persist_name[3] = { "none", "source", "cookie" };
const char *const ir_snat_policy_name[3] = { "allowed", "forbidden", "required" };
const char *const ir_device_kind_name[3] = { "firewall", "loadbalancer", "router" };
const char *const ir_role_name[ROLE__N] = {
	"",
	"edge.access", "edge.access-vip", "edge.webconf",
	"edge.webconf-vip", "edge.av", "edge.av-vip",
	"edge.internal", "edge.internal-vip",
	"frontend", "frontend.vip", "frontend.cms", "frontend.xmpp",
	"director", "director.vip", "mediation", "pchat", "owa",
	"rproxy.internal", "rproxy.external",
	"frontend.web-ext-vip", "director.web-ext-vip",
	"mediation.vip",
	"rproxy.external-vip",
};

/*
 * Name -> index + 1 of each site array, so that a lookup is not a scan
 * (resolving a reference per pool or zone was quadratic).  The arrays only
 * grow, each element keeps its index and name, so the index catches up with
 * the elements added since the last lookup; the first of two equal names
 * wins, as in a scan.  Indexes, not pointers: the stdlib cache replaces the
 * feature array with copies in the same order.
 */
struct ir_name_index {
	struct hmap	 map;
	size_t		 done;		/* elements [0, done) are in map */
};

struct ir_names {
	struct ir_name_index zones, pools, parties, devices, features;
};

void
ir_names_attach(struct ir_site *site, struct arena *a)
{
	struct ir_names *x;

	if (site->names != NULL)
		return;
	x = arena_alloc(a, sizeof(*x));
	hmap_init(&x->zones.map, a);
	hmap_init(&x->pools.map, a);
	hmap_init(&x->parties.map, a);
	hmap_init(&x->devices.map, a);
	hmap_init(&x->features.map, a);
	site->names = x;
}

#define FIND(fn, type, arr, n)						\
type *									\
fn(const struct ir_site *site, const char *name)			\
{									\
	struct ir_name_index *x;					\
	size_t i;							\
	void *v;							\
									\
	if (site->names == NULL) {					\
		for (i = 0; i < site->n; i++)				\
			if (strcmp(site->arr[i]->name, name) == 0)	\
				return site->arr[i];			\
		return NULL;						\
	}								\
	x = &site->names->arr;						\
	for (; x->done < site->n; x->done++)				\
		hmap_sput(&x->map, site->arr[x->done]->name,		\
		    (void *)(uintptr_t)(x->done + 1));			\
	v = hmap_sget(&x->map, name);					\
	return v ? site->arr[(uintptr_t)v - 1] : NULL;			\
}

FIND(ir_zone_find, struct ir_zone, zones, nzones)
FIND(ir_pool_find, struct ir_pool, pools, npools)
FIND(ir_party_find, struct ir_party, parties, nparties)
FIND(ir_device_find, struct ir_device, devices, ndevices)
FIND(ir_feature_find, struct ir_feature, features, nfeatures)

const struct ir_rule *
ir_rule_find(const struct ir_site *site, const char *id)
{
	size_t i;

	for (i = 0; i < site->nrules; i++)
		if (strcmp(site->rules[i]->id, id) == 0)
			return site->rules[i];
	return NULL;
}

bool
ir_feature_on(const struct ir_site *site, const char *name)
{
	struct ir_feature *f = ir_feature_find(site, name);

	return f != NULL && f->on;
}

enum ir_role
ir_role_lookup(const char *s)
{
	int i;

	for (i = 1; i < ROLE__N; i++)
		if (strcmp(ir_role_name[i], s) == 0)
			return (enum ir_role)i;
	return ROLE_NONE;
}

const char *
ir_proto_name(unsigned p)
{
	return p == PROTO_TCP ? "tcp" : p == PROTO_UDP ? "udp" : "tcp-udp";
}

char *
ir_cite_format(struct arena *a, const struct ir_cite *c)
{
	char buf[512];

	if (c->file) {
		source_cite(buf, sizeof(buf), c->file, c->table, c->row);
		return arena_printf(a, "%s", buf);
	}
	return arena_printf(a, "%s: %s", c->table, c->text ? c->text : "");
}
