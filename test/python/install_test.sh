#!/usr/bin/env bash
# Installs the Python package alone (cmake --install --component python) under a fresh prefix and imports it from a
# clean environment with only PYTHONPATH set: the installed module needs nothing from the build or source tree.
# Usage: install_test.sh CMAKE BUILD_DIR PREFIX SITE_DIR PYTHON SOURCE_DIR
#   SITE_DIR: where the package goes, relative to PREFIX (LCCGE_PYTHON_INSTALL_DIR, e.g. lib/python3.11/site-packages)
set -euo pipefail
cmake="$1" build="$2" prefix="$3" site="$4" python="$5" source="$6"
rm -rf "$prefix"
"$cmake" --install "$build" --component python --prefix "$prefix" > /dev/null
test -f "$prefix/$site/lccge/__init__.py"
# The model file is copied in: the clean shell reads nothing from the checkout but the package's own install.
cp "$source/test/data/models/twobytwo_ces.json" "$prefix/model.json"
cd "$prefix"
env -i PATH=/usr/bin:/bin PYTHONPATH="$prefix/$site" "$python" -c '
import os, sys, lccge
prefix = os.getcwd()
assert lccge.__file__.startswith(prefix + "/"), lccge.__file__
model = lccge.Model.load("model.json")
name = "labor_plus10pct_PX_numeraire"
result = model.solve(name)
expected = model.scenario(name).expected
worst = max(abs(result.values[k] - v) / max(1.0, abs(v)) for k, v in expected.items() if k in result.values)
print(lccge.__file__, result.status, "largest relative difference from the published solution %.1e" % worst)
sys.exit(0 if result.converged and worst < 1e-8 else 1)
'
rm -rf "$prefix"
