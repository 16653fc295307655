/*
 * diff.c - `lyncc diff OLD NEW [-t TARGET] [--format text|json]`: a
 * semantic diff of two sites, for a reviewer to read beside the text diff.
 *
 * Both sites are loaded and expanded; each is turned into lists of items
 * (one list per section: zones, parties, devices, pools, VIPs, pool
 * members, flows, LB services and, with a target, the generated rules or
 * virtual servers per device).  An item has a key that names it across
 * versions (a flow: its ID and endpoints), a one-line title, and fields.
 * Items are matched by key: a key only in NEW is added, only in OLD is
 * removed, in both with a field that differs is changed.  Sections and
 * items come out in a fixed order (items sorted by key), so the output is
 * stable.
 *
 * Exit status, like diff(1): 0 no change, 1 changes, 2 trouble (usage,
 * I/O, or errors in either input).
 */
#include "cli.h"
#include "lyncc.h"
#include "policy.h"
#include "expand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct field {
	const char	*name, *val;
};

struct item {
	const char	*key;
	const char	*title;
	struct field	*f;
	size_t		 nf, capf;
	const char	**cites;
	size_t		 ncites, capcites;
};

struct ilist {
	struct item	**v;
	size_t		 n, cap;
};

enum { S_SITE, S_ZONES, S_PARTIES, S_DEVICES, S_POOLS, S_VIPS, S_MEMBERS,
	S_FLOWS, S_LBSVCS, S_RULES, S__N };
static const char *const sec_key[S__N] = {
	"site", "zones", "parties", "devices", "pools", "vips", "pool_members",
	"flows", "lb_services", "rules",
};
static const char *const sec_title[S__N] = {
	"site", "zones", "parties", "devices", "pools", "VIPs",
	"pool members (node addresses)", "flows", "LB services", "rules",
};

struct dctx {
	struct arena			*a;
	const struct lyncc_backend	*target;	/* NULL, or -t */
	bool				 all_targets;
};

static struct item *
item_new(struct arena *a, struct ilist *l, const char *key, const char *title)
{
	struct item *it = arena_alloc(a, sizeof(*it));

	it->key = key;
	it->title = title;
	*VEC_PUSH(a, l->v, l->n, l->cap) = it;
	return it;
}

static void
field(struct arena *a, struct item *it, const char *name, const char *val)
{
	struct field *f = VEC_PUSH(a, it->f, it->nf, it->capf);

	f->name = name;
	f->val = val ? val : "";
}

static void
cite_flowdef(struct arena *a, struct item *it, const struct ir_cite *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		*VEC_PUSH(a, it->cites, it->ncites, it->capcites) = ir_cite_format(a, &c[i]);
}

static const char *
onoff(bool b)
{
	return b ? "on" : "off";
}

/* ---- building the items of one site ------------------------------------ */

static void
items_site(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	struct item *it = item_new(c->a, l, "site", arena_printf(c->a, "site %s",
	    s->name ? s->name : "?"));
	char *feat = "";
	size_t i;

	field(c->a, it, "name", s->name);
	field(c->a, it, "domain", s->domain ? s->domain : "(none)");
	field(c->a, it, "narrow-any", onoff(s->narrow_any));
	for (i = 0; i < s->nfeatures; i++)
		if (s->features[i]->on)
			feat = arena_printf(c->a, "%s%s%s", feat, *feat ? " " : "",
			    s->features[i]->name);
	field(c->a, it, "features", *feat ? feat : "(none)");
}

static void
items_zones(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	static const char *const kind[] = { "external", "perimeter", "internal" };
	size_t i;

	for (i = 0; i < s->nzones; i++) {
		const struct ir_zone *z = s->zones[i];
		struct item *it = item_new(c->a, l, z->name, arena_printf(c->a,
		    "zone %s (%s)", z->name, kind[z->kind]));

		field(c->a, it, "kind", kind[z->kind]);
		field(c->a, it, "networks", z->networks.n ? pol_addrs(c->a, &z->networks,
		    " ") : "(none)");
	}
}

