#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the test suite (Release: C++, the C API from C, the Python
# module with pytest), a downstream project built against an installed lccge with find_package(lccge CONFIG) from
# C++ and from C, the test suite again under ASan+UBSan (the C API's test included), and a smoke pass of the fuzz
# targets (a few seconds each from their seeds, when clang-14 and libFuzzer are installed; scripts/fuzz.sh).
# Set LCCGE_SKIP_SANITIZERS=1 to skip the sanitizer pass and LCCGE_SKIP_FUZZ=1 the fuzz pass during development.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

# LCCGE_BUILD_PYTHON=ON: the Python module and its tests are required here, never skipped for a missing package.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLCCGE_BUILD_PYTHON=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== downstream project: find_package(lccge CONFIG) against an install, from C++ and from C"
rm -rf build/_install build/_consumer
cmake --install build --prefix build/_install > /dev/null
cmake -S test/find-package-test -B build/_consumer -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build/_install" > /dev/null
cmake --build build/_consumer
build/_consumer/consumer test/data/models/twobytwo_ces.json
build/_consumer/c_consumer "$PWD" build/_consumer
echo "== the installed program runs the main job on the installed data"
(cd build/_consumer && env -u LCCGE_DATA_DIR "$OLDPWD/build/_install/bin/lccge" run --out installed_results > /dev/null)
test -s build/_consumer/installed_results/iamc.csv

if [ "${LCCGE_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== the test suite under AddressSanitizer and UndefinedBehaviorSanitizer"
  # -O1 -g1 (line tables): the sanitizers' recommended optimisation, and about half the compile time of -O2 -g,
  # which keeps the whole run inside CI's 20 minutes on 2 cores; stack traces still name file and line.
  # The C API's test runs here too; the Python module does not (a sanitized extension cannot load into the
  # interpreter, which is not built with the sanitizers).
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLCCGE_SANITIZE=ON \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
        -DLCCGE_BUILD_BENCHMARKS=OFF -DLCCGE_BUILD_PYTHON=OFF -DLCCGE_WITH_MPI=OFF
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
