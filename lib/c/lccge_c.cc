// The C API (include/lccge/c/lccge.h) over the C++ library. Every entry point runs its body through Guard, which
// clears the thread's last error, turns an lccge::Status into a status code and a message, and catches every
// exception: nothing but a status code leaves this file.
#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lccge/c/lccge.h"
#include "lccge/core/name_index.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/model/model.hpp"
#include "lccge/solve/solver.hpp"

// The handles: plain C++ objects behind the C names.
struct lccge_model {
  lccge::Model model;
  lccge::Scenario scenario;  // the current scenario: a copy of one of the model's, changed by set_parameter/fix
};

struct lccge_options {
  lccge::Solver::Options options;
};

struct lccge_result {
  lccge::Solver::Summary summary;
  std::string scenario;
  std::string brief_report;
  std::vector<std::string> names;    // variable names, in the order of values
  lccge::internal::NameIndex index;  // into names
  std::vector<double> values;
  std::map<std::string, double> reports;

  auto NameOf() const {
    return [this](int i) -> const std::string& { return names[static_cast<size_t>(i)]; };
  }
};

namespace lccge::internal {
namespace {

thread_local std::string last_error;

// An error of the C layer itself: a status code and its message.
struct CError {
  int code;
  std::string message;
};

// Records the message of a failed call, "function: message" (or just the message when function is null). Never
// throws: with no memory left for it, the message stays empty.
int Fail(int code, const char* function, std::string_view message) noexcept {
  try {
    last_error.clear();
    if (function != nullptr) last_error.append(function).append(": ");
    last_error.append(message);
  } catch (...) {
    last_error.clear();
  }
  return code;
}

int CodeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return LCCGE_OK;
    case StatusCode::kInvalidInput:
      return LCCGE_ERROR_INVALID_INPUT;
    case StatusCode::kIoError:
      return LCCGE_ERROR_IO;
    case StatusCode::kFailed:
      return LCCGE_ERROR_FAILED;
    case StatusCode::kInternal:
      return LCCGE_ERROR_INTERNAL;
  }
  return LCCGE_ERROR_INTERNAL;
}

// Runs `body` (which returns a Status, or throws CError for an error of the C layer) with the error handling every
// entry point needs.
template <typename Body>
int Guard(const char* function, Body&& body) noexcept {
  try {
    last_error.clear();
    const Status status = body();
    if (status.ok()) return LCCGE_OK;
    return Fail(CodeOf(status.code()), nullptr, status.ToString());
  } catch (const CError& e) {
    return Fail(e.code, function, e.message);
  } catch (const std::bad_alloc&) {
    return Fail(LCCGE_ERROR_INTERNAL, function, "out of memory");
  } catch (const std::exception& e) {
    return Fail(LCCGE_ERROR_INTERNAL, function, e.what());
  } catch (...) {
    return Fail(LCCGE_ERROR_INTERNAL, function, "internal error (an unknown exception)");
  }
}

// Throws LCCGE_ERROR_NULL unless `pointer` is set; `what` names the argument.
template <typename T>
void Require(const T* pointer, const char* what) {
  if (pointer == nullptr) throw CError{LCCGE_ERROR_NULL, std::string(what) + " is NULL"};
}

void RequireIndex(size_t index, size_t count, const char* what) {
  if (index >= count) {
    throw CError{LCCGE_ERROR_RANGE, std::string(what) + " index " + std::to_string(index) + " is past the end (" +
                                        std::to_string(count) + (count == 1 ? " entry)" : " entries)")};
  }
}

void RequireCapacity(size_t capacity, size_t count) {
  if (capacity < count) {
    throw CError{LCCGE_ERROR_RANGE,
                 "the arrays hold " + std::to_string(capacity) + " elements, " + std::to_string(count) + " are needed"};
  }
}

[[noreturn]] void NotFound(const char* what, const std::string& name) {
  throw CError{LCCGE_ERROR_NOT_FOUND, std::string("no ") + what + " named '" + name + "'"};
}

// Applies `change` to a copy of the options and keeps it if it is valid: an invalid value changes nothing.
template <typename Change>
Status SetOption(lccge_options* handle, Change&& change) {
  Require(handle, "options");
  Solver::Options changed = handle->options;
  change(&changed);
  std::string why;
  if (!changed.IsValid(&why)) return Status::Invalid("invalid solver option: " + why);
  handle->options = std::move(changed);
  return Status::Ok();
}

const char* HandleName(const lccge_model*) { return "model"; }
const char* HandleName(const lccge_result*) { return "result"; }

