/*
 * asa.c - Cisco ASA 9.x CLI backend (the 8.3+ object model).
 *
 * One firewall's policy, as CLI lines to paste in configuration mode or to
 * merge with `copy FILE running-config`.  The output is a fixed, small
 * subset of the command reference, in this order:
 *
 *   ! header comments, with the apply/update/rollback procedure
 *   interface IFNAME / nameif ZONE / security-level N / description TEXT
 *                          only for zones the site gave an IFNAME (not on
 *                          a shared firewall)
 *   object network lync-h-203.0.113.21 / host 203.0.113.21
 *   object network lync-n-10.10.0.0_16 / subnet 10.10.0.0 255.255.0.0
 *                          one per address, in address order (IPv6: host
 *                          X::Y, subnet X::/N); the name is the address, so
 *                          every version defines it the same way
 *   object-group network lync-LABEL-TAG / network-object object NAME...
 *                          one per rule endpoint (a role across the pools,
 *                          or a narrowed party); TAG is a hash of the
 *                          members, so a changed group gets a new name and
 *                          never adds to the group an older ACL uses
 *   object-group service lync-tcp-443 / service-object tcp destination eq 443
 *                          one per port set (tcp, udp, tcp-udp; eq or range;
 *                          "source range LO HI" before the destination for
 *                          a flow with documented source ports)
 *   ! ID: SRC -> DST       comments before each ACE (not ACL remarks:
 *   ! ID cite: CITATION    the ASA appends a remark each time the line is
 *                          entered, so re-applying would duplicate them)
 *   access-list ACL extended permit object-group SVC SRC DST
 *                          one ACE per documented flow entering through the
 *                          zone, whatever the number of pools; SRC/DST are
 *                          object-group NAME or, for a documented "any",
 *                          any4 / any6 (any for both families)
 *   access-list ACL extended deny object-group SVC SRC object-group NETS
 *                          before an ACE to "any": the networks of the
 *                          firewall's other legs, so that "any" means the
 *                          egress zone only (as the SRX zone pair does);
 *                          when the egress zone has networks, the ACE
 *                          names them instead of any
 *   access-list ACL extended deny ip any any
 *                          closes every interface's ACL
 *   access-group ACL in interface ZONE
 *                          for the zones the file defines an interface for
 *                          (all zones when it defines none: the nameifs are
 *                          then the zone names)
 *   object network lync-nat-h-172.16.0.23 / host .. / nat (REAL,MAPPED) static ..
 *                          static NAT the site declares
 *   !retire N COMMAND      the commands that remove this version (below)
 *
 * Updates.  ACL names are lync-ZONE-TAG, TAG a hash of the ACL's entries:
 * applying a new version builds its ACLs beside the old ones and moves
 * each interface with one `access-group` command (atomic on the ASA).
 * The old version's ACLs, groups and objects are then removed with the
 * `!retire` lines of the old file that the new file does not have (the
 * header gives the commands): clear configure access-list first (1), then
 * groups (2), then objects (3).  Applying a file twice changes nothing
 * (the file writes no ACL remark, the one entry the ASA would add again).
 *
 * Shared firewalls (`shared;`): the ACEs go at the top of the interface's
 * own ACL (ZONE_access_in, ASDM's name) with `line N`, without the final
 * deny, without interfaces and without access-group; the retire lines
 * delete exactly lyncc's entries.
 *
 * Every name lyncc writes starts with "lync-" (at most 64 characters:
 * letters, digits and .-_), so no site name reads as a keyword (any,
 * any4, interface, ...).  Comments and descriptions are printable ASCII
 * without '?', so no input can start a new command.
 */
#include "backend.h"
#include "arena.h"
#include "fw_common.h"

#include <stdlib.h>
#include <string.h>

#define ASA_NAMELEN	64
#define ASA_NAMECHARS	"._-"
#define ASA_REMARKLEN	100

