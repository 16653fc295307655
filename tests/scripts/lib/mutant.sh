# mutant.sh - sourced by the review tests' self-checks
# (tests/review/lb-diff.sh, vendor-diff.sh).
# `make_mutant FILE TARGET SED`: FILE becomes a lyncc that runs $LYNCC and
# then edits its -o output with `sed -i SED` when the command line names
# `-t TARGET`, so a checker run on it must find the change.
make_mutant() {
	cat >"$1" <<EOS
#!/bin/sh
"$LYNCC" "\$@" || exit \$?
for a in "\$@"; do last=\$a; done
case "\$*" in *"-t $2"*) sed -i '$3' "\$last";; esac
EOS
	chmod +x "$1"
}