static void
items_parties(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	size_t i;

	for (i = 0; i < s->nparties; i++) {
		const struct ir_party *y = s->parties[i];
		struct item *it = item_new(c->a, l, y->name, arena_printf(c->a,
		    "party %s", y->name));

		field(c->a, it, "addresses", pol_addrs(c->a, &y->addrs, " "));
		{
			char *zs = "";
			size_t k;

			for (k = 0; k < y->nzones; k++)
				zs = arena_printf(c->a, "%s%s%s", zs, k ? " " : "",
				    y->zones[k]->name);
			field(c->a, it, "zone", *zs ? zs : "(none)");
		}
	}
}

static void
items_devices(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	size_t i, j;

	for (i = 0; i < s->ndevices; i++) {
		const struct ir_device *v = s->devices[i];
		struct item *it = item_new(c->a, l, v->name, arena_printf(c->a, "%s %s",
		    ir_device_kind_name[v->kind], v->name));
		char *t = "";

		field(c->a, it, "kind", ir_device_kind_name[v->kind]);
		for (j = 0; j < v->nifaces; j++) {
			const struct ir_iface *f = &v->ifaces[j];

			t = arena_printf(c->a, "%s%s%s", t, j ? " " : "",
			    f->zone ? f->zone->name : "?");
			if (f->ifname)
				t = arena_printf(c->a, "%s(%s", t, f->ifname);
			if (f->ifname && f->level >= 0)
				t = arena_printf(c->a, "%s level %d", t, f->level);
			if (f->ifname)
				t = arena_printf(c->a, "%s)", t);
		}
		if (v->nifaces)
			field(c->a, it, "zones", t);
		t = "";
		for (j = 0; j < v->nserved; j++)
			t = arena_printf(c->a, "%s%s%s.%s", t, j ? " " : "",
			    v->served[j].pool->name, ir_side_name[v->served[j].side]);
		if (v->nserved)
			field(c->a, it, "serves", t);
	}
}

static void
items_pools(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	size_t i;
	int d, sv;

	for (i = 0; i < s->npools; i++) {
		const struct ir_pool *p = s->pools[i];
		struct item *it = item_new(c->a, l, p->name, arena_printf(c->a,
		    "%s pool %s", ir_pool_kind_name[p->kind], p->name));
		char *opts = "";

		field(c->a, it, "kind", ir_pool_kind_name[p->kind]);
		field(c->a, it, "nodes", arena_printf(c->a, "%u", p->nnodes));
		for (d = 0; d < SIDE__N; d++) {
			const struct ir_side *sd = &p->side[d];

			if (!sd->used)
				continue;
			field(c->a, it, arena_printf(c->a, "%s zone", ir_side_name[d]),
			    sd->zone ? sd->zone->name : "(none)");
			field(c->a, it, arena_printf(c->a, "%s lb", ir_side_name[d]),
			    ir_lb_name[sd->lb]);
		}
		if (p->mediation_collocated)
			opts = arena_printf(c->a, "%s mediation-collocated", opts);
		if (p->cms)
			opts = arena_printf(c->a, "%s cms", opts);
		if (p->xmpp_gateway)
			opts = arena_printf(c->a, "%s xmpp-gateway", opts);
		if (p->cookie_persistence)
			opts = arena_printf(c->a, "%s cookie-persistence", opts);
		if (p->next_hop)
			opts = arena_printf(c->a, "%s next-hop=%s", opts, p->next_hop->name);
		field(c->a, it, "options", *opts ? opts + 1 : "(none)");
		if (p->kind == POOL_EDGE) {
			char *t = "";

			for (sv = 0; sv < SVC__N; sv++)
				if (p->snat_mask & (1u << sv))
					t = arena_printf(c->a, "%s%s%s", t, *t ? " " : "",
					    ir_svc_name[sv]);
			field(c->a, it, "snat", *t ? t : "(none)");
		}
		/* VIPs and node addresses are items of their own */
	}
}

