"""The published twobytwo solution through Python, the same model built in Python, and the shapes and names of the
numpy and pandas views of a result."""

import threading
import time

import numpy as np
import pytest

import lccge

from conftest import MODELS

# Published values: test/data/models/twobytwo_ces.json holds, for every scenario, the values GAMS/MPSGE with PATH
# computed (MPSGE.jl, test/MPSGEresults.xlsx, sheet TwoxTwoCESProd), in its "expected" entries.
TWOBYTWO = MODELS / "twobytwo_ces.json"
VARIABLES = ["X", "Y", "U", "PX", "PY", "PU", "PL", "PK", "RA"]


def relative_error(actual, expected):
    return abs(actual - expected) / max(1.0, abs(expected))


def build_twobytwo():
    """examples/twobytwo/twobytwo.cc, written in Python."""
    m = lccge.Model("twobytwo")
    m.add_parameter("endow", 1.0)
    m.add_sector("X", "Y", "U")
    m.add_commodity("PX", "PY", "PU", "PL", "PK")
    m.add_consumer("RA")
    m.add_production("X", s=0.5, outputs=[("PX", 100)], inputs=[("PL", 50), ("PK", 50)])
    m.add_production("Y", s=0.6, outputs=[("PY", 50)], inputs=[("PL", 20), ("PK", 30)])
    m.add_production("U", s=1.0, outputs=[("PU", 150)], inputs=[("PX", 100), ("PY", 50)])
    m.add_demand("RA", final_demands=[("PU", 150)], endowments=[("PL", "70*endow"), ("PK", 80)])
    return m


@pytest.mark.parametrize("method", ["auto", "newton-lu", "newton-krylov", "ceres"])
def test_published_solution_every_scenario(method):
    model = lccge.Model.load(TWOBYTWO)
    assert model.scenarios == [
        "benchmark",
        "labor_plus10pct_RA_numeraire",
        "labor_plus10pct_PX_numeraire",
        "labor_plus10pct_PL_numeraire",
    ]
    for name in model.scenarios:
        expected = model.scenario(name).expected
        assert len(expected) == 15
        result = model.solve(name, method=method, tolerance=1e-12)
        assert result.status == "converged" and result.converged
        assert result.max_residual < 1e-12
        for key, value in expected.items():
            actual = result.reports[key] if ":" in key else result.values[key]
            assert relative_error(actual, value) < 1e-8, (name, key, actual, value)


def test_summary_figures():
    model = lccge.Model.load(TWOBYTWO)
    result = model.solve("labor_plus10pct_PX_numeraire", method="newton-lu")
    assert result.iterations > 0
    assert 0 <= result.walras_residual < 1e-9
    assert 0 <= result.seconds < 60
    assert result.method == "newton-lu"
    assert result.scenario.name == "labor_plus10pct_PX_numeraire"
    assert result.scenario.parameters == {"endow": 1.1}
    assert "converged" in result.brief_report()
    assert "converged" in repr(result)
    assert "iterations" in result.full_report()


def test_parameters_and_shock():
    model = lccge.Model.load(TWOBYTWO)
    assert model.parameters == {"endow": 1.0}
    # The benchmark scenario (income fixed at 150) with the shock given as a parameter: the published RA=157 column
    # with prices scaled by 150/157 (prices are homogeneous of degree one in the fixed income).
    published = model.scenario("labor_plus10pct_RA_numeraire").expected
    result = model.solve("benchmark", parameters={"endow": 1.1})
    assert result.scenario.parameters == {"endow": 1.1}
    for name in ["X", "Y", "U"]:
        assert relative_error(result.values[name], published[name]) < 1e-8
    for name in ["PX", "PY", "PU", "PL", "PK"]:
        assert relative_error(result.values[name], published[name] * 150 / 157) < 1e-8
    # Fixing PX through the call gives the PX=1 column (the scenario's own RA fix dropped by another scenario).
    px = model.scenario("labor_plus10pct_PX_numeraire").expected
    result = model.solve(lccge.Scenario("mine", parameters={"endow": 1.1}), fixed={"PX": 1.0})
    assert relative_error(result.values["RA"], px["RA"]) < 1e-8
    # The model itself is unchanged.
    assert model.parameters == {"endow": 1.0}


