// The module lccge._lccge: its docstring, the translation of library errors into Python exceptions, expressions, and
// the Problem type; the rest is added by BindModel (model.cc) and BindDataLca (data_lca.cc).
#include <exception>
#include <string>

#include "bindings.hpp"

namespace lccge::python {

void ThrowIfError(const Status& status, const Diagnostics* diagnostics) {
  if (status.ok()) return;
  StatusError error{status, {}};
  if (diagnostics != nullptr && diagnostics->problems().size() > 1) error.problems = diagnostics->problems();
  throw error;
}

void ThrowInvalid(const std::string& cause) { throw StatusError{Status::Invalid(cause), {}}; }

std::string PathOf(py::handle path) { return py::module_::import("os").attr("fspath")(path).cast<std::string>(); }

Expression ToExpression(py::handle value, const std::string& what) {
  if (py::isinstance<py::str>(value)) {
    Expression expression;
    const Status s = Expression::Parse(value.cast<std::string>(), SourceLocation{}, &expression);
    if (!s.ok()) ThrowInvalid(what + ": " + s.cause());
    return expression;
  }
  if (!py::isinstance<py::bool_>(value)) {
    try {
      return Expression(value.cast<double>());  // int, float, numpy scalars: anything with __float__
    } catch (const py::cast_error&) {
    }
  }
  ThrowInvalid(what + " must be a number or the text of an expression, not " +
               std::string(py::str(py::type::of(value).attr("__name__"))));
}

py::object FromExpression(const Expression& expression) {
  if (expression.is_constant()) return py::float_(expression.constant_value());
  return py::str(expression.text());
}

namespace {

const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidInput:
      return "invalid_input";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kFailed:
      return "failed";
    case StatusCode::kInternal:
      return "internal";
  }
  return "internal";
}

// Raises the Python exception for `error` (the classes are in lccge/_errors.py).
void Raise(const StatusError& error) {
  const Status& s = error.status;
  const char* kind = s.code() == StatusCode::kInvalidInput ? "InputError"
                     : s.code() == StatusCode::kIoError    ? "FileError"
                                                           : "Error";
  py::object type = py::module_::import("lccge._errors").attr(kind);
  py::list problems;
  for (const Status& p : error.problems) problems.append(py::cast(p));
  py::object exception =
      type(s.ToString(), py::arg("file") = s.where().file, py::arg("line") = s.where().line,
           py::arg("cause") = s.cause(), py::arg("code") = CodeName(s.code()), py::arg("problems") = problems);
  PyErr_SetObject(type.ptr(), exception.ptr());
}

}  // namespace

}  // namespace lccge::python

PYBIND11_MODULE(_lccge, m) {
  namespace py = pybind11;
  using namespace lccge::python;
  m.doc() = "The compiled part of the lccge package (import lccge instead).";
  m.attr("__version__") = LCCGE_VERSION_STRING;
  // Every docstring starts with the function's signature as Python users write it (pybind11's own would show C++
  // types, such as `handle` for "a number or an expression").
  py::options options;
  options.disable_function_signatures();

  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const StatusError& error) {
      Raise(error);
    }
  });

  py::class_<lccge::Status>(m, "Problem",
                            "One problem found in a model file or data folder (lccge.check lists them all).")
      .def_property_readonly(
          "code", [](const lccge::Status& s) { return CodeName(s.code()); },
          "\"invalid_input\", \"io_error\", \"failed\" or \"internal\".")
      .def_property_readonly(
          "file", [](const lccge::Status& s) { return s.where().file; }, "The file it is in (\"\" when none).")
      .def_property_readonly(
          "line", [](const lccge::Status& s) { return s.where().line; }, "Its 1-based line (0 when unknown).")
      .def_property_readonly("cause", &lccge::Status::cause, "What is wrong.")
      .def("__str__", &lccge::Status::ToString, "__str__() -> str\n\n\"file:line: cause\".")
      .def("__repr__", [](const lccge::Status& s) { return "<lccge.Problem " + s.ToString() + ">"; });

  BindModel(m);
  BindDataLca(m);
}
