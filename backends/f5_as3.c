/*
 * f5_as3.c - F5 BIG-IP AS3 backend (`-t f5-as3`): one AS3 declaration
 * (JSON) per load balancer, for POST /mgmt/shared/appsvcs/declare.
 *
 * AS3 is declarative: a declaration states the whole content of its
 * tenants, and AS3 creates, changes and deletes whatever it takes to get
 * there, so posting version 2 over version 1 leaves exactly version 2
 * (idempotent by design; posting the same file twice changes nothing).
 * updateMode "selective": tenants the declaration does not name are left
 * alone.  Layout (2-space indentation, keys in a fixed order, no
 * timestamps):
 *
 *   { "class": "AS3", "action": "deploy", "persist": true,
 *     "declaration": {
 *       "class": "ADC", "schemaVersion": "3.36.0", "id": "lyncc_SITE_DEV",
 *       "updateMode": "selective",
 *       "constants": { "class": "Constants", "lyncc_header": [ lines ] },
 *       "lyncc_SITE": {                            tenant (lb_partition())
 *         "class": "Tenant",
 *         "DEV": {                                 application: the device
 *           "class": "Application", "template": "generic",
 *           "mon_tcp_5061":   Monitor tcp, targetPort 5061
 *           "tcp_idle1800":   TCP_Profile idleTimeout [, nagle disable]
 *           "udp_idle1800":   UDP_Profile idleTimeout
 *           "persist_src_1200": Persist source-address, duration
 *           "persist_cookie_MS-WSMAN": Persist cookie insert, MS-WSMAN,
 *                             ttl 0, httpOnly false, secure false, alwaysSet
 *           "NAME_pool":      Pool least-connections-member, monitors,
 *                             members [{servicePort, serverAddresses}]
 *           "NAME_vs":        Service_TCP / Service_UDP / Service_HTTP
 *                             (cookie), virtualAddresses [VIP], virtualPort,
 *                             pool, persistenceMethods ([] for none),
 *                             profileTCP/UDP, snat "auto" | "none"
 *           "snat_POOL_access": SNAT_Pool [VIP]        (edge gateway)
 *           "POOL_gw_n1_access_tcp_5061": Service_Forwarding ip,
 *                             allowVlans [{bigip "/Common/ZONE"}] (the nodes'
 *                             external zone; f5.c emit_gateway),
 *                             virtualAddresses [["0.0.0.0/0", NODE/32]],
 *                             virtualPort, layer4, snat {use} | "none"
 *         } } } }
 *
 * The same settings as f5.c (docs/lb-backends.md): the IR decides every
 * value, the tmsh and AS3 targets only spell them.  Names are checked
 * against AS3's property-name pattern by the schema in the test suite
 * (tests/lb/as3/); every string is ASCII (lb_put_safe_text, %XX in the
 * header, \u escapes for anything else).
 */
#include "backend.h"
#include "lb_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small pretty-printing JSON writer --------------------------------- */

struct jw {
	struct strbuf	*out;
	int		 depth;
	bool		 first;		/* no member yet at this depth */
};

static void
j_str(struct strbuf *out, const char *s)
{
	const unsigned char *p;

	sb_putc(out, '"');
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			sb_printf(out, "\\u%04x", *p);
		else
			sb_putc(out, (char)*p);
	sb_putc(out, '"');
}

static void
j_key(struct jw *w, const char *key)
{
	int i;

	if (!w->first)
		sb_putc(w->out, ',');
	sb_putc(w->out, '\n');
	for (i = 0; i < w->depth; i++)
		sb_puts(w->out, "  ");
	w->first = false;
	if (key) {
		j_str(w->out, key);
		sb_puts(w->out, ": ");
	}
}

static void
j_open(struct jw *w, const char *key, char c)
{
	j_key(w, key);
	sb_putc(w->out, c);
	w->depth++;
	w->first = true;
}

static void
j_close(struct jw *w, char c)
{
	int i;

	w->depth--;
	if (!w->first) {
		sb_putc(w->out, '\n');
		for (i = 0; i < w->depth; i++)
			sb_puts(w->out, "  ");
	}
	sb_putc(w->out, c);
	w->first = false;
}

static void
j_s(struct jw *w, const char *key, const char *v)
{
	j_key(w, key);
	j_str(w->out, v);
}

static void
j_u(struct jw *w, const char *key, unsigned v)
{
	j_key(w, key);
	sb_printf(w->out, "%u", v);
}

static void
j_b(struct jw *w, const char *key, bool v)
{
	j_key(w, key);
	sb_puts(w->out, v ? "true" : "false");
}

