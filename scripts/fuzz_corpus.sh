#!/usr/bin/env bash
# Builds the seed corpus of every fuzz target (docs/testing.md) from the project's own test data and examples:
# OUT/<target>/<seed>. Multi-file inputs (data folders, LCA tables, footprint inventories) are joined with lines
# "@@" in the order fuzz/harness.hpp gives. Nothing is downloaded; the corpus is rebuilt, never committed.
# Usage: scripts/fuzz_corpus.sh [OUT]   (default build-fuzz/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build-fuzz/corpus}"
rm -rf "$out"
mkdir -p "$out"/{model_yaml,model_json,expression,data_folder,lca_tables,footprint,scenario,sweep,battery_data}

# Joins files into one input: a missing file is an empty part.
join_parts() {
  local first=1 f
  for f in "$@"; do
    [ $first = 1 ] || printf '\n@@\n'
    first=0
    if [ -f "$f" ]; then cat "$f"; fi
  done
}

for f in test/data/models/*.yaml test/data/lca/equilibrium/*.yaml examples/models/*.yaml; do cp "$f" "$out/model_yaml/$(basename "$f")"; done
for f in test/data/models/*.json examples/models/*.json; do cp "$f" "$out/model_json/$(basename "$f")"; done

# Expressions: every quoted one of the JSON models, and a few forms the models do not use.
n=0
for f in test/data/models/*.json; do
  grep -o '"\(quantity\|rate\|reference_price\|expr\|s\|t\|elasticity\)": "[^"]*"' "$f" | sed 's/^[^:]*: "//; s/"$//' |
    sort -u | while IFS= read -r e; do printf '%s' "$e" > "$out/expression/$(basename "$f" .json)_$((n++))"; done
done
i=0
for e in '1e-3' '.5' '2.' '1E+3' '-2^2' '2^-1' '(a+b)*c/d' '-(x)' '+x' 'a_1.b*2' '1/0' '0/0' '(((1)))'; do
  printf '%s' "$e" > "$out/expression/form_$((i++))"
done

# Data folders: the example, the battery chain's data-layer files (nests.csv among them) and every test folder (broken
# ones included: the reader's error paths are seeds too).
for d in examples/sam2x3 data/battery test/data/sam/*/; do
  d="${d%/}"
  join_parts "$d"/{accounts,sam,trade,tariffs,elasticities,taxes,nests}.csv > "$out/data_folder/$(basename "$d")"
done

join_parts examples/nmc811/grid_intensity.csv examples/nmc811/emission_factors.csv > "$out/lca_tables/nmc811"
join_parts examples/sam2x3_emissions/grid_intensity.csv examples/sam2x3_emissions/emission_factors.csv \
  > "$out/lca_tables/sam2x3"
join_parts test/data/lca/mini/grid.csv test/data/lca/mini/factors.csv > "$out/lca_tables/mini"

# Footprint inventories read grid.csv and factors.csv beside them (the harness writes the parts under those names).
for f in examples/nmc811/base.yaml examples/nmc811/onshored.yaml; do
  sed 's/^grid_intensity: .*/grid_intensity: grid.csv/; s/^emission_factors: .*/emission_factors: factors.csv/' "$f" \
    > "$out/footprint/.inventory"
  join_parts "$out/footprint/.inventory" examples/nmc811/grid_intensity.csv examples/nmc811/emission_factors.csv \
    > "$out/footprint/$(basename "$f" .yaml)"
  rm "$out/footprint/.inventory"
done
join_parts test/data/lca/mini/ok.yaml test/data/lca/mini/grid.csv test/data/lca/mini/factors.csv > "$out/footprint/mini"

# Scenario files include their second part as included.yaml: each bundled scenario with its includes pointed there
# (the baseline as the included file), and as it is without includes.
for f in data/battery/scenarios/*.yaml; do
  sed 's/^include: .*/include: [included.yaml]/' "$f" > "$out/scenario/.main"
  sed '/^include: /d' data/battery/scenarios/baseline.yaml > "$out/scenario/.included"
  join_parts "$out/scenario/.main" "$out/scenario/.included" > "$out/scenario/$(basename "$f" .yaml)"
  sed '/^include: /d' "$f" > "$out/scenario/$(basename "$f" .yaml)_alone"
  rm "$out/scenario/.main" "$out/scenario/.included"
done

# Sweep files name bundled scenarios, or their second part as scenario.yaml.
sed '/^include: /d' data/battery/scenarios/tailored-circular-economy.yaml > "$out/sweep/.scenario"
for f in examples/sweeps/*.yaml test/data/sweeps/*.yaml; do
  join_parts "$f" "$out/sweep/.scenario" > "$out/sweep/$(basename "$f" .yaml)"
  sed 's/^scenarios: .*/scenarios: [scenario.yaml]/' "$f" > "$out/sweep/.sweep"
  join_parts "$out/sweep/.sweep" "$out/sweep/.scenario" > "$out/sweep/$(basename "$f" .yaml)_own_scenario"
done
rm "$out/sweep/.scenario" "$out/sweep/.sweep"

# The battery folder's own files: the first byte picks the file (fuzz/harness.cc's kBatteryFiles, by the byte modulo
# 9: the digits 0..8 pick regions, sectors, physical, recycling, chemistries, parameters, paper, paths, captive_power).
i=0
for f in regions sectors physical recycling chemistries parameters paper paths captive_power; do
  { printf '%s' "$i"; cat "data/battery/$f.csv"; } > "$out/battery_data/$f"
  i=$((i + 1))
done

# Every input a fuzzer once failed on (and the hand-written all-keys model) seeds its target again.
for d in test/data/fuzz-regressions/*/; do
  t="$(basename "$d")"
  if [ -d "$out/$t" ]; then cp "$d"* "$out/$t/"; fi
done

for t in "$out"/*/; do echo "fuzz_corpus: $(ls "$t" | wc -l) seeds in $t"; done
