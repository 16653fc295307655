#!/bin/bash
# lb-hostile.sh - no input reaches the LB configs as live text (issue 13,
# hostile input 1; issue 12).
#
# 1. An input file whose name carries newlines, a tab, CR, ESC, '%' and
#    '\' followed by what would be live config in each format:
#      "frontend evil" + "bind 127.0.0.1:1"  (HAProxy: a new proxy)
#      "ltm virtual evil { }"                 (tmsh: a new object)
#    and a site, pool and device named after vendor keywords (global,
#    frontend, defaults).  For -t haproxy, -t f5 and -t f5-as3:
#      - the header's input line is one comment line (the next is the
#        device line), printable ASCII only;
#      - no byte of the output is a control character other than newline
#        and tab, and nothing outside comments names "evil";
#      - haproxy -c -dW accepts the file and haproxy_reader.py finds exactly
#        one frontend per LB service (no injected proxy: the frontend count
#        is also counted here by hand: the test stdlib's 9 Front End
#        services... see below);
#      - f5_reader.py accepts the tmsh file (it rejects any object it does
#        not expect) and as3_check.py the AS3 declaration.
# 2. Cookie persistence from an lbservice with `persist cookie;` (the IR's
#    cookie name): HAProxy and F5 write MS-WSMAN, never "(null)"; on a TLS
#    port every target refuses it naming MS-WSMAN.
set -u
. "$SRCDIR/tests/lb/lib.sh"
cd "$tmp" || exit 1
name=$'x\nfrontend evil\n\tbind 127.0.0.1:1\nltm virtual evil { }\r\e[31m%\\.lync'
# the input line: the driver escapes the name (diag_escape), the backends
# escape again whatever could end a comment; either way one line that
# starts with the name's first byte and ends with its last
wantre='^input: x[ -~]*\.lync$'
cat >"$name" <<'LYNC'
site global;
domain evil.test;
zone corp internal < networks 10.0.0.0/8; >
frontend pool frontend <
  nodes 2; lb hlb; zone corp; vip 10.1.0.10;
  node 1 10.1.0.11; node 2 10.1.0.12;
  description "quote \" brace } { backslash \\ hash # semicolon ;";
>
loadbalancer defaults < serves frontend; >
LYNC
"$LYNCC" ir "$name" -o ir.json || { echo "FAIL: lyncc ir"; exit 1; }
nsvc=$(python3 -c 'import json,sys; print(sum(1 for s in json.load(open("ir.json"))["lb_services"] if s["device"] == "defaults"))')
[ "$nsvc" -gt 0 ] || bad "the hostile site has no LB service"
for t in haproxy f5 f5-as3; do
	out="out.$t"
	"$LYNCC" "$name" -t $t -o "$out" 2>err || { cat err; bad "-t $t failed"; continue; }
	if [ $t = f5-as3 ]; then
		python3 - "$out" "$wantre" <<'PY' || bad "-t f5-as3: the header's input line is not one escaped line"
import json, re, sys
h = json.load(open(sys.argv[1]))["declaration"]["constants"]["lyncc_header"]
sys.exit(0 if len(h) >= 3 and re.match(sys.argv[2], h[1]) and h[2].startswith("device: ") else 1)
PY
	else
		[ "$(sed -n 2p "$out" | sed 's/^# //' | grep -cE "$wantre")" = 1 ] &&
		    sed -n 3p "$out" | grep -q '^# device: defaults (loadbalancer)$' ||
		    bad "-t $t: the input line is not one escaped comment line: $(sed -n 2p "$out")"
		# outside comment lines, nothing of the file name
		grep -v '^#' "$out" | grep -q 'evil' && bad "-t $t: 'evil' outside a comment"
	fi
	LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$out" && bad "-t $t: control character in the output"
