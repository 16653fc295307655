/*
 * nft.c - Linux nftables backend: one firewall's policy as one `nft -f`
 * file.  nft runs a file as one transaction, so applying it is atomic, and
 * the file replaces the site's table and nothing else:
 *
 *   #!/usr/sbin/nft -f
 *   # header, the interface of each zone, how to apply
 *   table inet lyncc_SITE                   create the table if absent, so
 *   delete table inet lyncc_SITE            that the delete cannot fail;
 *   table inet lyncc_SITE {                 then the whole new table:
 *     comment "..."
 *     set v4_LABEL { type ipv4_addr; flags interval; elements = { ... } }
 *     set v6_LABEL { type ipv6_addr; ... }  one per endpoint (role of a
 *                                           pool, or a narrowed party) and
 *                                           family, in the order flows use
 *                                           them
 *     chain lyncc_forward {
 *       type filter hook forward priority filter; policy drop;
 *       ct state established,related counter accept
 *       ct state invalid counter drop
 *       iifname != LEGS oifname != LEGS accept   traffic that touches none
 *                                           of this firewall's legs is left
 *                                           to the host's other tables
 *       # ID: SRC -> DST                    one rule per flow and family, in
 *       # ID cite: CITATION                 stdlib order, with a counter and
 *       iifname "FROM" oifname "TO" ip saddr @v4_SRC ip daddr @v4_DST
 *           tcp dport 443 counter accept comment "ID: CITATION"
 *     }
 *     chain lyncc_prerouting { type nat hook prerouting priority dstnat; ...
 *       iifname "MAPPED" ip daddr PUB counter dnat ip to REAL
 *     }                                     static NAT the site declares:
 *     chain lyncc_postrouting { type nat hook postrouting priority srcnat;
 *       oifname "MAPPED" ip saddr REAL counter snat ip to PUB
 *     }
 *   }
 *
 * Rules use the real (untranslated) addresses: prerouting DNAT runs before
 * the forward hook.  A documented "any" endpoint has no address match; the
 * rule is then written for each family the other side has.  tcp-udp ports
 * are `meta l4proto { tcp, udp } th dport N`; a flow with a source port
 * range also matches `tcp sport LO-HI` (udp, th).
 *
 * The interface of a zone is the `nft NAME` the site gives the firewall
 * there (it must be a Linux interface name: at most 15 characters of
 * letters, digits and ._-), else its interface name when that is a Linux
 * name, else the zone's name (cut to 15 characters and made unique with
 * -2, -3); a given name that is not a Linux one (GigabitEthernet0/1: nft
 * refuses more than 15 bytes, and no Linux interface has a '/') is
 * replaced by the zone's name with a warning.  The table name is "lyncc_" and
 * the site's name with every character but letters, digits and _ made _;
 * sets are v4_ / v6_ and a label made the same way; chains are lyncc_*, so
 * no name is an nft keyword.  Comments in quotes are printable ASCII
 * without '"' or '\' of at most 120 characters; `#` comments are one line.
 * So no input can write nft syntax.
 */
#include "backend.h"
#include "arena.h"
#include "fw_common.h"
#include "expand.h"
#include "hmap.h"
#include "strbuf.h"

#include <string.h>

#define NFT_NAMELEN	56		/* set and table names (kernel: 255) */
#define NFT_NAMECHARS	"_"
#define NFT_IFNAMELEN	15		/* IFNAMSIZ - 1 */
#define NFT_COMMENTLEN	120		/* nft: at most 128 */
#define NFT_LINELEN	240

struct nft {
	struct arena		*a;
	const struct ir_site	*site;
	const struct ir_device	*dev;
	struct strbuf		*out;
	struct fw_model		 m;
	const char		*table;
	const char		**ifnames;	/* parallel to dev->ifaces */
	const char		*legs;		/* { "a", "b" } */
	size_t			*legz;		/* by zone index: first leg + 1, or 0 */
};

/* ---- checks ----------------------------------------------------------------- */