/* {"use": "NAME"} */
static void
j_use(struct jw *w, const char *key, const char *name)
{
	j_open(w, key, '{');
	j_s(w, "use", name);
	j_close(w, '}');
}

/* AS3 remarks: at most 64 characters, no control characters, quotes or
 * backslashes (lb_put_safe_text keeps far fewer). */
static void
j_remark(struct jw *w, struct strbuf *tmp, const char *text)
{
	sb_reset(tmp);
	lb_put_safe_text(tmp, text);
	if (tmp->len > 64) {
		tmp->len = 64;
		tmp->s[64] = '\0';
	}
	j_s(w, "remark", tmp->s ? tmp->s : "");
}

/* ---- names --------------------------------------------------------------- */

struct as3 {
	const struct ir_site	*site;
	struct jw		 w;
	struct lb_strset	 seen;
	struct strbuf		 tmp;
	char			 n[LB_NAMELEN];
};

static const char *
mon_name(struct as3 *a, const struct ir_lbsvc *s)
{
	snprintf(a->n, sizeof(a->n), "mon_tcp_%u", s->monitor_port);
	return a->n;
}

static const char *
prof_name(struct as3 *a, const struct ir_lbsvc *s)
{
	if (s->proto == PROTO_UDP)
		snprintf(a->n, sizeof(a->n), "udp_idle%u", lb_idle_timeout(s));
	else
		snprintf(a->n, sizeof(a->n), "tcp_idle%u%s", lb_idle_timeout(s),
		    s->nagle_off ? "_nonagle" : "");
	return a->n;
}

static const char *
persist_name(struct as3 *a, const struct ir_lbsvc *s)
{
	if (s->persist == PERSIST_COOKIE)
		snprintf(a->n, sizeof(a->n), "persist_cookie_%s", lb_cookie_name(s));
	else
		snprintf(a->n, sizeof(a->n), "persist_src_%u", lb_persist_timeout(s));
	return lb_sanitize(a->n);
}

static const char *
snat_name(struct as3 *a, const struct lb_gwroute *r)
{
	snprintf(a->n, sizeof(a->n), "snat_%s_%s%s", r->pool->name,
	    ir_svc_name[r->svc], r->src.family == 6 ? "_v6" : "");
	return lb_sanitize(a->n);
}

static bool
first(struct as3 *a, const char *kind, const char *name)
{
	char k[LB_NAMELEN + 16];

	snprintf(k, sizeof(k), "%s %s", kind, name);
	return lb_strset_add(&a->seen, k);
}

/* ---- objects ------------------------------------------------------------- */

static void
emit_shared(struct as3 *a, const struct ir_device *dev)
{
	struct jw *w = &a->w;
	size_t i;

	for (i = 0; i < dev->nlbsvcs; i++) {
		const struct ir_lbsvc *s = dev->lbsvcs[i];

		if (!first(a, "mon", mon_name(a, s)))
			continue;
		j_open(w, a->n, '{');
		j_s(w, "class", "Monitor");
		j_s(w, "monitorType", "tcp");
		j_s(w, "receive", "");
		j_s(w, "send", "");
		j_u(w, "targetPort", s->monitor_port);
		snprintf(a->n, sizeof(a->n), "TCP connect to port %u of each member",
		    s->monitor_port);
		j_remark(w, &a->tmp, a->n);
		j_close(w, '}');
	}
	for (i = 0; i < dev->nlbsvcs; i++) {
		const struct ir_lbsvc *s = dev->lbsvcs[i];

		if (!first(a, "prof", prof_name(a, s)))
			continue;
		j_open(w, a->n, '{');
		j_s(w, "class", s->proto == PROTO_UDP ? "UDP_Profile" : "TCP_Profile");
		j_u(w, "idleTimeout", lb_idle_timeout(s));
		if (s->proto == PROTO_TCP && s->nagle_off)
			j_s(w, "nagle", "disable");
		j_close(w, '}');
	}
	for (i = 0; i < dev->nlbsvcs; i++) {
		const struct ir_lbsvc *s = dev->lbsvcs[i];

		if (s->persist == PERSIST_NONE || !first(a, "persist", persist_name(a, s)))
			continue;
		j_open(w, a->n, '{');
		j_s(w, "class", "Persist");
		if (s->persist == PERSIST_COOKIE) {
			/* [MS-HLBREQ]: MS-WSMAN, no expiry, not httpOnly, in every
			 * response whose request lacked it; plain HTTP (not secure) */
			j_s(w, "persistenceMethod", "cookie");
			j_s(w, "cookieMethod", "insert");
			j_s(w, "cookieName", lb_cookie_name(s));
			j_u(w, "ttl", 0);
			j_b(w, "httpOnly", false);
			j_b(w, "secure", false);
			j_b(w, "alwaysSet", true);
		} else {
			j_s(w, "persistenceMethod", "source-address");
			j_u(w, "duration", lb_persist_timeout(s));
		}
		j_close(w, '}');
	}
}

