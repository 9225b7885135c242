#!/usr/bin/env bash
# Builds the benchmarks (Release), generates the scale corpus, runs the three
# benchmark programs and prints their figures with the machine they ran on.
#
#   tests/bench/run-benchmarks.sh            # 100 000 articles, about 400 MB (takes a while)
#   tests/bench/run-benchmarks.sh 20000      # another corpus size
#   tests/bench/run-benchmarks.sh --smoke    # 200 articles, seconds: checks that every program runs (CI)
#
# Environment: BUILD_DIR (default build-bench), WORK_DIR (default: a new folder
# in $TMPDIR, removed at the end unless KEEP=1), JOBS (ingest workers, default:
# the core count), SEED (default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."

smoke=0
count=100000
case "${1:-}" in
  --smoke) smoke=1; count=200 ;;
  "") ;;
  *[!0-9]*) echo "usage: $0 [COUNT | --smoke]" >&2; exit 1 ;;
  *) count=$1 ;;
esac
build=${BUILD_DIR:-build-bench}
jobs=${JOBS:-$(nproc)}
seed=${SEED:-1}
work=${WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/coopkb-bench.XXXXXX")}
mkdir -p "$work"
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

echo "== build ($build, Release)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOOPKB_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target coopkb_gen coopkb_bench_stages coopkb_bench_ingest coopkb_bench_search \
  >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; exit 1; }

echo "== machine"
echo "$(nproc) cores: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "memory: $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB"}'), $(uname -sr), load average:$(cut -d' ' -f1-3 /proc/loadavg)"
echo "coopkb $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'), $(date -u +%Y-%m-%dT%H:%M:%SZ)"

echo "== corpus"
"$build/coopkb_gen" --count "$count" --seed "$seed" --out "$work/corpus"

if [[ $smoke == 1 ]]; then
  stages_args=(--corpus_docs=30 --benchmark_min_time=0.01)
  ingest_args=(--sample-mb 0.3 --repeats 1)
  search_args=(--runs 3)
else
  stages_args=(--corpus_docs=300)
  ingest_args=()
  search_args=(--runs 30)
fi

echo "== stages (coopkb_bench_stages ${stages_args[*]})"
"$build/coopkb_bench_stages" "${stages_args[@]}"

echo "== end to end (coopkb_bench_ingest --jobs $jobs)"
"$build/coopkb_bench_ingest" "$work/corpus" --jobs "$jobs" --db "$work/kb.sqlite" --keep "${ingest_args[@]}"

echo "== search (coopkb_bench_search ${search_args[*]})"
"$build/coopkb_bench_search" "$work/kb.sqlite" "${search_args[@]}"
if [[ "${KEEP:-0}" == 1 ]]; then echo "kept: $work"; fi
