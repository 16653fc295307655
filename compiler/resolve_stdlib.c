/*
 * resolve_stdlib.c - the stdlib's declarations: feature, flow, lbservice
 * and rule, with their citations (cite, cite-doc) and conditions (when).
 */
#include "resolve_impl.h"
#include "arena.h"
#include "hmap.h"
#include "sources.h"

#include <string.h>

static void
def_cite(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_cite **v, size_t *n,
    size_t *cap)
{
	struct ir_cite *c;
	const struct lyncc_source *src;
	unsigned long row;

	if (strcmp(s->words[0].text, "cite-doc") == 0) {
		if (!arity(rc, s, 3, 3, "cite-doc KEY \"TEXT\";"))
			return;
		c = VEC_PUSH(rc->arena, *v, *n, *cap);
		memset(c, 0, sizeof(*c));
		c->table = s->words[1].text;
		c->text = text_of(rc, &s->words[2]);
		return;
	}
	if (!arity(rc, s, 4, 4, "cite PAGE \"TABLE\" ROW;"))
		return;
	if (!word_uint(rc, &s->words[3], 1, 999, "table row", &row))
		return;
	/* the page: its TechNet ID (Gg398739), or the seed file name it was
	 * received as; a doc key belongs in cite-doc */
	src = source_find(s->words[1].text);
	if (src != NULL && src->file == NULL) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc, "'%s' is a "
		    "document key, not a seed page", s->words[1].text),
		    "cite it with: cite-doc %s \"TEXT\";", s->words[1].text);
		return;
	}
	if (src == NULL) {
		const char *pages[8];
		size_t i, np = 0;

		for (i = 0; i < lyncc_nsources && np < 8; i++)
			if (lyncc_sources[i].file)
				pages[np++] = lyncc_sources[i].id;
		unknown_word(rc, &s->words[1], "seed page", pages, np,
		    "Gg398739, Gg398833, JJ205394, JJ204648 or JJ618373 (docs/sources.md)", NULL);
		return;
	}
	c = VEC_PUSH(rc->arena, *v, *n, *cap);
	memset(c, 0, sizeof(*c));
	c->file = s->words[1].text;
	c->table = text_of(rc, &s->words[2]);
	c->row = (unsigned)row;
}

static void
def_cond(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_cond **v, size_t *n,
    size_t *cap)
{
	struct ir_cond c;
	static const char *const kinds[] = { "feature", "no-feature", "lb", "mediation" };
	static const char *const medw[] = { "collocated", "standalone" };
	int k;

	memset(&c, 0, sizeof(c));
	if (!arity(rc, s, 3, 4, "when feature NAME;  when lb KIND MODE;  "
	    "when mediation collocated;"))
		return;
	c.loc = span(s);
	if ((k = word_enum(rc, &s->words[1], "condition", kinds, 4)) < 0)
		return;
	c.kind = (enum ir_cond_kind)k;
	switch (c.kind) {
	case COND_FEATURE:
	case COND_NO_FEATURE:
		if (!arity(rc, s, 3, 3, "when feature NAME;"))
			return;
		if (ir_feature_find(rc->site, s->words[2].text) == NULL) {
			const char *names[128];
			size_t i, m = 0;

			for (i = 0; i < rc->site->nfeatures && m < 128; i++)
				names[m++] = rc->site->features[i]->name;
			unknown_word(rc, &s->words[2], "feature", names, m, NULL, NULL);
			return;
		}
		c.feature = s->words[2].text;
		break;
	case COND_LB:
		if (!arity(rc, s, 4, 4, "when lb edge|frontend|director hlb|dns;"))
			return;
		if ((k = word_enum(rc, &s->words[2], "pool kind", pool_kind_words, POOL__N)) < 0)
			return;
		c.pool_kind = (enum ir_pool_kind)k;
		if ((k = word_enum(rc, &s->words[3], "load-balancing mode", lb_words, 3)) < 0)
			return;
		c.lb = (enum ir_lb)k;
		break;
	case COND_MEDIATION:
		if (!arity(rc, s, 3, 3, "when mediation collocated|standalone;"))
			return;
		if ((k = word_enum(rc, &s->words[2], "mediation placement", medw, 2)) < 0)
			return;
		c.collocated = k == 0;
		break;
	}
	*VEC_PUSH(rc->arena, *v, *n, *cap) = c;
}