// Reads one field of a handle into `out`: what most entry points do.
template <typename Handle, typename T, typename Get>
int Read(const char* function, const Handle* handle, T* out, Get&& get) {
  return Guard(function, [&] {
    Require(handle, HandleName(handle));
    Require(out, "the output pointer");
    *out = get(*handle);
    return Status::Ok();
  });
}

// Entry `index` of `table`, or LCCGE_ERROR_RANGE naming `what`.
template <typename Table>
const auto& Entry(const Table& table, size_t index, const char* what) {
  RequireIndex(index, table.size(), what);
  return table[index];
}

lccge_variable_kind ToC(VariableKind kind) {
  switch (kind) {
    case VariableKind::kSector:
      return LCCGE_SECTOR;
    case VariableKind::kCommodity:
      return LCCGE_COMMODITY;
    case VariableKind::kConsumer:
      return LCCGE_CONSUMER;
    case VariableKind::kAuxiliary:
      break;
  }
  return LCCGE_AUXILIARY;
}

}  // namespace
}  // namespace lccge::internal

using lccge::Status;
using lccge::internal::CError;
using lccge::internal::Entry;
using lccge::internal::Guard;
using lccge::internal::NotFound;
using lccge::internal::Read;
using lccge::internal::Require;
using lccge::internal::RequireIndex;
using lccge::internal::SetOption;

// ---- the library ----

const char* lccge_version(void) { return LCCGE_VERSION_STRING; }

int lccge_c_api_version(void) { return LCCGE_C_API_VERSION; }

const char* lccge_status_string(int status) {
  switch (status) {
    case LCCGE_OK:
      return "ok";
    case LCCGE_ERROR_INVALID_INPUT:
      return "invalid input";
    case LCCGE_ERROR_IO:
      return "i/o error";
    case LCCGE_ERROR_FAILED:
      return "failed";
    case LCCGE_ERROR_INTERNAL:
      return "internal error";
    case LCCGE_ERROR_NULL:
      return "null argument";
    case LCCGE_ERROR_NOT_FOUND:
      return "not found";
    case LCCGE_ERROR_RANGE:
      return "out of range";
    default:
      return "unknown status";
  }
}

const char* lccge_last_error(void) { return lccge::internal::last_error.c_str(); }

// ---- models ----

int lccge_model_load(const char* path, lccge_model** model) {
  return Guard(__func__, [&] {
    Require(path, "path");
    Require(model, "model");
    auto loaded = std::make_unique<lccge_model>();
    Status s = lccge::io::LoadModelOrData(path, &loaded->model);
    if (!s.ok()) return s;
    if (!loaded->model.scenarios().empty()) loaded->scenario = loaded->model.scenarios().front();
    *model = loaded.release();
    return Status::Ok();
  });
}

int lccge_model_free(lccge_model* model) {
  delete model;
  return LCCGE_OK;
}

int lccge_model_name(const lccge_model* model, const char** name) {
  return Read(__func__, model, name, [](const lccge_model& m) { return m.model.name().c_str(); });
}

int lccge_model_variable_count(const lccge_model* model, size_t* count) {
  return Read(__func__, model, count, [](const lccge_model& m) { return m.model.variables().size(); });
}

int lccge_model_variable_name(const lccge_model* model, size_t index, const char** name) {
  return Read(__func__, model, name,
              [&](const lccge_model& m) { return Entry(m.model.variables(), index, "variable").name.c_str(); });
}

int lccge_model_variable_kind(const lccge_model* model, size_t index, lccge_variable_kind* kind) {
  return Read(__func__, model, kind, [&](const lccge_model& m) {
    return lccge::internal::ToC(Entry(m.model.variables(), index, "variable").kind);
  });
}

int lccge_model_variable_index(const lccge_model* model, const char* name, size_t* index) {
  return Guard(__func__, [&] {
    Require(model, "model");
    Require(name, "name");
    Require(index, "index");
    const int i = model->model.VariableIndex(name);
    if (i < 0) NotFound("variable", name);
    *index = static_cast<size_t>(i);
    return Status::Ok();
  });
}

int lccge_model_parameter_count(const lccge_model* model, size_t* count) {
  return Read(__func__, model, count, [](const lccge_model& m) { return m.model.parameters().size(); });
}

int lccge_model_parameter_name(const lccge_model* model, size_t index, const char** name) {
  return Read(__func__, model, name,
              [&](const lccge_model& m) { return Entry(m.model.parameters(), index, "parameter").first.c_str(); });
}