static bool
linux_ifname(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("._-", s[i]) != NULL))
			return false;
	return i > 0 && i <= NFT_IFNAMELEN && strcmp(s, ".") && strcmp(s, "..");
}

/* The Linux name the site gives a leg for nft: `nft NAME`, else the
 * interface name when it is a Linux one; NULL: the zone's name. */
static const char *
given_ifname(const struct ir_iface *f)
{
	if (f->nft_ifname)
		return f->nft_ifname;
	if (f->ifname && linux_ifname(f->ifname))
		return f->ifname;
	return NULL;
}

static const char **ifnames(struct arena *, const struct ir_device *);

static int
nft_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	size_t i, *legz = NULL;
	const char **names = NULL;	/* the legs' nft names, at the first warning */
	struct hmap given;		/* given interface name -> its legs */
	struct arena *ta;
	struct legs { size_t *v, n, cap; } *on;
	size_t k;
	int rc = fw_check(site, dev, dc, "nft");

	if (rc != 0 && dc == NULL)
		return -1;
	/* a drop in any forward chain is final, and this table's is policy
	 * drop: on a host that forwards other traffic it would drop that too */
	if (dev->shared) {
		if (dc == NULL)
			return -1;
		diag_hint(dc, diag_error(dc, &dev->loc, "firewall '%s' is shared, and the "
		    "nft target has no shared mode: its table drops what it does not "
		    "permit, and an accept in it cannot override a drop in the host's "
		    "own tables", dev->name), "remove 'shared;' if the host forwards "
		    "only between the site's zones, or use -t asa or -t srx");
		rc = -1;
	}
	ta = arena_new();
	hmap_init(&given, ta);
	for (i = 0; i < dev->nifaces; i++) {
		const struct ir_iface *f = &dev->ifaces[i];
		const char *gi = given_ifname(f);

		if (f->nft_ifname && !linux_ifname(f->nft_ifname)) {
			rc = -1;
			if (dc == NULL) {
				arena_free(ta);
				return -1;
			}
			diag_hint(dc, diag_error(dc, &f->nft_loc, "'nft %s' is not a Linux "
			    "interface name", f->nft_ifname), "a Linux interface name has "
			    "at most 15 letters, digits and ._- (e.g. eth1, bond0.16)");
			continue;
		}
		if (f->ifname && !f->nft_ifname && !linux_ifname(f->ifname) && dc) {
			/* an ASA or SRX name (GigabitEthernet0/1, ge-0/0/1.0): nft
			 * accepts at most 15 bytes, and no Linux interface can hold
			 * a '/' or ':', so a rule on it would match nothing; the
			 * names are made once, not once per leg (nft_ifname) */
			if (names == NULL) {
				names = ifnames(dc->arena, dev);
				legz = fw_legs_by_zone(dc->arena, site, dev);
			}
			diag_hint(dc, diag_warning(dc, &f->ifname_loc, "interface name "
			    "'%s' of zone %s is not a Linux interface name; the nft "
			    "target uses '%s' (the zone's name) instead", f->ifname,
			    f->zone->name, names[legz[f->zone->index] - 1]),
			    "give the Linux name for -t nft: interface %s %s nft NAME;",
			    f->zone->name, f->ifname);
		}
		if (gi == NULL)
			continue;
		/* the earlier legs on the same interface, by name: a map of
		 * each name's legs, not a scan of the earlier legs per leg */
		if ((on = hmap_sget(&given, gi)) == NULL) {
			on = arena_alloc(ta, sizeof(*on));
			hmap_sput(&given, gi, on);
		}
		for (k = 0; k < on->n; k++) {
			rc = -1;
			if (dc == NULL) {
				arena_free(ta);
				return -1;
			}
			diag_error(dc, f->nft_ifname ? &f->nft_loc : &f->ifname_loc,
			    "zones %s and %s of '%s' are both on interface '%s'; nft "
			    "matches zones by interface", dev->ifaces[on->v[k]].zone->name,
			    f->zone->name, dev->name, gi);
		}
		*VEC_PUSH(ta, on->v, on->n, on->cap) = i;
	}
	arena_free(ta);
	for (i = 0; i < dev->nnats; i++) {
		const struct ir_nat *n = dev->nats[i];

		if (!addr_is_host(&n->real) || !addr_is_host(&n->pub)) {
			rc = -1;
			if (dc == NULL)
				return -1;
			diag_error(dc, &n->loc, "the nft target writes static NAT of "
			    "single addresses only");
		}
	}
	return rc;
}

