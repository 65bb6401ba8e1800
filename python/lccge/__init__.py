"""lccge: computable general equilibrium (CGE) models with life-cycle emission accounts.

Load a model file or a data folder, or build a model in Python; set parameters, pick a scenario, solve; read the
status, the summary figures, the values (dict, numpy array, pandas DataFrame) and the reports; check, calibrate and
synthesise multi-region data; compute the emission accounts of an equilibrium.

    import lccge
    model = lccge.Model.load("test/data/models/twobytwo_ces.json")
    result = model.solve("labor_plus10pct_PX_numeraire", parameters={"endow": 1.2})
    print(result.status, result.iterations, result.max_residual)
    print(result.values["X"], result.array, result.names)

Models and solving:
    Model                  load (Model.load), build (add_sector, add_production, add_demand, ...), solve
    Flow, Nest, Tax, Endowment, Scenario   the parts of a model built in Python
    Result                 what Model.solve returns: status, iterations, max_residual, values, array, reports
Data and emissions:
    check(path)            every problem in a model file or data folder (lccge.Problem objects)
    build(data_dir)        the standard multi-region model of a data folder
    synth(out_dir, ...)    a synthetic balanced data folder
    emissions(model, result, factors, grid)   life-cycle emission accounts (lccge.EmissionAccounts)
Scenario runs to 2060:
    run(scenarios=None, data=None, years=(2023, 2060), ...)   battery scenario files run year after year, as
                           `lccge run` does; the IAMC table as a pandas DataFrame
Errors (each with the library's message "file:line: cause" and attributes file, line, cause, code, problems):
    Error                  every error lccge raises
    InputError             invalid input (also a ValueError)
    FileError              a file that cannot be read or written (also an OSError)

The compiled code releases the GIL while it solves, builds, checks, computes accounts or runs scenarios. Documentation:
docs/bindings.md in the lccge sources.
"""

from ._errors import Error, FileError, InputError
from ._lccge import (
    EmissionAccounts,
    Endowment,
    Flow,
    Model,
    Nest,
    Problem,
    Result,
    Scenario,
    Tax,
    __version__,
    build,
    check,
    emissions,
    synth,
)

__all__ = [
    "Model",
    "Flow",
    "Nest",
    "Tax",
    "Endowment",
    "Scenario",
    "Result",
    "Problem",
    "EmissionAccounts",
    "check",
    "build",
    "synth",
    "emissions",
    "run",
    "Error",
    "InputError",
    "FileError",
]


def run(scenarios=None, data=None, years=(2023, 2060), step=1, wide=False, progress=None):
    """Runs battery scenario files to 2060 and returns the results as an IAMC table (a pandas DataFrame).

    The loop of `lccge run` (docs/battery.md): every year from the base year is solved, warm-started from the last,
    with the recursive dynamics and the battery stock-flow (docs/dynamics.md), and reported in the IAMC variables of
    docs/battery.md. The data folder and every scenario file are read and checked before anything is solved.

    Args:
        scenarios: a scenario file (YAML, docs/battery-scenarios.md) or a list of them, run in order; None: the six
            bundled scenarios (Baseline, Recycling, Technology cooperation, Open trade, Tailored circular economy,
            Combined). Exactly these run (`lccge run` also adds the Baseline, and the base year's policy shocks).
        data: the battery data folder; None: the bundled one ($LCCGE_DATA_DIR/battery when that variable is set).
        years: (first, last); first must be the data's base year, 2023.
        step: years between solves (the last year is always solved).
        wide: False: long form, one row per value, columns Model, Scenario, Region, Variable, Unit, Year, Value
            (missing values left out); True: the IAMC layout, Model, Scenario, Region, Variable, Unit and one column
            per year (int labels; NaN where a row has no value).
        progress: None, or a function progress(scenario, year, done, total) called after each year (done and total
            count the scenario's years). An exception it raises stops the run and is raised; so does Ctrl-C.

    The GIL is released while the run solves. Raises lccge.InputError (a problem in the data folder or a scenario
    file, with its file, line and cause), lccge.FileError (a file that cannot be read) or lccge.Error with code
    "failed" (a year that did not converge: the message names the scenario, the year and the reason).

        table = lccge.run("my-scenario.yaml", years=(2023, 2030))
        table[table.Variable == "Emissions|CO2e|Battery Supply Chain"]
    """
    import os

    import pandas

    from ._lccge import _run

    if scenarios is None:
        files = []
    elif isinstance(scenarios, (str, bytes, os.PathLike)):
        files = [os.fsdecode(scenarios)]
    else:
        files = [os.fsdecode(f) for f in scenarios]
        if not files:
            raise InputError("scenarios is an empty list: give scenario files, or None for the six bundled ones",
                             cause="scenarios is an empty list", code="invalid_input")
    data_dir = "" if data is None else os.fsdecode(data)
    try:
        first, last = (int(y) for y in years)
    except (TypeError, ValueError):
        raise InputError(f"years must be (first, last), e.g. (2023, 2060), not {years!r}",
                         cause="years must be (first, last)", code="invalid_input") from None
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function progress(scenario, year, done, total) or None, not "
                        f"{type(progress).__name__}")
    model, scenario, region, variable, unit, year_list, values = _run(files, data_dir, first, last, int(step),
                                                                      progress)
    keys = pandas.DataFrame({"Model": model, "Scenario": scenario, "Region": region, "Variable": variable,
                             "Unit": unit})
    if wide:
        return pandas.concat([keys, pandas.DataFrame(values, columns=year_list)], axis=1)
    long = keys.loc[keys.index.repeat(len(year_list))].reset_index(drop=True)
    long["Year"] = year_list * len(model)
    long["Value"] = values.reshape(-1)
    return long[long["Value"].notna()].reset_index(drop=True)


# The compiled classes are documented as lccge.X, where users find them.
for _name in __all__:
    _object = globals()[_name]
    if isinstance(_object, type):
        _object.__module__ = __name__
del _name, _object
