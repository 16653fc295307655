# gen.awk -v shape=SHAPE -v n=N - print a generated .lync site of size N.
# Every generated site compiles without an error or a warning.
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
		printf "%s %s%d%s%s", (i % 50 == 1) ? " serves" : "", pfx, i, sfx,
		    (i % 50 == 0 || i == n) ? ";" : ""
	print " >"
}
BEGIN {
	if (n < 1 || shape !~ /^(edge|zones|clients|parties|chain|alloc)$/) {
		print "gen.awk: usage: awk -v shape=edge|zones|clients|parties|chain|alloc -v n=N -f gen.awk" > "/dev/stderr"
		exit 2
	}
	print "site bench-" shape "-" n ";"
	print "domain bench.example;"
	print "features < sip-federation; public-im; >"
	print "zone internet external;"
	print "zone dmz-ext perimeter;"
	print "zone dmz-int perimeter;"
	if (shape == "edge") {
		print "zone corp internal;"
		# public /28s from 11.0.0.0, internal /29s from 172.16.0.0
		# more than 20,000 pools (over 4 MiB): 20,000 a file, included
		# (one file may not exceed 16 MiB, docs/language.md "Limits")
		for (i = 1; i <= n; i++) {
			out = "/dev/stdout"
			if (part != "" && n > 20000) {
				k = int((i - 1) / 20000) + 1
				out = part "-" k ".lync"
				if (i % 20000 == 1) {
					base = out
					sub(/.*\//, "", base)
					printf "include \"%s\";\n", base
				}
			}
			printf "edge pool edge%d < nodes 2; lb hlb; external < zone dmz-ext; addresses from %s/28; > internal < zone dmz-int; addresses from %s/29; > snat access webconf; >\n",
			    i, ip4(184549376, 16 * (i - 1)), ip4(2886729728, 8 * (i - 1)) > out
		}
		print "frontend pool fe01 < nodes 2; lb hlb; zone corp; addresses from 10.10.1.0/28; >"
		print "firewall fw-ext < between internet dmz-ext; >"
		print "firewall fw-int < between dmz-int corp; >"
		serves("hlb-ext", "", "edge", ".external")
		serves("hlb-int", "fe01", "edge", ".internal")
		exit
	}
	if (shape == "chain")
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
	} else if (shape == "clients") {
		# client networks: N internal zones, each behind its own firewall
		# towards the core, where the one front-end pool is
		print "frontend pool fe01 < nodes 2; lb hlb; zone corp; addresses from 10.10.1.0/28; >"
		print "firewall fw-int < between dmz-int corp; >"
		print "loadbalancer hlb-int < serves edge01.internal fe01; >"
		for (i = 1; i <= n; i++) {
			printf "zone office%d internal;\n", i
			printf "firewall fwo%d < between corp office%d; >\n", i, i
		}
	} else if (shape == "parties") {
		print "frontend pool fe01 < nodes 2; lb hlb; zone corp; addresses from 10.10.1.0/28; >"
		print "firewall fw-int < between dmz-int corp; >"
		print "loadbalancer hlb-int < serves edge01.internal fe01; >"
		printf "party federation-partners <"
		for (i = 0; i < n; i++)	# 12.0.0.0/30, 12.0.0.4/30, ...; 200 a statement
			printf "%s %s/30", (i % 200 == 0) ? (i ? "; address" : " address") : "", ip4(201326592, 4 * i)
		print "; >"
	} else if (shape == "chain") {
		print "frontend pool fe01 < nodes 2; lb hlb; zone corp; addresses from 10.10.1.0/28; >"
		print "loadbalancer hlb-int < serves edge01.internal fe01; >"
		prev = "dmz-int"
		for (i = 1; i <= n; i++) {
			nxt = (i < n) ? "transit" i : "corp"
			printf "firewall fw%d < between %s %s; >\n", i, prev, nxt
			prev = nxt
		}
	} else if (shape == "alloc") {
		print "firewall fw-int < between dmz-int corp; >"
		for (i = 1; i <= n; i++)
			printf "frontend pool fe%d < nodes 4; lb hlb; zone corp; addresses from 10.0.0.0/8; >\n", i
		serves("hlb-int", "edge01.internal", "fe", "")
	}
}