struct asa {
	struct arena		*a;
	const struct ir_site	*site;
	const struct ir_device	*dev;
	struct strbuf		*out;
	struct fw_model		 m;
	struct fw_svcs		 svcs;		/* port sets as the rules have them */
	const struct fw_grp	**others;	/* per leg: networks of the other legs */
	size_t			*legz;		/* by zone index: its first leg + 1, or 0 */
	size_t			*roff, *rord;	/* by zone index: the rules from it,
						 * rord[roff[z]..roff[z + 1]), in order */
	const char		**acls;		/* per leg: the ACL name */
	bool			*bound;		/* per leg: access-group written */
	struct strbuf		 retire;	/* "!retire N ..." lines */
};

static int
asa_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	return fw_check(site, dev, dc, "asa");
}

static const char *
svc_of(const struct asa *x, const struct ir_flow *fl)
{
	return fw_svc_of(&x->svcs, fl)->name;
}

static size_t
leg_of(const struct asa *x, const struct ir_zone *z)
{
	return x->legz[z->index] ? x->legz[z->index] - 1 : 0;
}

/* The networks an ACE to "any" towards leg i names or denies: the leg's
 * own networks when it has some, else those of the other legs. */
static void
any_nets(const struct ir_device *dev, size_t i, struct arena *a,
    struct ir_addrset *s)
{
	size_t j;

	if (dev->ifaces[i].zone->networks.n) {
		addrset_union(a, s, &dev->ifaces[i].zone->networks);
		return;
	}
	for (j = 0; j < dev->nifaces; j++)
		if (j != i)
			addrset_union(a, s, &dev->ifaces[j].zone->networks);
}

static void
collect(struct asa *x)
{
	const struct ir_device *dev = x->dev;
	struct ir_addrset *nets, extra;
	bool *used;
	size_t i;

	/* the legs that ACEs to "any" leave by */
	x->legz = fw_legs_by_zone(x->a, x->site, dev);
	used = arena_alloc(x->a, (dev->nifaces + 1) * sizeof(*used));
	for (i = 0; i < dev->nfwc; i++)
		if (dev->fwc[i].flow->dst.addrs.any)
			used[leg_of(x, dev->fwc[i].to)] = true;
	nets = arena_alloc(x->a, (dev->nifaces + 1) * sizeof(*nets));
	memset(&extra, 0, sizeof(extra));
	for (i = 0; i < dev->nifaces; i++)
		if (used[i]) {
			any_nets(dev, i, x->a, &nets[i]);
			addrset_sort(&nets[i]);
			addrset_union(x->a, &extra, &nets[i]);
		}
	fw_model_init(&x->m, x->a, dev, false, &extra, FW_TAG_GROUPS, ASA_NAMELEN,
	    ASA_NAMECHARS, FW_PREFIX);
	for (i = 0; i < x->m.nrules; i++) {
		const struct ir_flow *fl = x->m.rules[i].flow;

		fw_svc_add(x->a, &x->svcs, fl->proto, fl->port_lo, fl->port_hi,
		    fl->sport_lo, fl->sport_hi);
	}
	fw_svc_name(&x->m, &x->svcs);
	/* the rules by ingress zone (each leg's ACL walks its own, in order) */
	x->roff = arena_alloc(x->a, (x->site->nzones + 2) * sizeof(*x->roff));
	x->rord = arena_alloc(x->a, (x->m.nrules + 1) * sizeof(*x->rord));
	for (i = 0; i < x->m.nrules; i++)
		x->roff[x->m.rules[i].from->index + 2]++;
	for (i = 0; i < x->site->nzones; i++)
		x->roff[i + 2] += x->roff[i + 1];
	for (i = 0; i < x->m.nrules; i++)
		x->rord[x->roff[x->m.rules[i].from->index + 1]++] = i;
	x->others = arena_alloc(x->a, (dev->nifaces + 1) * sizeof(*x->others));
	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_zone *z = dev->ifaces[i].zone;

		if (used[i] && nets[i].n)
			x->others[i] = fw_model_group(&x->m, fw_printf(x->a, "%s-%s",
			    z->networks.n ? "zone" : "not", z->name), &nets[i]);
	}
}

