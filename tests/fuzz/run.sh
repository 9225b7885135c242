#!/usr/bin/env bash
# Runs the libFuzzer targets that tests/fuzz/build.sh built.
#   tests/fuzz/run.sh fuzz_html 600    one target for 600 seconds ("html" works too)
#   tests/fuzz/run.sh all 30           every target in turn, 30 seconds each (CI)
# Seeds are read from tests/fuzz/corpus/<target>/ and never written; inputs the
# fuzzer finds go to build-fuzz/corpus/<target>/, crashes and slow inputs to
# build-fuzz/artifacts/<target>/, the log to build-fuzz/logs/<target>.log.
# A dictionary tests/fuzz/<target>.dict is used when present; FUZZ_ARGS adds
# libFuzzer options. Exit status 1 when any target crashed, leaked, hung or ran
# out of memory.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${COOPKB_FUZZ_BUILD:-$here/../../build-fuzz}"
if [[ $# -ne 2 ]]; then
  echo "usage: $0 TARGET|all SECONDS" >&2
  exit 2
fi
seconds="$2"
targets=()
if [[ "$1" == "all" ]]; then
  for f in "$here"/fuzz_*.cc; do targets+=("$(basename "$f" .cc)"); done
else
  t="$1"
  [[ "$t" == fuzz_* ]] || t="fuzz_$t"
  targets=("$t")
fi

failed=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/$t"
  if [[ ! -x "$bin" ]]; then
    echo "$t: not built (run tests/fuzz/build.sh)" >&2
    failed=1
    continue
  fi
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t" "$build/logs"
  args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -max_len=16384
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/")
  [[ -f "$here/$t.dict" ]] && args+=(-dict="$here/$t.dict")
  # shellcheck disable=SC2086
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$bin" "${args[@]}" ${FUZZ_ARGS:-} "$build/corpus/$t" "$here/corpus/$t" >"$build/logs/$t.log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/logs/$t.log" | tail -1 | awk '{print $2}')
  if [[ $rc -eq 0 ]]; then
    echo "$t: ok, ${runs:-?} runs in ${seconds}s"
  else
    echo "$t: FAILED (exit $rc), see $build/logs/$t.log and $build/artifacts/$t/" >&2
    grep -m3 -E 'ERROR|runtime error|broken promise|SUMMARY' "$build/logs/$t.log" >&2
    failed=1
  fi
done
exit $failed