int lccge_model_get_parameter(const lccge_model* model, const char* name, double* value) {
  return Guard(__func__, [&] {
    Require(model, "model");
    Require(name, "name");
    Require(value, "value");
    const int i = model->model.ParameterIndex(name);
    if (i < 0) NotFound("parameter", name);
    const auto set = model->scenario.parameters.find(name);
    *value = set != model->scenario.parameters.end() ? set->second
                                                     : model->model.parameters()[static_cast<size_t>(i)].second;
    return Status::Ok();
  });
}

int lccge_model_set_parameter(lccge_model* model, const char* name, double value) {
  return Guard(__func__, [&] {
    Require(model, "model");
    Require(name, "name");
    if (model->model.ParameterIndex(name) < 0) NotFound("parameter", name);
    model->scenario.parameters[name] = value;
    return Status::Ok();
  });
}

int lccge_model_fix_variable(lccge_model* model, const char* name, double value) {
  return Guard(__func__, [&] {
    Require(model, "model");
    Require(name, "name");
    if (model->model.VariableIndex(name) < 0) NotFound("variable", name);
    model->scenario.fixed[name] = value;
    return Status::Ok();
  });
}

int lccge_model_scenario_count(const lccge_model* model, size_t* count) {
  return Read(__func__, model, count, [](const lccge_model& m) { return m.model.scenarios().size(); });
}

int lccge_model_scenario_name(const lccge_model* model, size_t index, const char** name) {
  return Read(__func__, model, name,
              [&](const lccge_model& m) { return Entry(m.model.scenarios(), index, "scenario").name.c_str(); });
}

int lccge_model_select_scenario(lccge_model* model, const char* name) {
  return Guard(__func__, [&] {
    Require(model, "model");
    Require(name, "name");
    const lccge::Scenario* scenario = model->model.FindScenario(name);
    if (scenario == nullptr) NotFound("scenario", name);
    model->scenario = *scenario;
    return Status::Ok();
  });
}

int lccge_model_current_scenario(const lccge_model* model, const char** name) {
  return Read(__func__, model, name, [](const lccge_model& m) { return m.scenario.name.c_str(); });
}

// ---- options ----

int lccge_options_create(lccge_options** options) {
  return Guard(__func__, [&] {
    Require(options, "options");
    *options = new lccge_options();
    return Status::Ok();
  });
}

int lccge_options_free(lccge_options* options) {
  delete options;
  return LCCGE_OK;
}

int lccge_options_set_method(lccge_options* options, const char* method) {
  return Guard(__func__, [&] {
    Require(method, "method");
    return SetOption(options, [&](lccge::Solver::Options* o) { o->method = method; });
  });
}

int lccge_options_set_tolerance(lccge_options* options, double tolerance) {
  return Guard(__func__,
               [&] { return SetOption(options, [&](lccge::Solver::Options* o) { o->tolerance = tolerance; }); });
}

int lccge_options_set_max_iterations(lccge_options* options, int max_iterations) {
  return Guard(__func__, [&] {
    return SetOption(options, [&](lccge::Solver::Options* o) { o->max_iterations = max_iterations; });
  });
}

int lccge_options_set_max_seconds(lccge_options* options, double max_seconds) {
  return Guard(__func__,
               [&] { return SetOption(options, [&](lccge::Solver::Options* o) { o->max_seconds = max_seconds; }); });
}

int lccge_options_set_warm_start(lccge_options* options, const double* values, size_t count) {
  return Guard(__func__, [&] {
    Require(options, "options");
    if (count > 0) Require(values, "values");
    options->options.warm_start.assign(values, values + count);
    return Status::Ok();
  });
}

// ---- solving ----

int lccge_solve(const lccge_model* model, const lccge_options* options, lccge_result** result) {
  return Guard(__func__, [&] {
    Require(model, "model");
    Require(result, "result");
    const lccge::Solver::Options defaults;
    const lccge::Solver::Options& chosen = options != nullptr ? options->options : defaults;
    if (!chosen.warm_start.empty() && chosen.warm_start.size() != model->model.variables().size()) {
      return Status::Invalid("the warm start has " + std::to_string(chosen.warm_start.size()) + " values, the model " +
                             std::to_string(model->model.variables().size()) + " variables");
    }
    auto solved = std::make_unique<lccge_result>();
    lccge::Solution solution;
    Status s = lccge::Solve(model->model, model->scenario, chosen, &solution, &solved->summary);
    if (!s.ok()) return s;
    solved->scenario = model->scenario.name;
    solved->brief_report = solved->summary.BriefReport();
    solved->values = std::move(solution.values);
    solved->reports = std::move(solution.reports);
    solved->names.reserve(model->model.variables().size());
    solved->index.Reserve(model->model.variables().size());
    for (const lccge::VariableInfo& v : model->model.variables()) {
      solved->index.Insert(v.name, static_cast<int>(solved->names.size()), solved->NameOf());
      solved->names.push_back(v.name);
    }
    *result = solved.release();
    return Status::Ok();
  });
}