static bool
def_role(struct resolve_ctx *rc, const struct ast_word *w, enum ir_role *out)
{
	int k = word_enum(rc, w, "role", ir_role_name, ROLE__N);

	if (k <= 0)
		return false;
	*out = (enum ir_role)k;
	return true;
}

static bool
def_endpoint(struct resolve_ctx *rc, struct ast_stmt *s, struct ir_endpoint_def *e)
{
	int k;

	if (!arity(rc, s, 2, 3, "from ROLE;  from any PARTY;") || !no_block(rc, s))
		return false;
	e->loc = span(s);
	if (strcmp(s->words[1].text, "any") == 0) {
		if (!arity(rc, s, 3, 3, "from any PARTY;"))
			return false;
		if ((k = word_enum(rc, &s->words[2], "party", party_names, NPARTIES)) < 0)
			return false;
		e->role = ROLE_NONE;
		e->party = party_names[k];
		return true;
	}
	if (!arity(rc, s, 2, 2, "from ROLE;"))
		return false;
	return def_role(rc, &s->words[1], &e->role);
}

static bool
def_proto(struct resolve_ctx *rc, struct ast_stmt *s, unsigned *proto, bool both)
{
	static const char *const w[] = { "", "tcp", "udp", "tcp-udp" };
	int k;

	if (!arity(rc, s, 2, 2, "proto tcp|udp;") || !no_block(rc, s))
		return false;
	if ((k = word_enum(rc, &s->words[1], "protocol", w, both ? 4 : 3)) <= 0)
		return false;
	*proto = (unsigned)k;
	return true;
}

struct flow_arg {
	struct ir_flowdef	*f;
	bool			 has_proto, has_port, has_from, has_to;
};

static void
fl_proto(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	fa->has_proto = def_proto(rc, s, &fa->f->proto, true);
}

static void
fl_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	if (arity(rc, s, 2, 2, "port N;  port LO-HI;") && no_block(rc, s))
		fa->has_port = parse_ports(rc, &s->words[1], &fa->f->port_lo, &fa->f->port_hi);
}

/* `source-port LO-HI;`: the source ports the traffic leaves from (default:
 * any) */
static void
fl_sport(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	if (arity(rc, s, 2, 2, "source-port N;  source-port LO-HI;") && no_block(rc, s))
		parse_ports(rc, &s->words[1], &fa->f->sport_lo, &fa->f->sport_hi);
}