static void
items_vips(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	char buf[ADDR_STRLEN];
	size_t i, k;
	int d, sv;

	for (i = 0; i < s->npools; i++) {
		const struct ir_pool *p = s->pools[i];

		for (d = 0; d < SIDE__N; d++)
			for (sv = 0; sv < SVC__N; sv++)
				for (k = 0; k < p->side[d].vip[sv].n; k++) {
					const char *t = arena_printf(c->a, "%s.%s %s %s",
					    p->name, ir_side_name[d], ir_svc_name[sv],
					    addr_format(&p->side[d].vip[sv].v[k], buf,
					    sizeof(buf)));

					item_new(c->a, l, t, arena_printf(c->a, "VIP %s", t));
				}
	}
}

static void
items_members(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	char buf[ADDR_STRLEN];
	size_t i, k;
	unsigned n;
	int sv;

	for (i = 0; i < s->npools; i++) {
		const struct ir_pool *p = s->pools[i];

		for (n = 0; n < p->nnodes; n++)
			for (sv = 0; sv < SVC__N; sv++)
				for (k = 0; k < p->nodes[n].addr[sv].n; k++) {
					const char *t = arena_printf(c->a,
					    "%s node %u %s %s", p->name, n + 1,
					    ir_svc_name[sv], addr_format(
					    &p->nodes[n].addr[sv].v[k], buf, sizeof(buf)));

					item_new(c->a, l, t, t);
				}
	}
}

static const char *
flow_title(struct dctx *c, const struct ir_flow *f)
{
	return arena_printf(c->a, "%s: %s %s -> %s", f->id,
	    pol_proto_ports(c->a, f->proto, f->port_lo, f->port_hi),
	    f->src.label, f->dst.label);
}

static void
items_flows(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	size_t i;

	for (i = 0; i < s->nflows; i++) {
		const struct ir_flow *f = s->flows[i];
		struct item *it = item_new(c->a, l, arena_printf(c->a, "%s %s -> %s",
		    f->id, f->src.label, f->dst.label), flow_title(c, f));

		field(c->a, it, "service", pol_proto_ports(c->a, f->proto, f->port_lo,
		    f->port_hi));
		field(c->a, it, "from_addresses", pol_addrs(c->a, &f->src.addrs, " "));
		field(c->a, it, "to_addresses", pol_addrs(c->a, &f->dst.addrs, " "));
		field(c->a, it, "from_zone", f->src.zone ? f->src.zone->name : "(none)");
		field(c->a, it, "to_zone", f->dst.zone ? f->dst.zone->name : "(none)");
		field(c->a, it, "path", pol_path(c->a, f));
		cite_flowdef(c->a, it, f->def->cites, f->def->ncites);
	}
}

static const char *
members_text(struct dctx *c, const struct ir_lbsvc *s)
{
	char buf[ADDR_STRLEN];
	char *t = "";
	size_t i;

	for (i = 0; i < s->nmembers; i++)
		t = arena_printf(c->a, "%s%s%s", t, i ? " " : "",
		    addr_format(&s->members[i].addr, buf, sizeof(buf)));
	return *t ? t : "(none)";
}

static void
lbsvc_fields(struct dctx *c, struct item *it, const struct ir_lbsvc *s)
{
	static const char *const persist[] = { "none", "source", "cookie" };

	field(c->a, it, "service", arena_printf(c->a, "%s -> %u",
	    pol_proto_ports(c->a, s->proto, s->port, s->port), s->member_port));
	field(c->a, it, "members", members_text(c, s));
	field(c->a, it, "persistence", s->persist == PERSIST_COOKIE && s->cookie_name ?
	    arena_printf(c->a, "cookie %s", s->cookie_name) : s->persist_timeout ?
	    arena_printf(c->a, "%s %us", persist[s->persist], s->persist_timeout) :
	    persist[s->persist]);
	field(c->a, it, "snat", s->snat ? "automap" : "none");
	field(c->a, it, "monitor", arena_printf(c->a, "tcp %u", s->monitor_port));
	if (s->idle_timeout)
		field(c->a, it, "idle_timeout", arena_printf(c->a, "%us", s->idle_timeout));
	if (s->nagle_off)
		field(c->a, it, "nagle", "off");
}

