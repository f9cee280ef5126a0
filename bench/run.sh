#!/bin/sh
# Runs every benchmark program build/bench-* and prints their rows as one table.
#   BUILD=build bench/run.sh          (make bench builds the programs and calls this)
# A benchmark is a program bench/bench_<name>.c (the Makefile builds it as
# $BUILD/bench-<name>) that prints one line per case on stdout, tab-separated:
#   case  causa_s  peer  peer_s  ratio  throughput  limit
# (seconds as medians, ratio = peer_s / causa_s, "-" where there is nothing to report)
# and anything else on stderr. Adding a benchmark means adding such a program: nothing
# here changes. Exit status: 1 if a program failed or printed no row.
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
export PYTHON
rows=$(mktemp)
status=0
found=0
for prog in "$BUILD"/bench-*; do
    [ -x "$prog" ] || continue
    found=1
    before=$(wc -l <"$rows")
    if ! "$prog" >>"$rows"; then
        echo "bench: $prog failed" >&2
        status=1
    fi
    if [ "$(wc -l <"$rows")" = "$before" ]; then
        echo "bench: $prog printed no row" >&2
        status=1
    fi
done
if [ "$found" = 0 ]; then
    echo "bench: no benchmark programs in $BUILD (run make bench)" >&2
    rm -f "$rows"
    exit 1
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: ${cpu:-unknown CPU}, $(nproc 2>/dev/null || echo '?') cores; medians of repeated runs"
awk -F '\t' '
    BEGIN { h[1] = "case"; h[2] = "causa median (s)"; h[3] = "peer"; h[4] = "peer median (s)";
            h[5] = "ratio"; h[6] = "throughput"; h[7] = "machine limit"
            for (i = 1; i <= 7; i++) w[i] = length(h[i]) }
    NF == 7 { n++; for (i = 1; i <= 7; i++) { c[n, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
    NF != 7 && NF > 0 { bad++ }
    END {
        line = ""
        for (i = 1; i <= 7; i++) line = line sprintf("%-*s%s", w[i], h[i], i < 7 ? " | " : "")
        print line
        sep = ""
        for (i = 1; i <= 7; i++) { s = ""; for (k = 0; k < w[i]; k++) s = s "-"; sep = sep s (i < 7 ? "-|-" : "") }
        print sep
        for (r = 1; r <= n; r++) {
            line = ""
            for (i = 1; i <= 7; i++) line = line sprintf(i == 2 || i == 4 || i == 5 ? "%*s%s" : "%-*s%s", w[i], c[r, i], i < 7 ? " | " : "")
            print line
        }
        if (bad) printf("(%d malformed row(s) ignored)\n", bad)
    }' "$rows"
rm -f "$rows"
exit $status
