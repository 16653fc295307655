/*
 * lb_common.c - names, comments and checks shared by the LB backends.
 *
 * A service is described in the output like this (prefix "# "):
 *
 *   # edge.ext.av-tcp-443: edge01 external VIP 203.0.113.12 TCP 443 -> members TCP 443
 *   #   A/V TURN over TCP
 *   #   least connections; persistence: source address 1200 s; SNAT: none
 *   #   (client address kept); health: TCP 5061 on each member; idle 1800 s; Nagle off
 *   #   cite: Gg398739 t3 r7
 */
#include "lb_common.h"
#include "sources.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Microsoft's numbers, used when a service leaves them to the device:
 * "20 min TCP session lifetime" and "TCP idle timeout 1800 s" [MS-HLBREQ]. */
#define LB_DEFAULT_PERSIST	1200
#define LB_DEFAULT_IDLE		1800

char *
lb_sanitize(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			*p = '_';
	return s;
}

const char *
lb_svc_name(char *buf, size_t len, const struct ir_site *site,
    const struct ir_device *dev, const struct ir_lbsvc *s)
{
	char a[ADDR_STRLEN];
	size_t i = s->index;
	bool twice = false;

	/* expand.c creates the services of one stdlib definition and pool
	 * (one per VIP address) one after the other in site->lbsvcs, so the
	 * neighbours tell whether this one has a sibling: O(1), not a scan
	 * of the device (issue 14). */
	(void)dev;
	if (i < site->nlbsvcs && site->lbsvcs[i] == s) {
		twice = (i > 0 && site->lbsvcs[i - 1]->def == s->def &&
		    site->lbsvcs[i - 1]->pool == s->pool) ||
		    (i + 1 < site->nlbsvcs && site->lbsvcs[i + 1]->def == s->def &&
		    site->lbsvcs[i + 1]->pool == s->pool);
	}
	if (twice)
		snprintf(buf, len, "%s_%s_%s_%s", site->name, s->pool->name, s->id,
		    addr_format(&s->vip, a, sizeof(a)));
	else
		snprintf(buf, len, "%s_%s_%s", site->name, s->pool->name, s->id);
	return lb_sanitize(buf);
}

static const char *
proto_upper(unsigned proto)
{
	return proto == PROTO_UDP ? "UDP" : "TCP";
}

const char *
lb_svc_label(char *buf, size_t len, const struct ir_lbsvc *s)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s %s VIP %s %s %u", s->pool->name, ir_side_name[s->side],
	    addr_format(&s->vip, a, sizeof(a)), proto_upper(s->proto), s->port);
	return buf;
}

bool
lb_http_port(uint16_t port)
{
	return port == 80 || port == 8080;
}

unsigned
lb_persist_timeout(const struct ir_lbsvc *s)
{
	return s->persist_timeout ? s->persist_timeout : LB_DEFAULT_PERSIST;
}

unsigned
lb_idle_timeout(const struct ir_lbsvc *s)
{
	return s->idle_timeout ? s->idle_timeout : LB_DEFAULT_IDLE;
}

void
lb_put_comment_text(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *run = p;

	/* runs of plain bytes in one append */
	for (;; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '%' && !(*p == '\\' && p[1] == '\0'))
			continue;
		sb_putn(out, (const char *)run, (size_t)(p - run));
		if (*p == '\0')
			return;
		sb_putc(out, '%');
		sb_putc(out, hex[*p >> 4]);
		sb_putc(out, hex[*p & 15]);
		run = p + 1;
	}
}

/* [A-Za-z0-9 _.,:;()/=+-]: kept by lb_put_safe_text */
static bool
safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr(" _.,:;()/=+-", c));
}

void
lb_put_safe_text(struct strbuf *out, const char *s)
{
	static bool init, safe[256];
	const unsigned char *p = (const unsigned char *)s, *run = p;
	unsigned c;

	if (!init) {
		for (c = 0; c < 256; c++)
			safe[c] = safe_char((unsigned char)c);
		init = true;
	}
	for (;; p++) {
		if (safe[*p])
			continue;
		sb_putn(out, (const char *)run, (size_t)(p - run));
		if (*p == '\0')
			return;
		sb_putc(out, '_');
		run = p + 1;
	}
}

const char *
lb_cookie_name(const struct ir_lbsvc *s)
{
	(void)s;
	return "MS-WSMAN";
}

void
lb_header(struct strbuf *out, const struct emit_opts *opts, const char *prefix)
{
	size_t i;

	if (opts == NULL || opts->header == NULL)
		return;
	for (i = 0; opts->header[i]; i++) {
		sb_puts(out, prefix);
		lb_put_comment_text(out, opts->header[i]);
		sb_putc(out, '\n');
	}
	sb_putc(out, '\n');
}

