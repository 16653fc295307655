/*
 * flows.c - `lyncc flows`: the flows that apply to a site (or, with --all,
 * every flow of the stdlib) as a table, CSV, JSON or Markdown.
 *
 * Columns: id, proto, ports, from, to, from_addresses, to_addresses, path,
 * when, citations, note, source_ports (empty: any source port).  For --all the address and path columns are empty
 * and from/to are the endpoints as the stdlib writes them ("any internet").
 */
#include "flows.h"
#include "arena.h"
#include "ir_json.h"
#include "sources.h"
#include "strbuf.h"

#include <string.h>

enum { C_ID, C_PROTO, C_PORTS, C_FROM, C_TO, C_FROMA, C_TOA, C_PATH, C_WHEN,
	C_CITES, C_NOTE, C_SPORTS, C__N };
static const char *const col_name[C__N] = {
	"id", "proto", "ports", "from", "to", "from_addresses", "to_addresses",
	"path", "when", "citations", "note", "source_ports",
};

static char *
ports_text(struct arena *a, unsigned lo, unsigned hi)
{
	return lo == hi ? arena_printf(a, "%u", lo) : arena_printf(a, "%u-%u", lo, hi);
}

static char *
addrs_text(struct arena *a, const struct ir_addrset *s)
{
	char *t = "";
	char buf[ADDR_STRLEN];
	size_t i;

	if (s->any)
		return "any";
	for (i = 0; i < s->n; i++)
		t = arena_printf(a, "%s%s%s", t, i ? " " : "", addr_format(&s->v[i], buf,
		    sizeof(buf)));
	return t;
}

static char *
ep_def_text(struct arena *a, const struct ir_endpoint_def *e)
{
	if (e->role != ROLE_NONE)
		return (char *)ir_role_name[e->role];
	return arena_printf(a, "any %s", e->party);
}

static char *
conds_text(struct arena *a, const struct ir_cond *conds, size_t n)
{
	char *t = "";
	size_t i;

	for (i = 0; i < n; i++) {
		const struct ir_cond *c = &conds[i];
		const char *one = "";

		switch (c->kind) {
		case COND_FEATURE:	one = arena_printf(a, "feature %s", c->feature); break;
		case COND_NO_FEATURE:	one = arena_printf(a, "no-feature %s", c->feature); break;
		case COND_LB:		one = arena_printf(a, "lb %s %s",
					    ir_pool_kind_name[c->pool_kind], ir_lb_name[c->lb]);
					break;
		case COND_MEDIATION:	one = c->collocated ? "mediation collocated" :
					    "mediation standalone";
					break;
		}
		t = arena_printf(a, "%s%s%s", t, i ? "; " : "", one);
	}
	return t;
}

static char *
cite_list(struct arena *a, const struct ir_cite *c, size_t n)
{
	char *t = "";
	size_t i;

	for (i = 0; i < n; i++)
		t = arena_printf(a, "%s%s%s", t, i ? "; " : "", ir_cite_format(a, &c[i]));
	return t;
}

static char *
cites_text(struct arena *a, const struct ir_flowdef *f)
{
	return cite_list(a, f->cites, f->ncites);
}

static void
row_def(struct arena *a, const struct ir_flowdef *f, const char **r)
{
	memset(r, 0, C__N * sizeof(char *));
	r[C_ID] = f->id;
	r[C_PROTO] = ir_proto_name(f->proto);
	r[C_PORTS] = f->media_party ? "media-ports" : ports_text(a, f->port_lo, f->port_hi);
	r[C_FROM] = ep_def_text(a, &f->from);
	r[C_TO] = ep_def_text(a, &f->to);
	r[C_FROMA] = r[C_TOA] = r[C_PATH] = "";
	r[C_WHEN] = conds_text(a, f->conds, f->nconds);
	r[C_CITES] = cites_text(a, f);
	r[C_NOTE] = f->note ? f->note : "";
	r[C_SPORTS] = f->sport_lo ? ports_text(a, f->sport_lo, f->sport_hi) : "";
}

static void
row_flow(struct arena *a, const struct ir_flow *f, const char **r)
{
	char *p = "";
	size_t i;

	row_def(a, f->def, r);
	r[C_PORTS] = ports_text(a, f->port_lo, f->port_hi);	/* the site's sip-port, media-ports */
	r[C_FROM] = f->src.label;
	r[C_TO] = f->dst.label;
	r[C_FROMA] = addrs_text(a, &f->src.addrs);
	r[C_TOA] = addrs_text(a, &f->dst.addrs);
	for (i = 0; i < f->npath; i++)
		p = arena_printf(a, "%s%s%s", p, i ? " " : "", f->path[i]->name);
	if (f->unreachable)
		p = "(no route)";
	r[C_PATH] = p;
}

