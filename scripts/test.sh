#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the test suite (Release), a downstream project built
# against an installed lccge with find_package(lccge CONFIG), the test suite again under ASan+UBSan, and a smoke pass
# of the fuzz targets (a few seconds each from their seeds, when clang-14 and libFuzzer are installed; scripts/fuzz.sh).
# Set LCCGE_SKIP_SANITIZERS=1 to skip the sanitizer pass and LCCGE_SKIP_FUZZ=1 the fuzz pass during development.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== downstream project: find_package(lccge CONFIG) against an install"
rm -rf build/_install build/_consumer
cmake --install build --prefix build/_install > /dev/null
cmake -S test/find-package-test -B build/_consumer -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build/_install" > /dev/null
cmake --build build/_consumer
build/_consumer/consumer test/data/models/twobytwo_ces.json

if [ "${LCCGE_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== the test suite under AddressSanitizer and UndefinedBehaviorSanitizer"
  # -O1 -g1 (line tables): the sanitizers' recommended optimisation, and about half the compile time of -O2 -g,
  # which keeps the whole run inside CI's 20 minutes on 2 cores; stack traces still name file and line.
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLCCGE_SANITIZE=ON \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DLCCGE_BUILD_BENCHMARKS=OFF
  cmake --build build-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi

if [ "${LCCGE_SKIP_FUZZ:-0}" != 1 ]; then
  if command -v clang++-14 > /dev/null &&
     [ -f "$(clang++-14 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]; then
    echo "== fuzz smoke pass: every fuzz target for a few seconds from its seeds (docs/testing.md)"
    bash scripts/fuzz.sh --smoke
  else
    echo "== fuzz smoke pass skipped: clang++-14 with libFuzzer is not installed (scripts/setup.sh installs it)"
  fi
fi
