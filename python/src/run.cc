// The battery scenario runs to 2060 (lccge.run, in lccge/__init__.py, over _run here): lccge::battery::RunScenarios,
// the loop `lccge run` uses, with the GIL released while it runs, and its IAMC table returned as columns.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <exception>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "lccge/battery/dynamics.hpp"
#include "lccge/scenario/iamc.hpp"

namespace lccge::python {
namespace {

// Thrown out of the progress callback to stop a run when Python raised (an exception of the callback, or
// KeyboardInterrupt); the Python exception itself is kept and raised once the run has unwound.
struct Interrupted {};

py::tuple Run(const std::vector<std::string>& scenario_files, const std::string& data_dir, int first_year,
              int last_year, int step, const py::object& progress) {
  battery::DynamicOptions options;
  options.first_year = first_year;
  options.last_year = last_year;
  options.step = step;
  if (std::string why; !options.IsValid(&why)) ThrowInvalid("invalid years or step: " + why);
  std::exception_ptr python_error;
  // After each year: Ctrl-C is seen here (the interpreter's signal handlers run only with the GIL), and the
  // progress callback, if any, is called with the GIL taken back.
  const battery::ProgressFn each_year = [&](const std::string& scenario, int year, int done, int total) {
    py::gil_scoped_acquire acquire;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress.is_none()) progress(scenario, year, done, total);
    } catch (...) {
      python_error = std::current_exception();
      throw Interrupted{};
    }
  };
  scenario::IamcTable table;
  Diagnostics diagnostics;
  Status s;
  {
    py::gil_scoped_release release;
    try {
      s = battery::RunScenarios(data_dir, scenario_files, options, each_year, nullptr, &table, &diagnostics);
    } catch (const Interrupted&) {
    }
  }
  if (python_error) std::rethrow_exception(python_error);
  ThrowIfError(s, &diagnostics);

  const std::vector<int> years = table.Years();
  const size_t rows = table.num_rows();
  std::vector<std::string> model(rows), scenario(rows), region(rows), variable(rows), unit(rows);
  py::array_t<double> values({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(years.size())});
  auto cells = values.mutable_unchecked<2>();
  for (size_t i = 0; i < rows; ++i) {
    const scenario::IamcTable::Row& row = table.row(i);
    model[i] = row.model;
    scenario[i] = row.scenario;
    region[i] = row.region;
    variable[i] = row.variable;
    unit[i] = row.unit;
    for (size_t j = 0; j < years.size(); ++j) {
      const auto it = row.values.find(years[j]);
      cells(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(j)) =
          it != row.values.end() ? it->second : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return py::make_tuple(model, scenario, region, variable, unit, years, values);
}

}  // namespace

void BindRun(py::module_& m) {
  m.def("_run", &Run, py::arg("scenario_files"), py::arg("data_dir"), py::arg("first_year"), py::arg("last_year"),
        py::arg("step"), py::arg("progress"),
        "_run(scenario_files, data_dir, first_year, last_year, step, progress) -> (models, scenarios, regions, "
        "variables, units, years, values)\n\n"
        "The battery scenario runs behind lccge.run (use that): the IAMC table as five lists of strings, the years "
        "and a 2-D float64 array (rows x years; NaN where a row has no value). The GIL is released while it runs; "
        "progress(scenario, year, done, total), if not None, is called after each year with the GIL held, and an "
        "exception it raises (or Ctrl-C) stops the run and is raised.");
}

}  // namespace lccge::python
