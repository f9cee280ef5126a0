#!/bin/sh
# The main job on the bundled real data (make demo): profile the Sachs protein data, learn
# its causal graph with PC, compare it with the consensus network, draw it, fit a causal
# model on the learned graph and ask what an intervention on one protein does.
# Usage: tools/demo.sh BUILD_DIR
set -e
BUILD=${1:-build}
causa="$BUILD/causa"
out="$BUILD/demo"
mkdir -p "$out"
step() { printf '\n== %s\n' "$1"; }

step "The data: Sachs et al. (2005), 853 cells x 11 proteins (data/sachs.csv)"
"$causa" data info data/sachs.csv

step "PC-stable with Fisher-z at alpha = 0.01 (raw intensities, as the file holds them)"
"$causa" discover data/sachs.csv --alpha 0.01 -o "$out/sachs.dot"
cat "$out/sachs.dot"

step "Against the 17-arc consensus network (data/sachs_consensus.dot)"
"$causa" graph compare "$out/sachs.dot" data/sachs_consensus.dot

step "Picture"
if command -v dot >/dev/null 2>&1; then
    "$causa" graph draw "$out/sachs.dot" -o "$out/sachs.svg"
    echo "drew $out/sachs.svg"
else
    echo "Graphviz 'dot' is not installed: no picture (apt-get install graphviz)"
fi

step "A causal model on the learned graph (a DAG of its class; mechanisms chosen by 5-fold CV)"
"$causa" graph extend "$out/sachs.dot" -o "$out/sachs_dag.dot"
"$causa" fit data/sachs.csv --graph "$out/sachs_dag.dot" --mechanism auto -o "$out/sachs_model.json"

step "What do(PKA = its 90th percentile) does to the other proteins (20 000 draws each)"
"$causa" sample "$out/sachs_model.json" -n 20000 --seed 7 -o "$out/observational.csv" --quiet
pka90=$(awk -F, 'NR > 1 {print $8}' data/sachs.csv | sort -g | awk '{v[NR] = $1} END {print v[int(0.9 * NR)]}')
"$causa" sample "$out/sachs_model.json" -n 20000 --seed 7 --do "PKA=$pka90" -o "$out/do_pka.csv" --quiet
"$causa" data info "$out/observational.csv" --json > "$out/observational.json"
"$causa" data info "$out/do_pka.csv" --json > "$out/do_pka.json"
echo "do(PKA = $pka90): change in each protein's mean (observational -> interventional)"
for v in Raf Mek Plcg PIP2 PIP3 Erk Akt PKA PKC P38 Jnk; do
    a=$(tr -d ' \n' < "$out/observational.json" | grep -o "\"name\":\"$v\"[^}]*" | sed 's/.*"mean":\([^,}]*\).*/\1/')
    b=$(tr -d ' \n' < "$out/do_pka.json" | grep -o "\"name\":\"$v\"[^}]*" | sed 's/.*"mean":\([^,}]*\).*/\1/')
    awk -v v="$v" -v a="$a" -v b="$b" 'BEGIN { printf "  %-5s %10.4g -> %10.4g  (%+.4g)\n", v, a, b, b - a }'
done
printf '\nFiles in %s/: sachs.dot, sachs.svg, sachs_dag.dot, sachs_model.json, samples.\n' "$out"