int lccge_result_free(lccge_result* result) {
  delete result;
  return LCCGE_OK;
}

int lccge_result_termination(const lccge_result* result, lccge_termination* termination) {
  return Read(__func__, result, termination, [](const lccge_result& r) {
    switch (r.summary.termination) {
      case lccge::TerminationType::kConverged:
        return LCCGE_CONVERGED;
      case lccge::TerminationType::kNoConvergence:
        return LCCGE_NO_CONVERGENCE;
      case lccge::TerminationType::kFailure:
        return LCCGE_FAILURE;
      case lccge::TerminationType::kNotRun:
        break;
    }
    return LCCGE_NOT_RUN;
  });
}

int lccge_result_iterations(const lccge_result* result, int* iterations) {
  return Read(__func__, result, iterations, [](const lccge_result& r) { return r.summary.iterations; });
}

int lccge_result_max_residual(const lccge_result* result, double* max_residual) {
  return Read(__func__, result, max_residual, [](const lccge_result& r) { return r.summary.max_residual; });
}

int lccge_result_walras_residual(const lccge_result* result, double* walras_residual) {
  return Read(__func__, result, walras_residual, [](const lccge_result& r) { return r.summary.walras_residual; });
}

int lccge_result_seconds(const lccge_result* result, double* seconds) {
  return Read(__func__, result, seconds, [](const lccge_result& r) { return r.summary.total_seconds; });
}

int lccge_result_method(const lccge_result* result, const char** method) {
  return Read(__func__, result, method, [](const lccge_result& r) { return r.summary.method.c_str(); });
}

int lccge_result_message(const lccge_result* result, const char** message) {
  return Read(__func__, result, message, [](const lccge_result& r) { return r.summary.message.c_str(); });
}

int lccge_result_brief_report(const lccge_result* result, const char** report) {
  return Read(__func__, result, report, [](const lccge_result& r) { return r.brief_report.c_str(); });
}

int lccge_result_scenario(const lccge_result* result, const char** scenario) {
  return Read(__func__, result, scenario, [](const lccge_result& r) { return r.scenario.c_str(); });
}

int lccge_result_value_count(const lccge_result* result, size_t* count) {
  return Read(__func__, result, count, [](const lccge_result& r) { return r.values.size(); });
}

int lccge_result_value(const lccge_result* result, const char* name, double* value) {
  return Guard(__func__, [&] {
    Require(result, "result");
    Require(name, "name");
    Require(value, "value");
    const int i = result->index.Find(name, result->NameOf());
    if (i < 0) NotFound("variable", name);
    *value = result->values[static_cast<size_t>(i)];
    return Status::Ok();
  });
}

int lccge_result_values(const lccge_result* result, double* values, const char** names, size_t capacity) {
  return Guard(__func__, [&] {
    Require(result, "result");
    Require(values, "values");
    lccge::internal::RequireCapacity(capacity, result->values.size());
    std::copy(result->values.begin(), result->values.end(), values);
    if (names != nullptr) {
      for (size_t i = 0; i < result->names.size(); ++i) names[i] = result->names[i].c_str();
    }
    return Status::Ok();
  });
}

int lccge_result_report_count(const lccge_result* result, size_t* count) {
  return Read(__func__, result, count, [](const lccge_result& r) { return r.reports.size(); });
}

int lccge_result_report(const lccge_result* result, const char* key, double* value) {
  return Guard(__func__, [&] {
    Require(result, "result");
    Require(key, "key");
    Require(value, "value");
    const auto it = result->reports.find(key);
    if (it == result->reports.end()) NotFound("report", key);
    *value = it->second;
    return Status::Ok();
  });
}

int lccge_result_reports(const lccge_result* result, double* values, const char** keys, size_t capacity) {
  return Guard(__func__, [&] {
    Require(result, "result");
    Require(values, "values");
    lccge::internal::RequireCapacity(capacity, result->reports.size());
    size_t i = 0;
    for (const auto& [key, value] : result->reports) {
      values[i] = value;
      if (keys != nullptr) keys[i] = key.c_str();
      ++i;
    }
    return Status::Ok();
  });
}