def test_built_in_python_equals_file():
    built = build_twobytwo()
    assert not built.finalized
    assert built.variables == VARIABLES
    built.add_scenario("shock", parameters={"endow": 1.1}, fixed={"PX": 1.0})
    loaded = lccge.Model.load(TWOBYTWO)
    a = built.solve("shock", method="newton-lu", tolerance=1e-12)
    b = loaded.solve("labor_plus10pct_PX_numeraire", method="newton-lu", tolerance=1e-12)
    assert built.finalized
    assert a.names == b.names == VARIABLES
    np.testing.assert_allclose(a.array, b.array, rtol=1e-12, atol=0)
    assert a.reports.keys() == b.reports.keys()
    for key in a.reports:
        assert a.reports[key] == pytest.approx(b.reports[key], rel=1e-12, abs=1e-12)
    expected = loaded.scenario("labor_plus10pct_PX_numeraire").expected
    for name in VARIABLES:
        assert relative_error(a.values[name], expected[name]) < 1e-8


def test_arrays_have_shape_and_names():
    model = lccge.Model.load(TWOBYTWO)
    result = model.solve("labor_plus10pct_PL_numeraire")
    array = result.array
    assert isinstance(array, np.ndarray)
    assert array.dtype == np.float64
    assert array.shape == (9,)
    assert result.names == model.variables == VARIABLES
    assert result.kinds == ["sector"] * 3 + ["commodity"] * 5 + ["consumer"]
    assert model.sectors == ["X", "Y", "U"]
    assert model.commodities == ["PX", "PY", "PU", "PL", "PK"]
    assert model.consumers == ["RA"]
    assert model.auxiliaries == []
    values = result.values
    assert list(values) == VARIABLES
    for i, name in enumerate(result.names):
        assert array[i] == values[name]
    assert values["PL"] == 1.0  # the numeraire of this scenario
    # The array is a copy: changing it changes nothing in the result.
    array[0] = -1
    assert result.array[0] == values["X"]


def test_pandas_frame():
    pandas = pytest.importorskip("pandas")
    result = lccge.Model.load(TWOBYTWO).solve("labor_plus10pct_PX_numeraire")
    frame = result.to_frame()
    assert isinstance(frame, pandas.DataFrame)
    assert frame.shape == (9, 2)
    assert list(frame.index) == VARIABLES
    assert frame.index.name == "variable"
    assert frame.loc["RA", "kind"] == "consumer"
    assert frame.loc["PY", "value"] == result.values["PY"]


def test_warm_start():
    model = lccge.Model.load(TWOBYTWO)
    first = model.solve("labor_plus10pct_PX_numeraire", method="newton-lu", tolerance=1e-12)
    again = model.solve("labor_plus10pct_PX_numeraire", method="newton-lu", tolerance=1e-12, warm_start=first)
    assert again.iterations == 0
    np.testing.assert_array_equal(again.array, first.array)
    from_array = model.solve("labor_plus10pct_PX_numeraire", tolerance=1e-12, warm_start=first.array)
    assert from_array.iterations == 0


def test_solving_releases_the_gil(tmp_path):
    # A model large enough that one solve takes a noticeable time; while threads solve it, the main thread keeps
    # running Python code. With the GIL held, the main thread could not count while a solve is under way.
    model = lccge.build(lccge.synth(tmp_path / "data", regions=20, sectors=20, seed=3))
    solve_seconds = []

    def solve():
        start = time.perf_counter()
        result = model.solve("tariff_10", method="newton-lu")
        solve_seconds.append((start, time.perf_counter(), result.status))

    thread = threading.Thread(target=solve)
    ticks = []
    thread.start()
    while thread.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.0005)
    thread.join()
    (start, end, status), = solve_seconds
    assert status == "converged"
    inside = [t for t in ticks if start + 0.01 < t < end - 0.01]
    assert end - start > 0.05, "the solve is too quick for this test"
    assert len(inside) >= 5, (end - start, len(ticks))


def test_threads_solve_one_model_at_once():
    model = lccge.Model.load(TWOBYTWO)
    model.finalize()
    scenarios = model.scenarios * 3
    results = [None] * len(scenarios)

    def solve(i):
        results[i] = model.solve(scenarios[i], method="newton-lu", tolerance=1e-12)

    threads = [threading.Thread(target=solve, args=(i,)) for i in range(len(scenarios))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name, result in zip(scenarios, results):
        expected = model.scenario(name).expected
        assert result.scenario.name == name
        for key in VARIABLES:
            assert relative_error(result.values[key], expected[key]) < 1e-8