/* ---- writing --------------------------------------------------------------- */

static void
put_object(struct asa *x, const struct ir_addr *ad, const char *name)
{
	char buf[ADDR_STRLEN], mask[ADDR_STRLEN];
	struct ir_addr net = *ad;

	sb_printf(x->out, "object network %s\n", name);
	if (addr_is_host(ad)) {
		sb_printf(x->out, " host %s\n", addr_format(ad, buf, sizeof(buf)));
		return;
	}
	if (ad->family == 4) {
		net.prefix = 32;
		addr_format(&net, buf, sizeof(buf));
		sb_printf(x->out, " subnet %s %s\n", buf,
		    addr_v4_mask(ad, mask, sizeof(mask)));
	} else
		sb_printf(x->out, " subnet %s\n", addr_format(ad, buf, sizeof(buf)));
}

static const char *
any_text(const struct ir_addrset *other)
{
	switch (fw_families(other)) {
	case 1:
		return "any4";
	case 2:
		return "any6";
	default:
		return "any";
	}
}

static const char *
side_text(struct asa *x, const struct fw_end *e, const struct fw_end *other)
{
	if (e->any)
		return any_text(&other->set);
	return fw_printf(x->a, "object-group %s", e->grp->name);
}

/* One side of an ACE as written: a group's addresses, or any4 / any6 /
 * any (fam: 1 IPv4, 2 IPv6, 3 both). */
struct ace_end {
	const struct ir_addrset	*set;		/* NULL: any of fam */
	unsigned		 fam;
};

/* One permit or deny ACE as written, for asa_decide. */
struct ace {
	bool			 permit;
	const struct fw_rule	*rule;
	const struct fw_svc	*svc;
	struct ace_end		 src, dst;
	const char		*text;		/* after "access-list NAME " */
};

/* One ACL's entries, after "access-list NAME ", one per line; the ACEs
 * among them, in order. */
struct acl {
	struct strbuf	 body;
	struct fw_hash	 seen;
	struct ace	*aces;
	size_t		 naces, capaces;
};

static struct ace_end
any_end(const struct ir_addrset *other)
{
	struct ace_end e = { NULL, 0 };
	unsigned f = fw_families(other);

	e.fam = f == 1 || f == 2 ? f : 3;	/* any_text */
	return e;
}

static struct ace_end
side_end(const struct fw_end *e, const struct fw_end *other)
{
	struct ace_end r = { NULL, 0 };

	if (e->any)
		return any_end(&other->set);	/* side_text */
	r.set = e->grp->set;
	return r;
}

static struct ace_end
grp_end(const struct fw_grp *g)
{
	struct ace_end r = { g->set, 0 };

	return r;
}

static void
ace_add(struct asa *x, struct acl *l, bool permit, const struct fw_rule *r,
    struct ace_end src, struct ace_end dst, const char *text)
{
	struct ace *e = VEC_PUSH(x->a, l->aces, l->naces, l->capaces);

	e->permit = permit;
	e->rule = r;
	e->svc = fw_svc_of(&x->svcs, r->flow);
	e->src = src;
	e->dst = dst;
	e->text = text;
}

static void
acl_line(struct acl *l, const char *fmt, const char *s)
{
	(void)fmt;
	sb_puts(&l->body, s);
	sb_puts(&l->body, "\n");
}

static void
put_remark(struct asa *x, struct acl *l, const char *text)
{
	/* a comment in the file, not an ACL remark: the ASA appends
	 * `access-list NAME remark TEXT` every time it is entered, so a
	 * re-applied unchanged ACL (same name) would gain another copy of
	 * each remark, and no retire line could tell the copies apart */
	acl_line(l, NULL, fw_printf(x->a, "! %s", fw_text(x->a, text, "?",
	    ASA_REMARKLEN)));
}

