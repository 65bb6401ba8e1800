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
Errors (each with the library's message "file:line: cause" and attributes file, line, cause, code, problems):
    Error                  every error lccge raises
    InputError             invalid input (also a ValueError)
    FileError              a file that cannot be read or written (also an OSError)

The compiled code releases the GIL while it solves, builds, checks or computes accounts. Documentation:
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
    "Error",
    "InputError",
    "FileError",
]

# The compiled classes are documented as lccge.X, where users find them.
for _name in __all__:
    _object = globals()[_name]
    if isinstance(_object, type):
        _object.__module__ = __name__
del _name, _object

# Extension point: the battery scenario runs to 2060 (lccge run) are not bound yet. They will be a function here,
#     run(scenarios=None, data=None, years=(2023, 2060), step=1, wide=False, progress=None) -> pandas.DataFrame
# returning the IAMC table (Model, Scenario, Region, Variable, Unit, Year, value in long form; one column per year
# when wide), over a binding of the library's scenario runner in python/src/run.cc (docs/bindings.md, "Extension
# points").