/* ---- names and text ------------------------------------------------------- */

/* Text for a quoted nft string: no '"' or '\' can end it. */
static const char *
qtext(struct nft *x, const char *s, size_t max)
{
	return fw_text(x->a, s, "\"\\", max);
}

/* The interface of each leg (parallel to dev->ifaces). */
static const char **
ifnames(struct arena *a, const struct ir_device *dev)
{
	struct fw_names ns;
	const char **v = arena_alloc(a, (dev->nifaces + 1) * sizeof(char *));
	size_t i;

	fw_names_init(&ns, a, NFT_IFNAMELEN, "._-", NULL);
	/* the names the site gives first, so that defaults avoid them */
	for (i = 0; i < dev->nifaces; i++)
		if (given_ifname(&dev->ifaces[i]))
			v[i] = fw_names_add(&ns, given_ifname(&dev->ifaces[i]), NULL);
	for (i = 0; i < dev->nifaces; i++)
		if (given_ifname(&dev->ifaces[i]) == NULL)
			v[i] = fw_names_add(&ns, dev->ifaces[i].zone->name, NULL);
	return v;
}

static void
name_ifaces(struct nft *x)
{
	size_t i;

	struct strbuf b;

	x->ifnames = ifnames(x->a, x->dev);
	x->legz = fw_legs_by_zone(x->a, x->site, x->dev);
	/* grown in a strbuf: a copy of the list per leg would be quadratic */
	sb_init(&b);
	sb_puts(&b, "{");
	for (i = 0; i < x->dev->nifaces; i++)
		sb_printf(&b, "%s \"%s\"", i ? "," : "", x->ifnames[i]);
	sb_puts(&b, " }");
	x->legs = arena_strdup(x->a, b.s);
	sb_free(&b);
}

static const char *
ifname_of(const struct nft *x, const struct ir_zone *z)
{
	/* not a leg (never, for a flow's zones): printed as before, "(null)" */
	return x->legz[z->index] ? x->ifnames[x->legz[z->index] - 1] : "(null)";
}

static const char *
table_name(struct nft *x)
{
	struct fw_names ns;

	fw_names_init(&ns, x->a, NFT_NAMELEN, NFT_NAMECHARS, NULL);
	return fw_printf(x->a, "lyncc_%s", fw_names_add(&ns, x->site->name, NULL));
}

/* ---- writing ---------------------------------------------------------------- */

static bool
has_family(const struct ir_addrset *s, unsigned fam)
{
	return (fw_families(s) & (fam == 4 ? 1u : 2u)) != 0;
}

static void
put_sets(struct nft *x)
{
	char buf[ADDR_STRLEN];
	size_t i, k;
	unsigned fam;

	for (i = 0; i < x->m.ngrps; i++)
		for (fam = 4; fam <= 6; fam += 2) {
			const struct ir_addrset *s = x->m.grps[i]->set;
			bool first = true;

			if (!has_family(s, fam))
				continue;
			sb_printf(x->out, "\tset v%u_%s {\n", fam, x->m.grps[i]->name);
			sb_printf(x->out, "\t\ttype ipv%u_addr; flags interval; auto-merge;\n", fam);
			sb_printf(x->out, "\t\tcomment \"%s\"\n", qtext(x, x->m.grps[i]->label,
			    NFT_COMMENTLEN));
			sb_puts(x->out, "\t\telements = {");
			for (k = 0; k < s->n; k++) {
				if (s->v[k].family != fam)
					continue;
				sb_printf(x->out, "%s %s", first ? "" : ",",
				    addr_format(&s->v[k], buf, sizeof(buf)));
				first = false;
			}
			sb_puts(x->out, " }\n\t}\n");
		}
}

