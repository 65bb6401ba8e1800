"""Errors raise Python exceptions with the library's message: file, line and cause."""

import pytest

import lccge

from conftest import MODELS

BAD_MODEL = """\
name: bad
sectors: [X]
commodities: [PX, PL]
consumers: [RA]
productions:
  - sector: X
    outputs: [{commodity: PX, quantity: 1}]
    inputs: [{commodity: PZ, quantity: 1}]
demands:
  - consumer: RA
    final_demands: [{commodity: PX, quantity: 1}]
    endowments: [{commodity: PL, quantity: 1}, {commodity: PQ, quantity: 1}]
"""


def test_exception_classes():
    assert issubclass(lccge.Error, Exception)
    assert issubclass(lccge.InputError, lccge.Error) and issubclass(lccge.InputError, ValueError)
    assert issubclass(lccge.FileError, lccge.Error) and issubclass(lccge.FileError, OSError)


def test_bad_file_names_file_line_and_cause(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_MODEL)
    with pytest.raises(lccge.InputError) as caught:
        lccge.Model.load(path)
    error = caught.value
    assert str(error) == f"{path}:8: sector 'X' input: unknown commodity 'PZ'"
    assert error.file == str(path)
    assert error.line == 8
    assert error.cause == "sector 'X' input: unknown commodity 'PZ'"
    assert error.code == "invalid_input"
    # Both problems are listed; the message names the first.
    assert [(p.line, p.cause) for p in error.problems] == [
        (8, "sector 'X' input: unknown commodity 'PZ'"),
        (12, "consumer 'RA' endowment: unknown commodity 'PQ'"),
    ]
    # lccge.check lists the same problems without raising.
    problems = lccge.check(path)
    assert [str(p) for p in problems] == [str(p) for p in error.problems]
    assert problems[0].file == str(path) and problems[0].code == "invalid_input"
    assert repr(problems[0]).startswith("<lccge.Problem ")


def test_missing_file():
    with pytest.raises(lccge.FileError) as caught:
        lccge.Model.load("no/such/model.yaml")
    assert caught.value.file == "no/such/model.yaml"
    assert caught.value.code == "io_error"
    assert "no/such/model.yaml" in str(caught.value)
    with pytest.raises(OSError):
        lccge.Model.load("no/such/model.yaml")


def test_unknown_names():
    model = lccge.Model.load(MODELS / "twobytwo_ces.json")
    with pytest.raises(lccge.InputError, match="no scenario named 'nope'"):
        model.solve("nope")
    with pytest.raises(lccge.InputError, match="no scenario named 'nope'"):
        model.scenario("nope")
    with pytest.raises(lccge.InputError, match="unknown parameter 'nope'"):
        model.solve("benchmark", parameters={"nope": 1.0})
    with pytest.raises(lccge.InputError, match="unknown variable 'QX'"):
        model.solve("benchmark", fixed={"QX": 1.0})
    result = model.solve("benchmark")
    with pytest.raises(KeyError):
        result.values["QX"]


def test_invalid_options():
    model = lccge.Model.load(MODELS / "twobytwo_ces.json")
    with pytest.raises(ValueError, match="method must be"):
        model.solve(method="magic")
    with pytest.raises(lccge.InputError, match="tolerance must be positive"):
        model.solve(tolerance=-1)
    with pytest.raises(lccge.InputError, match="warm start has 2 values, the model has 9 variables"):
        model.solve(warm_start=[1.0, 2.0])
    with pytest.raises(lccge.InputError, match="warm_start must be an lccge.Result or a list of numbers"):
        model.solve(warm_start="hot")
    with pytest.raises(lccge.InputError, match="parameters must be a dict of names and numbers, not {'endow': 'high'}"):
        model.solve(parameters={"endow": "high"})
    with pytest.raises(lccge.InputError, match="scenario must be None, a scenario's name or an lccge.Scenario, not 3"):
        model.solve(3)


def test_building_errors():
    m = lccge.Model("broken")
    m.add_sector("X")
    m.add_commodity("PX")
    with pytest.raises(lccge.InputError, match=r"^sector 'X' output quantity of 'PX': malformed expression '2\*'"):
        m.add_production("X", outputs=[("PX", "2*")], inputs=[])
    with pytest.raises(lccge.InputError, match="must be a number or the text of an expression, not list"):
        m.add_production("X", outputs=[("PX", [1])], inputs=[])
    with pytest.raises(lccge.InputError, match=r"expected an lccge.Flow or a \(commodity, quantity\) pair"):
        m.add_production("X", outputs=["PX"], inputs=[])
    m.add_production("X", outputs=[("PX", 1)], inputs=[("PL", 1)])
    with pytest.raises(lccge.InputError) as caught:
        m.finalize()
    assert "unknown commodity 'PL'" in str(caught.value)
    assert not m.finalized


def test_finalized_model_cannot_change():
    model = lccge.Model.load(MODELS / "twobytwo_ces.json")
    assert model.finalized
    with pytest.raises(lccge.InputError, match="is finalized"):
        model.add_sector("Z")
    with pytest.raises(lccge.InputError, match="is finalized"):
        model.name = "other"
    assert model.name == "twobytwo_ces"


def test_data_folder_errors(tmp_path):
    (tmp_path / "accounts.csv").write_text(
        "account,class,sector\na_x,activity,x\nc_x,commodity,x\nlab,labour,\nhh,household,\n"
        "inv,investment,\nworld,world,\n"
    )
    (tmp_path / "sam.csv").write_text(
        "region,row,column,value\np,lab,a_x,10\np,a_x,c_x,10\np,c_x,hh,ten\np,hh,lab,10\np,world,c_x,nan\n"
    )
    with pytest.raises(lccge.InputError) as caught:
        lccge.Model.load(tmp_path)
    error = caught.value
    assert error.file == str(tmp_path / "sam.csv") and error.line == 4
    assert error.cause.startswith("column 'value': 'ten' is not a number (and 1 more problem in the data folder")
    assert [p.line for p in error.problems] == [4, 6]
    with pytest.raises(lccge.InputError) as again:
        lccge.build(tmp_path)
    assert str(again.value) == str(error)
    assert [p.line for p in lccge.check(tmp_path)] == [4, 6]