static void
put_rule(struct asa *x, struct acl *l, const struct fw_rule *r, const char *dst,
    struct ace_end dend)
{
	const struct ir_flow *fl = r->flow;
	const char *ace;
	size_t c;

	put_remark(x, l, fw_printf(x->a, "%s: %s -> %s", fl->id,
	    r->src.any ? fl->src.label : r->src.label,
	    r->dst.any ? fl->dst.label : r->dst.label));
	for (c = 0; c < fl->def->ncites; c++)
		put_remark(x, l, fw_printf(x->a, "%s cite: %s", fl->id,
		    ir_cite_format(x->a, &fl->def->cites[c])));
	ace = fw_printf(x->a, "extended permit object-group %s %s %s", svc_of(x, fl),
	    side_text(x, &r->src, &r->dst), dst);
	if (fw_seen(&l->seen, ace))
		put_remark(x, l, fw_printf(x->a, "%s: an earlier rule in this list "
		    "already permits it", fl->id));
	else {
		acl_line(l, NULL, ace);
		ace_add(x, l, true, r, side_end(&r->src, &r->dst), dend, ace);
	}
}

/* The ACL of one leg: rules with a named destination first, then rules to
 * "any", each after the deny of the other legs' networks (at the end, so
 * that no deny shadows a named permit). */
static void
build_acl(struct asa *x, size_t leg, struct acl *l)
{
	const struct ir_device *dev = x->dev;
	const struct ir_zone *z = dev->ifaces[leg].zone;
	size_t i;
	int pass;

	sb_init(&l->body);
	memset(&l->seen, 0, sizeof(l->seen));
	l->seen.a = x->a;
	l->aces = NULL;
	l->naces = l->capaces = 0;
	if (z->description)
		put_remark(x, l, fw_printf(x->a, "zone %s: %s", z->name,
		    z->description));
	for (pass = 0; pass < 2; pass++)
		for (i = x->roff[z->index]; i < x->roff[z->index + 1]; i++) {
			const struct fw_rule *r = &x->m.rules[x->rord[i]];
			const struct fw_grp *o;
			size_t eg;

			eg = leg_of(x, r->to);
			o = r->dst.any ? x->others[eg] : NULL;
			if (!r->dst.any || (o != NULL && r->to->networks.n)) {
				/* named: the group, or the egress zone's networks */
				if (pass == 0)
					put_rule(x, l, r, r->dst.any ? fw_printf(x->a,
					    "object-group %s", o->name) :
					    side_text(x, &r->dst, &r->src), r->dst.any ?
					    grp_end(o) : side_end(&r->dst, &r->src));
				continue;
			}
			if (pass == 0)
				continue;
			if (o != NULL) {
				const char *deny = fw_printf(x->a, "extended deny "
				    "object-group %s %s object-group %s", svc_of(x, r->flow),
				    side_text(x, &r->src, &r->dst), o->name);

				if (!fw_seen(&l->seen, deny)) {
					put_remark(x, l, fw_printf(x->a, "%s: any means %s "
					    "only, not the firewall's other zones", r->flow->id,
					    r->to->name));
					acl_line(l, NULL, deny);
					ace_add(x, l, false, r, side_end(&r->src, &r->dst),
					    grp_end(o), deny);
				}
			}
			put_rule(x, l, r, any_text(&r->src.set), any_end(&r->src.set));
		}
}

static int
default_level(const struct ir_zone *z)
{
	switch (z->kind) {
	case ZONE_EXTERNAL:
		return 0;
	case ZONE_PERIMETER:
		return 50;
	default:
		return 100;
	}
}

static int
level_of(const struct ir_iface *f)
{
	return f->level >= 0 ? f->level : default_level(f->zone);
}

