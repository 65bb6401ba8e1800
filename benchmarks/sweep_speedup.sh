#!/usr/bin/env bash
# Sweep speed-up benchmark (docs/benchmarks.md §8): the same sweep on 1 and 2 workers, as threads of one process and
# as MPI processes, side by side in one invocation. Prints wall time, time per draw and the ratios, and checks that
# the four draws.csv are identical (the results must not depend on the number of workers).
#
#   benchmarks/sweep_speedup.sh [SWEEP_FILE] [BUILD_DIR]
#   DRAWS=60 benchmarks/sweep_speedup.sh            # fewer draws than the file asks for
#
# Defaults: examples/sweeps/combined.yaml (200 draws) and build/. MPI runs need mpirun and a build with MPI.
set -euo pipefail
cd "$(dirname "$0")/.."
sweep=${1:-examples/sweeps/combined.yaml}
build=${2:-build}
cli="$build/lccge"
[ -x "$cli" ] || { echo "sweep_speedup: $cli not found (build lccge_cli first)" >&2; exit 2; }
[ -r "$sweep" ] || { echo "sweep_speedup: cannot read $sweep" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
file="$work/sweep.yaml"
if [ -n "${DRAWS:-}" ]; then
  sed -E "s/^draws:.*/draws: ${DRAWS}/" "$sweep" > "$file"
else
  cp "$sweep" "$file"
fi
draws=$(sed -nE 's/^draws:[[:space:]]*([0-9]+).*/\1/p' "$file")

# Wall seconds of one run; the run's own output goes to its log.
timed() {
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/$name.log" 2>&1 || { cat "$work/$name.log" >&2; echo "sweep_speedup: run '$name' failed" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a / b }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A seconds
seconds[threads1]=$(timed threads1 "$cli" sweep "$file" --threads 1 --no-figures --out "$work/threads1")
seconds[threads2]=$(timed threads2 "$cli" sweep "$file" --threads 2 --no-figures --out "$work/threads2")
runs=(threads1 threads2)
if command -v mpirun > /dev/null && "$cli" --version | grep -q "^MPI: yes"; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  seconds[mpi1]=$(timed mpi1 mpirun -np 1 "$cli" sweep "$file" --threads 1 --no-figures --out "$work/mpi1")
  seconds[mpi2]=$(timed mpi2 mpirun -np 2 "$cli" sweep "$file" --threads 1 --no-figures --out "$work/mpi2")
  runs+=(mpi1 mpi2)
else
  echo "(no MPI: mpirun missing or lccge built without MPI; the MPI rows are skipped)"
fi

echo "sweep: $sweep, $draws draws, $(nproc) cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %10s %14s\n' run "wall (s)" "per draw (s)"
for r in "${runs[@]}"; do
  printf '%-10s %10.2f %14.3f\n' "$r" "${seconds[$r]}" "$(ratio "${seconds[$r]}" "$draws")"
done
printf 'speed-up, 2 threads against 1:   %.2fx\n' "$(ratio "${seconds[threads1]}" "${seconds[threads2]}")"
if [ -n "${seconds[mpi2]:-}" ]; then
  printf 'speed-up, 2 processes against 1: %.2fx\n' "$(ratio "${seconds[mpi1]}" "${seconds[mpi2]}")"
fi
for r in "${runs[@]}"; do
  if ! cmp -s "$work/threads1/draws.csv" "$work/$r/draws.csv"; then
    echo "sweep_speedup: draws.csv of '$r' differs from 'threads1'" >&2
    exit 1
  fi
done
echo "draws.csv identical across ${runs[*]}"