static void
items_lbsvcs(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	char buf[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < s->nlbsvcs; i++) {
		const struct ir_lbsvc *v = s->lbsvcs[i];
		const char *vip = arena_strdup(c->a, addr_format(&v->vip, buf,
		    sizeof(buf)));
		/* keyed by service, pool side and address family, so that a
		 * renumbered VIP shows as a change, not a removal and an addition */
		struct item *it = item_new(c->a, l, arena_printf(c->a, "%s %s.%s IPv%u",
		    v->id, v->pool->name, ir_side_name[v->side], v->vip.family),
		    arena_printf(c->a, "%s: %s.%s VIP %s %s", v->id, v->pool->name,
		    ir_side_name[v->side], vip, pol_proto_ports(c->a, v->proto,
		    v->port, v->port)));

		field(c->a, it, "vip", vip);
		lbsvc_fields(c, it, v);
		field(c->a, it, "device", v->device ? v->device->name : "(none)");
		cite_flowdef(c->a, it, v->def->cites, v->def->ncites);
	}
}

static void
items_rules_one(struct dctx *c, const struct lyncc_backend *b,
    const struct ir_site *s, struct ilist *l)
{
	char buf[ADDR_STRLEN];
	size_t i, j;

	for (i = 0; i < s->ndevices; i++) {
		const struct ir_device *v = s->devices[i];

		if (v->kind != b->kind)
			continue;
		if (v->kind == DEV_FIREWALL)
			expand_device_flows(s);	/* every flow */
		if (v->kind == DEV_FIREWALL)
			for (j = 0; j < v->nflows; j++) {
				const struct ir_fwflow *ff = &v->flows[j];
				const struct ir_flow *f = ff->flow;
				const char *rn = pol_rule_name(c->a, b, v, ff);
				struct item *it = item_new(c->a, l, arena_printf(c->a,
				    "%s %s %s %s -> %s", b->name, v->name, rn, f->src.label,
				    f->dst.label), arena_printf(c->a, "%s %s: %s: %s",
				    b->name, v->name, rn, pol_proto_ports(c->a, f->proto,
				    f->port_lo, f->port_hi)));

				field(c->a, it, "service", pol_proto_ports(c->a, f->proto,
				    f->port_lo, f->port_hi));
				field(c->a, it, "from_addresses", pol_addrs(c->a,
				    &f->src.addrs, " "));
				field(c->a, it, "to_addresses", pol_addrs(c->a,
				    &f->dst.addrs, " "));
				cite_flowdef(c->a, it, f->def->cites, f->def->ncites);
			}
		else
			for (j = 0; j < v->nlbsvcs; j++) {
				const struct ir_lbsvc *sv = v->lbsvcs[j];
				const char *vn = pol_vs_name(c->a, b, s, v, sv);
				struct item *it = item_new(c->a, l, arena_printf(c->a,
				    "%s %s %s %s.%s IPv%u", b->name, v->name, sv->id,
				    sv->pool->name, ir_side_name[sv->side], sv->vip.family),
				    arena_printf(c->a, "%s %s: %s", b->name, v->name, vn));

				field(c->a, it, "name", vn);
				field(c->a, it, "vip", arena_strdup(c->a, addr_format(&sv->vip,
				    buf, sizeof(buf))));
				lbsvc_fields(c, it, sv);
				cite_flowdef(c->a, it, sv->def->cites, sv->def->ncites);
			}
	}
}

static void
items_rules(struct dctx *c, const struct ir_site *s, struct ilist *l)
{
	size_t i;

	if (c->all_targets) {
		for (i = 0; i < lyncc_nbackends; i++)
			items_rules_one(c, lyncc_backends[i], s, l);
	} else if (c->target)
		items_rules_one(c, c->target, s, l);
}