done
if [ -f out.haproxy ]; then
	haproxy -c -dW -f out.haproxy >hc 2>&1 || { cat hc; bad "haproxy -c -dW rejects the config"; }
	python3 "$SRCDIR/tests/lb/haproxy_reader.py" ir.json defaults out.haproxy ||
	    bad "haproxy_reader: config differs from the IR"
	nf=$(grep -c '^frontend ' out.haproxy)
	[ "$nf" = "$nsvc" ] || bad "$nf frontends for $nsvc LB services"
	grep -q '^frontend evil' out.haproxy && bad "an injected frontend"
fi
[ -f out.f5 ] && { python3 "$SRCDIR/tests/lb/f5_reader.py" ir.json defaults out.f5 || bad "f5_reader rejects the tmsh file"; }
[ -f out.f5-as3 ] && { python3 "$SRCDIR/tests/lb/as3_check.py" ir.json defaults out.f5-as3 || bad "as3_check rejects the declaration"; }

# 2. cookie persistence named by the IR
mkdir -p stdlib
cp "$SRCDIR"/tests/lb/stdlib/*.lync stdlib/
cat >>stdlib/lb.lync <<'LYNC'

lbservice fe.test.cookie-80 <
  vip director.vip;
  members director;
  proto tcp;
  port 80;
  member-port 8080;
  persist cookie;
  snat allowed;
  monitor tcp 5061;
  idle-timeout 1800;
  balance leastconn;
  when lb director hlb;
  note "test: cookie persistence from the stdlib";
>
LYNC
cat >cookie.lync <<'LYNC'
site cookie;
domain cookie.test;
zone corp internal < networks 10.0.0.0/8; >
director pool dir01 < nodes 2; lb hlb; zone corp; vip 10.1.0.10; node 1 10.1.0.11; node 2 10.1.0.12; >
loadbalancer lb1 < serves dir01; >
LYNC
"$LYNCC" ir cookie.lync --stdlib stdlib -o cir.json || bad "cookie site: lyncc ir"
for t in haproxy f5 f5-as3; do
	if "$LYNCC" cookie.lync --stdlib stdlib -t $t -o "c.$t" 2>err; then
		grep -q '(null)' "c.$t" && bad "-t $t: (null) in the output"
		grep -q 'MS-WSMAN' "c.$t" || bad "-t $t: no MS-WSMAN cookie"
	else
		cat err
		bad "-t $t refuses cookie persistence on plain HTTP"
	fi
done
grep -q $'\tcookie MS-WSMAN insert$' c.haproxy || bad "haproxy: no 'cookie MS-WSMAN insert'"
haproxy -c -dW -f c.haproxy >hc 2>&1 || { cat hc; bad "haproxy -c rejects the cookie config"; }
grep -q '^    cookie-name MS-WSMAN$' c.f5 || bad "f5: no cookie-name MS-WSMAN"
python3 "$SRCDIR/tests/lb/f5_reader.py" cir.json lb1 c.f5 || bad "f5_reader: cookie config"
python3 "$SRCDIR/tests/lb/as3_check.py" cir.json lb1 c.f5-as3 || bad "as3_check: cookie declaration"
# the same on TLS (443): refused, and the message names the cookie
python3 - stdlib/lb.lync <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("  port 80;\n  member-port 8080;", "  port 8443;\n  member-port 8443;")
open(p, "w").write(s)
PY
for t in haproxy f5 f5-as3; do
	if "$LYNCC" cookie.lync --stdlib stdlib -t $t -o "t.$t" 2>err; then
		bad "-t $t accepted cookie persistence on TLS 8443"
	else
		grep -q "cannot insert the MS-WSMAN cookie" err || { cat err; bad "-t $t: refusal does not name MS-WSMAN"; }
		grep -q '(null)' err && bad "-t $t: (null) in the diagnostic"
	fi
	[ -e "t.$t" ] && bad "-t $t wrote a file after an error"
done
[ $fail = 0 ] && echo "ok: hostile names and file name stay in comments; cookie MS-WSMAN"
exit $fail
