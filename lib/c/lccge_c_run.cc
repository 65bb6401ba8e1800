// The C API's scenario runs (include/lccge/c/lccge.h, "Scenario runs to 2060"): run options, lccge_run_scenarios
// over lccge::battery::RunScenarios (the loop `lccge run` uses), and the IAMC table. Every entry point runs through
// Guard (guard.hpp): nothing but a status code leaves this file.
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "guard.hpp"
#include "lccge/battery/dynamics.hpp"
#include "lccge/c/lccge.h"
#include "lccge/scenario/iamc.hpp"

struct lccge_run_options {
  std::string data_dir;                     // "": the bundled folder
  std::vector<std::string> scenario_files;  // empty: the six bundled scenarios
  lccge::battery::DynamicOptions dynamics;  // years, step, solver options
};

struct lccge_table {
  lccge::scenario::IamcTable table;
  std::vector<int> years;            // ascending
  std::vector<std::string> columns;  // "Model", "Scenario", "Region", "Variable", "Unit", then the years as text
};

namespace lccge::internal::c_api {
namespace {

constexpr size_t kTextColumns = 5;

// The text of a row's text column (0 to 4).
const std::string& TextOf(const scenario::IamcTable::Row& row, size_t column) {
  switch (column) {
    case 0:
      return row.model;
    case 1:
      return row.scenario;
    case 2:
      return row.region;
    case 3:
      return row.variable;
    default:
      return row.unit;
  }
}

// Checks a cell's row and column against the table and returns the row.
const scenario::IamcTable::Row& Cell(const lccge_table& table, size_t row, size_t column) {
  RequireIndex(row, table.table.num_rows(), "row");
  RequireIndex(column, table.columns.size(), "column");
  return table.table.row(row);
}

}  // namespace
}  // namespace lccge::internal::c_api

using lccge::Status;
using lccge::internal::c_api::Cell;
using lccge::internal::c_api::CError;
using lccge::internal::c_api::Entry;
using lccge::internal::c_api::Guard;
using lccge::internal::c_api::kTextColumns;
using lccge::internal::c_api::Read;
using lccge::internal::c_api::Require;

// ---- run options ----

int lccge_run_options_create(lccge_run_options** options) {
  return Guard(__func__, [&] {
    Require(options, "options");
    *options = new lccge_run_options();
    return Status::Ok();
  });
}

int lccge_run_options_free(lccge_run_options* options) {
  delete options;
  return LCCGE_OK;
}

int lccge_run_options_set_data(lccge_run_options* options, const char* data_dir) {
  return Guard(__func__, [&] {
    Require(options, "options");
    options->data_dir = data_dir != nullptr ? data_dir : "";
    return Status::Ok();
  });
}

int lccge_run_options_add_scenario_file(lccge_run_options* options, const char* path) {
  return Guard(__func__, [&] {
    Require(options, "options");
    Require(path, "path");
    if (*path == '\0') throw CError{LCCGE_ERROR_INVALID_INPUT, "the path is empty"};
    options->scenario_files.emplace_back(path);
    return Status::Ok();
  });
}

int lccge_run_options_set_years(lccge_run_options* options, int first, int last, int step) {
  return Guard(__func__, [&] {
    Require(options, "options");
    lccge::battery::DynamicOptions changed = options->dynamics;
    changed.first_year = first;
    changed.last_year = last;
    changed.step = step;
    std::string why;
    if (!changed.IsValid(&why)) throw CError{LCCGE_ERROR_INVALID_INPUT, why};
    options->dynamics = std::move(changed);
    return Status::Ok();
  });
}

int lccge_run_options_set_solver(lccge_run_options* options, const lccge_options* solver) {
  return Guard(__func__, [&] {
    Require(options, "options");
    Require(solver, "solver");
    if (!solver->options.warm_start.empty()) {
      throw CError{LCCGE_ERROR_INVALID_INPUT,
                   "the solver options hold a warm start: a run warm-starts each year from the last (clear it with "
                   "lccge_options_set_warm_start(options, NULL, 0))"};
    }
    options->dynamics.solver = solver->options;
    return Status::Ok();
  });
}

// ---- the run ----

int lccge_run_scenarios(const lccge_run_options* options, lccge_table** table) {
  return Guard(__func__, [&] {
    Require(table, "table");
    const lccge_run_options defaults;
    const lccge_run_options& chosen = options != nullptr ? *options : defaults;
    auto made = std::make_unique<lccge_table>();
    Status s = lccge::battery::RunScenarios(chosen.data_dir, chosen.scenario_files, chosen.dynamics, nullptr, nullptr,
                                            &made->table);
    if (!s.ok()) return s;
    made->years = made->table.Years();
    made->columns = {"Model", "Scenario", "Region", "Variable", "Unit"};
    for (int year : made->years) made->columns.push_back(std::to_string(year));
    *table = made.release();
    return Status::Ok();
  });
}

// ---- the table ----

int lccge_table_free(lccge_table* table) {
  delete table;
  return LCCGE_OK;
}

int lccge_table_row_count(const lccge_table* table, size_t* rows) {
  return Read(__func__, table, rows, [](const lccge_table& t) { return t.table.num_rows(); });
}

int lccge_table_column_count(const lccge_table* table, size_t* columns) {
  return Read(__func__, table, columns, [](const lccge_table& t) { return t.columns.size(); });
}

int lccge_table_column_name(const lccge_table* table, size_t column, const char** name) {
  return Read(__func__, table, name, [&](const lccge_table& t) { return Entry(t.columns, column, "column").c_str(); });
}

int lccge_table_string(const lccge_table* table, size_t row, size_t column, const char** text) {
  return Read(__func__, table, text, [&](const lccge_table& t) {
    const lccge::scenario::IamcTable::Row& r = Cell(t, row, column);
    if (column >= kTextColumns) {
      throw CError{LCCGE_ERROR_INVALID_INPUT, "column " + std::to_string(column) + " (" + t.columns[column] +
                                                  ") holds numbers: read it with lccge_table_number"};
    }
    return lccge::internal::c_api::TextOf(r, column).c_str();
  });
}

int lccge_table_number(const lccge_table* table, size_t row, size_t column, double* value) {
  return Read(__func__, table, value, [&](const lccge_table& t) {
    const lccge::scenario::IamcTable::Row& r = Cell(t, row, column);
    if (column < kTextColumns) {
      throw CError{LCCGE_ERROR_INVALID_INPUT, "column " + std::to_string(column) + " (" + t.columns[column] +
                                                  ") holds text: read it with lccge_table_string"};
    }
    const auto it = r.values.find(t.years[column - kTextColumns]);
    return it != r.values.end() ? it->second : std::numeric_limits<double>::quiet_NaN();
  });
}