static const char *
range(struct nft *x, unsigned lo, unsigned hi)
{
	return lo == hi ? fw_printf(x->a, "%u", lo) : fw_printf(x->a, "%u-%u",
	    lo, hi);
}

/* "tcp dport 443", "udp sport 50000-59999 udp dport 3478", "meta l4proto
 * { tcp, udp } th dport 5060" (a source range only when the flow has one) */
static const char *
ports(struct nft *x, const struct ir_flow *fl)
{
	const char *l4 = fl->proto == PROTO_TCP ? "tcp" : fl->proto == PROTO_UDP ?
	    "udp" : "th";
	const char *sp = fl->sport_lo == 0 ? "" : fw_printf(x->a, "%s sport %s ",
	    l4, range(x, fl->sport_lo, fl->sport_hi));

	return fw_printf(x->a, "%s%s%s dport %s", fl->proto == PROTO_TCPUDP ?
	    "meta l4proto { tcp, udp } " : "", sp, l4, range(x, fl->port_lo,
	    fl->port_hi));
}

/* "ip saddr @v4_x " or "" for any */
static const char *
addr_match(struct nft *x, const struct ir_endpoint *e, unsigned fam, const char *dir)
{
	if (e->addrs.any)
		return "";
	return fw_printf(x->a, "%s %saddr @v%u_%s ", fam == 4 ? "ip" : "ip6", dir,
	    fam, fw_model_epgroup(&x->m, e));
}

static void
put_flow(struct nft *x, const struct ir_fwflow *ff)
{
	const struct ir_flow *fl = ff->flow;
	const char *comment;
	unsigned fam;
	size_t c;
	bool any = false, fits = true;

	sb_printf(x->out, "\t\t# %s\n", fw_text(x->a, fw_printf(x->a,
	    "%s: %s -> %s", fl->id, fl->src.label, fl->dst.label), NULL, NFT_LINELEN));
	/* the rule's comment: the ID and the citations that fit whole */
	comment = fl->id;
	for (c = 0; c < fl->def->ncites; c++) {
		const char *ct = ir_cite_format(x->a, &fl->def->cites[c]);
		const char *more = fw_printf(x->a, "%s%s%s", comment, c ? "; " : ": ",
		    ct);

		sb_printf(x->out, "\t\t# %s\n", fw_text(x->a, fw_printf(x->a,
		    "%s cite: %s", fl->id, ct), NULL, NFT_LINELEN));
		if (fits && strlen(more) + sizeof(" (+99 more)") <= NFT_COMMENTLEN)
			comment = more;
		else if (fits) {
			comment = fw_printf(x->a, "%s (+%zu more)", comment,
			    fl->def->ncites - c);
			fits = false;
		}
	}
	for (fam = 4; fam <= 6; fam += 2) {
		if ((!fl->src.addrs.any && !has_family(&fl->src.addrs, fam)) ||
		    (!fl->dst.addrs.any && !has_family(&fl->dst.addrs, fam)))
			continue;
		sb_printf(x->out, "\t\tiifname \"%s\" oifname \"%s\" %s%s%s counter "
		    "accept comment \"%s\"\n", ifname_of(x, ff->from), ifname_of(x, ff->to),
		    addr_match(x, &fl->src, fam, "s"), addr_match(x, &fl->dst, fam, "d"),
		    ports(x, fl), qtext(x, comment, NFT_COMMENTLEN));
		any = true;
	}
	if (!any)
		sb_printf(x->out, "\t\t# %s: no packet can match (the two sides have "
		    "no family in common)\n", fw_text(x->a, fl->id, NULL, NFT_LINELEN));
}

