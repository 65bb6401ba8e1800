#!/usr/bin/env bash
# Installs every Debian package lccge needs to build, test and run. Idempotent:
# packages already present are left alone and apt is not called at all.
# Usage (as root on Debian 12): bash scripts/setup.sh
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libceres-dev libeigen3-dev libboost-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  gnuplot-nox libopenmpi-dev openmpi-bin
  # the Python module (docs/bindings.md) and its tests: Debian's interpreter, pybind11, numpy, pandas, pytest
  python3 python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pandas python3-pytest
  # the fuzz targets (docs/testing.md): clang with libFuzzer, and the symbolizer for their stack traces
  clang-14 libclang-rt-14-dev llvm-14
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
