# gen.awk -v shape=SHAPE -v n=N [-v part=PREFIX] - print a generated .lync
# site of size N.
#   edge     N 2-node HLB edge pools behind an external and an internal
#            firewall, one HLB on each side (issue 14's shape); with
#            -v part=PREFIX and N > 20,000 the pools go to PREFIX-1.lync,
#            PREFIX-2.lync, ... (20,000 each), included by the site
#            (a file may not exceed 16 MiB)
#   zones    N internal zones, each with a front-end pool, its own firewall
#            and its own load balancer (each firewall lists every pool:
#            the output is quadratic)
#   clients  N internal client zones, each behind its own firewall towards
#            the core and its one front-end pool
#   parties  N federation-partner prefixes (/30 each)
#   chain    the internal side reaches the front end through N firewalls
#            and N-1 transit zones
#   alloc    N 4-node front-end pools all allocating from one /8
#   routers  the clients shape with a router instead of each firewall
#   rchain   the chain shape with N routers instead of the firewalls
#   legs     N internal client zones behind one firewall (N + 1 legs, an
#            `interface` line each)
#   lbs      N 2-node HLB edge pools, each side with its own load balancer
#   nodes    N 20-node HLB edge pools (20 is the most a pool may have)
#   nat      N 2-node DNS-load-balanced edge pools behind static NAT, with
#            `port` lines; warns LYNC-W005 (public-im on DNS load
#            balancing) and LYNC-W007 (the NAT firewall must hairpin A/V)
#            once per pool, 50 shown
#   includes N 2-node HLB edge pools, each in its own included file
#            PREFIX-I.lync (needs -v part=PREFIX)
#   nopath   the edge shape without the internal firewall: fails with one
#            LYNC-E016 for the N pools' unreachable flows
#   misspelt the edge shape with the external load balancer's N pool names
#            misspelt (egde1.external): fails with N unknown-pool errors
#            (50 shown)
#   longnames the edge shape with 48-character names (the longest allowed)
# Every generated site compiles without an error or a warning, but nat
# (warnings), nopath and misspelt (errors: bench/run.sh expects exit 1).
function ip4(base, k) {	# the dotted address base + k (base: a 32-bit number)
	k += base
	return sprintf("%d.%d.%d.%d", int(k / 16777216) % 256, int(k / 65536) % 256,
	    int(k / 256) % 256, k % 256)
}
function serves(lb, first, pfx, sfx,   i) {	# LB for pools 1..n, 50 sides a statement
	printf "loadbalancer %s <", lb
	if (first != "")
		printf " serves %s;", first
	for (i = 1; i <= n; i++)
		printf "%s %s%s%s", (i % 50 == 1) ? " serves" : "", name(pfx i), sfx,
		    (i % 50 == 0 || i == n) ? ";" : ""
	print " >"
}
function name(s) {	# longnames: s padded to 48 characters
	if (shape != "longnames")
		return s
	return s "-" substr("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", 1, 47 - length(s))
}
function edges(   i, k, out, base, a, b) {	# the edge shape and its variants
	print "zone " name("corp") " internal;"
	# public /28s from 11.0.0.0, internal /29s from 172.16.0.0 (nodes:
	# /25s and /27s); more than 20,000 pools (over 4 MiB): 20,000 a file,
	# included (one file may not exceed 16 MiB, docs/language.md "Limits")
	for (i = 1; i <= n; i++) {
		out = "/dev/stdout"
		if (shape == "includes" || (part != "" && n > 20000)) {
			k = shape == "includes" ? i : int((i - 1) / 20000) + 1
			out = part "-" k ".lync"
			if (shape == "includes" || i % 20000 == 1) {
				base = out
				sub(/.*\//, "", base)
				printf "include \"%s\";\n", base
			}
		}
		if (shape == "nodes")
			printf "edge pool edge%d < nodes 20; lb hlb; external < zone dmz-ext; addresses from %s/25; > internal < zone dmz-int; addresses from %s/27; > snat access webconf; >\n",
			    i, ip4(184549376, 128 * (i - 1)), ip4(2886729728, 32 * (i - 1)) > out
		else if (shape == "nat") {
			# 2 nodes, 3 services each: private 172.20.x, public 11.x
			a = 2887909376 + 8 * (i - 1)
			b = 184549376 + 8 * (i - 1)
			printf "edge pool edge%d < nodes 2; lb dns; external < zone dmz-ext; port access 5061; port webconf 444; port av 443;", i > out
			for (k = 1; k <= 2; k++)
				printf " node %d < access %s nat %s; webconf %s nat %s; av %s nat %s; >",
				    k, ip4(a, 3 * k - 2), ip4(b, 3 * k - 2), ip4(a, 3 * k - 1),
				    ip4(b, 3 * k - 1), ip4(a, 3 * k), ip4(b, 3 * k) > out
			printf " > internal < zone dmz-int; addresses from %s/29; > >\n",
			    ip4(2886729728, 8 * (i - 1)) > out
		} else
			printf "edge pool %s < nodes 2; lb hlb; external < zone dmz-ext; addresses from %s/28; > internal < zone dmz-int; addresses from %s/29; > snat access webconf; >\n",
			    name("edge" i), ip4(184549376, 16 * (i - 1)), ip4(2886729728, 8 * (i - 1)) > out
		if (shape == "lbs")
			printf "loadbalancer hlb-ext%d < serves edge%d.external; >\nloadbalancer hlb-int%d < serves edge%d.internal; >\n",
			    i, i, i, i > out
	}
	if (shape == "nat")
		print "frontend pool fe01 < nodes 2; lb dns; zone corp; vip 10.10.1.1; addresses from 10.10.1.0/28; >"
	else
		print "frontend pool " name("fe01") " < nodes 2; lb hlb; zone " name("corp") "; addresses from 10.10.1.0/28; >"
	print "firewall " name("fw-ext") " < between internet dmz-ext; >"
	if (shape != "nopath")
		print "firewall " name("fw-int") " < between dmz-int " name("corp") "; >"
	if (shape == "lbs")
		print "loadbalancer hlb-int < serves fe01; >"
	else if (shape == "nat")
		print "loadbalancer hlb-int < serves fe01; >"
	else {
		# misspelt: edge1 -> egde1, one swap ("did you mean 'edge1'?")
		serves(name("hlb-ext"), "", shape == "misspelt" ? "egde" : "edge", ".external")
		serves(name("hlb-int"), name("fe01"), "edge", ".internal")
	}
}
BEGIN {
	shapes = "edge|zones|clients|parties|chain|alloc|routers|rchain|legs|lbs|nodes|nat|includes|nopath|misspelt|longnames"
	if (n < 1 || shape !~ ("^(" shapes ")$") || (shape == "includes" && part == "")) {
		print "gen.awk: usage: awk -v shape=" shapes " -v n=N [-v part=PREFIX] -f gen.awk" > "/dev/stderr"
		exit 2
	}
	print "site bench-" shape "-" n ";"
	print "domain bench.example;"
	print "features < sip-federation; public-im; >"
	print "zone internet external;"
	print "zone dmz-ext perimeter;"
	print "zone dmz-int perimeter;"
	if (shape == "edge" || shape == "nopath" || shape == "longnames" ||
	    shape == "lbs" || shape == "nodes" || shape == "nat" || shape == "includes" ||
	    shape == "misspelt") {
		edges()
		exit
	}
	if (shape == "chain" || shape == "rchain")
		for (i = 1; i < n; i++)
			printf "zone transit%d internal;\n", i
	print "zone corp internal;"
	print "edge pool edge01 < nodes 2; lb hlb; external < zone dmz-ext; addresses from 11.0.0.0/28; > internal < zone dmz-int; addresses from 172.16.0.0/29; > >"
	print "firewall fw-ext < between internet dmz-ext; >"
	print "loadbalancer hlb-ext < serves edge01.external; >"
	if (shape == "zones") {
		print "frontend pool fe0 < nodes 2; lb hlb; zone corp; addresses from 10.0.0.0/28; >"
		print "firewall fw-int < between dmz-int corp; >"
		print "loadbalancer hlb-int < serves edge01.internal fe0; >"
		for (i = 1; i <= n; i++) {
			printf "zone srv%d internal;\n", i
			printf "frontend pool fe%d < nodes 2; lb hlb; zone srv%d; addresses from %s/28; >\n",
			    i, i, ip4(167837696, 16 * (i - 1))
			printf "firewall fw%d < between dmz-int srv%d; >\n", i, i
			printf "loadbalancer lb%d < serves fe%d; >\n", i, i
		}
	} else if (shape == "clients" || shape == "routers" || shape == "legs") {
		# client networks: N internal zones, each behind its own firewall
		# towards the core, where the one front-end pool is
		print "frontend pool fe01 < nodes 2; lb hlb; zone corp; addresses from 10.10.1.0/28; >"
		print "firewall fw-int < between dmz-int corp; >"
		print "loadbalancer hlb-int < serves edge01.internal fe01; >"
		for (i = 1; i <= n; i++) {
			printf "zone office%d internal;\n", i
			if (shape == "routers")
				printf "router ro%d < between corp office%d; >\n", i, i
			else if (shape != "legs")
				printf "firewall fwo%d < between corp office%d; >\n", i, i
		}
		if (shape == "legs") {	# one firewall
			printf "firewall fw-offices < between corp"
			for (i = 1; i <= n; i++)
				printf " office%d", i
			print ";"
			print "  interface corp ge-0/0/0.0;"
			for (i = 1; i <= n; i++)
				printf "  interface office%d ge-0/1/0.%d;\n", i, i
			print ">"
		}
	} else if (shape == "parties") {
		print "frontend pool fe01 < nodes 2; lb hlb; zone corp; addresses from 10.10.1.0/28; >"
		print "firewall fw-int < between dmz-int corp; >"
		print "loadbalancer hlb-int < serves edge01.internal fe01; >"
		printf "party federation-partners <"
		for (i = 0; i < n; i++)	# 12.0.0.0/30, 12.0.0.4/30, ...; 200 a statement
			printf "%s %s/30", (i % 200 == 0) ? (i ? "; address" : " address") : "", ip4(201326592, 4 * i)
		print "; >"
	} else if (shape == "chain" || shape == "rchain") {
		print "frontend pool fe01 < nodes 2; lb hlb; zone corp; addresses from 10.10.1.0/28; >"
		print "loadbalancer hlb-int < serves edge01.internal fe01; >"
		prev = "dmz-int"
		for (i = 1; i <= n; i++) {
			nxt = (i < n) ? "transit" i : "corp"
			if (shape == "chain")
				printf "firewall fw%d < between %s %s; >\n", i, prev, nxt
			else
				printf "router r%d < between %s %s; >\n", i, prev, nxt
			prev = nxt
		}
	} else if (shape == "alloc") {
		print "firewall fw-int < between dmz-int corp; >"
		for (i = 1; i <= n; i++)
			printf "frontend pool fe%d < nodes 4; lb hlb; zone corp; addresses from 10.0.0.0/8; >\n", i
		serves("hlb-int", "edge01.internal", "fe", "")
	}
}