static void
emit_service(struct as3 *a, const struct ir_device *dev, const struct ir_lbsvc *s)
{
	struct jw *w = &a->w;
	char name[LB_NAMELEN], obj[LB_NAMELEN + 8], lbl[128], addr[ADDR_STRLEN];
	size_t m;
	bool http = s->persist == PERSIST_COOKIE;

	lb_svc_name(name, sizeof(name), a->site, dev, s);
	lb_svc_label(lbl, sizeof(lbl), s);

	snprintf(obj, sizeof(obj), "%s_pool", name);
	j_open(w, obj, '{');
	j_s(w, "class", "Pool");
	j_s(w, "loadBalancingMode", "least-connections-member");
	j_open(w, "members", '[');
	j_open(w, NULL, '{');
	j_open(w, "serverAddresses", '[');
	for (m = 0; m < s->nmembers; m++)
		j_s(w, NULL, addr_format(&s->members[m].addr, addr, sizeof(addr)));
	j_close(w, ']');
	j_u(w, "servicePort", s->member_port);
	j_close(w, '}');
	j_close(w, ']');
	j_open(w, "monitors", '[');
	j_open(w, NULL, '{');
	j_s(w, "use", mon_name(a, s));
	j_close(w, '}');
	j_close(w, ']');
	j_remark(w, &a->tmp, s->id);
	j_close(w, '}');

	snprintf(obj, sizeof(obj), "%s_vs", name);
	j_open(w, obj, '{');
	j_s(w, "class", http ? "Service_HTTP" : s->proto == PROTO_UDP ? "Service_UDP" :
	    "Service_TCP");
	j_open(w, "persistenceMethods", '[');
	if (s->persist != PERSIST_NONE) {
		j_open(w, NULL, '{');
		j_s(w, "use", persist_name(a, s));
		j_close(w, '}');
	}
	j_close(w, ']');
	snprintf(obj, sizeof(obj), "%s_pool", name);
	j_s(w, "pool", obj);
	if (http)
		j_s(w, "profileHTTP", "basic");
	prof_name(a, s);
	j_use(w, s->proto == PROTO_UDP ? "profileUDP" : "profileTCP", a->n);
	j_remark(w, &a->tmp, lbl);
	j_s(w, "snat", s->snat ? "auto" : "none");
	j_b(w, "translateServerAddress", true);
	j_b(w, "translateServerPort", true);
	j_open(w, "virtualAddresses", '[');
	j_s(w, NULL, addr_format(&s->vip, addr, sizeof(addr)));
	j_close(w, ']');
	j_u(w, "virtualPort", s->port);
	j_close(w, '}');
}

static void
emit_gateway(struct as3 *a, const struct lb_gwroute *gw, size_t ngw)
{
	struct jw *w = &a->w;
	char name[LB_NAMELEN], addr[ADDR_STRLEN], src[ADDR_STRLEN + 8];
	char vlan[LB_NAMELEN], rem[128];
	size_t i;

	for (i = 0; i < ngw; i++) {
		const struct lb_gwroute *r = &gw[i];

		if (r->snat_to == NULL || !first(a, "snat", snat_name(a, r)))
			continue;
		j_open(w, a->n, '{');
		j_s(w, "class", "SNAT_Pool");
		j_remark(w, &a->tmp, "edge nodes' traffic that leaves from the VIP");
		j_open(w, "snatAddresses", '[');
		j_s(w, NULL, addr_format(r->snat_to, addr, sizeof(addr)));
		j_close(w, ']');
		j_close(w, '}');
	}
	for (i = 0; i < ngw; i++) {
		const struct lb_gwroute *r = &gw[i];

		lb_gwroute_name(name, sizeof(name), r);
		j_open(w, name, '{');
		j_s(w, "class", "Service_Forwarding");
		/* only what arrives on the nodes' VLAN (f5.c, emit_gateway) */
		j_open(w, "allowVlans", '[');
		j_open(w, NULL, '{');
		j_s(w, "bigip", lb_gwroute_vlan(vlan, sizeof(vlan), r));
		j_close(w, '}');
		j_close(w, ']');
		j_s(w, "forwardingType", "ip");
		j_s(w, "layer4", r->proto == PROTO_UDP ? "udp" : "tcp");
		j_s(w, "profileL4", "basic");
		/* all of the protocol from the node, not the flow's port */
		snprintf(rem, sizeof(rem), "all %s to %s%.0u; first flow %s",
		    r->proto == PROTO_UDP ? "UDP" : "TCP", r->port ? "port " : "any port",
		    (unsigned)r->port, r->flow->id);
		j_remark(w, &a->tmp, rem);
		if (r->snat_to)
			j_use(w, "snat", snat_name(a, r));
		else
			j_s(w, "snat", "none");
		j_open(w, "virtualAddresses", '[');
		j_open(w, NULL, '[');
		j_s(w, NULL, r->src.family == 6 ? "::/0" : "0.0.0.0/0");
		snprintf(src, sizeof(src), "%s/%u", addr_format(&r->src, addr, sizeof(addr)),
		    r->src.family == 6 ? 128u : 32u);
		j_s(w, NULL, src);
		j_close(w, ']');
		j_close(w, ']');
		j_u(w, "virtualPort", r->port);
		j_close(w, '}');
	}
}