static int
level_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static bool
names_ifaces(const struct ir_device *dev)
{
	size_t i;

	for (i = 0; i < dev->nifaces; i++)
		if (dev->ifaces[i].ifname)
			return true;
	return false;
}

static void
put_interfaces(struct asa *x)
{
	const struct ir_device *dev = x->dev;
	int *lv = arena_alloc(x->a, (dev->nifaces + 1) * sizeof(int));
	size_t i, n = 0;
	bool same = false;

	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_iface *f = &dev->ifaces[i];

		if (f->ifname == NULL)
			continue;
		lv[n++] = level_of(f);
		sb_printf(x->out, "interface %s\n nameif %s\n security-level %d\n",
		    f->ifname, f->zone->name, level_of(f));
		if (f->zone->description)
			sb_printf(x->out, " description %s\n", fw_text(x->a,
			    f->zone->description, "?", 200));
	}
	qsort(lv, n, sizeof(int), level_cmp);
	for (i = 1; i < n; i++)
		same |= lv[i] == lv[i - 1];
	/* two interfaces on one level pass nothing between them without this;
	 * the ACLs below still decide what passes */
	if (same)
		sb_puts(x->out, "same-security-traffic permit inter-interface\n");
	if (n)
		sb_puts(x->out, "!\n");
}

static void
put_header(struct asa *x, const struct emit_opts *opts)
{
	const struct ir_device *dev = x->dev;
	struct strbuf *out = x->out;
	size_t i;

	for (i = 0; opts->header[i]; i++)
		sb_printf(out, "! %s\n", fw_text(x->a, opts->header[i], "?", 200));
	if (dev->description)
		sb_printf(out, "! description: %s\n", fw_text(x->a, dev->description,
		    "?", 240));
	sb_puts(out, "! interface names (nameif) are the zone names; every object, group\n"
	    "! and ACL this file defines is named lync-...\n");
	if (dev->shared)
		sb_puts(out,
		    "! SHARED firewall: this file adds the Lync entries at the top of each\n"
		    "!   interface's own ACL (ZONE_access_in, as ASDM names it; if yours is\n"
		    "!   named otherwise, replace the name), before your entries.  It writes\n"
		    "!   no final deny, no interface and no access-group, and removes\n"
		    "!   nothing of yours.  An interface without an ACL yet needs\n"
		    "!   'access-group ZONE_access_in in interface ZONE' (and then passes\n"
		    "!   only what its ACL permits).\n");
	else
		sb_puts(out,
		    "! DEDICATED firewall: each interface's ACL is lync-ZONE-TAG, TAG a hash\n"
		    "!   of its entries; 'access-group' moves the interface to it in one\n"
		    "!   step.  Every ACL ends in 'deny ip any any'.\n");
	sb_puts(out,
	    "! first time: copy FILE running-config (or paste in configuration mode)\n"
	    "! update, on a device holding an earlier version OLD of this file:\n"
	    "!   1. apply this file as above (the new version takes effect);\n"
	    "!   2. retire what OLD defined and this file does not:\n"
	    "!      grep '^!retire ' OLD | LC_ALL=C sort >old.txt\n"
	    "!      grep '^!retire ' FILE | LC_ALL=C sort >new.txt\n"
	    "!      LC_ALL=C comm -23 old.txt new.txt | cut -c11- >retire.cfg\n"
	    "!      and apply retire.cfg; then write memory.\n"
	    "! rollback: apply OLD again, then retire this file the same way.\n"
	    "! applying a file twice changes nothing (the ASA reports the entries it\n"
	    "!   already has; the file writes no ACL remark, which it would add again).\n"
	    "!\n");
}

static void
retire(struct asa *x, int step, const char *cmd)
{
	sb_printf(&x->retire, "!retire %d %s\n", step, cmd);
}

/* ZONE_access_in on a shared firewall, else lync-ZONE-TAG. */
static const char *
acl_name(struct asa *x, const struct ir_zone *z, const struct acl *l)
{
	if (x->dev->shared)
		return fw_printf(x->a, "%s_access_in", z->name);
	return fw_printf(x->a, FW_PREFIX "%s-%s", z->name, fw_tag(x->a,
	    l->body.s ? l->body.s : "", l->body.len));
}

