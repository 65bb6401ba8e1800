"""The standard multi-region model through Python: a data folder shocked and solved (Walras' law), the data layer
(check, synth, build), and the emission accounts of an equilibrium."""

import math

import numpy as np
import pytest

import lccge

from conftest import SOURCE_DIR

SAM2X3 = SOURCE_DIR / "examples" / "sam2x3"
EMISSIONS = SOURCE_DIR / "examples" / "sam2x3_emissions"


def test_tariff_removal_walras():
    model = lccge.Model.load(SAM2X3)
    assert model.scenarios == ["benchmark", "tariff_removal", "tariff_10"]
    assert model.parameters == {"tariff_scale": 1.0, "tariff_add": 0.0, "ptax_scale": 1.0}
    result = model.solve("tariff_removal")
    assert result.status == "converged"
    assert result.walras_residual < 1e-9
    assert result.max_residual < 1e-10
    assert result.values["PU_north"] == 1.0  # the numeraire
    assert result.array.shape == (len(model.variables),) == (38,)
    # The same shock given as a parameter over the benchmark scenario.
    again = model.solve("benchmark", parameters={"tariff_scale": 0.0})
    np.testing.assert_allclose(again.array, result.array, rtol=1e-9)


def test_benchmark_replicates():
    # A calibrated model replicates its benchmark: every level and price 1, with no iteration.
    result = lccge.Model.load(SAM2X3).solve("benchmark")
    assert result.iterations == 0
    for name, kind in zip(result.names, result.kinds):
        if kind in ("sector", "commodity"):
            assert result.values[name] == pytest.approx(1.0, abs=1e-10), name


def test_bundled_battery_data_folder():
    # The bundled battery data is a data-layer folder too (with sub-nests of the intermediate bundles): its standard
    # multi-region model replicates the benchmark with no iteration.
    model = lccge.Model.load(SOURCE_DIR / "data" / "battery")
    assert lccge.check(SOURCE_DIR / "data" / "battery") == []
    result = model.solve("benchmark")
    assert result.status == "converged"
    assert result.iterations == 0 and result.max_residual < 1e-9


def test_check_build_synth(tmp_path):
    assert lccge.check(SAM2X3) == []
    out = tmp_path / "model.yaml"
    built = lccge.build(SAM2X3, out=out, numeraire_region="south")
    assert out.exists()
    assert built.scenario("benchmark").fixed == {"PU_south": 1.0}
    reloaded = lccge.Model.load(out)
    assert sorted(reloaded.variables) == sorted(built.variables)  # the file lists them by kind
    a = built.solve("tariff_10").values
    b = reloaded.solve("tariff_10").values
    for name, value in a.items():
        assert b[name] == pytest.approx(value, rel=1e-9), name

    data = lccge.synth(tmp_path / "synth", regions=3, sectors=2, seed=7)
    assert data == str(tmp_path / "synth")
    assert lccge.check(data) == []
    model = lccge.Model.load(data)
    assert len(model.sectors) == 3 * 2 * 2 + 3 + 1  # Y and A per region and sector, W per region, transport T
    result = model.solve("tariff_removal")
    assert result.converged and result.walras_residual < 1e-9
    with pytest.raises(lccge.InputError, match="regions"):
        lccge.synth(tmp_path / "none", regions=0)


def test_emission_accounts():
    model = lccge.Model.load(SAM2X3)
    factors, grid, stages = (EMISSIONS / f for f in ("emission_factors.csv", "grid_intensity.csv", "stages.csv"))
    benchmark = model.solve("benchmark")
    accounts = lccge.emissions(model, benchmark, factors=factors, grid=grid, stages=stages)
    # By hand (examples/sam2x3_emissions/README.md): factor x benchmark output per region and sector.
    by_hand = {
        ("north", "agr"): 39.5,
        ("north", "man"): 105.0,
        ("north", "ser"): 16.5,
        ("south", "agr"): 75.2,
        ("south", "man"): 99.0,
        ("south", "ser"): 23.1,
    }
    direct = {(a["region"], a["sector"]): a["direct"] for a in accounts.activities if a["direct"] > 0}
    assert direct.keys() == by_hand.keys()
    for key, value in by_hand.items():
        assert direct[key] == pytest.approx(value, rel=1e-9)
    assert accounts.total_direct == pytest.approx(358.3, rel=1e-9)
    # Conservation: what final demand embodies is what the activities emit.
    assert accounts.total_embodied == pytest.approx(accounts.total_direct, rel=1e-9)
    assert accounts.conservation_gap < 1e-9
    assert sum(f["embodied"] for f in accounts.final_demand) == pytest.approx(358.3, rel=1e-9)
    assert {s["stage"] for s in accounts.stages} == {"primary", "manufacturing", "services"}
    assert sum(s["emission_share"] for s in accounts.stages) == pytest.approx(1.0, rel=1e-12)

    # After the shock, direct emissions move with the activity levels.
    shocked = model.solve("tariff_removal")
    after = lccge.emissions(model, shocked, factors=factors, grid=grid)
    assert after.stages == []
    for a in after.activities:
        if a["direct"] > 0:
            level = shocked.values[a["activity"]]
            assert a["direct"] == pytest.approx(by_hand[(a["region"], a["sector"])] * level, rel=1e-9)
    assert after.conservation_gap < 1e-9
    assert not math.isclose(after.total_direct, accounts.total_direct, rel_tol=1e-6)


def test_emission_errors(tmp_path):
    model = lccge.Model.load(SAM2X3)
    result = model.solve("benchmark")
    with pytest.raises(lccge.FileError, match="no_such_grid.csv"):
        lccge.emissions(model, result, factors=EMISSIONS / "emission_factors.csv", grid=tmp_path / "no_such_grid.csv")
    bad = tmp_path / "grid.csv"
    bad.write_text("region,value,unit\nnorth,0.3,kg CO2e/kWh\nsouth,-1,kg CO2e/kWh\n")
    with pytest.raises(lccge.InputError) as caught:
        lccge.emissions(model, result, factors=EMISSIONS / "emission_factors.csv", grid=bad)
    assert caught.value.file == str(bad) and caught.value.line == 3
    other = lccge.Model.load(SOURCE_DIR / "test" / "data" / "models" / "twobytwo_ces.json").solve()
    with pytest.raises(lccge.InputError, match="a result of another model"):
        lccge.emissions(model, other, factors=EMISSIONS / "emission_factors.csv", grid=EMISSIONS / "grid_intensity.csv")