static void
csv_field(struct strbuf *b, const char *s)
{
	if (strpbrk(s, ",\"\n\r") == NULL) {
		sb_puts(b, s);
		return;
	}
	sb_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(b, '"');
		sb_putc(b, *s);
	}
	sb_putc(b, '"');
}

static void
md_field(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			sb_puts(b, "\\|");
		else
			sb_putc(b, *s);
	}
}

int
flows_render(struct arena *a, const struct ir_site *site, bool all, const char *fmt,
    struct strbuf *b)
{
	size_t n = all ? site->nflowdefs : site->nflows, i, c;
	const char ***rows = arena_alloc(a, (n + 1) * sizeof(*rows));
	/* table shows fewer columns: the rest are in csv/json */
	static const int tcols[] = { C_ID, C_PROTO, C_PORTS, C_FROM, C_TO, C_PATH, C_CITES };
	static const int tcols_all[] = { C_ID, C_PROTO, C_PORTS, C_FROM, C_TO, C_WHEN, C_CITES };
	const int *tc = all ? tcols_all : tcols;
	size_t ntc = 7, width[C__N];

	for (i = 0; i < n; i++) {
		rows[i] = arena_alloc(a, C__N * sizeof(char *));
		if (all)
			row_def(a, site->flowdefs[i], rows[i]);
		else
			row_flow(a, site->flows[i], rows[i]);
	}
	if (strcmp(fmt, "csv") == 0) {
		for (c = 0; c < C__N; c++) {
			sb_puts(b, c ? "," : "");
			sb_puts(b, col_name[c]);
		}
		sb_putc(b, '\n');
		for (i = 0; i < n; i++) {
			for (c = 0; c < C__N; c++) {
				sb_puts(b, c ? "," : "");
				csv_field(b, rows[i][c]);
			}
			sb_putc(b, '\n');
		}
		return 0;
	}
	if (strcmp(fmt, "md") == 0) {
		sb_puts(b, "|");
		for (c = 0; c < ntc; c++)
			sb_printf(b, " %s |", col_name[tc[c]]);
		sb_puts(b, "\n|");
		for (c = 0; c < ntc; c++)
			sb_puts(b, "---|");
		sb_putc(b, '\n');
		for (i = 0; i < n; i++) {
			sb_puts(b, "|");
			for (c = 0; c < ntc; c++) {
				sb_putc(b, ' ');
				md_field(b, rows[i][tc[c]]);
				sb_puts(b, " |");
			}
			sb_putc(b, '\n');
		}
		return 0;
	}
	if (strcmp(fmt, "json") == 0) {
		sb_puts(b, "[");
		for (i = 0; i < n; i++) {
			sb_puts(b, i ? ",\n  " : "\n  ");
			if (!all) {
				ir_json_flow(a, b, site->flows[i], 1);
				continue;
			}
			sb_putc(b, '{');
			for (c = 0; c < C__N; c++) {
				if (c == C_FROMA || c == C_TOA || c == C_PATH)
					continue;
				sb_puts(b, c ? ", " : "");
				sb_json_str(b, col_name[c]);
				sb_puts(b, ": ");
				sb_json_str(b, rows[i][c]);
			}
			sb_putc(b, '}');
		}
		sb_puts(b, n ? "\n]\n" : "]\n");
		return 0;
	}
	if (strcmp(fmt, "table") != 0)
		return -1;
	for (c = 0; c < ntc; c++)
		width[c] = strlen(col_name[tc[c]]);
	for (i = 0; i < n; i++)
		for (c = 0; c < ntc; c++)
			if (strlen(rows[i][tc[c]]) > width[c])
				width[c] = strlen(rows[i][tc[c]]);
	for (c = 0; c < ntc; c++) {
		if (c + 1 < ntc)
			sb_printf(b, "%-*s  ", (int)width[c], col_name[tc[c]]);
		else
			sb_printf(b, "%s\n", col_name[tc[c]]);
	}
	for (i = 0; i < n; i++)
		for (c = 0; c < ntc; c++) {
			if (c + 1 < ntc)
				sb_printf(b, "%-*s  ", (int)width[c], rows[i][tc[c]]);
			else
				sb_printf(b, "%s\n", rows[i][tc[c]]);
		}
	return 0;
}

/*
 * `lyncc flows --all --services`: the stdlib's LB service definitions, one
 * CSV row each, with every setting a load-balancer backend needs.
 */