static int
asa_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	struct asa x;
	struct acl *acls;
	size_t i, k;
	char buf[ADDR_STRLEN];
	bool named = names_ifaces(dev), shared = dev->shared;

	memset(&x, 0, sizeof(x));
	if (fw_check(site, dev, NULL, "asa") != 0)
		return -1;	/* asa_check says why */
	x.a = arena_new();
	x.site = site;
	x.dev = dev;
	x.out = out;
	sb_init(&x.retire);
	collect(&x);

	if (opts->header)
		put_header(&x, opts);
	if (!shared)
		put_interfaces(&x);

	for (i = 0; i < x.m.addrs.n; i++) {
		put_object(&x, &x.m.addrs.v[i], x.m.addrnames[i]);
		retire(&x, 3, fw_printf(x.a, "no object network %s", x.m.addrnames[i]));
	}
	if (x.m.addrs.n)
		sb_puts(out, "!\n");
	for (i = 0; i < x.m.ngrps; i++) {
		const struct fw_grp *g = x.m.grps[i];

		sb_printf(out, "object-group network %s\n", g->name);
		for (k = 0; k < g->set->n; k++)
			sb_printf(out, " network-object object %s\n",
			    fw_model_addr(&x.m, &g->set->v[k]));
		retire(&x, 2, fw_printf(x.a, "no object-group network %s", g->name));
	}
	for (i = 0; i < x.svcs.n; i++) {
		const struct fw_svc *s = &x.svcs.v[i];
		const char *p = ir_proto_name(s->proto);

		sb_printf(out, "object-group service %s\n service-object %s", s->name, p);
		if (s->slo != 0 && s->slo == s->shi)
			sb_printf(out, " source eq %u", s->slo);
		else if (s->slo != 0)
			sb_printf(out, " source range %u %u", s->slo, s->shi);
		if (s->lo == s->hi)
			sb_printf(out, " destination eq %u\n", s->lo);
		else
			sb_printf(out, " destination range %u %u\n", s->lo, s->hi);
		retire(&x, 2, fw_printf(x.a, "no object-group service %s", s->name));
	}
	if (x.m.ngrps || x.svcs.n)
		sb_puts(out, "!\n");

	acls = arena_alloc(x.a, (dev->nifaces + 1) * sizeof(*acls));
	x.acls = arena_alloc(x.a, (dev->nifaces + 1) * sizeof(*x.acls));
	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_zone *z = dev->ifaces[i].zone;
		const char *p, *e;
		unsigned line = 1;

		build_acl(&x, i, &acls[i]);
		x.acls[i] = acl_name(&x, z, &acls[i]);
		for (p = acls[i].body.s; p && *p; p = e + 1) {
			e = strchr(p, '\n');
			if (*p == '!')
				sb_printf(out, "%.*s\n", (int)(e - p), p);
			else if (shared) {
				sb_printf(out, "access-list %s line %u %.*s\n", x.acls[i], line++,
				    (int)(e - p), p);
				retire(&x, 1, fw_printf(x.a, "no access-list %s %.*s",
				    x.acls[i], (int)(e - p), p));
			} else
				sb_printf(out, "access-list %s %.*s\n", x.acls[i], (int)(e - p),
				    p);
		}
		if (!shared) {
			sb_printf(out, "access-list %s extended deny ip any any\n", x.acls[i]);
			retire(&x, 1, fw_printf(x.a, "clear configure access-list %s",
			    x.acls[i]));
		}
		sb_free(&acls[i].body);
		if (line > 1 || !shared)
			sb_puts(out, "!\n");
	}
	for (i = 0; i < dev->nifaces && !shared; i++) {
		const struct ir_iface *f = &dev->ifaces[i];

		if (named && f->ifname == NULL)
			sb_printf(out, "! zone %s: no interface in the site; bind it with\n"
			    "!   access-group %s in interface NAMEIF\n", f->zone->name,
			    x.acls[i]);
		else
			sb_printf(out, "access-group %s in interface %s\n", x.acls[i],
			    f->zone->name);
	}
	for (i = 0; i < dev->nnats; i++) {
		const struct ir_nat *n = dev->nats[i];
		const struct ir_zone *rz, *mz;
		const char *name;

		if (i == 0)
			sb_puts(out, "!\n");
		if (fw_nat_zones(site, dev, n, &rz, &mz) != 0) {
			sb_free(&x.retire);
			arena_free(x.a);
			return -1;
		}
		name = fw_names_add(&x.m.names, fw_printf(x.a, "nat-%s",
		    fw_addrname(x.a, &n->real)), n);
		put_object(&x, &n->real, name);
		sb_printf(out, " nat (%s,%s) static %s\n", rz->name, mz->name,
		    addr_format(&n->pub, buf, sizeof(buf)));
		retire(&x, 3, fw_printf(x.a, "no object network %s", name));
	}
	sb_puts(out, "!\n! the commands that remove this version (see the header):\n");
	if (x.retire.len)
		sb_putn(out, x.retire.s, x.retire.len);
	sb_free(&x.retire);
	arena_free(x.a);
	return 0;
}

