/*
 * lb_common.c - names, comments and checks shared by the LB backends.
 *
 * A service is described in the output like this (prefix "# "):
 *
 *   # edge.ext.av-tcp-443: edge01 external VIP 203.0.113.12 TCP 443 -> members TCP 443
 *   #   A/V TURN over TCP
 *   #   least connections; persistence: source address 1200 s; SNAT: none
 *   #   (client address kept); health: TCP 5061 on each member; idle 1800 s; Nagle off
 *   #   cite: 000_08d20a57cb8296cc.txt:external interface VIP:7
 */
#include "lb_common.h"
#include "sources.h"

#include <stdio.h>
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
	size_t i;
	bool twice = false;

	for (i = 0; i < dev->nlbsvcs; i++)
		if (dev->lbsvcs[i] != s && dev->lbsvcs[i]->def == s->def &&
		    dev->lbsvcs[i]->pool == s->pool)
			twice = true;
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
lb_header(struct strbuf *out, const struct emit_opts *opts, const char *prefix)
{
	size_t i;

	if (opts == NULL || opts->header == NULL)
		return;
	for (i = 0; opts->header[i]; i++)
		sb_printf(out, "%s%s\n", prefix, opts->header[i]);
	sb_putc(out, '\n');
}

static void
put_cite(struct strbuf *out, const struct ir_cite *c)
{
	char buf[512];

	if (c->file) {
		source_cite(buf, sizeof(buf), c->file, c->table, c->row);
		sb_printf(out, "%s", buf);
	} else
		sb_printf(out, "%s: %s", c->table, c->text ? c->text : "");
}

void
lb_describe(struct strbuf *out, const struct ir_lbsvc *s, const char *prefix)
{
	char lbl[128];
	size_t i;

	sb_printf(out, "%s%s: %s -> members %s %u\n", prefix, s->id,
	    lb_svc_label(lbl, sizeof(lbl), s), proto_upper(s->proto), s->member_port);
	if (s->def->note)
		sb_printf(out, "%s  %s\n", prefix, s->def->note);
	sb_printf(out, "%s  least connections; persistence: ", prefix);
	if (s->persist == PERSIST_SOURCE)
		sb_printf(out, "source address %u s", lb_persist_timeout(s));
	else if (s->persist == PERSIST_COOKIE)
		sb_printf(out, "cookie %s (no expiry, not httpOnly)", s->cookie_name);
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
	char a[ADDR_STRLEN];
	size_t i, j, k;
	bool any = false;

	for (i = 0; i < dev->nlbsvcs; i++) {
		const struct ir_lbsvc *s = dev->lbsvcs[i];
		bool seen = false;

		if (!s->transparent)
			continue;
		/* one line per pool side and member address, first time only */
		for (j = 0; j < i && !seen; j++)
			seen = dev->lbsvcs[j]->transparent &&
			    dev->lbsvcs[j]->pool == s->pool &&
			    dev->lbsvcs[j]->side == s->side &&
			    dev->lbsvcs[j]->def->members == s->def->members &&
			    dev->lbsvcs[j]->vip.family == s->vip.family;
		if (seen)
			continue;
		if (!any) {
			sb_printf(out, "%sRETURN ROUTING: the services marked \"SNAT: none\" keep "
			    "the client's source\n", prefix);
			sb_printf(out, "%saddress, so their members must send every reply back "
			    "through this load\n", prefix);
			sb_printf(out, "%sbalancer.\n", prefix);
			sb_printf(out, "%sseed 000_08d20a57cb8296cc.txt, HLB requirements, items "
			    "2, 5 and 9: no SNAT for the A/V Edge\n", prefix);
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
	char lbl[128];
	size_t i, j;
	int rc = 0;

	if (dev->nlbsvcs == 0) {
		struct diag *d = diag_error(dc, &dev->loc, "load balancer '%s' carries no "
		    "LB service, so its %s config would be empty", dev->name, target);
		diag_hint(dc, d, "a pool side gets LB services when it has `lb hlb` and a "
		    "VIP (the stdlib's lbservice definitions say which); check what "
		    "`lyncc ir` lists under lb_services");
		return -1;
	}
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
		for (j = 0; j < i; j++) {
			const struct ir_lbsvc *o = dev->lbsvcs[j];

			if (o->proto == s->proto && o->port == s->port &&
			    addr_cmp(&o->vip, &s->vip) == 0) {
				d = diag_error(dc, lb_svc_loc(s), "LB services '%s' and '%s' "
				    "both listen on %s on '%s'", o->id, s->id,
				    lb_svc_label(lbl, sizeof(lbl), s), dev->name);
				diag_hint(dc, d, "give the pool a separate VIP for one of them");
				rc = -1;
			}
		}
		if (s->persist == PERSIST_COOKIE && !(lb_http_port(s->port) &&
		    lb_http_port(s->member_port))) {
			d = diag_error(dc, lb_svc_loc(s), "the %s target cannot insert the "
			    "%s cookie into TLS traffic: service '%s' (%s)", target,
			    s->cookie_name, s->id, lb_svc_label(lbl, sizeof(lbl), s));
			diag_hint(dc, d, "cookie persistence needs SSL bridging with the web "
			    "services certificate, which lyncc does not generate; it is "
			    "optional for Lync 2013 pools ([MS-HLBREQ]): remove "
			    "`cookie-persistence on;` from '%s'", s->pool->name);
			rc = -1;
		}
	}
	return rc;
}
