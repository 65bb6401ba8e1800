// Recursive dynamics: a model solved year after year, each year's scenario set from the state the previous years
// left (capital, labour, technology, stocks), each solve warm-started from the previous year's solution.
// docs/dynamics.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::dynamics {

struct RecursiveOptions {
  int first_year = 2023;  // the base year: the first solve
  int last_year = 2060;
  int step = 1;  // years between solves (the last year is always solved)
  bool warm_start = true;
  Solver::Options solver;
  bool IsValid(std::string* error) const;
  // The years solved: first, first + step, ..., and last.
  std::vector<int> Years() const;
};

struct YearSolution {
  int year = 0;
  Scenario scenario;
  Solution solution;
  Solver::Summary summary;
};

// Sets the scenario of `year` (it arrives as the previous year's, or the base scenario in the first year) from the
// state and the previous year's solution (null in the first year).
using UpdateFn = std::function<Status(int year, const YearSolution* previous, Scenario* scenario)>;
// Receives each converged year; may update the state (e.g. accumulate capital, advance stocks to the next year).
using RecordFn = std::function<Status(const YearSolution& result, int next_year)>;

struct RecursiveSummary {
  int years_solved = 0;
  int failed_year = 0;  // the year that did not converge (0: none)
  std::string message;  // why
  double solve_seconds = 0, update_seconds = 0, record_seconds = 0;
};

// Runs the years in order. A year that does not converge stops the run: the returned status is Failed and names
// the year and the reason (summary->failed_year); years before it were recorded.
Status RunRecursive(const Model& model, const Scenario& base, const RecursiveOptions& options, const UpdateFn& update,
                    const RecordFn& record, RecursiveSummary* summary);

// Capital accumulation over `years` years with constant investment: K' = (1 - delta) K + I, applied once a year.
double AccumulateCapital(double capital, double investment, double depreciation, int years);

}  // namespace lccge::dynamics
