/*
 * policy.c - text forms and generated rule names shared by diff, query and
 * dot (see policy.h).
 */
#include "policy.h"
#include "cli.h"
#include "lyncc.h"

#include <string.h>

char *
pol_ports(struct arena *a, unsigned lo, unsigned hi)
{
	return lo == hi ? arena_printf(a, "%u", lo) : arena_printf(a, "%u-%u", lo, hi);
}

char *
pol_addrs(struct arena *a, const struct ir_addrset *s, const char *sep)
{
	char *t = "";
	char buf[ADDR_STRLEN];
	size_t i;

	if (s->any)
		return "any";
	if (s->n == 0)
		return "(none)";
	for (i = 0; i < s->n; i++)
		t = arena_printf(a, "%s%s%s", t, i ? sep : "",
		    addr_format(&s->v[i], buf, sizeof(buf)));
	return t;
}

char *
pol_path(struct arena *a, const struct ir_flow *f)
{
	char *t = "";
	size_t i;

	if (f->unreachable)
		return "(no route)";
	if (f->npath == 0)
		return "(same zone)";
	for (i = 0; i < f->npath; i++)
		t = arena_printf(a, "%s%s%s", t, i ? " " : "", f->path[i]->name);
	return t;
}

char *
pol_cites(struct arena *a, const struct ir_flowdef *f)
{
	char *t = "";
	size_t i;

	for (i = 0; i < f->ncites; i++)
		t = arena_printf(a, "%s%s%s", t, i ? "; " : "",
		    ir_cite_format(a, &f->cites[i]));
	return t;
}

char *
pol_proto_ports(struct arena *a, unsigned proto, unsigned lo, unsigned hi)
{
	const char *p = proto == PROTO_TCP ? "tcp" : proto == PROTO_UDP ? "udp" :
	    "tcp+udp";

	return arena_printf(a, "%s %s", p, pol_ports(a, lo, hi));
}

char *
pol_rule_name(struct arena *a, const struct lyncc_backend *b,
    const struct ir_device *v, const struct ir_fwflow *ff)
{
	const char *from = ff->from ? ff->from->name : "?";
	const char *to = ff->to ? ff->to->name : "?";

	/* asa.c: one ACL per ingress zone, a comment "! ID: SRC -> DST"
	 * above the flow's ACE in the file (no ACL remark); the ACL is lync-ZONE-TAG (TAG a hash of its
	 * entries, new in each version) on a dedicated firewall, the
	 * interface's own ZONE_access_in on a shared one */
	if (b && strcmp(b->name, "asa") == 0)
		return arena_printf(a, "access-list %s%s%s, entry under \"! %s: %s -> %s\"",
		    v && v->shared ? "" : "lync-", from,
		    v && v->shared ? "_access_in" : "-TAG", ff->flow->id,
		    ff->flow->src.label, ff->flow->dst.label);
	/* srx.c: one policy per flow, named after its ID (made unique in the
	 * document with a -2, -3 suffix when a device has the ID twice) */
	if (b && strcmp(b->name, "srx") == 0)
		return arena_printf(a, "from-zone %s to-zone %s policy %s", from, to,
		    ff->flow->id);
	/* nft.c: one rule per flow and family in chain lyncc_forward, matched
	 * by interface, its comment starting with the flow ID */
	if (b && strcmp(b->name, "nft") == 0 && ff->from && ff->to)
		return arena_printf(a, "chain lyncc_forward: iifname \"%s\" oifname "
		    "\"%s\" ... comment \"%s: ...\"", nft_ifname(a, v, ff->from),
		    nft_ifname(a, v, ff->to), ff->flow->id);
	return arena_printf(a, "%s -> %s: %s", from, to, ff->flow->id);
}

char *
pol_vs_name(struct arena *a, const struct lyncc_backend *b,
    const struct ir_site *site, const struct ir_device *v, const struct ir_lbsvc *s)
{
	char name[LB_NAMELEN], part[LB_NAMELEN];

	lb_svc_name(name, sizeof(name), site, v, s);
	if (b && strcmp(b->name, "haproxy") == 0)
		return arena_printf(a, "frontend vip_%s", name);
	lb_partition(part, sizeof(part), site);
	if (b && strcmp(b->name, "f5-as3") == 0)	/* tenant, application, service */
		return arena_printf(a, "%s/%s/%s_vs", part, v->name, name);
	return arena_printf(a, "ltm virtual /%s/%s_vs", part, name);
}

struct lyncc_unit *
pol_load(const struct cli_opts *o, const char *path, int *rc)
{
	struct lyncc_unit *u = cli_load(o, path, rc);

	if (*rc != LYNCC_EXIT_USAGE)
		cli_report(u, o);
	if (*rc == LYNCC_EXIT_OK)
		return u;
	lyncc_unit_free(u);
	return NULL;
}
