// The battery chain to 2060: a scenario's levers and the folder's paths drive the recursive dynamics
// (lccge/dynamics/recursive.hpp) of the battery model, one solve per year warm-started from the last; a cohort
// stock-flow (Boost.Odeint) turns each region's battery sales into end-of-life metal, whose collected part is next
// year's scrap endowment of the recycling sector. docs/dynamics.md gives every update.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lccge/battery/accounts.hpp"
#include "lccge/battery/data.hpp"
#include "lccge/battery/model.hpp"
#include "lccge/battery/scenario.hpp"
#include "lccge/scenario/iamc.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::battery {

struct DynamicOptions {
  int first_year = 2023;  // the base year of the data
  int last_year = 2060;
  int step = 1;
  Solver::Options solver;
  // Uncertainty multipliers (sweeps, docs/sweeps.md): on a chain sector's process and fuel factors (by sector), on a
  // region's grid path ("*": every region), and on the growth of battery demand beyond the base year.
  std::map<std::string, double> factor_scale;
  std::map<std::string, double> grid_scale;
  double demand_growth_scale = 1.0;
  bool IsValid(std::string* error) const;
};

// What the run records of each region in each year, beside its accounts.
struct RegionYear {
  double battery_stock_gwh = 0;  // in use at the end of the year
  double end_of_life_t = 0;      // metal contained in the batteries retiring in the year
  double collection_rate = 0;
  double recovery_rate = 0;
  double recycled_content = 0;  // the mandate (0: none)
  double grid = 0;              // kg CO2e/kWh
};

struct YearRecord {
  int year = 0;
  BatteryAccounts accounts;
  std::vector<RegionYear> regions;  // data order
  int iterations = 0;
  double max_residual = 0;
  Scenario scenario;           // the year's parameters
  std::vector<double> values;  // the year's equilibrium (indexed like the model's variables)
};

struct ScenarioResult {
  ScenarioSpec spec;
  std::vector<YearRecord> years;
  double solve_seconds = 0, update_seconds = 0, accounts_seconds = 0;
  const YearRecord* Year(int year) const;
};

// Called after each year: the scenario, the year, years done and in all.
using ProgressFn = std::function<void(const std::string& scenario, int year, int done, int total)>;

// Runs one scenario from the base year to options.last_year. A year that does not converge stops the run with a
// Failed status naming the scenario, the year and the reason. Needs paths.csv and parameters.csv in the data.
Status RunScenario(const BatteryData& data, const BatteryModel& model, const ScenarioSpec& spec,
                   const DynamicOptions& options, const ProgressFn& progress, ScenarioResult* result);

// IAMC rows of every year of a run (lccge/battery/report.hpp's variables, plus the stock-flow's).
void AppendIamcRows(const ScenarioResult& result, scenario::IamcTable* table);

// The change of a region's emission intensity (report.hpp: chain emissions per unit of real chain output) in
// `year` against the same year of `reference`, percent; NaN when either is missing or zero.
double IntensityChangePercent(const ScenarioResult& run, const ScenarioResult& reference, const std::string& region,
                              int year);

}  // namespace lccge::battery
