// The C API (include/lccge/c/lccge.h) over the C++ library: models, options, solving, results (the scenario runs are
// in lccge_c_run.cc). Every entry point runs its body through Guard (guard.hpp), which clears the thread's last
// error, turns an lccge::Status into a status code and a message, and catches every exception: nothing but a status
// code leaves this file.
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "guard.hpp"
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

namespace lccge::internal::c_api {
namespace {

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
}  // namespace lccge::internal::c_api

using lccge::Status;
using lccge::internal::c_api::CError;
using lccge::internal::c_api::Entry;
using lccge::internal::c_api::Guard;
using lccge::internal::c_api::NotFound;
using lccge::internal::c_api::Read;
using lccge::internal::c_api::Require;
using lccge::internal::c_api::RequireIndex;
using lccge::internal::c_api::SetOption;

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

const char* lccge_last_error(void) { return lccge::internal::c_api::last_error.c_str(); }

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
    return lccge::internal::c_api::ToC(Entry(m.model.variables(), index, "variable").kind);
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
    lccge::internal::c_api::RequireCapacity(capacity, result->values.size());
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
    lccge::internal::c_api::RequireCapacity(capacity, result->reports.size());
    size_t i = 0;
    for (const auto& [key, value] : result->reports) {
      values[i] = value;
      if (keys != nullptr) keys[i] = key.c_str();
      ++i;
    }
    return Status::Ok();
  });
}
