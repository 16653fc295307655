/*
 * addr.c - IPv4/IPv6 parse, print, compare and allocate.
 */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
parse_v4(const char *s, uint8_t out[4])
{
	unsigned v[4];
	int i, n = 0;
	const char *p = s;

	for (i = 0; i < 4; i++) {
		unsigned x = 0;
		int digits = 0;

		while (*p >= '0' && *p <= '9') {
			x = x * 10 + (unsigned)(*p - '0');
			if (++digits > 3 || x > 255)
				return -1;
			p++;
		}
		if (digits == 0 || (digits > 1 && p[-digits] == '0'))
			return -1;
		v[i] = x;
		n++;
		if (i < 3) {
			if (*p != '.')
				return -1;
			p++;
		}
	}
	if (*p != '\0' || n != 4)
		return -1;
	for (i = 0; i < 4; i++)
		out[i] = (uint8_t)v[i];
	return 0;
}

int
addr_parse(const char *text, struct ir_addr *a, bool want_prefix, const char **why)
{
	char buf[80];
	char *slash;
	long plen = -1;
	int i;

	*why = NULL;
	memset(a, 0, sizeof(*a));
	if (strlen(text) >= sizeof(buf)) {
		*why = "too long for an address";
		return -1;
	}
	strcpy(buf, text);
	if ((slash = strchr(buf, '/')) != NULL) {
		char *end;

		*slash++ = '\0';
		if (*slash == '\0' || strlen(slash) > 3) {
			*why = "bad prefix length";
			return -1;
		}
		plen = strtol(slash, &end, 10);
		if (*end != '\0' || (slash[0] == '0' && slash[1] != '\0')) {
			*why = "bad prefix length";
			return -1;
		}
		if (!want_prefix) {
			*why = "a host address is expected here, not a prefix";
			return -1;
		}
	}
	if (strchr(buf, ':') != NULL) {
		struct in6_addr in6;

		if (inet_pton(AF_INET6, buf, &in6) != 1) {
			*why = "not a valid IPv6 address";
			return -1;
		}
		if (strchr(buf, '.') != NULL) {
			/* ::ffff:192.0.2.1 would filter IPv6 packets, not IPv4 */
			*why = "an IPv6 address with an embedded IPv4 address: write "
			    "the IPv4 address itself, or the IPv6 address in hex";
			return -1;
		}
		a->family = 6;
		memcpy(a->b, &in6, 16);
		if (plen > 128) {
			*why = "IPv6 prefix length is at most 128";
			return -1;
		}
		a->prefix = (uint8_t)(plen < 0 ? 128 : plen);
	} else {
		if (parse_v4(buf, a->b) != 0) {
			*why = "not a valid IPv4 address";
			return -1;
		}
		a->family = 4;
		if (plen > 32) {
			*why = "IPv4 prefix length is at most 32";
			return -1;
		}
		a->prefix = (uint8_t)(plen < 0 ? 32 : plen);
	}
	/* host bits below the mask */
	for (i = a->prefix; i < (a->family == 4 ? 32 : 128); i++)
		if (a->b[i / 8] & (0x80 >> (i % 8))) {
			*why = "host bits are set below the prefix length";
			return -1;
		}
	return 0;
}

/* Decimal digits of v (0..255) at p; returns the end. */
static char *
put_octet(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

char *
addr_format(const struct ir_addr *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN + 8];

	if (a->family == 4) {	/* by hand: the backends format millions */
		char *p = tmp;
		int i;

		for (i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = put_octet(p, a->b[i]);
		}
		if (!addr_is_host(a)) {
			*p++ = '/';
			p = put_octet(p, a->prefix);
		}
		if (len) {
			size_t n = (size_t)(p - tmp);

			if (n >= len)
				n = len - 1;
			memcpy(buf, tmp, n);
			buf[n] = '\0';
		}
		return buf;
	}
	inet_ntop(AF_INET6, a->b, tmp, sizeof(tmp));
	if (addr_is_host(a))
		snprintf(buf, len, "%s", tmp);
	else
		snprintf(buf, len, "%s/%u", tmp, a->prefix);
	return buf;
}

bool
addr_is_host(const struct ir_addr *a)
{
	return a->prefix == (a->family == 4 ? 32 : 128);
}

int
addr_cmp(const struct ir_addr *a, const struct ir_addr *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->b, b->b, a->family == 4 ? 4 : 16)) != 0)
		return c < 0 ? -1 : 1;
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix ? -1 : 1;
	return 0;
}

static bool
prefix_match(const uint8_t *x, const uint8_t *y, unsigned bits)
{
	unsigned i;

	for (i = 0; i < bits / 8; i++)
		if (x[i] != y[i])
			return false;
	if (bits % 8) {
		uint8_t m = (uint8_t)(0xff << (8 - bits % 8));

		if ((x[i] & m) != (y[i] & m))
			return false;
	}
	return true;
}

bool
addr_contains(const struct ir_addr *a, const struct ir_addr *b)
{
	return a->family == b->family && a->prefix <= b->prefix &&
	    prefix_match(a->b, b->b, a->prefix);
}

