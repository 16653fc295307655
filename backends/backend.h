/*
 * backend.h - the interface every target implements.
 *
 * A backend turns one device of the IR into the bytes of one config file.
 * It never writes files itself: it appends to a strbuf, which may stream
 * into the output's temporary file as it fills (strbuf.h), so a backend
 * only appends and never reads back or patches what it wrote; the driver
 * renames the files into place only when the whole compilation succeeded.
 *
 *   check   reject what the target cannot express, with diagnostics that
 *           point at IR source locations (never drop something silently);
 *   can_serve  (optional, NULL: always) whether the target can express
 *           the device at all, without diagnostics: false with a one-line
 *           reason in why (e.g. HAProxy and a UDP service).  `-t all` calls
 *           it to report and skip a target for a device instead of failing;
 *   emit    append the config for one device.  The header lines (tool and
 *           stdlib version, input name) are given; the backend puts them in
 *           its comment syntax, or leaves them out when header is NULL.
 */
#ifndef LYNCC_BACKENDS_BACKEND_H
#define LYNCC_BACKENDS_BACKEND_H

#include "ir.h"
#include "strbuf.h"

struct emit_opts {
	const char	*const *header;	/* NULL-terminated lines, or NULL */
};

/* One packet as it arrives at a firewall (`lyncc query -t TARGET`). */
struct fw_packet {
	struct ir_addr		 src, dst;
	unsigned		 proto;		/* PROTO_TCP or PROTO_UDP */
	unsigned		 sport, dport;
};

/* What the firewall's generated config does with it. */
struct fw_decision {
	bool			 permit;
	const struct ir_nat	*nat;		/* the static NAT that translated the
						 * destination first, or NULL */
	struct ir_addr		 dst;		/* the destination the rules see */
	const struct ir_flow	*flow;		/* the flow of the rule that matched
						 * first, NULL: none matched */
	const char		*rule;		/* that rule, or what drops the packet,
						 * in the target's words */
};

struct lyncc_backend {
	const char		*name;		/* -t value: "asa", "srx", ... */
	const char		*file_ext;	/* ".asa.cfg", ".srx.xml", ... */
	enum ir_device_kind	 kind;		/* DEV_FIREWALL or DEV_LB */
	const char		*description;
	int	(*check)(const struct ir_site *, const struct ir_device *,
		    struct diag_ctx *);
	int	(*emit)(const struct ir_site *, const struct ir_device *,
		    const struct emit_opts *, struct strbuf *);
	bool	(*can_serve)(const struct ir_site *, const struct ir_device *,
		    struct strbuf *why);
	/*
	 * decide  (firewalls) what the config emit writes for the device does
	 *         with a packet entering by zone in and leaving by zone out
	 *         (out: the zone of the destination after the device's NAT):
	 *         the target's own evaluation order (NAT, rule order, default),
	 *         on the same rules emit renders.  Allocates in the arena.
	 */
	void	(*decide)(const struct ir_site *, const struct ir_device *,
		    const struct fw_packet *, const struct ir_zone *in,
		    const struct ir_zone *out, struct arena *, struct fw_decision *);
};

struct arena;

extern const struct lyncc_backend asa_backend;
extern const struct lyncc_backend srx_backend;
extern const struct lyncc_backend f5_backend;
extern const struct lyncc_backend haproxy_backend;
extern const struct lyncc_backend f5_as3_backend;
extern const struct lyncc_backend nft_backend;

/* nft.c: the interface nft matches for zone z of firewall dev (the name the
 * site gives, else the zone's name, at most 15 characters) */
const char *nft_ifname(struct arena *, const struct ir_device *,
	    const struct ir_zone *);

/* registry.c: the one list of targets */
extern const struct lyncc_backend *const lyncc_backends[];
extern const size_t lyncc_nbackends;
const struct lyncc_backend *backend_find(const char *name);

#endif /* LYNCC_BACKENDS_BACKEND_H */