/* ---- what the config does with one packet (lyncc query) -------------------- */

static bool
end_holds(const struct ace_end *e, const struct ir_addr *a)
{
	if (e->set)
		return fw_set_has(e->set, a);
	return (e->fam & (a->family == 4 ? 1u : 2u)) != 0;
}

/*
 * ASA 8.3+: the destination of a static NAT's mapped address is un-NATed
 * first (access rules match real addresses); then the ACL bound to the
 * ingress interface, top down, first match; its final deny ip any any.
 * The ACL is the one asa_emit writes (collect and build_acl, the same
 * code): its permits and the denies of the other legs' networks before an
 * ACE to any.  The service objects match protocol, destination port and
 * the documented source ports.  On a shared firewall the lyncc entries
 * are followed by the operator's own: a packet none of them matches is
 * left to those.
 */
static void
asa_decide(const struct ir_site *site, const struct ir_device *dev,
    const struct fw_packet *p, const struct ir_zone *in, const struct ir_zone *out,
    struct arena *a, struct fw_decision *d)
{
	struct asa x;
	struct acl l;
	const char *name;
	size_t i;

	(void)out;
	memset(d, 0, sizeof(*d));
	d->dst = p->dst;
	if ((d->nat = fw_nat_of_pub(site, dev, in, &p->dst)) != NULL)
		d->dst = d->nat->real;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.site = site;
	x.dev = dev;
	collect(&x);
	build_acl(&x, leg_of(&x, in), &l);
	name = acl_name(&x, in, &l);
	sb_free(&l.body);
	for (i = 0; i < l.naces; i++) {
		const struct ace *e = &l.aces[i];

		if (!fw_svc_holds(e->svc, p) || !end_holds(&e->src, &p->src) ||
		    !end_holds(&e->dst, &d->dst))
			continue;
		d->permit = e->permit;
		d->flow = e->rule->flow;
		d->rule = fw_printf(a, "access-list %s %s", name, e->text);
		return;
	}
	d->rule = dev->shared ? fw_printf(a, "no lyncc entry of access-list %s "
	    "(the operator's own entries after them decide)", name) :
	    fw_printf(a, "access-list %s extended deny ip any any", name);
}

const struct lyncc_backend asa_backend = {
	.name		= "asa",
	.file_ext	= ".asa.cfg",
	.kind		= DEV_FIREWALL,
	.description	= "Cisco ASA 9.x CLI",
	.check		= asa_check,
	.emit		= asa_emit,
	.decide		= asa_decide,
};
