/*
 * resolve_party.c - `party NAME < address ...; zone ...; sip-port N; >`: the
 * hosts outside the site's pools (the predefined parties are in
 * resolve_words.c, their default zones in resolve_refs.c).
 */
#include "resolve_impl.h"
#include "addr_index.h"
#include "arena.h"

#include <string.h>

static void
party_address(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y = arg;
	size_t i;
	struct ir_addr a;

	if (!arity(rc, s, 2, NO_LIMIT, "address PREFIX...;") || !no_block(rc, s))
		return;
	for (i = 1; i < s->nwords; i++)
		if (word_addr(rc, &s->words[i], true, &a)) {
			y->addrs.any = false;
			if (!setaddrs_has(rc, &y->addrs, &a))
				addrset_index_add(rc->arena, &rc->setaddrs, &y->addrs, &a);
		}
}

/* `zone A B ...;`: the zones the party covers (default: every zone of its
 * kind, see default_parties) */
static void
party_zone(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y = arg;
	size_t i;

	if (!arity(rc, s, 2, 256, "zone NAME...;") || !no_block(rc, s))
		return;
	if (y->zones_given) {
		diag_error(rc->dc, &s->loc, "party '%s': 'zone' is given twice; "
		    "list every zone in one statement", y->name);
		return;
	}
	y->zones_given = true;
	y->nzones = s->nwords - 1;
	y->zones = arena_alloc(rc->arena, y->nzones * sizeof(*y->zones));
	for (i = 1; i < s->nwords; i++)
		zone_ref(rc, &s->words[i], &y->zones[i - 1]);
}

/* `sip-port N;`: the port the party's hosts listen on for SIP (the PSTN
 * gateways' trunk port); flows with `site-port PARTY` use it */
static void
party_sip_port(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y = arg;
	unsigned long v;

	if (!arity(rc, s, 2, 2, "sip-port PORT;") || !no_block(rc, s))
		return;
	if (strcmp(y->name, "pstn-gateways") != 0) {
		diag_error(rc->dc, &s->loc, "'sip-port' applies to party pstn-gateways only");
		return;
	}
	if (word_uint(rc, &s->words[1], 1, 65535, "port", &v))
		y->sip_port = (uint16_t)v;
}

/* `media-ports LO-HI;`: the gateways' own media (RTP) range, which no seed
 * gives; flows with `site-media-ports PARTY` exist only with it */
static void
party_media_ports(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y = arg;

	if (!arity(rc, s, 2, 2, "media-ports LO-HI;") || !no_block(rc, s))
		return;
	if (strcmp(y->name, "pstn-gateways") != 0) {
		diag_error(rc->dc, &s->loc, "'media-ports' applies to party pstn-gateways only");
		return;
	}
	parse_ports(rc, &s->words[1], &y->media_lo, &y->media_hi);
}

static const struct kw party_kw[] = {
	{ "sip-port", party_sip_port },
	{ "media-ports", party_media_ports },
	{ "address", party_address },
	{ "zone", party_zone },
	{ NULL, NULL },
};

void
st_party(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_party *y;
	int k;

	(void)arg;
	if (!arity(rc, s, 2, 2, "party NAME < address PREFIX...; zone NAME...; >") ||
	    !want_block(rc, s, "party NAME < address PREFIX...; zone NAME...; >"))
		return;
	if ((k = word_enum(rc, &s->words[1], "party", party_names, NPARTIES)) < 0)
		return;
	y = party_get(rc, party_names[k]);
	if (y->declared) {
		struct diag *d = diag_error(rc->dc, &s->words[1].loc,
		    "party '%s' is described twice", y->name);

		diag_note(rc->dc, d, &y->loc, "first described here");
		return;
	}
	y->declared = true;
	y->loc = s->words[1].loc;
	dispatch_block(rc, s, party_kw, "party property", y);
}
