#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the bundled data (lccge run): results/ is written.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)"
build/lccge run --out results