void
lbdefs_render(struct arena *a, const struct ir_site *site, struct strbuf *b)
{
	size_t i;

	sb_puts(b, "id,proto,port,member_port,vip,members,persistence,"
	    "persistence_timeout,snat,monitor_tcp_port,idle_timeout,nagle,when,"
	    "citations,note\n");
	for (i = 0; i < site->nlbdefs; i++) {
		const struct ir_lbdef *l = site->lbdefs[i];

		sb_printf(b, "%s,%s,%u,%u,%s,%s,%s,%u,%s,%u,%u,%s,", l->id,
		    ir_proto_name(l->proto), l->port, l->member_port,
		    ir_role_name[l->vip], ir_role_name[l->members],
		    ir_persist_name[l->persist], l->persist_timeout,
		    ir_snat_policy_name[l->snat], l->monitor_port ? l->monitor_port :
		    l->member_port, l->idle_timeout, l->nagle_off ? "off" : "on");
		csv_field(b, conds_text(a, l->conds, l->nconds));
		sb_putc(b, ',');
		csv_field(b, cite_list(a, l->cites, l->ncites));
		sb_putc(b, ',');
		csv_field(b, l->note ? l->note : "");
		sb_putc(b, '\n');
	}
}

/* ---- `lyncc explain ID` for a stdlib definition ------------------------ */

/* One citation with the title and address of its document and, for a
 * seed table row, the row's text: in English where the page prints it
 * (JJ205394), else the cells as on the page (Japanese) and the stdlib's
 * English note as a gloss, labelled so. */
static void
cite_explain(struct arena *a, const struct ir_cite *c, const char *gloss,
    struct strbuf *b)
{
	const struct lyncc_source *s = source_find(c->file ? c->file : c->table);
	const struct source_row *row = NULL;
	unsigned t = 0;

	sb_printf(b, "  %s\n", ir_cite_format(a, c));
	if (s == NULL)
		return;
	if (c->file && (t = source_table(s, c->table)) != 0)
		sb_printf(b, "    table %u (%s), row %u (the header row not counted) of\n",
		    t, c->table, c->row);
	else if (c->file)
		sb_printf(b, "    the section \"%s\", item %u, of\n", c->table, c->row);
	sb_printf(b, "    %s\n", s->title);
	if (s->url)
		sb_printf(b, "    %s\n", s->url);
	if (t != 0)
		row = source_row_find(s->id, t, c->row);
	if (row == NULL) {
		/* a prose item of a Japanese page: its gloss (JJ205394 prints
		 * the English itself) */
		if (c->file && t == 0 && strcmp(s->id, "JJ205394") != 0)
			sb_printf(b, "    gloss in English of the item (the stdlib's note, "
			    "not the page's words): %s\n", gloss ? gloss : "(none: no note)");
		return;
	}
	if (row->text[0] == '\0')
		sb_puts(b, "    row:   (empty on the page)\n");
	else if (row->english != NULL)
		sb_printf(b, "    row, English as on the page: %s\n", row->english);
	else {
		sb_printf(b, "    row, Japanese as on the page: %s\n", row->text);
		sb_printf(b, "    gloss in English (the stdlib's note, not the page's "
		    "words): %s\n", gloss ? gloss : "(none: no note)");
	}
}

static void
note_explain(const char *note, struct strbuf *b)
{
	sb_printf(b, "  note:        %s\n", note ? note : "(none)");
}

static void
cites_explain(struct arena *a, const struct ir_cite *c, size_t n, const char *gloss,
    struct strbuf *b)
{
	size_t i;

	sb_puts(b, n ? "sources:\n" : "sources: none\n");
	for (i = 0; i < n; i++)
		cite_explain(a, &c[i], gloss, b);
}

static const char *
conds_explain(struct arena *a, const struct ir_cond *c, size_t n)
{
	return n ? arena_printf(a, "when %s", conds_text(a, c, n)) :
	    "always (no condition)";
}