static void
put_cite(struct strbuf *out, const struct ir_cite *c)
{
	char buf[512];

	if (c->file) {
		source_cite(buf, sizeof(buf), c->file, c->table, c->row);
		lb_put_comment_text(out, buf);
	} else {
		lb_put_comment_text(out, c->table);
		sb_puts(out, ": ");
		lb_put_comment_text(out, c->text ? c->text : "");
	}
}

void
lb_describe(struct strbuf *out, const struct ir_lbsvc *s, const char *prefix)
{
	char lbl[128];
	size_t i;

	sb_printf(out, "%s%s: %s -> members %s %u\n", prefix, s->id,
	    lb_svc_label(lbl, sizeof(lbl), s), proto_upper(s->proto), s->member_port);
	if (s->def->note) {
		sb_printf(out, "%s  ", prefix);
		lb_put_comment_text(out, s->def->note);
		sb_putc(out, '\n');
	}
	sb_printf(out, "%s  least connections; persistence: ", prefix);
	if (s->persist == PERSIST_SOURCE)
		sb_printf(out, "source address %u s", lb_persist_timeout(s));
	else if (s->persist == PERSIST_COOKIE)
		sb_printf(out, "cookie %s (no expiry, not httpOnly)", lb_cookie_name(s));
	else
		sb_puts(out, "none");
	sb_printf(out, "; SNAT: %s\n", s->snat ? "yes" :
	    "none (client address kept)");
	sb_printf(out, "%s  health: TCP %u on each member; idle %u s%s\n", prefix,
	    s->monitor_port, lb_idle_timeout(s), s->nagle_off ? "; Nagle off" : "");
	for (i = 0; i < s->def->ncites; i++) {
		sb_printf(out, "%s  cite: ", prefix);
		put_cite(out, &s->def->cites[i]);
		sb_putc(out, '\n');
	}
}

bool
lb_routing_note(struct strbuf *out, const struct ir_device *dev,
    const char *prefix)
{
	char a[ADDR_STRLEN], key[LB_NAMELEN];
	struct lb_strset seen;
	size_t i, k;
	bool any = false;

	lb_strset_init(&seen);
	for (i = 0; i < dev->nlbsvcs; i++) {
		const struct ir_lbsvc *s = dev->lbsvcs[i];

		if (!s->transparent)
			continue;
		/* one line per pool side, member role and family, first time only */
		snprintf(key, sizeof(key), "%s|%d|%d|%u", s->pool->name, (int)s->side,
		    (int)s->def->members, s->vip.family);
		if (!lb_strset_add(&seen, key))
			continue;
		if (!any) {
			sb_printf(out, "%sRETURN ROUTING: the services marked \"SNAT: none\" keep "
			    "the client's source\n", prefix);
			sb_printf(out, "%saddress, so their members must send every reply back "
			    "through this load\n", prefix);
			sb_printf(out, "%sbalancer.\n", prefix);
			sb_printf(out, "%sGg398739, HLB requirements, items 2, 5 and 9: no SNAT "
			    "for the A/V Edge\n", prefix);
			sb_printf(out, "%sservice; the HLB is the default gateway of the edge "
			    "interfaces.  [MS-HLBREQ] [SFB-LB]\n", prefix);
			any = true;
		}
		sb_printf(out, "%s  %s %s members:", prefix, s->pool->name,
		    ir_side_name[s->side]);
		for (k = 0; k < s->nmembers; k++)
			sb_printf(out, " node %u %s", s->members[k].node,
			    addr_format(&s->members[k].addr, a, sizeof(a)));
		sb_putc(out, '\n');
	}
	lb_strset_free(&seen);
	return any;
}

const struct srcloc *
lb_svc_loc(const struct ir_lbsvc *s)
{
	const struct ir_side *sd = &s->pool->side[s->side];

	return sd->lb_loc.src ? &sd->lb_loc : &s->pool->loc;
}