/* `site-port PARTY;`: the party may give the port (`sip-port N;`) */
static void
fl_site_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;
	int k;

	if (!arity(rc, s, 2, 2, "site-port PARTY;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "party", party_names, NPARTIES)) >= 0)
		fa->f->port_party = party_names[k];
}

/* `listener access|webconf|av;`: the destination is that edge service's
 * listener, whose port the site may move (`port access N;`) */
static bool
def_listener(struct resolve_ctx *rc, const struct ast_word *w, enum ir_svc *svc)
{
	int k = word_enum(rc, w, "edge service", svc_words, SVC__N);

	if (k < 0)
		return false;
	*svc = (enum ir_svc)k;
	return true;
}

static void
fl_listener(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	if (arity(rc, s, 2, 2, "listener access|webconf|av;") && no_block(rc, s))
		def_listener(rc, &s->words[1], &fa->f->listener);
}

/* `site-media-ports PARTY;`: the ports are the party's `media-ports`; a
 * site that gives none gets no such flow */
static void
fl_site_media_ports(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;
	int k;

	if (!arity(rc, s, 2, 2, "site-media-ports PARTY;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "party", party_names, NPARTIES)) >= 0) {
		fa->f->media_party = party_names[k];
		fa->has_port = true;
	}
}

static void
fl_from(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg *fa = arg;

	if (strcmp(s->words[0].text, "from") == 0)
		fa->has_from = def_endpoint(rc, s, &fa->f->from);
	else
		fa->has_to = def_endpoint(rc, s, &fa->f->to);
}

static void
fl_narrow(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;
	size_t i;
	enum ir_role r;

	if (!arity(rc, s, 2, NO_LIMIT, "narrow ROLE...;") || !no_block(rc, s))
		return;
	for (i = 1; i < s->nwords; i++)
		if (def_role(rc, &s->words[i], &r))
			*VEC_PUSH(rc->arena, f->narrow, f->nnarrow, f->capnarrow) = r;
}

static void
fl_when(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;

	def_cond(rc, s, &f->conds, &f->nconds, &f->capconds);
}

static void
fl_cite(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;

	def_cite(rc, s, &f->cites, &f->ncites, &f->capcites);
}

static void
fl_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_flowdef *f = ((struct flow_arg *)arg)->f;

	if (!arity(rc, s, 2, 2, "note \"TEXT\";") || !no_block(rc, s))
		return;
	if (strcmp(s->words[0].text, "note") == 0)
		f->note = text_of(rc, &s->words[1]);
	else
		f->differs = text_of(rc, &s->words[1]);
}

static const struct kw flow_kw[] = {
	{ "proto", fl_proto },
	{ "port", fl_port },
	{ "source-port", fl_sport },
	{ "site-port", fl_site_port },
	{ "listener", fl_listener },
	{ "site-media-ports", fl_site_media_ports },
	{ "from", fl_from },
	{ "to", fl_from },
	{ "narrow", fl_narrow },
	{ "when", fl_when },
	{ "note", fl_note },
	{ "differs", fl_note },
	{ "cite", fl_cite },
	{ "cite-doc", fl_cite },
	{ NULL, NULL },
};

static bool
def_id(struct resolve_ctx *rc, struct ast_stmt *s, const char *what)
{
	size_t i;
	const char *id;

	if (!arity(rc, s, 2, 2, "flow ID < ... >") || !want_block(rc, s, "flow ID < ... >"))
		return false;
	if (!check_name(rc, &s->words[1], what))
		return false;
	id = s->words[1].text;
	/* index what was defined since the last call (a hash set, so that
	 * defining N IDs is linear) */
	if (rc->defids.arena == NULL)
		hmap_init(&rc->defids, rc->arena);
	for (i = rc->defids_n[0]; i < rc->site->nflowdefs; i++)
		hmap_sput(&rc->defids, rc->site->flowdefs[i]->id, rc->site->flowdefs[i]);
	for (i = rc->defids_n[1]; i < rc->site->nlbdefs; i++)
		hmap_sput(&rc->defids, rc->site->lbdefs[i]->id, rc->site->lbdefs[i]);
	for (i = rc->defids_n[2]; i < rc->site->nrules; i++)
		hmap_sput(&rc->defids, rc->site->rules[i]->id, rc->site->rules[i]);
	rc->defids_n[0] = rc->site->nflowdefs;
	rc->defids_n[1] = rc->site->nlbdefs;
	rc->defids_n[2] = rc->site->nrules;
	if (hmap_sget(&rc->defids, id) == NULL)
		return true;
	diag_error(rc->dc, &s->words[1].loc, "%s ID '%s' is already defined", what, id);
	return false;
}

void
st_flow(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct flow_arg fa;
	struct ir_flowdef *f;
	struct diag *d;

	(void)arg;
	if (!def_id(rc, s, "flow"))
		return;
	f = arena_alloc(rc->arena, sizeof(*f));
	f->id = s->words[1].text;
	f->loc = s->words[1].loc;
	memset(&fa, 0, sizeof(fa));
	fa.f = f;
	dispatch_block(rc, s, flow_kw, "flow property", &fa);
	if (!fa.has_proto || !fa.has_port || !fa.has_from || !fa.has_to) {
		d = diag_error(rc->dc, &s->words[1].loc, "flow '%s' lacks %s", f->id,
		    !fa.has_proto ? "'proto'" : !fa.has_port ? "'port'" :
		    !fa.has_from ? "'from'" : "'to'");
		diag_hint(rc->dc, d, "a flow needs proto, port, from and to");
		return;
	}
	if (f->nnarrow && f->from.role != ROLE_NONE && f->to.role != ROLE_NONE) {
		diag_error(rc->dc, &s->words[1].loc, "flow '%s': 'narrow' needs an 'any' side",
		    f->id);
		return;
	}
	f->index = (unsigned)rc->site->nflowdefs;
	*VEC_PUSH(rc->arena, rc->site->flowdefs, rc->site->nflowdefs,
	    rc->site->capflowdefs) = f;
}

struct lb_arg {
	struct ir_lbdef	*l;
	bool		 has_vip, has_members, has_proto, has_port;
};

static void
lb_role(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;

	if (!arity(rc, s, 2, 2, "vip ROLE;  members ROLE;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[0].text, "vip") == 0)
		la->has_vip = def_role(rc, &s->words[1], &la->l->vip);
	else
		la->has_members = def_role(rc, &s->words[1], &la->l->members);
}

static void
lb_proto(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;

	la->has_proto = def_proto(rc, s, &la->l->proto, false);
}

static void
lb_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "port N;") || !no_block(rc, s))
		return;
	if (!word_uint(rc, &s->words[1], 1, 65535, "port", &v))
		return;
	if (strcmp(s->words[0].text, "port") == 0) {
		la->l->port = (uint16_t)v;
		la->has_port = true;
	} else
		la->l->member_port = (uint16_t)v;
}

