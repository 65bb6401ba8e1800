// Sweeps over the battery chain's scenarios to 2060 (docs/sweeps.md): a sweep file names the scenarios, the
// uncertain inputs with their distributions, the sampler, the number of draws and the seed; each draw runs Baseline
// and the scenarios with the draw's inputs and records the change of the chain's emission intensity against Baseline
// in the last year, by scenario and region, and the World intensity path of each scenario.
//
//   name: combined-uncertainty
//   scenarios: [combined]            # bundled scenario names or files (relative to the sweep file)
//   draws: 200
//   sampler: latin-hypercube         # random | latin-hypercube | sobol | grid
//   seed: 42
//   years: {last: 2060, step: 5}
//   solver: {max_iterations: 200}    # optional
//   inputs:
//     - name: secondary_elasticity
//       target: {nest: materials}                   # the elasticity of every nest of this name
//       distribution: {type: uniform, min: 3, max: 8}
//     - name: mining_factors
//       target: {emission_factors: Mining}          # a stage or a chain sector: multiplier on process and fuel
//       distribution: {type: triangular, min: 0.7, mode: 1, max: 1.3}
//
// Targets: {elasticity: esub_dm, sector: cell[, region: CHN]} (the value), {nest: NAME} (the value),
// {emission_factors: STAGE|SECTOR|"*"} (a multiplier), {grid: REGION|"*"} (a multiplier on the grid path),
// {battery_demand: growth} (a multiplier on demand growth beyond the base year), {lever: NAME} (a multiplier on every
// value of a scenario lever, kept inside the lever's range), {parameter: NAME} (the value of a parameters.csv
// constant: lifetime_mean, lifetime_sd, resource_supply_elasticity, depreciation_rate, ...).
// Distributions: uniform {min, max}, normal {mean, sd}, triangular {min, mode, max}, lognormal {mu, sigma}, each
// with optional bounds {lower, upper}; or {values: [..]} (the grid sampler takes every combination).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lccge/battery/data.hpp"
#include "lccge/battery/dynamics.hpp"
#include "lccge/battery/scenario.hpp"
#include "lccge/scenario/sweep.hpp"

namespace lccge::battery {

struct SweepTarget {
  enum class Kind { kElasticity, kNest, kEmissionFactors, kGrid, kBatteryDemand, kLever, kParameter };
  Kind kind = Kind::kParameter;
  std::string name;    // elasticity parameter, nest name, stage/sector, region, lever or parameter name
  std::string sector;  // kElasticity: the sector ("*": every sector)
  std::string region;  // kElasticity: the region ("*": every region)
};

struct SweepInput {
  std::string name;
  SweepTarget target;
  scenario::Distribution distribution;
  SourceLocation where;
};

struct SweepSpec {
  std::string name;
  std::string file;
  std::vector<ScenarioSpec> scenarios;  // the scenarios to run (Baseline runs too, for the change against it)
  ScenarioSpec baseline;
  int draws = 0;  // for the grid sampler: the number of combinations
  scenario::Sampler sampler = scenario::Sampler::kLatinHypercube;
  std::uint64_t seed = 0;
  int last_year = 2060, step = 1;
  // Solver settings of every year of every draw (optional `solver: {max_iterations: N, tolerance: T}`).
  int max_iterations = 0;  // 0: the solver's default
  double tolerance = 0;    // 0: the solver's default
  std::vector<SweepInput> inputs;
  std::vector<std::string> regions;  // report names of the regions in the outputs ("World" first)
  // Output columns: "<scenario>|<region>" (the change of intensity in the last year against Baseline, percent).
  std::vector<std::string> OutputNames() const;
};

// Reads and checks a sweep file (and the scenario files it names) against the data. Every problem names the file,
// the line and the cause.
Status LoadSweepFile(const std::string& path, const BatteryData& data, SweepSpec* spec);

// The input values of every draw (draw i in row i), from the sampler and the seed.
Status SweepDraws(const SweepSpec& spec, std::vector<std::vector<double>>* values);

struct DrawResult {
  int draw = 0;
  std::vector<double> inputs;
  bool ok = false;
  std::string message;          // why it failed
  std::vector<double> outputs;  // in OutputNames() order (NaN when failed)
  // World intensity (kg CO2e/USD_2023) of every scenario (Baseline first) in every solved year.
  std::vector<int> years;
  std::vector<std::vector<double>> world_intensity;  // [scenario][year index]
};

// Runs one draw: the data and scenarios with the draw's inputs applied, Baseline and every scenario to the last
// year. A year that does not converge makes the draw fail (ok = false, message); it is not an error of the call.
Status EvaluateDraw(const BatteryData& data, const SweepSpec& spec, int draw, const std::vector<double>& inputs,
                    DrawResult* result);

}  // namespace lccge::battery
