"""The battery scenario runs through Python (lccge.run): a short run equals `lccge run`'s IAMC file number for number,
the long and wide forms hold the same values, progress is reported per year, broken inputs raise with file and line,
and a battery data folder is checked as `lccge check` checks it."""

import csv
import os
import shutil
import subprocess
import threading
import time

import numpy as np
import pytest

import lccge

from conftest import SOURCE_DIR

BATTERY = SOURCE_DIR / "data" / "battery"
BASELINE = BATTERY / "scenarios" / "baseline.yaml"
KEYS = ["Model", "Scenario", "Region", "Variable", "Unit"]


@pytest.fixture(scope="module")
def short_run():
    """The baseline scenario file from 2023 to 2025, in the wide form."""
    return lccge.run(BASELINE, data=BATTERY, years=(2023, 2025), wide=True)


def test_short_run_equals_the_command_line(short_run, tmp_path):
    cli = os.environ.get("LCCGE_CLI")
    if not cli or not os.path.exists(cli):
        pytest.skip("LCCGE_CLI (the built lccge program) is not set")
    out = tmp_path / "out"
    done = subprocess.run([cli, "run", str(BASELINE), "--data", str(BATTERY), "--years", "2023:2025", "--no-shocks",
                           "--no-figures", "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with open(out / "iamc.csv", newline="") as f:
        rows = list(csv.reader(f))
    # The CSV's numbers are written in the shortest form that reads back to the same double: compare exactly.
    assert rows[0] == KEYS + ["2023", "2024", "2025"]
    assert list(short_run.columns) == KEYS + [2023, 2024, 2025]
    assert len(short_run) == len(rows) - 1 > 50
    for i, row in enumerate(rows[1:]):
        assert list(short_run.iloc[i, :5]) == row[:5]
        for j, text in enumerate(row[5:]):
            value = short_run.iat[i, 5 + j]
            if text == "":
                assert np.isnan(value), (row[:5], j)
            else:
                assert value == float(text), (row[:5], j)


def test_independent_checks(short_run):
    # The base year replicates the paper's stage shares, the calibration targets (Zhai et al. 2025: cathode 42.56 %
    # of the chain's value added and 34.82 % of its emissions); World's emissions are the sum of the regions'.
    world = short_run[short_run.Region == "World"].set_index("Variable")
    va = world.loc["Value Added|Battery Supply Chain", 2023]
    em = world.loc["Emissions|CO2e|Battery Supply Chain", 2023]
    assert 100 * world.loc["Value Added|Battery Supply Chain|Cathode", 2023] / va == pytest.approx(42.56, abs=0.1)
    assert 100 * world.loc["Emissions|CO2e|Battery Supply Chain|Cathode", 2023] / em == pytest.approx(34.82, abs=0.1)
    emissions = short_run[short_run.Variable == "Emissions|CO2e|Battery Supply Chain"]
    regions = emissions[emissions.Region != "World"]
    assert len(regions) == 10
    for year in (2023, 2024, 2025):
        assert regions[year].sum() == pytest.approx(world.loc["Emissions|CO2e|Battery Supply Chain", year], rel=1e-12)
    assert set(short_run.Scenario) == {"Baseline"}
    assert set(short_run.Model) == {"lccge"}


def test_long_form_holds_the_same_values(short_run):
    long = lccge.run(str(BASELINE), data=str(BATTERY), years=(2023, 2025))
    assert list(long.columns) == KEYS + ["Year", "Value"]
    assert long.Year.dtype.kind == "i" and long.Value.dtype == np.float64
    assert sorted(set(long.Year)) == [2023, 2024, 2025]
    assert len(long) == int(short_run[[2023, 2024, 2025]].notna().to_numpy().sum())
    wide = long.pivot_table(index=KEYS, columns="Year", values="Value", aggfunc="first")
    expected = short_run.set_index(KEYS)[[2023, 2024, 2025]]
    np.testing.assert_array_equal(wide.loc[expected.index].to_numpy(), expected.to_numpy())


def test_step_and_progress():
    calls = []
    table = lccge.run([BASELINE], data=BATTERY, years=(2023, 2033), step=5, wide=True,
                      progress=lambda *args: calls.append(args))
    assert list(table.columns[5:]) == [2023, 2028, 2033]
    assert calls == [("Baseline", 2023, 1, 3), ("Baseline", 2028, 2, 3), ("Baseline", 2033, 3, 3)]


def test_an_exception_in_progress_stops_the_run():
    class Stop(Exception):
        pass

    calls = []

    def progress(scenario, year, done, total):
        calls.append(year)
        raise Stop(f"stopped at {year}")

    with pytest.raises(Stop, match="stopped at 2023"):
        lccge.run(BASELINE, data=BATTERY, years=(2023, 2030), progress=progress)
    assert calls == [2023]


def test_ctrl_c_stops_the_run():
    # SIGINT while the compiled code runs (no Python code running, no progress callback): the run stops at the end of
    # the year and the handler's exception is raised (Python's default handler raises KeyboardInterrupt).
    import signal

    class Interrupted(Exception):
        pass

    def handler(signum, frame):
        raise Interrupted()

    previous = signal.signal(signal.SIGINT, handler)
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    try:
        start = time.monotonic()
        timer.start()
        with pytest.raises(Interrupted):
            lccge.run(data=BATTERY)  # the six bundled scenarios to 2060: far longer than 0.5 s
        assert time.monotonic() - start < 5
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)


def test_the_gil_is_released_while_it_runs():
    ticks = []
    finished = threading.Event()

    def count():
        while not finished.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        start = time.monotonic()
        lccge.run(BASELINE, data=BATTERY, years=(2023, 2026))
        seconds = time.monotonic() - start
    finally:
        finished.set()
        counter.join()
    # The other thread kept running while the years were solved (about one tick per millisecond).
    assert len(ticks) > 0.2 * seconds * 1000


def test_a_broken_scenario_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nlevers:\n  collection_rate:\n    - {region: EU, path: {2030: 1.2}, source: s}\n")
    with pytest.raises(lccge.InputError) as raised:
        lccge.run([BASELINE, bad], data=BATTERY, years=(2023, 2025))
    error = raised.value
    assert error.file == str(bad)
    assert error.line == 4
    assert "value 1.2 in 2030 is not a collection rate" in error.cause
    assert str(error).startswith(f"{bad}:4: ")
    assert isinstance(error, ValueError)


def test_the_bundled_data_folder_by_default(short_run):
    table = lccge.run(BASELINE, years=(2023, 2024), wide=True)
    assert list(table.iloc[:, :5].itertuples(index=False)) == list(short_run.iloc[:, :5].itertuples(index=False))
    np.testing.assert_array_equal(table[[2023, 2024]].to_numpy(), short_run[[2023, 2024]].to_numpy())


def test_invalid_arguments(tmp_path):
    with pytest.raises(lccge.InputError, match="base year 2023"):
        lccge.run(BASELINE, data=BATTERY, years=(2030, 2040))
    with pytest.raises(lccge.InputError, match="the last year is before the first"):
        lccge.run(BASELINE, data=BATTERY, years=(2023, 2020))
    with pytest.raises(lccge.InputError, match="step must be at least one year"):
        lccge.run(BASELINE, data=BATTERY, years=(2023, 2025), step=0)
    with pytest.raises(lccge.InputError, match="years must be"):
        lccge.run(BASELINE, data=BATTERY, years=2030)
    with pytest.raises(lccge.InputError, match="empty list"):
        lccge.run([], data=BATTERY)
    with pytest.raises(TypeError, match="progress must be"):
        lccge.run(BASELINE, data=BATTERY, progress=3)
    with pytest.raises(lccge.InputError, match="two scenarios named 'Baseline'"):
        lccge.run([BASELINE, BASELINE], data=BATTERY, years=(2023, 2025))
    with pytest.raises(lccge.FileError) as raised:
        lccge.run(tmp_path / "missing.yaml", data=BATTERY)
    assert "missing.yaml" in str(raised.value)


def broken_battery_folder(tmp_path):
    """A copy of the bundled battery data folder with an unknown stage on line 4 of sectors.csv."""
    folder = tmp_path / "battery"
    shutil.copytree(BATTERY, folder)
    sectors = (folder / "sectors.csv").read_text().splitlines(keepends=True)
    assert sectors[3].startswith("li_mine,Mining,")
    sectors[3] = sectors[3].replace("li_mine,Mining,", "li_mine,Minning,")
    (folder / "sectors.csv").write_text("".join(sectors))
    return folder


def test_a_broken_battery_data_folder(tmp_path):
    folder = broken_battery_folder(tmp_path)
    # lccge.check lists the problems of the battery files too (as `lccge check` does), with file and line.
    assert lccge.check(BATTERY) == []
    problems = lccge.check(folder)
    assert [(p.file, p.line) for p in problems][:1] == [(str(folder / "sectors.csv"), 4)]
    # A run stops before any solve, naming the same problem.
    with pytest.raises(lccge.InputError) as raised:
        lccge.run(BASELINE, data=folder, years=(2023, 2025))
    assert raised.value.file == str(folder / "sectors.csv")
    assert raised.value.line == 4
    assert "Minning" in str(raised.value)


def test_model_load_on_a_battery_folder_gives_its_base_year_model():
    # Model.load builds the standard multi-region model of the folder's SAM (without the battery levers), which
    # replicates its benchmark; the runs to 2060 are lccge.run's.
    result = lccge.Model.load(BATTERY).solve("benchmark")
    assert result.converged
    assert result.iterations == 0
