"""The Python example of README.md runs as written (from the top of the checkout) and prints what it says."""

import re
import subprocess
import sys

import lccge

from conftest import SOURCE_DIR


def readme_example():
    text = (SOURCE_DIR / "README.md").read_text()
    section = text[text.index("## Using lccge from Python") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs_as_written():
    code = readme_example()
    assert len(code.strip().splitlines()) <= 10
    run = subprocess.run([sys.executable, "-c", code], cwd=SOURCE_DIR, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    status = lines[0].split()
    assert status[0] == "converged"
    assert float(status[-1]) < 1e-9  # Walras' law
    assert lines[1].split() == ["activity", "base", "shock", "change", "%"]
    # One row per activity; the shock is +10 points on every tariff, which is the builder's own tariff_10 scenario.
    model = lccge.Model.load(SOURCE_DIR / "examples" / "sam2x3")
    tariff_10 = model.solve("tariff_10").values
    rows = {fields[0]: fields[1:] for fields in (line.split() for line in lines[2:])}
    assert list(rows) == model.sectors
    for name, (base, shock, change) in rows.items():
        assert float(base) == 1.0
        assert abs(float(shock) - tariff_10[name]) <= 0.5e-4, name
        assert abs(float(change) - 100 * (tariff_10[name] - 1)) <= 0.5e-3, name
