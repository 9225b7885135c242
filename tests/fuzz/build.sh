#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/fuzz/ (one executable per
# tests/fuzz/fuzz_*.cc). The project library is compiled with the same
# sanitizers plus -fsanitize=fuzzer-no-link, so the fuzzer sees its coverage.
#   tests/fuzz/build.sh              all targets
#   tests/fuzz/build.sh fuzz_html    one target
# Needs clang and libclang-rt-14-dev (.ci/install-deps --fuzz).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${COOPKB_FUZZ_BUILD:-$root/build-fuzz}"
cxx="${CXX_FUZZ:-$(command -v clang++ || command -v clang++-14)}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" \
  -DCOOPKB_SANITIZE=ON -DCOOPKB_TESTS=OFF -DCOOPKB_BENCHMARKS=OFF \
  -DCMAKE_PROJECT_INCLUDE="$root/tests/fuzz/fuzzers.cmake" >/dev/null
if [[ $# -gt 0 ]]; then
  cmake --build "$build" -j"${JOBS:-$(nproc)}" --target "$@"
else
  targets=()
  for f in "$root"/tests/fuzz/fuzz_*.cc; do targets+=("$(basename "$f" .cc)"); done
  cmake --build "$build" -j"${JOBS:-$(nproc)}" --target "${targets[@]}"
fi