int
lb_check_common(const struct ir_device *dev, struct diag_ctx *dc,
    const char *target)
{
	char lbl[128], key[ADDR_STRLEN + 32];
	struct lb_strset listen;
	size_t i;
	int rc = 0;

	if (dev->nlbsvcs == 0) {
		struct diag *d = diag_error(dc, &dev->loc, "load balancer '%s' carries no "
		    "LB service, so its %s config would be empty", dev->name, target);
		diag_hint(dc, d, "a pool side gets LB services when it has `lb hlb` and a "
		    "VIP (the stdlib's lbservice definitions say which); check what "
		    "`lyncc ir` lists under lb_services");
		return -1;
	}
	lb_strset_init(&listen);
	for (i = 0; i < dev->nlbsvcs; i++) {
		const struct ir_lbsvc *s = dev->lbsvcs[i];
		struct diag *d;

		if (s->nmembers == 0) {
			d = diag_error(dc, lb_svc_loc(s), "LB service '%s' (%s) on '%s' has "
			    "no member of the VIP's address family", s->id,
			    lb_svc_label(lbl, sizeof(lbl), s), dev->name);
			diag_hint(dc, d, "give the nodes of '%s' %s addresses, or drop "
			    "that VIP", s->pool->name, s->vip.family == 6 ? "IPv6" : "IPv4");
			rc = -1;
		}
		snprintf(key, sizeof(key), "%u %u ", s->proto, s->port);
		addr_format(&s->vip, key + strlen(key), sizeof(key) - strlen(key));
		if (!lb_strset_add(&listen, key)) {
			const struct ir_lbsvc *o = NULL;
			size_t j;

			/* the error path only: find the first one */
			for (j = 0; j < i && o == NULL; j++)
				if (dev->lbsvcs[j]->proto == s->proto &&
				    dev->lbsvcs[j]->port == s->port &&
				    addr_cmp(&dev->lbsvcs[j]->vip, &s->vip) == 0)
					o = dev->lbsvcs[j];
			d = diag_error(dc, lb_svc_loc(s), "LB services '%s' and '%s' "
			    "both listen on %s on '%s'", o ? o->id : "?", s->id,
			    lb_svc_label(lbl, sizeof(lbl), s), dev->name);
			diag_hint(dc, d, "give the pool a separate VIP for one of them");
			rc = -1;
		}
		if (s->persist == PERSIST_COOKIE && !(lb_http_port(s->port) &&
		    lb_http_port(s->member_port))) {
			d = diag_error(dc, s->pool->cookie_loc.src ? &s->pool->cookie_loc :
			    lb_svc_loc(s), "the %s target cannot insert the "
			    "%s cookie into TLS traffic: service '%s' (%s)", target,
			    lb_cookie_name(s), s->id, lb_svc_label(lbl, sizeof(lbl), s));
			diag_hint(dc, d, "cookie persistence needs SSL bridging with the web "
			    "services certificate, which lyncc does not generate; it is "
			    "optional for Lync 2013 pools ([MS-HLBREQ]): remove "
			    "`cookie-persistence on;` from '%s'", s->pool->name);
			rc = -1;
		}
	}
	lb_strset_free(&listen);
	return rc;
}

/* ---- string set ---------------------------------------------------------- */

