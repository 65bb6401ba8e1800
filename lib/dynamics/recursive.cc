#include "lccge/dynamics/recursive.hpp"

#include <chrono>

namespace lccge::dynamics {

namespace {
double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

bool RecursiveOptions::IsValid(std::string* error) const {
  auto fail = [&](const std::string& why) {
    if (error) *error = why;
    return false;
  };
  if (first_year < 1900 || last_year > 2200) return fail("years must lie between 1900 and 2200");
  if (last_year < first_year) return fail("the last year is before the first");
  if (step < 1) return fail("the step must be at least one year");
  return solver.IsValid(error);
}

std::vector<int> RecursiveOptions::Years() const {
  std::vector<int> years;
  for (int y = first_year; y < last_year; y += step) years.push_back(y);
  years.push_back(last_year);
  return years;
}

Status RunRecursive(const Model& model, const Scenario& base, const RecursiveOptions& options, const UpdateFn& update,
                    const RecordFn& record, RecursiveSummary* summary) {
  std::string why;
  if (!options.IsValid(&why)) return Status::Invalid("recursive dynamics: " + why);
  RecursiveSummary sum;
  const std::vector<int> years = options.Years();
  YearSolution previous, current;
  bool have_previous = false;
  Scenario scenario = base;
  for (size_t i = 0; i < years.size(); ++i) {
    const int year = years[i];
    auto t0 = std::chrono::steady_clock::now();
    Status s = update(year, have_previous ? &previous : nullptr, &scenario);
    sum.update_seconds += Since(t0);
    if (!s.ok()) {
      *summary = sum;
      return s;
    }
    current.year = year;
    current.scenario = scenario;
    Solver::Options solver = options.solver;
    if (options.warm_start && have_previous) solver.warm_start = previous.solution.values;
    t0 = std::chrono::steady_clock::now();
    s = Solve(model, scenario, solver, &current.solution, &current.summary);
    sum.solve_seconds += Since(t0);
    if (!s.ok()) {
      *summary = sum;
      return Status(s.code(), "year " + std::to_string(year) + ": " + s.cause(), s.where());
    }
    if (!current.summary.converged()) {
      sum.failed_year = year;
      sum.message = current.summary.message;
      *summary = sum;
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.3e", current.summary.max_residual);
      return Status::Failed("year " + std::to_string(year) + " did not converge: " + current.summary.message +
                            " (max |F| " + buf + ")");
    }
    ++sum.years_solved;
    t0 = std::chrono::steady_clock::now();
    s = record(current, i + 1 < years.size() ? years[i + 1] : year);
    sum.record_seconds += Since(t0);
    if (!s.ok()) {
      *summary = sum;
      return s;
    }
    previous = std::move(current);
    current = YearSolution();
    have_previous = true;
  }
  *summary = sum;
  return Status::Ok();
}

double AccumulateCapital(double capital, double investment, double depreciation, int years) {
  for (int y = 0; y < years; ++y) capital = (1 - depreciation) * capital + investment;
  return capital;
}

}  // namespace lccge::dynamics
