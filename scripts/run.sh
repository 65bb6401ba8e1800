#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the bundled data (lccge run): results/ is written.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
# Only the program this job runs: the tests, benchmarks and examples are scripts/test.sh's to build (same build dir).
cmake --build build --target lccge_cli -j "$(nproc)"
build/lccge run --out results