bool
addr_overlap(const struct ir_addr *a, const struct ir_addr *b)
{
	return addr_contains(a, b) || addr_contains(b, a);
}

bool
addr_is_private(const struct ir_addr *a)
{
	static const char *const priv[] = {
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
		"127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128",
	};
	static struct ir_addr nets[sizeof(priv) / sizeof(priv[0])];
	static bool parsed;	/* parsed once, as addr_special's */
	size_t i;
	const char *why;

	if (!parsed) {
		for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
			if (addr_parse(priv[i], &nets[i], true, &why) != 0)
				nets[i].family = 0;	/* cannot happen */
		parsed = true;
	}
	for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
		if (addr_contains(&nets[i], a))
			return true;
	return false;
}

const char *
addr_special(const struct ir_addr *a)
{
	static const struct { const char *net, *what; } sp[] = {
		{ "0.0.0.0/32", "the unspecified address 0.0.0.0" },
		{ "255.255.255.255/32", "the limited broadcast address" },
		{ "0.0.0.0/8", "in 0.0.0.0/8 (\"this network\", RFC 1122)" },
		{ "127.0.0.0/8", "a loopback address (127.0.0.0/8)" },
		{ "169.254.0.0/16", "a link-local address (169.254.0.0/16), which "
		    "no firewall forwards" },
		{ "224.0.0.0/4", "a multicast address (224.0.0.0/4)" },
		{ "240.0.0.0/4", "a reserved address (240.0.0.0/4)" },
		{ "::/128", "the unspecified address ::" },
		{ "::1/128", "the loopback address ::1" },
		{ "fe80::/10", "a link-local address (fe80::/10), which no firewall "
		    "forwards" },
		{ "ff00::/8", "a multicast address (ff00::/8)" },
	};
	static struct ir_addr nets[sizeof(sp) / sizeof(sp[0])];
	static bool parsed;
	size_t i;
	const char *why;

	if (!parsed) {
		for (i = 0; i < sizeof(sp) / sizeof(sp[0]); i++)
			if (addr_parse(sp[i].net, &nets[i], true, &why) != 0)
				nets[i].family = 0;	/* cannot happen */
		parsed = true;
	}
	for (i = 0; i < sizeof(sp) / sizeof(sp[0]); i++)
		if (addr_contains(&nets[i], a))
			return sp[i].what;
	return NULL;
}

bool
addr_is_loopback(const struct ir_addr *a)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	return (a->family == 4 && a->prefix >= 8 && a->b[0] == 127) ||
	    (a->family == 6 && a->prefix == 128 && memcmp(a->b, v6lo, 16) == 0);
}

bool
addr_is_net_or_bcast(const struct ir_addr *net, const struct ir_addr *a)
{
	unsigned i, bit;
	bool all0 = true, all1 = true;

	if (net->family != 4 || a->family != 4 || net->prefix > 30 || a->prefix != 32 ||
	    !addr_contains(net, a))
		return false;
	for (bit = net->prefix; bit < 32; bit++) {
		i = (a->b[bit / 8] >> (7 - bit % 8)) & 1;
		all0 = all0 && i == 0;
		all1 = all1 && i == 1;
	}
	return all0 || all1;
}

uint64_t
addr_usable_hosts(const struct ir_addr *net)
{
	unsigned hostbits = (net->family == 4 ? 32u : 128u) - net->prefix;
	uint64_t n;

	if (hostbits >= 63)
		return UINT64_MAX / 2;
	n = (uint64_t)1 << hostbits;
	if (net->family == 4 && hostbits >= 2)
		n -= 2;		/* network and broadcast */
	else if (net->family == 6 && hostbits >= 1)
		n -= 1;		/* subnet-router anycast */
	return n;
}

int
addr_nth_host(const struct ir_addr *net, uint64_t i, struct ir_addr *out)
{
	unsigned hostbits = (net->family == 4 ? 32u : 128u) - net->prefix;
	int k, last;
	uint64_t add;
	unsigned carry;

	if (i >= addr_usable_hosts(net))
		return -1;
	if ((net->family == 4 && hostbits >= 2) || (net->family == 6 && hostbits >= 1))
		i++;		/* skip the network address */
	*out = *net;
	out->prefix = net->family == 4 ? 32 : 128;
	last = net->family == 4 ? 3 : 15;
	add = i;
	carry = 0;
	for (k = last; k >= 0 && (add || carry); k--) {
		unsigned v = out->b[k] + (unsigned)(add & 0xff) + carry;

		out->b[k] = (uint8_t)v;
		carry = v >> 8;
		add >>= 8;
	}
	return 0;
}

char *
addr_v4_mask(const struct ir_addr *a, char *buf, size_t len)
{
	uint32_t m = a->prefix ? 0xffffffffu << (32 - a->prefix) : 0;

	snprintf(buf, len, "%u.%u.%u.%u", m >> 24, (m >> 16) & 0xff,
	    (m >> 8) & 0xff, m & 0xff);
	return buf;
}
