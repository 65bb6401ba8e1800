#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang-14 with ASan and UBSan, in build-fuzz/) and runs each for a fixed time,
# one after another at the lowest priority, on a corpus seeded from the project's test data (scripts/fuzz_corpus.sh)
# that grows in build-fuzz/corpus/<target>/. docs/testing.md has the measured speeds and how to run long campaigns.
#
# Usage: scripts/fuzz.sh [options]
#   --seconds N      time per target (default 60)
#   --targets "A B"  targets to run (default: all: model_yaml model_json expression data_folder lca_tables footprint scenario sweep battery_data)
#   --smoke          a few seconds per target from the seeds alone (scripts/test.sh runs this)
#   --no-build       use the programs already built in build-fuzz/
# A finding (crash, leak, sanitizer report, timeout, out of memory, a failed round trip) is saved as
# build-fuzz/findings/<target>/<kind>-<hash>; rerun it with build-fuzz/fuzz/fuzz_<target> FILE. Exit code 1 when
# any target found something, 2 when clang-14 or libFuzzer is missing or the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets="model_yaml model_json expression data_folder lca_tables footprint scenario sweep battery_data"
seconds=60
targets="$all_targets"
smoke=0
build=1
usage() { sed -n '6,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --smoke) smoke=1; seconds=3; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fuzz: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

if ! command -v clang++-14 > /dev/null ||
   [ ! -f "$(clang++-14 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]; then
  echo "fuzz: clang++-14 with libFuzzer is needed (Debian: clang-14 libclang-rt-14-dev; scripts/setup.sh)" >&2
  exit 2
fi

if [ $build = 1 ]; then
  # -O1 -g1: the sanitizers' recommended level, and stack traces that name file and line. Only the library and the
  # fuzz programs are built here (no tests, benchmarks, examples or program).
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DLCCGE_FUZZ=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
        -DLCCGE_BUILD_TESTS=OFF -DLCCGE_BUILD_EXAMPLES=OFF -DLCCGE_BUILD_BENCHMARKS=OFF -DLCCGE_BUILD_APP=OFF \
        -DLCCGE_BUILD_C_API=OFF -DLCCGE_BUILD_PYTHON=OFF \
        -DLCCGE_INSTALL=OFF > /dev/null
  fuzz_programs=()
  for t in $targets; do fuzz_programs+=("fuzz_$t"); done
  cmake --build build-fuzz -j "$(nproc)" --target "${fuzz_programs[@]}" || exit 2
fi

# The seeds; a smoke pass starts from them alone, a campaign keeps what earlier runs added.
bash scripts/fuzz_corpus.sh build-fuzz/seeds > /dev/null
mkdir -p build-fuzz/findings
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if command -v llvm-symbolizer-14 > /dev/null; then export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer-14)"; fi

# A smoke pass is repeatable: the same random seed every time (a campaign takes a new one per run).
seed_option=""
if [ $smoke = 1 ]; then seed_option="-seed=1"; fi
found=0
summary=""
for t in $targets; do
  program="build-fuzz/fuzz/fuzz_$t"
  case "$t" in model_yaml|model_json) dict=fuzz/dict/model.dict ;; *) dict="fuzz/dict/$t.dict" ;; esac
  if [ $smoke = 1 ]; then
    corpus="build-fuzz/smoke/$t"
    rm -rf "$corpus"
  else
    corpus="build-fuzz/corpus/$t"
  fi
  mkdir -p "$corpus" "build-fuzz/findings/$t"
  log="build-fuzz/findings/$t.log"
  echo "fuzz: $t for ${seconds}s" >&2
  set +e
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that needs 2 GB is a finding too.
  nice -n 19 "$program" "$corpus" "build-fuzz/seeds/$t" -dict="$dict" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$t/" $seed_option > "$log" 2>&1
  code=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(ls "$corpus" | wc -l)
  if [ $code -ne 0 ]; then
    found=1
    status="FINDING (exit $code, $log)"
    grep -m3 -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_)' "$log" >&2 || tail -5 "$log" >&2
  else
    status="ok"
  fi
  summary+=$(printf '%-12s %6ss %10s runs %8s exec/s %6s corpus  %s' "$t" "$seconds" "${runs:-?}" "${speed:-?}" \
                     "$units" "$status")$'\n'
done
printf '%s' "$summary"
exit $found