static void (*const sec_build[S__N])(struct dctx *, const struct ir_site *,
    struct ilist *) = {
	items_site, items_zones, items_parties, items_devices, items_pools,
	items_vips, items_members, items_flows, items_lbsvcs, items_rules,
};

static int
item_cmp(const void *x, const void *y)
{
	const struct item *a = *(const struct item *const *)x;
	const struct item *b = *(const struct item *const *)y;

	return strcmp(a->key, b->key);
}

/* Sort by key; make repeated keys unique ("KEY #2") so that they pair up
 * in order. */
static void
ilist_sort(struct arena *a, struct ilist *l)
{
	size_t i;

	/* number duplicates in original order first: qsort is not stable */
	for (i = 0; i < l->n; i++) {
		size_t j, k = 1;

		for (j = 0; j < i; j++)
			if (strcmp(l->v[j]->key, l->v[i]->key) == 0)
				k++;
		if (k > 1)
			l->v[i]->key = arena_printf(a, "%s #%zu", l->v[i]->key, k);
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(l->v[0]), item_cmp);
}

/* ---- comparing ----------------------------------------------------------- */

enum { OP_ADD, OP_DEL, OP_CHG };

struct change {
	int			 op;
	const struct item	*old, *new;
};

struct secdiff {
	struct change	*v;
	size_t		 n, cap;
	size_t		 nadd, ndel, nchg;
};

static const char *
field_get(const struct item *it, const char *name)
{
	size_t i;

	for (i = 0; i < it->nf; i++)
		if (strcmp(it->f[i].name, name) == 0)
			return it->f[i].val;
	return NULL;
}

static bool
item_differs(const struct item *o, const struct item *n)
{
	size_t i;

	if (o->nf != n->nf)
		return true;
	for (i = 0; i < n->nf; i++) {
		const char *ov = field_get(o, n->f[i].name);

		if (ov == NULL || strcmp(ov, n->f[i].val) != 0)
			return true;
	}
	return false;
}

static void
sec_compare(struct arena *a, struct ilist *o, struct ilist *n, struct secdiff *d)
{
	size_t i = 0, j = 0;

	while (i < o->n || j < n->n) {
		int c = i >= o->n ? 1 : j >= n->n ? -1 : strcmp(o->v[i]->key, n->v[j]->key);
		struct change *ch;

		if (c == 0 && !item_differs(o->v[i], n->v[j])) {
			i++, j++;
			continue;
		}
		ch = VEC_PUSH(a, d->v, d->n, d->cap);
		if (c < 0) {
			ch->op = OP_DEL, ch->old = o->v[i++], ch->new = NULL;
			d->ndel++;
		} else if (c > 0) {
			ch->op = OP_ADD, ch->old = NULL, ch->new = n->v[j++];
			d->nadd++;
		} else {
			ch->op = OP_CHG, ch->old = o->v[i++], ch->new = n->v[j++];
			d->nchg++;
		}
	}
}

/* ---- rendering ------------------------------------------------------------ */