static void
put_forward(struct nft *x)
{
	size_t i;

	sb_puts(x->out, "\tchain lyncc_forward {\n"
	    "\t\ttype filter hook forward priority filter; policy drop;\n"
	    "\t\tct state established,related counter accept\n"
	    "\t\tct state invalid counter drop\n");
	sb_printf(x->out, "\t\tiifname != %s oifname != %s accept comment \"not "
	    "through this firewall's zones: left to the other tables\"\n", x->legs,
	    x->legs);
	for (i = 0; i < x->dev->nflows; i++)
		put_flow(x, &x->dev->flows[i]);
	sb_puts(x->out, "\t}\n");
}

static int
put_nat(struct nft *x)
{
	const struct ir_device *dev = x->dev;
	char rbuf[ADDR_STRLEN], pbuf[ADDR_STRLEN];
	struct strbuf pre, post;	/* grown: not a copy of the chain per entry */
	size_t i;

	if (dev->nnats == 0)
		return 0;
	sb_init(&pre);
	sb_init(&post);
	for (i = 0; i < dev->nnats; i++) {
		const struct ir_nat *n = dev->nats[i];
		const struct ir_pool *p = fw_nat_pool(x->site, n);
		const struct ir_zone *rz, *mz;
		const char *fam = n->real.family == 4 ? "ip" : "ip6", *what;

		if (fw_nat_zones(x->site, dev, n, &rz, &mz) != 0) {
			sb_free(&pre);
			sb_free(&post);
			return -1;
		}
		addr_format(&n->real, rbuf, sizeof(rbuf));
		addr_format(&n->pub, pbuf, sizeof(pbuf));
		what = qtext(x, fw_printf(x->a, "static NAT %s node %u %s",
		    p ? p->name : "?", n->node, ir_svc_name[n->svc]), NFT_COMMENTLEN);
		sb_printf(&pre, "\t\tiifname \"%s\" %s daddr %s counter dnat %s "
		    "to %s comment \"%s\"\n", ifname_of(x, mz), fam, pbuf, fam, rbuf,
		    what);
		sb_printf(&post, "\t\toifname \"%s\" %s saddr %s counter snat %s "
		    "to %s comment \"%s\"\n", ifname_of(x, mz), fam, rbuf, fam, pbuf,
		    what);
	}
	sb_printf(x->out, "\tchain lyncc_prerouting {\n"
	    "\t\ttype nat hook prerouting priority dstnat; policy accept;\n%s\t}\n", pre.s);
	sb_printf(x->out, "\tchain lyncc_postrouting {\n"
	    "\t\ttype nat hook postrouting priority srcnat; policy accept;\n%s\t}\n",
	    post.s);
	sb_free(&pre);
	sb_free(&post);
	return 0;
}

static void
put_header(struct nft *x, const struct emit_opts *opts)
{
	const struct ir_device *dev = x->dev;
	size_t i;

	sb_puts(x->out, "#!/usr/sbin/nft -f\n");
	for (i = 0; opts->header && opts->header[i]; i++)
		sb_printf(x->out, "# %s\n", fw_text(x->a, opts->header[i], NULL,
		    NFT_LINELEN));
	if (opts->header && dev->description)
		sb_printf(x->out, "# description: %s\n", fw_text(x->a, dev->description,
		    NULL, NFT_LINELEN));
	/* how to apply it and the interfaces, with or without --no-header */
	sb_printf(x->out, "#\n# apply: nft -f FILE - one transaction that replaces "
	    "table inet %s\n# (this firewall's policy for the site) and touches no "
	    "other table or chain;\n# established connections keep their conntrack "
	    "state.\n#\n# interfaces (the name the site gives, else the zone's name, "
	    "at most 15 characters):\n", x->table);
	for (i = 0; i < dev->nifaces; i++)
		sb_printf(x->out, "#   zone %s: %s\n", fw_text(x->a,
		    dev->ifaces[i].zone->name, NULL, NFT_LINELEN),
		    x->ifnames[i]);
	sb_puts(x->out, "#\n");
}