static void
lb_persist(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	int k;

	if (!arity(rc, s, 2, 2, "persist none|source|cookie;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "persistence", ir_persist_name, 3)) >= 0)
		la->l->persist = (enum ir_persist)k;
}

static void
lb_seconds(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "idle-timeout SECONDS;") || !no_block(rc, s))
		return;
	if (!word_uint(rc, &s->words[1], 1, 86400, "timeout", &v))
		return;
	if (strcmp(s->words[0].text, "idle-timeout") == 0)
		la->l->idle_timeout = (unsigned)v;
	else
		la->l->persist_timeout = (unsigned)v;
}

static void
lb_snat(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	int k;

	if (!arity(rc, s, 2, 2, "snat allowed|forbidden|required;") || !no_block(rc, s))
		return;
	if ((k = word_enum(rc, &s->words[1], "SNAT policy", ir_snat_policy_name, 3)) >= 0)
		la->l->snat = (enum ir_snat_policy)k;
}

static void
lb_monitor(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	unsigned long v;

	if (!arity(rc, s, 3, 3, "monitor tcp PORT;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[1].text, "listener") == 0) {
		def_listener(rc, &s->words[2], &la->l->monitor_listener);
		return;
	}
	if (strcmp(s->words[1].text, "tcp") != 0) {
		diag_error(rc->dc, &s->words[1].loc, "only 'monitor tcp PORT' is supported");
		return;
	}
	if (word_uint(rc, &s->words[2], 1, 65535, "port", &v))
		la->l->monitor_port = (uint16_t)v;
}

/* `listener access|webconf|av;`: port and member port follow the site's
 * `port SVC N;` */
static void
lb_listener(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;

	if (arity(rc, s, 2, 2, "listener access|webconf|av;") && no_block(rc, s))
		def_listener(rc, &s->words[1], &la->l->listener);
}

static void
lb_balance(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	(void)arg;
	if (!arity(rc, s, 2, 2, "balance leastconn;") || !no_block(rc, s))
		return;
	if (strcmp(s->words[1].text, "leastconn") != 0)
		diag_error(rc->dc, &s->words[1].loc, "only 'balance leastconn' is "
		    "supported: Lync pools are balanced by least connections");
}

static void
lb_nagle(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg *la = arg;
	bool on;

	if (arity(rc, s, 2, 2, "nagle on|off;") && no_block(rc, s) &&
	    word_onoff(rc, &s->words[1], &on))
		la->l->nagle_off = !on;
}

static void
lb_when(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_lbdef *l = ((struct lb_arg *)arg)->l;

	def_cond(rc, s, &l->conds, &l->nconds, &l->capconds);
}

static void
lb_cite(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_lbdef *l = ((struct lb_arg *)arg)->l;

	def_cite(rc, s, &l->cites, &l->ncites, &l->capcites);
}

static void
lb_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_lbdef *l = ((struct lb_arg *)arg)->l;

	if (arity(rc, s, 2, 2, "note \"TEXT\";") && no_block(rc, s))
		l->note = text_of(rc, &s->words[1]);
}