static void
render_text(struct strbuf *b, const struct cli_opts *o, const struct ir_site *so,
    const struct ir_site *sn, struct secdiff *d, bool with_rules)
{
	size_t s, i, k, tadd = 0, tdel = 0, tchg = 0;

	sb_printf(b, "--- %s (site %s)\n+++ %s (site %s)\n", o->input, so->name,
	    o->input2, sn->name);
	for (s = 0; s < S__N; s++) {
		if (s == S_RULES && !with_rules)
			continue;
		tadd += d[s].nadd, tdel += d[s].ndel, tchg += d[s].nchg;
		if (d[s].n == 0)
			continue;
		sb_printf(b, "\n%s: %zu added, %zu removed, %zu changed\n", sec_title[s],
		    d[s].nadd, d[s].ndel, d[s].nchg);
		for (i = 0; i < d[s].n; i++) {
			const struct change *c = &d[s].v[i];
			const struct item *it = c->new ? c->new : c->old;

			sb_printf(b, "%c %s\n", c->op == OP_ADD ? '+' : c->op == OP_DEL ?
			    '-' : '~', it->title);
			if (c->op == OP_CHG) {
				for (k = 0; k < c->new->nf; k++) {
					const char *ov = field_get(c->old, c->new->f[k].name);

					if (ov && strcmp(ov, c->new->f[k].val) == 0)
						continue;
					sb_printf(b, "    %s: %s -> %s\n", c->new->f[k].name,
					    ov ? ov : "(none)", c->new->f[k].val);
				}
				for (k = 0; k < c->old->nf; k++)
					if (field_get(c->new, c->old->f[k].name) == NULL)
						sb_printf(b, "    %s: %s -> (none)\n",
						    c->old->f[k].name, c->old->f[k].val);
			} else if (s == S_FLOWS || s == S_RULES)
				for (k = 0; k < it->nf; k++)
					if (strstr(it->f[k].name, "addresses") ||
					    strcmp(it->f[k].name, "path") == 0)
						sb_printf(b, "    %s: %s\n", it->f[k].name,
						    it->f[k].val);
			if (c->op != OP_CHG || s == S_FLOWS)
				for (k = 0; k < it->ncites; k++)
					sb_printf(b, "    see: %s\n", it->cites[k]);
		}
	}
	if (tadd + tdel + tchg == 0)
		sb_puts(b, "\nno semantic changes\n");
	else
		sb_printf(b, "\n%zu added, %zu removed, %zu changed\n", tadd, tdel, tchg);
}

static void
json_item(struct strbuf *b, const struct item *it, const char *ind)
{
	size_t k;

	sb_puts(b, "{\"key\": ");
	sb_json_str(b, it->key);
	sb_puts(b, ", \"title\": ");
	sb_json_str(b, it->title);
	sb_puts(b, ",\n");
	sb_printf(b, "%s \"fields\": {", ind);
	for (k = 0; k < it->nf; k++) {
		sb_puts(b, k ? ", " : "");
		sb_json_str(b, it->f[k].name);
		sb_puts(b, ": ");
		sb_json_str(b, it->f[k].val);
	}
	sb_puts(b, "}, \"citations\": [");
	for (k = 0; k < it->ncites; k++) {
		sb_puts(b, k ? ", " : "");
		sb_json_str(b, it->cites[k]);
	}
	sb_puts(b, "]}");
}

static void
render_json(struct strbuf *b, const struct cli_opts *o, struct secdiff *d,
    bool with_rules)
{
	static const char *const opname[] = { "added", "removed", "changed" };
	size_t s, i, k, total = 0;
	int op;
	bool firstsec = true;

	for (s = 0; s < S__N; s++)
		total += d[s].n;
	sb_puts(b, "{\n  \"old\": ");
	sb_json_str(b, o->input);
	sb_puts(b, ",\n  \"new\": ");
	sb_json_str(b, o->input2);
	sb_printf(b, ",\n  \"changed\": %s,\n  \"sections\": {", total ? "true" : "false");
	for (s = 0; s < S__N; s++) {
		if (s == S_RULES && !with_rules)
			continue;
		sb_printf(b, "%s\n    \"%s\": {", firstsec ? "" : ",", sec_key[s]);
		firstsec = false;
		for (op = OP_ADD; op <= OP_CHG; op++) {
			bool first = true;

			sb_printf(b, "%s\n      \"%s\": [", op == OP_ADD ? "" : ",", opname[op]);
			for (i = 0; i < d[s].n; i++) {
				const struct change *c = &d[s].v[i];

				if (c->op != op)
					continue;
				sb_puts(b, first ? "\n        " : ",\n        ");
				first = false;
				if (op != OP_CHG) {
					json_item(b, c->new ? c->new : c->old, "        ");
					continue;
				}
				sb_puts(b, "{\"key\": ");
				sb_json_str(b, c->new->key);
				sb_puts(b, ", \"title\": ");
				sb_json_str(b, c->new->title);
				sb_puts(b, ",\n         \"changes\": [");
				for (k = 0; k < c->new->nf; k++) {
					const char *ov = field_get(c->old, c->new->f[k].name);

					if (ov && strcmp(ov, c->new->f[k].val) == 0)
						continue;
					sb_puts(b, "{\"field\": ");
					sb_json_str(b, c->new->f[k].name);
					sb_puts(b, ", \"old\": ");
					if (ov)
						sb_json_str(b, ov);
					else
						sb_puts(b, "null");
					sb_puts(b, ", \"new\": ");
					sb_json_str(b, c->new->f[k].val);
					sb_puts(b, "}, ");
				}
				for (k = 0; k < c->old->nf; k++)
					if (field_get(c->new, c->old->f[k].name) == NULL) {
						sb_puts(b, "{\"field\": ");
						sb_json_str(b, c->old->f[k].name);
						sb_puts(b, ", \"old\": ");
						sb_json_str(b, c->old->f[k].val);
						sb_puts(b, ", \"new\": null}, ");
					}
				/* drop the trailing ", " */
				b->len -= 2;
				sb_puts(b, "]}");
			}
			sb_puts(b, first ? "]" : "\n      ]");
		}
		sb_puts(b, "\n    }");
	}
	sb_puts(b, "\n  }\n}\n");
}

