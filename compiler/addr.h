/*
 * addr.h - IPv4/IPv6 addresses and prefixes.
 */
#ifndef LYNCC_COMPILER_ADDR_H
#define LYNCC_COMPILER_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct ir_addr {
	uint8_t		family;		/* 4 or 6 */
	uint8_t		prefix;		/* 32/128 for a host */
	uint8_t		b[16];		/* network byte order; v4 in b[0..3] */
};

/* Parse "a.b.c.d", "a.b.c.d/n", "x:y::z", "x:y::/n".  Returns 0 or -1 and a
 * static reason.  With host_bits_ok false, a prefix with bits set below the
 * mask is an error. */
int	addr_parse(const char *, struct ir_addr *, bool want_prefix,
	    const char **why);
/* Canonical text: RFC 5952 for IPv6; "/n" only when not a host. */
char	*addr_format(const struct ir_addr *, char *buf, size_t len);
#define ADDR_STRLEN	64
int	addr_cmp(const struct ir_addr *, const struct ir_addr *);
bool	addr_is_host(const struct ir_addr *);
/* a contains b (same family) */
bool	addr_contains(const struct ir_addr *a, const struct ir_addr *b);
bool	addr_overlap(const struct ir_addr *, const struct ir_addr *);
/* RFC 1918, RFC 6598, loopback, link-local, ULA */
bool	addr_is_private(const struct ir_addr *);
/* Why a (a host or a prefix inside one of these ranges) cannot be an
 * interface address or a filtered party: unspecified, limited broadcast,
 * "this network", loopback, link-local, multicast, reserved; NULL if none. */
const char *addr_special(const struct ir_addr *);
/* in 127.0.0.0/8, or ::1 */
bool	addr_is_loopback(const struct ir_addr *);
/* a is the network or the broadcast address of IPv4 net (prefix <= 30) */
bool	addr_is_net_or_bcast(const struct ir_addr *net, const struct ir_addr *a);
/* documentation ranges count as public for the checker: 192.0.2/24,
 * 198.51.100/24, 203.0.113/24, 2001:db8::/32 */
/* i-th usable host of a prefix (skips network/broadcast for v4 < /31), or -1 */
int	addr_nth_host(const struct ir_addr *net, uint64_t i, struct ir_addr *out);
uint64_t addr_usable_hosts(const struct ir_addr *net);
/* netmask text of a v4 prefix ("255.255.255.0") */
char	*addr_v4_mask(const struct ir_addr *, char *buf, size_t len);

#endif /* LYNCC_COMPILER_ADDR_H */