static const struct kw lb_kw[] = {
	{ "vip", lb_role },
	{ "members", lb_role },
	{ "proto", lb_proto },
	{ "port", lb_port },
	{ "member-port", lb_port },
	{ "persist", lb_persist },
	{ "persist-timeout", lb_seconds },
	{ "idle-timeout", lb_seconds },
	{ "snat", lb_snat },
	{ "monitor", lb_monitor },
	{ "listener", lb_listener },
	{ "balance", lb_balance },
	{ "nagle", lb_nagle },
	{ "when", lb_when },
	{ "note", lb_note },
	{ "cite", lb_cite },
	{ "cite-doc", lb_cite },
	{ NULL, NULL },
};

void
st_lbservice(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct lb_arg la;
	struct ir_lbdef *l;

	(void)arg;
	if (!def_id(rc, s, "lbservice"))
		return;
	l = arena_alloc(rc->arena, sizeof(*l));
	l->id = s->words[1].text;
	l->loc = s->words[1].loc;
	memset(&la, 0, sizeof(la));
	la.l = l;
	dispatch_block(rc, s, lb_kw, "lbservice property", &la);
	if (!la.has_vip || !la.has_members || !la.has_proto || !la.has_port) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[1].loc,
		    "lbservice '%s' lacks %s", l->id, !la.has_vip ? "'vip'" :
		    !la.has_members ? "'members'" : !la.has_proto ? "'proto'" : "'port'"),
		    "an lbservice needs vip, members, proto and port");
		return;
	}
	if (l->member_port == 0)
		l->member_port = l->port;
	l->index = (unsigned)rc->site->nlbdefs;
	*VEC_PUSH(rc->arena, rc->site->lbdefs, rc->site->nlbdefs, rc->site->caplbdefs) = l;
}

static void
ru_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_rule *r = arg;

	if (arity(rc, s, 2, 2, "note \"TEXT\";") && no_block(rc, s))
		r->note = text_of(rc, &s->words[1]);
}

static void
ru_cite(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_rule *r = arg;

	def_cite(rc, s, &r->cites, &r->ncites, &r->capcites);
}

static const struct kw rule_kw[] = {
	{ "note", ru_note },
	{ "cite", ru_cite },
	{ "cite-doc", ru_cite },
	{ NULL, NULL },
};

void
st_rule(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_rule *r;

	(void)arg;
	if (!def_id(rc, s, "rule"))
		return;
	r = arena_alloc(rc->arena, sizeof(*r));
	r->id = s->words[1].text;
	r->loc = s->words[1].loc;
	dispatch_block(rc, s, rule_kw, "rule property", r);
	*VEC_PUSH(rc->arena, rc->site->rules, rc->site->nrules, rc->site->caprules) = r;
}

static void
ft_note(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_feature *f = arg;

	if (arity(rc, s, 2, 2, "note \"TEXT\";") && no_block(rc, s))
		f->note = text_of(rc, &s->words[1]);
}

/* `default on;`: the seeds make the rows unconditional; a site may turn the
 * feature off (`features < NAME off; >`) */
static void
ft_default(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_feature *f = arg;

	if (arity(rc, s, 2, 2, "default on|off;") && no_block(rc, s))
		word_onoff(rc, &s->words[1], &f->on);
	f->default_on = f->on;
}

static const struct kw feature_kw[] = {
	{ "note", ft_note },
	{ "default", ft_default },
	{ NULL, NULL },
};

void
st_feature(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_feature *f;

	(void)arg;
	if (!arity(rc, s, 2, 2, "feature NAME < note \"TEXT\"; >") ||
	    !want_block(rc, s, "feature NAME < note \"TEXT\"; >"))
		return;
	if (!check_name(rc, &s->words[1], "feature"))
		return;
	if (ir_feature_find(rc->site, s->words[1].text)) {
		diag_error(rc->dc, &s->words[1].loc, "feature '%s' is already declared",
		    s->words[1].text);
		return;
	}
	f = arena_alloc(rc->arena, sizeof(*f));
	f->name = s->words[1].text;
	f->loc = s->words[1].loc;
	dispatch_block(rc, s, feature_kw, "feature property", f);
	*VEC_PUSH(rc->arena, rc->site->features, rc->site->nfeatures,
	    rc->site->capfeatures) = f;
}