static void
flowdef_explain(struct arena *a, const struct ir_flowdef *f, struct strbuf *b)
{
	size_t i;

	sb_printf(b, "flow %s\n", f->id);
	sb_printf(b, "  from:        %s\n", ep_def_text(a, &f->from));
	sb_printf(b, "  to:          %s\n", ep_def_text(a, &f->to));
	if (f->nnarrow) {
		sb_puts(b, "  narrows to: ");
		for (i = 0; i < f->nnarrow; i++)
			sb_printf(b, " %s", ir_role_name[f->narrow[i]]);
		sb_puts(b, " (when the site places them)\n");
	}
	sb_printf(b, "  protocol:    %s\n", ir_proto_name(f->proto));
	if (f->media_party)
		sb_printf(b, "  port:        the media-ports of party %s (none given: no rule)\n",
		    f->media_party);
	else if (f->port_party)
		sb_printf(b, "  port:        the sip-port of party %s (default %s)\n",
		    f->port_party, ports_text(a, f->port_lo, f->port_hi));
	else if (f->listener != SVC_PRIMARY)
		sb_printf(b, "  port:        the edge pool's %s listener: its `port %s N;` "
		    "(default %s)\n", ir_svc_name[f->listener], ir_svc_name[f->listener],
		    ports_text(a, f->port_lo, f->port_hi));
	else
		sb_printf(b, "  port:        %s\n", ports_text(a, f->port_lo, f->port_hi));
	sb_printf(b, "  source port: %s\n", f->sport_lo ?
	    ports_text(a, f->sport_lo, f->sport_hi) : "any");
	sb_printf(b, "  applies:     %s\n", conds_explain(a, f->conds, f->nconds));
	note_explain(f->note, b);
	if (f->differs)
		sb_printf(b, "  differs:     %s\n", f->differs);
	cites_explain(a, f->cites, f->ncites, f->note, b);
}

static void
lbdef_explain(struct arena *a, const struct ir_lbdef *l, struct strbuf *b)
{
	sb_printf(b, "lbservice %s\n", l->id);
	sb_printf(b, "  vip:         %s\n", ir_role_name[l->vip]);
	sb_printf(b, "  members:     %s\n", ir_role_name[l->members]);
	sb_printf(b, "  protocol:    %s\n", ir_proto_name(l->proto));
	if (l->listener != SVC_PRIMARY)
		sb_printf(b, "  port:        the edge pool's %s listener: its `port %s N;` "
		    "(default %u), members the same\n", ir_svc_name[l->listener],
		    ir_svc_name[l->listener], l->port);
	else
		sb_printf(b, "  port:        %u (members %u)\n", l->port, l->member_port);
	sb_printf(b, "  persistence: %s", ir_persist_name[l->persist]);
	if (l->persist_timeout)
		sb_printf(b, ", %u s", l->persist_timeout);
	sb_printf(b, "\n  snat:        %s\n", ir_snat_policy_name[l->snat]);
	sb_printf(b, "  monitor:     tcp %u%s%s%s\n", l->monitor_port ? l->monitor_port :
	    l->member_port, l->monitor_listener != SVC_PRIMARY ? " (or the edge "
	    "pool's `port " : "", l->monitor_listener != SVC_PRIMARY ?
	    ir_svc_name[l->monitor_listener] : "", l->monitor_listener != SVC_PRIMARY ?
	    " N;`)" : "");
	if (l->idle_timeout)
		sb_printf(b, "  idle:        %u s\n", l->idle_timeout);
	if (l->nagle_off)
		sb_puts(b, "  nagle:       off\n");
	sb_printf(b, "  applies:     %s\n", conds_explain(a, l->conds, l->nconds));
	note_explain(l->note, b);
	cites_explain(a, l->cites, l->ncites, l->note, b);
}

void
rule_explain(struct arena *a, const struct ir_rule *r, struct strbuf *b)
{
	sb_printf(b, "rule %s\n", r->id);
	note_explain(r->note, b);
	cites_explain(a, r->cites, r->ncites, r->note, b);
}

int
def_explain(struct arena *a, const struct ir_site *site, const char *id,
    struct strbuf *b)
{
	const struct ir_rule *r;
	size_t i;

	for (i = 0; i < site->nflowdefs; i++)
		if (strcmp(site->flowdefs[i]->id, id) == 0) {
			flowdef_explain(a, site->flowdefs[i], b);
			return 0;
		}
	for (i = 0; i < site->nlbdefs; i++)
		if (strcmp(site->lbdefs[i]->id, id) == 0) {
			lbdef_explain(a, site->lbdefs[i], b);
			return 0;
		}
	if ((r = ir_rule_find(site, id)) != NULL) {
		rule_explain(a, r, b);
		return 0;
	}
	return -1;
}

size_t
def_ids(struct arena *a, const struct ir_site *site, const char ***out)
{
	size_t n = 0, i;
	const char **v = arena_alloc(a, (site->nflowdefs + site->nlbdefs +
	    site->nrules + 1) * sizeof(*v));

	for (i = 0; i < site->nflowdefs; i++)
		v[n++] = site->flowdefs[i]->id;
	for (i = 0; i < site->nlbdefs; i++)
		v[n++] = site->lbdefs[i]->id;
	for (i = 0; i < site->nrules; i++)
		v[n++] = site->rules[i]->id;
	*out = v;
	return n;
}
