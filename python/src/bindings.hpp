// Shared by the translation units of the Python module lccge._lccge: errors, expressions, and the functions that
// add each part of the module. The bindings are split over three files (the module and its errors; models and
// solving; data and emission accounts) so that pybind11's templates compile in a few units, two at a time.
#pragma once

#include <pybind11/pybind11.h>

#include <map>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/model/expression.hpp"
#include "lccge/model/model.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::python {

namespace py = pybind11;

// A non-ok Status on its way to Python: the module's translator raises it as lccge.Error, lccge.InputError (also a
// ValueError) or lccge.FileError (also an OSError), with the attributes file, line, cause, code and problems.
struct StatusError {
  Status status;
  std::vector<Status> problems;  // every problem found, when there were several (the status is the first)
};

// The outcome of Model.solve (lccge.Result): the summary, the scenario solved, the values with their names.
struct Result {
  Solver::Summary summary;
  Scenario scenario;
  std::vector<std::string> names;
  std::vector<VariableKind> kinds;
  std::vector<double> values;
  std::map<std::string, double> reports;
};

// Throws StatusError unless `status` is ok.
void ThrowIfError(const Status& status, const Diagnostics* diagnostics = nullptr);
// Throws an InputError with `cause`.
[[noreturn]] void ThrowInvalid(const std::string& cause);

// A path given as str or os.PathLike.
std::string PathOf(py::handle path);
// A number (int or float) or the text of an expression ("70*endow"); `what` names the value in errors.
Expression ToExpression(py::handle value, const std::string& what);
// A constant expression as a float, any other as its text.
py::object FromExpression(const Expression& expression);

void BindModel(py::module_& m);    // model.cc: Model, its parts, Scenario, Result, solving
void BindDataLca(py::module_& m);  // data_lca.cc: check, build, synth, emission accounts

}  // namespace lccge::python