void
lb_strset_init(struct lb_strset *ss)
{
	ss->v = NULL;
	ss->n = ss->cap = 0;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t
strset_slot(char *const *v, size_t cap, const char *s)
{
	size_t i = (size_t)fnv1a(s) & (cap - 1);

	while (v[i] && strcmp(v[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

bool
lb_strset_add(struct lb_strset *ss, const char *s)
{
	size_t i, len;

	if (2 * (ss->n + 1) > ss->cap) {
		size_t ncap = ss->cap ? 2 * ss->cap : 64;
		char **nv = calloc(ncap, sizeof(*nv));

		if (nv == NULL)
			abort();
		for (i = 0; i < ss->cap; i++)
			if (ss->v[i])
				nv[strset_slot(nv, ncap, ss->v[i])] = ss->v[i];
		free(ss->v);
		ss->v = nv;
		ss->cap = ncap;
	}
	i = strset_slot(ss->v, ss->cap, s);
	if (ss->v[i])
		return false;
	len = strlen(s) + 1;
	if ((ss->v[i] = malloc(len)) == NULL)
		abort();
	memcpy(ss->v[i], s, len);
	ss->n++;
	return true;
}

void
lb_strset_free(struct lb_strset *ss)
{
	size_t i;

	for (i = 0; i < ss->cap; i++)
		free(ss->v[i]);
	free(ss->v);
	lb_strset_init(ss);
}

const char *
lb_partition(char *buf, size_t len, const struct ir_site *site)
{
	snprintf(buf, len < 64 ? len : 64, "lyncc_%s", site->name);
	return lb_sanitize(buf);
}

bool
lb_can_serve_udp_free(const struct ir_device *dev, struct strbuf *why,
    const char *target)
{
	char lbl[128];
	size_t i, n = 0;

	for (i = 0; i < dev->nlbsvcs; i++) {
		const struct ir_lbsvc *s = dev->lbsvcs[i];

		if (s->proto != PROTO_UDP)
			continue;
		if (n++ == 0 && why)
			sb_printf(why, "%s cannot load-balance UDP, which '%s' carries: "
			    "%s (%s)", target, dev->name, s->id,
			    lb_svc_label(lbl, sizeof(lbl), s));
	}
	if (n > 1 && why)
		sb_printf(why, " and %zu more UDP service%s", n - 1, n > 2 ? "s" : "");
	return n == 0;
}

/* ---- the HLB as the edge nodes' gateway ------------------------------------ */

const char *
lb_gwroute_name(char *buf, size_t len, const struct lb_gwroute *r)
{
	char port[16] = "";

	if (r->port)
		snprintf(port, sizeof(port), "_%u", r->port);
	snprintf(buf, len, "%s_gw_n%u_%s_%s%s%s", r->pool->name, r->node,
	    ir_svc_name[r->svc], r->proto == PROTO_UDP ? "udp" : "tcp", port,
	    r->src.family == 6 ? "_v6" : "");
	return lb_sanitize(buf);
}

const char *
lb_gwroute_vlan(char *buf, size_t len, const struct lb_gwroute *r)
{
	const struct ir_zone *z = r->pool->side[SIDE_EXT].zone;

	snprintf(buf, len, "/Common/%s", z ? z->name : "external");
	lb_sanitize(buf + 8);
	return buf;
}

struct lb_gwroute *
lb_gateway_routes(const struct ir_site *site, const struct ir_device *dev,
    size_t *n)
{
	struct lb_gwroute *v = NULL;
	struct lb_strset seen;
	size_t i, cap = 0, k, m;
	char key[LB_NAMELEN + ADDR_STRLEN];
	unsigned pr, nd;

	(void)site;
	*n = 0;
	lb_strset_init(&seen);
	/* the IR's lb_forwards (expand.c): one per flow the nodes originate */
	for (i = 0; i < dev->nlbfwds; i++) {
		const struct ir_lbfwd *fw = dev->lbfwds[i];
		const struct ir_flow *f = fw->flow;
		const struct ir_pool *p = fw->pool;
		bool vip = fw->snat_to.n > 0;

		if (f->unreachable || (vip && f->port_lo != f->port_hi))
			continue;	/* lb_check_gateway reports the range */
		for (pr = PROTO_TCP; pr <= PROTO_UDP; pr <<= 1) {
			if (!(f->proto & pr))
				continue;
			for (k = 0; k < fw->sources.n; k++) {
				const struct ir_addr *src = &fw->sources.v[k];
				const struct ir_addr *to = NULL;
				struct lb_gwroute *r;

				for (m = 0; m < fw->snat_to.n && to == NULL; m++)
					if (fw->snat_to.v[m].family == src->family)
						to = &fw->snat_to.v[m];
				if (vip && to == NULL)
					continue;	/* no VIP of the family */
				/* by source, not service: services that share
				 * one address (`port access N;`) share its
				 * forwarding virtual server */
				snprintf(key, sizeof(key), "%s|%u|%u|", p->name, pr,
				    vip ? f->port_lo : 0u);
				addr_format(src, key + strlen(key), sizeof(key) - strlen(key));
				if (!lb_strset_add(&seen, key))
					continue;
				if (*n == cap) {
					cap = cap ? 2 * cap : 16;
					v = realloc(v, cap * sizeof(*v));
					if (v == NULL)
						abort();
				}
				r = &v[(*n)++];
				r->pool = p;
				r->flow = f;
				r->src = *src;
				r->node = 0;
				for (nd = 0; nd < p->nnodes && r->node == 0; nd++)
					if (addrset_has(&p->nodes[nd].addr[fw->svc], src))
						r->node = nd + 1;
				r->svc = fw->svc;
				r->proto = pr;
				r->port = vip ? f->port_lo : 0;
				r->snat_to = to;
			}
		}
	}
	lb_strset_free(&seen);
	return v;
}

int
lb_check_gateway(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc, const char *target)
{
	size_t i;
	int rc = 0;

	(void)site;
	for (i = 0; i < dev->nlbfwds; i++) {
		const struct ir_lbfwd *fw = dev->lbfwds[i];
		const struct ir_flow *f = fw->flow;
		struct diag *d;

		if (f->unreachable || fw->snat_to.n == 0 || f->port_lo == f->port_hi)
			continue;
		d = diag_error(dc, &dev->loc, "the %s target cannot source-translate "
		    "flow '%s' (%u-%u) to the %s VIP of '%s': a translated forwarding "
		    "virtual server is per port", target, f->id, f->port_lo, f->port_hi,
		    ir_svc_name[fw->svc], fw->pool->name);
		diag_hint(dc, d, "the edge nodes use '%s' as their default gateway; "
		    "a flow from the VIP needs single ports", dev->name);
		rc = -1;
	}
	return rc;
}