/* ---- the declaration ----------------------------------------------------- */

static int
as3_check(const struct ir_site *site, const struct ir_device *dev,
    struct diag_ctx *dc)
{
	int rc = lb_check_common(dev, dc, "f5-as3");

	if (lb_check_gateway(site, dev, dc, "f5-as3") != 0)
		rc = -1;
	return rc;
}

static int
as3_emit(const struct ir_site *site, const struct ir_device *dev,
    const struct emit_opts *opts, struct strbuf *out)
{
	struct as3 a;
	struct lb_gwroute *gw;
	char part[LB_NAMELEN], app[LB_NAMELEN], id[2 * LB_NAMELEN];
	size_t i, ngw;

	for (i = 0; i < dev->nlbsvcs; i++)
		if (dev->lbsvcs[i]->nmembers == 0)
			return -1;	/* as3_check reported it */
	if (dev->nlbsvcs == 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.site = site;
	a.w.out = out;
	a.w.first = true;
	lb_strset_init(&a.seen);
	sb_init(&a.tmp);
	lb_partition(part, sizeof(part), site);
	snprintf(app, sizeof(app), "%s", dev->name);
	lb_sanitize(app);
	snprintf(id, sizeof(id), "%s_%s", part, app);

	sb_putc(out, '{');
	a.w.depth = 1;
	j_s(&a.w, "class", "AS3");
	j_s(&a.w, "action", "deploy");
	j_b(&a.w, "persist", true);
	j_open(&a.w, "declaration", '{');
	j_s(&a.w, "class", "ADC");
	j_s(&a.w, "schemaVersion", "3.36.0");
	j_s(&a.w, "id", id);
	j_s(&a.w, "updateMode", "selective");
	j_open(&a.w, "constants", '{');
	j_s(&a.w, "class", "Constants");
	j_open(&a.w, "lyncc_header", '[');
	for (i = 0; opts && opts->header && opts->header[i]; i++) {
		sb_reset(&a.tmp);
		lb_put_comment_text(&a.tmp, opts->header[i]);
		j_s(&a.w, NULL, a.tmp.s ? a.tmp.s : "");
	}
	j_s(&a.w, NULL, "apply, update and roll back: POST this file to "
	    "/mgmt/shared/appsvcs/declare (docs/deploy.md)");
	j_close(&a.w, ']');
	j_close(&a.w, '}');
	j_open(&a.w, part, '{');
	j_s(&a.w, "class", "Tenant");
	j_open(&a.w, app, '{');
	j_s(&a.w, "class", "Application");
	j_s(&a.w, "template", "generic");
	emit_shared(&a, dev);
	for (i = 0; i < dev->nlbsvcs; i++)
		emit_service(&a, dev, dev->lbsvcs[i]);
	gw = lb_gateway_routes(site, dev, &ngw);
	emit_gateway(&a, gw, ngw);
	free(gw);
	j_close(&a.w, '}');
	j_close(&a.w, '}');
	j_close(&a.w, '}');
	a.w.depth = 0;
	sb_puts(out, "\n}\n");
	lb_strset_free(&a.seen);
	sb_free(&a.tmp);
	return 0;
}

const struct lyncc_backend f5_as3_backend = {
	.name		= "f5-as3",
	.file_ext	= ".as3.json",
	.kind		= DEV_LB,
	.description	= "F5 BIG-IP AS3 declaration",
	.check		= as3_check,
	.emit		= as3_emit,
};