/* The names and sets of one firewall's file (emit and decide). */
static void
setup(struct nft *x, struct arena *a, const struct ir_site *site,
    const struct ir_device *dev)
{
	memset(x, 0, sizeof(*x));
	x->a = a;
	x->site = site;
	x->dev = dev;
	expand_device_flows(site);	/* one rule per flow: every flow */
	fw_model_init(&x->m, x->a, dev, false, NULL, FW_PER_FLOW, NFT_NAMELEN,
	    NFT_NAMECHARS, NULL);
	x->table = table_name(x);
	name_ifaces(x);
}

static int
nft_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	struct nft x;
	int rc;

	if (nft_check(site, dev, NULL) != 0)
		return -1;	/* nft_check says why */
	setup(&x, arena_new(), site, dev);
	x.out = out;

	put_header(&x, opts);
	sb_printf(out, "table inet %s\ndelete table inet %s\ntable inet %s {\n",
	    x.table, x.table, x.table);
	sb_printf(out, "\tcomment \"%s\"\n", qtext(&x, fw_printf(x.a, "lyncc: site "
	    "%s, firewall %s", site->name, dev->name), NFT_COMMENTLEN));
	put_sets(&x);
	put_forward(&x);
	rc = put_nat(&x);
	sb_puts(out, "}\n");
	arena_free(x.a);
	return rc;
}

/* ---- what the config does with one packet (lyncc query) -------------------- */

/*
 * A new connection: prerouting's dnat of a public address arriving by the
 * mapped interface (put_nat); then chain lyncc_forward: the rules put_flow
 * writes, per flow and family, matched by ingress and egress interface,
 * address sets of the packet's family, protocol, destination port and the
 * flow's source port range; first accept wins; policy drop.
 */
static void
nft_decide(const struct ir_site *site, const struct ir_device *dev,
    const struct fw_packet *p, const struct ir_zone *in, const struct ir_zone *out,
    struct arena *a, struct fw_decision *d)
{
	struct nft x;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->dst = p->dst;
	if ((d->nat = fw_nat_of_pub(site, dev, in, &p->dst)) != NULL)
		d->dst = d->nat->real;
	setup(&x, a, site, dev);
	for (i = 0; i < dev->nflows; i++) {
		const struct ir_fwflow *ff = &dev->flows[i];
		const struct ir_flow *fl = ff->flow;
		unsigned fam = p->src.family;

		if (ff->from != in || ff->to != out || !fw_flow_ports_hold(fl, p) ||
		    d->dst.family != fam)
			continue;
		/* put_flow writes a rule for a family only when both sides have it */
		if ((!fl->src.addrs.any && !has_family(&fl->src.addrs, fam)) ||
		    (!fl->dst.addrs.any && !has_family(&fl->dst.addrs, fam)))
			continue;
		if ((!fl->src.addrs.any && !fw_set_has(&fl->src.addrs, &p->src)) ||
		    (!fl->dst.addrs.any && !fw_set_has(&fl->dst.addrs, &d->dst)))
			continue;
		d->permit = true;
		d->flow = fl;
		d->rule = fw_printf(a, "chain lyncc_forward: iifname \"%s\" oifname "
		    "\"%s\" %s%s%s ... accept", ifname_of(&x, in), ifname_of(&x, out),
		    addr_match(&x, &fl->src, fam, "s"), addr_match(&x, &fl->dst, fam, "d"),
		    ports(&x, fl));
		return;
	}
	d->rule = "chain lyncc_forward: no rule accepts it; policy drop";
}

const char *
nft_ifname(struct arena *a, const struct ir_device *dev, const struct ir_zone *z)
{
	const char **v = ifnames(a, dev);
	size_t i;

	for (i = 0; i < dev->nifaces; i++)
		if (dev->ifaces[i].zone == z)
			return v[i];
	return "?";
}

const struct lyncc_backend nft_backend = {
	.name		= "nft",
	.file_ext	= ".nft",
	.kind		= DEV_FIREWALL,
	.description	= "Linux nftables (nft -f)",
	.check		= nft_check,
	.emit		= nft_emit,
	.decide		= nft_decide,
};
