/*
 * resolve_device.c - devices: `firewall|loadbalancer|router NAME < ... >`
 * with between, interface, serves, vendor, shared, description.  Zone,
 * interface and pool names are resolved at the end (resolve_refs.c).
 */
#include "resolve_impl.h"
#include "arena.h"

#include <ctype.h>
#include <string.h>

static void
dev_between(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;
	size_t i;

	if (!arity(rc, s, 3, NO_LIMIT, "between ZONE ZONE...;") || !no_block(rc, s)) {
		poison(rc, v);	/* reported: "not placed between two zones" says no more */
		return;
	}
	if (v->kind == DEV_LB) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "a load balancer is placed "
		    "with 'serves', not 'between'"), "write: serves POOL;");
		return;
	}
	for (i = 1; i < s->nwords; i++) {
		struct ir_iface *f = VEC_PUSH(rc->arena, v->ifaces, v->nifaces, v->capifaces);

		memset(f, 0, sizeof(*f));
		f->level = -1;
		f->loc = s->words[i].loc;
		zone_ref(rc, &s->words[i], NULL);
		resolve_refs(rc)->zrefs[resolve_refs(rc)->nzrefs - 1].dev = v;
		resolve_refs(rc)->zrefs[resolve_refs(rc)->nzrefs - 1].iface = v->nifaces - 1;
	}
}

/* `interface ZONE IFNAME [level N];` names the device interface in a zone */
static void
dev_interface(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct resolve_refs *x;
	struct ifref *r;
	const char *p;
	size_t k;

	if (!arity(rc, s, 3, 7, "interface ZONE IFNAME [level N] [nft NAME];") ||
	    !no_block(rc, s))
		return;
	for (p = s->words[2].text; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_./:", *p))
			break;
	if (*p || s->words[2].kind == AST_STRING || strlen(s->words[2].text) > 48) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->words[2].loc,
		    "invalid interface name '%s'", s->words[2].text),
		    "an interface name uses letters, digits and '-_./:', "
		    "e.g. ge-0/0/1.0 or GigabitEthernet0/1");
		return;
	}
	/* options in pairs, each once: level N, nft NAME */
	for (k = 3; k < s->nwords; k += 2) {
		const char *o = s->words[k].text;
		size_t j;
		bool twice = false;

		for (j = 3; j < k; j += 2)
			twice |= strcmp(s->words[j].text, o) == 0;
		if (s->words[k].kind == AST_STRING || twice || k + 1 >= s->nwords ||
		    (strcmp(o, "level") != 0 && strcmp(o, "nft") != 0)) {
			diag_hint(rc->dc, diag_error(rc->dc, &s->words[k].loc,
			    s->words[k].kind != AST_STRING && twice ? "'%s' given twice" :
			    s->words[k].kind != AST_STRING && k + 1 >= s->nwords &&
			    (strcmp(o, "level") == 0 || strcmp(o, "nft") == 0) ?
			    "'%s' needs a value" : "unexpected '%s'", o),
			    "usage: interface ZONE IFNAME [level N] [nft NAME];");
			return;
		}
		if (strcmp(o, "nft") == 0 && (s->words[k + 1].kind == AST_STRING ||
		    strlen(s->words[k + 1].text) > 48)) {
			diag_hint(rc->dc, diag_error(rc->dc, &s->words[k + 1].loc,
			    "invalid interface name '%s'", s->words[k + 1].text),
			    "the Linux interface of this zone for -t nft, e.g. eth1 or "
			    "bond0.16");
			return;
		}
	}
	x = resolve_refs(rc);
	r = VEC_PUSH(rc->arena, x->ifrefs, x->nifrefs, x->capifrefs);
	r->dev = arg;
	r->s = s;
}

static void
dev_serves(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;
	size_t i;

	if (!arity(rc, s, 2, NO_LIMIT, "serves POOL[.external|.internal]...;") || !no_block(rc, s))
		return;
	if (v->kind != DEV_LB) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "only a load balancer "
		    "'serves' pools"), "place a firewall with 'between ZONE ZONE;'");
		return;
	}
	for (i = 1; i < s->nwords; i++) {
		struct ir_served *sv = VEC_PUSH(rc->arena, v->served, v->nserved, v->capserved);

		memset(sv, 0, sizeof(*sv));
		sv->loc = s->words[i].loc;
		/* resolved in resolve_finish(); keep the text in a fake pool */
		sv->pool = (struct ir_pool *)(void *)&s->words[i];
		sv->side = SIDE__N;
	}
}

static void
dev_description(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;

	if (arity(rc, s, 2, 2, "description \"TEXT\";") && no_block(rc, s))
		v->description = text_of(rc, &s->words[1]);
}

/* `vendor NAME;`: the target that writes this device's config */
static void
dev_vendor(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	static const char *const fw[] = { "asa", "srx", "nft" };
	static const char *const lb[] = { "f5", "f5-as3", "haproxy" };
	struct ir_device *v = arg;

	if (!arity(rc, s, 2, 2, "vendor NAME;") || !no_block(rc, s))
		return;
	if (v->kind == DEV_ROUTER) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "a router gets no "
		    "configuration, so it has no vendor"), "remove the 'vendor' line");
		return;
	}
	if (word_enum(rc, &s->words[1], v->kind == DEV_FIREWALL ? "firewall vendor" :
	    "load balancer vendor", v->kind == DEV_FIREWALL ? fw : lb, 3) < 0)
		return;
	v->vendor = s->words[1].text;
	v->vendor_loc = s->words[1].loc;
}

/* `shared;`: the firewall carries other traffic than Lync's */
static void
dev_shared(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v = arg;

	if (!arity(rc, s, 1, 1, "shared;") || !no_block(rc, s))
		return;
	if (v->kind != DEV_FIREWALL) {
		diag_hint(rc->dc, diag_error(rc->dc, &s->loc, "only a firewall can be "
		    "'shared'"), "remove the 'shared' line");
		return;
	}
	v->shared = true;
}

static const struct kw dev_kw[] = {
	{ "between", dev_between },
	{ "vendor", dev_vendor },
	{ "shared", dev_shared },
	{ "interface", dev_interface },
	{ "serves", dev_serves },
	{ "description", dev_description },
	{ NULL, NULL },
};

void
st_device(struct resolve_ctx *rc, struct ast_stmt *s, void *arg)
{
	struct ir_device *v;
	static const char *const kinds[] = { "firewall", "loadbalancer", "router" };
	int k;

	(void)arg;
	if (!arity(rc, s, 2, 2, "firewall NAME < between ZONE ZONE; >") ||
	    !want_block(rc, s, "firewall NAME < between ZONE ZONE; >"))
		return;
	if ((k = word_enum(rc, &s->words[0], "device kind", kinds, 3)) < 0)
		return;
	if (!check_name(rc, &s->words[1], "device") || !name_free(rc, &s->words[1], "device"))
		return;
	v = arena_alloc(rc->arena, sizeof(*v));
	v->name = s->words[1].text;
	v->kind = (enum ir_device_kind)k;
	v->loc = s->words[1].loc;
	v->index = (unsigned)rc->site->ndevices;
	*VEC_PUSH(rc->arena, rc->site->devices, rc->site->ndevices, rc->site->capdevices) = v;
	dispatch_block(rc, s, dev_kw, "device property", v);
}
