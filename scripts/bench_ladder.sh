#!/usr/bin/env bash
# Runs `lccge bench --json` over a ladder of synthetic model sizes for each solver back end and writes a markdown
# table and a log-log plot (SVG) of solve time and peak memory against unknowns and Jacobian nonzeros
# (docs/benchmarks.md). Each case runs in its own process, so peak memory is per case.
#
# Usage: scripts/bench_ladder.sh [options]
#   --sizes "RxS ..."    sizes (regions x sectors); default "2x2 10x10 30x30 50x70 141x65"
#   --solvers "A B ..."  back ends; default: every back end the program lists (--list-solvers)
#   --shock SPEC         shock applied to the benchmark (default tariff:+10)
#   --seed N             synthetic data seed (default 1)
#   --bin PATH           the program: default build/benchmarks/lccge-bench (with PETSc) if built, else build/lccge
#   --out DIR            output directory (default results/bench-ladder)
#   --timeout SEC        wall-clock limit per case (default 1800); a case over it is reported as "timeout"
#   --repeat N           builds and solves per case, the medians reported (default 1; use 3-5 on small sizes)
# Writes DIR/ladder.jsonl (one JSON object per case), DIR/ladder.md and DIR/ladder.svg.
# Needs python3 for the table and plot (installed with apt-get if missing, as root or through sudo).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
sizes="2x2 10x10 30x30 50x70 141x65"
solvers=""
shock="tariff:+10"
seed=1
bin=""
out="$root/results/bench-ladder"
timeout_s=1800
repeat=1

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --solvers) solvers="$2"; shift 2 ;;
    --shock) shock="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_ladder: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -z "$bin" ]; then
  if [ -x "$root/build/benchmarks/lccge-bench" ]; then bin="$root/build/benchmarks/lccge-bench"; else bin="$root/build/lccge"; fi
fi
if [ ! -x "$bin" ]; then echo "bench_ladder: no program at $bin (build first, or pass --bin)" >&2; exit 2; fi
# lccge-bench takes the bench options directly; lccge takes the subcommand first.
case "$(basename "$bin")" in lccge-bench) cmd=("$bin") ;; *) cmd=("$bin" bench) ;; esac
if [ -z "$solvers" ]; then solvers="$("${cmd[@]}" --list-solvers | awk '{print $1}' | paste -sd' ')"; fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "bench_ladder: installing python3 (for the table and plot)" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3
fi

mkdir -p "$out"
jsonl="$out/ladder.jsonl"
: > "$jsonl"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$commit"
  echo "cpu=$cpu"
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo 2>/dev/null)"
  echo "program=$bin"
  echo "command=scripts/bench_ladder.sh --sizes \"$sizes\" --solvers \"$solvers\" --shock $shock --seed $seed --timeout $timeout_s --repeat $repeat --bin $bin"
} > "$out/ladder.env"

for size in $sizes; do
  r="${size%x*}"; s="${size#*x}"
  for solver in $solvers; do
    echo "bench_ladder: ${r}x${s} $solver" >&2
    set +e
    result="$(timeout "$timeout_s" "${cmd[@]}" --regions "$r" --sectors "$s" --seed "$seed" --solver "$solver" \
              --shock "$shock" --max-seconds "$timeout_s" --repeat "$repeat" --json 2>"$out/${r}x${s}-$solver.err")"
    code=$?
    set -e
    if [ $code -eq 124 ] || [ -z "$result" ]; then
      status="timeout"; [ $code -ne 124 ] && status="error"
      result="{\"solver\": \"$solver\", \"status\": \"$status\", \"regions\": $r, \"sectors\": $s}"
    fi
    # One line per case: the program's JSON object plus the exit code.
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["exit_code"]=int(sys.argv[2]); print(json.dumps(d))' \
      "$result" "$code" >> "$jsonl"
  done
done

python3 "$here/bench_report.py" "$jsonl" --env "$out/ladder.env" --markdown "$out/ladder.md" --svg "$out/ladder.svg"
echo "bench_ladder: wrote $out/ladder.md and $out/ladder.svg" >&2