int
cli_diff(const struct cli_opts *o)
{
	struct lyncc_unit *uo, *un, *us[2];
	struct dctx c;
	struct ilist lo[S__N], ln[S__N];
	struct secdiff d[S__N];
	struct strbuf b;
	const char *fmt = o->format ? o->format : "text";
	int rco, rcn, rc;
	size_t s, total = 0;

	memset(&c, 0, sizeof(c));
	if (o->input == NULL || o->input2 == NULL)
		return cli_usage(o, "needs two site files: lyncc diff OLD.lync "
		    "NEW.lync");
	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		return cli_usage(o, "unknown diff format '%s' (text, json)", fmt);
	if (o->target && strcmp(o->target, "all") == 0)
		c.all_targets = true;
	else if (o->target && (c.target = backend_find(o->target)) == NULL)
		return cli_usage(o, "unknown target '%s' (expected " CLI_TARGETS ")",
		    o->target);
	uo = cli_load(o, o->input, &rco);
	un = cli_load(o, o->input2, &rcn);
	us[0] = uo;
	us[1] = un;
	if (rco != LYNCC_EXIT_OK || rcn != LYNCC_EXIT_OK) {
		if (rco != LYNCC_EXIT_USAGE || rcn != LYNCC_EXIT_USAGE)
			cli_report_units(rco == LYNCC_EXIT_USAGE ? us + 1 : us,
			    rco == LYNCC_EXIT_USAGE || rcn == LYNCC_EXIT_USAGE ? 1 : 2, o);
		fputs("lyncc: diff: cannot compare sites with errors\n", stderr);
		lyncc_unit_free(uo);
		lyncc_unit_free(un);
		return LYNCC_EXIT_USAGE;
	}
	/* warnings still go to stderr */
	cli_report_units(us, 2, o);
	c.a = un->arena;
	memset(lo, 0, sizeof(lo));
	memset(ln, 0, sizeof(ln));
	memset(d, 0, sizeof(d));
	for (s = 0; s < S__N; s++) {
		sec_build[s](&c, uo->site, &lo[s]);
		sec_build[s](&c, un->site, &ln[s]);
		ilist_sort(c.a, &lo[s]);
		ilist_sort(c.a, &ln[s]);
		sec_compare(c.a, &lo[s], &ln[s], &d[s]);
		total += d[s].n;
	}
	sb_init(&b);
	if (strcmp(fmt, "json") == 0)
		render_json(&b, o, d, c.target || c.all_targets);
	else
		render_text(&b, o, uo->site, un->site, d, c.target || c.all_targets);
	rc = total ? 1 : LYNCC_EXIT_OK;
	if (cli_write(un, o->output, b.s ? b.s : "", b.len) != 0)
		rc = LYNCC_EXIT_USAGE;
	sb_free(&b);
	lyncc_unit_free(uo);
	lyncc_unit_free(un);
	return rc;
}
