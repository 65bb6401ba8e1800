// lccge emissions MODEL --factors FACTORS.csv --grid GRID.csv [--scenario NAME] [--stages STAGES.csv] [--json]:
// solves the standard multi-region model (a model file written by `lccge build`, or a data folder) under a scenario
// and prints the life-cycle emission accounts of the equilibrium (docs/lca.md, "Accounts on an equilibrium").
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/battery/data.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/lca/equilibrium.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::app {
namespace {

nlohmann::ordered_json Number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}

nlohmann::ordered_json ToJson(const Model& model, const Scenario& scenario, const Solver::Summary& summary,
                              const lca::MultiRegionAccountsOptions& options, const lca::EquilibriumAccounts& a,
                              const std::vector<lca::MultiRegionFactor>& factors) {
  nlohmann::ordered_json j;
  j["model"] = model.name();
  j["scenario"] = scenario.name;
  j["status"] = TerminationName(summary.termination);
  j["year"] = options.year;
  j["unit"] = "kg CO2e";
  j["value_unit"] = options.value_unit;
  j["total_direct"] = a.total_direct;
  j["total_embodied_in_final_demand"] = a.total_embodied;
  j["conservation_relative_gap"] = a.conservation_gap;
  j["max_market_imbalance"] = a.max_market_imbalance;
  std::map<std::string, const lca::MultiRegionFactor*> factor_of;
  for (const auto& f : factors) factor_of[f.sector] = &f;
  nlohmann::ordered_json acts = nlohmann::ordered_json::array();
  for (const lca::ActivityAccount& x : a.activities) {
    nlohmann::ordered_json o;
    o["activity"] = x.sector;
    o["region"] = x.industry.region;
    o["sector"] = x.industry.sector;
    o["level"] = x.level;
    o["output_value"] = x.output_value;
    o["intermediate"] = x.intermediate;
    o["factor_payments"] = x.factor_payments;
    o["taxes"] = x.taxes;
    o["value_added"] = x.value_added;
    o["direct"] = {{"total", x.direct},
                   {"process", x.direct_parts.process},
                   {"fuel", x.direct_parts.fuel},
                   {"electricity", x.direct_parts.electricity}};
    if (auto it = factor_of.find(x.sector); it != factor_of.end()) {
      const lca::MultiRegionFactor& f = *it->second;
      o["factor"] = {{"per", f.factor.activity_unit},
                     {"process", f.factor.process},
                     {"fuel", f.factor.fuel},
                     {"electricity_kwh", f.factor.electricity_kwh},
                     {"grid", f.factor.grid},
                     {"region_used", f.factor.region_used},
                     {"benchmark_output", f.benchmark_output},
                     {"activity_per_level", f.activity_per_level}};
    }
    o["direct_intensity"] = x.direct_intensity;
    o["embodied_intensity"] = x.embodied_intensity;
    if (!x.physical_unit.empty()) {
      o["physical_intensity"] = Number(x.physical_intensity);
      o["physical_unit"] = x.physical_unit;
    }
    acts.push_back(o);
  }
  j["activities"] = acts;
  nlohmann::ordered_json fd = nlohmann::ordered_json::array();
  for (const lca::FinalDemandAccount& f : a.final_demand) {
    fd.push_back({{"consumer", f.consumer},
                  {"region", f.region},
                  {"value", f.value},
                  {"embodied", f.embodied},
                  {"intensity", f.intensity},
                  {"by_origin", f.by_origin}});
  }
  j["final_demand"] = fd;
  if (a.has_stages) {
    nlohmann::ordered_json st = nlohmann::ordered_json::array();
    for (const lca::StageShare& s : a.stages.stages) {
      st.push_back({{"stage", s.stage},
                    {"value_added", s.value_added},
                    {"emissions", s.emissions},
                    {"value_share", s.value_share},
                    {"emission_share", s.emission_share},
                    {"ratio", Number(s.ratio)}});
    }
    j["stages"] = st;
    j["outside_stages"] = a.stages.excluded;
  }
  return j;
}

void PrintTables(const Model& model, const Scenario& scenario, const Solver::Summary& summary,
                 const lca::MultiRegionAccountsOptions& options, const lca::EquilibriumAccounts& a) {
  std::printf("%s, scenario %s: %s\n", model.name().c_str(), scenario.name.c_str(), summary.BriefReport().c_str());
  std::printf("\nActivities: emissions in kg CO2e; values in %s at equilibrium prices; intensities per %s of output\n",
              options.value_unit.c_str(), options.value_unit.c_str());
  std::printf("  %-8s %-22s %9s %11s %11s %9s %12s %10s %10s\n", "region", "sector", "level", "output", "value added",
              "taxes", "direct", "direct/v", "embodied/v");
  for (const lca::ActivityAccount& x : a.activities) {
    std::printf("  %-8s %-22s %9.4f %11.4f %11.4f %9.4f %12.4f %10.4f %10.4f\n", x.industry.region.c_str(),
                x.industry.sector.c_str(), x.level, x.output_value, x.value_added, x.taxes, x.direct,
                x.direct_intensity, x.embodied_intensity);
  }
  std::printf("\nEmbodied in final demand (kg CO2e), by the region where the emissions occur\n");
  std::set<std::string> regions;
  for (const auto& f : a.final_demand)
    for (const auto& [r, v] : f.by_origin) regions.insert(r);
  std::printf("  %-16s %-8s %11s %12s %10s", "consumer", "region", "value", "embodied", "per value");
  for (const std::string& r : regions) std::printf(" %11s", r.c_str());
  std::printf("\n");
  for (const lca::FinalDemandAccount& f : a.final_demand) {
    std::printf("  %-16s %-8s %11.4f %12.4f %10.4f", f.consumer.c_str(), f.region.c_str(), f.value, f.embodied,
                f.intensity);
    for (const std::string& r : regions) std::printf(" %11.4f", f.by_origin.count(r) ? f.by_origin.at(r) : 0.0);
    std::printf("\n");
  }
  std::printf("\n  total direct emissions            %14.6f\n", a.total_direct);
  std::printf("  total embodied in final demand    %14.6f   (relative gap %.2e)\n", a.total_embodied,
              a.conservation_gap);
  if (a.has_stages) {
    std::printf("\nValue-emission decomposition by stage (labelled activities)\n");
    std::printf("  %-16s %12s %12s %9s %10s %7s\n", "stage", "value added", "emissions", "value %", "emission %",
                "ratio");
    for (const lca::StageShare& s : a.stages.stages) {
      std::printf("  %-16s %12.4f %12.4f %8.2f%% %9.2f%% %7.3f\n", s.stage.c_str(), s.value_added, s.emissions,
                  100 * s.value_share, 100 * s.emission_share, s.ratio);
    }
    std::printf("  (%zu activities outside the labelled stages: Armington, transport and unlabelled sectors)\n",
                a.stages.excluded.size());
  }
}

}  // namespace

int RunEmissions(int argc, char** argv) {
  CLI::App cli{"Life-cycle emission accounts of the standard multi-region model at an equilibrium (docs/lca.md)",
               "lccge emissions"};
  std::string path, scenario_name, factors_file, grid_file, stages_file, method = "auto";
  lca::MultiRegionAccountsOptions options;
  bool json = false;
  cli.add_option("MODEL", path, "model file written by 'lccge build', or a data folder")->required();
  cli.add_option("--scenario", scenario_name, "scenario to solve (default: the first in the model)");
  cli.add_option("--factors", factors_file,
                 "emission factors by region and sector (CSV; default for a battery data folder: its own)");
  cli.add_option("--grid", grid_file, "grid intensities by region (CSV; default for a battery data folder: its own)");
  cli.add_option("--stages", stages_file, "supply-chain stage of each sector (CSV), for the decomposition");
  cli.add_option("--year", options.year, "year of the factor and grid lookups (default: rows without a year)");
  cli.add_option("--value-unit", options.value_unit, "unit of value of the model's data (default USD)");
  cli.add_option("--method", method,
                 "solver back end: auto (default: newton-krylov, then ceres, then continuation on failure), "
                 "newton-krylov, newton-lu or ceres");
  int max_iterations = Solver::Options().max_iterations;
  cli.add_option("--max-iterations", max_iterations, "solver iteration limit");
  cli.add_flag("--json", json, "print one JSON object on standard output");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;

  // A battery data folder brings its own factors, grid, stages and physical outputs (docs/battery.md).
  const bool battery_folder = battery::IsBatteryDataDirectory(path);
  if (battery_folder) {
    battery::BatteryData bd;
    Diagnostics problems;
    battery::LoadBatteryData(path, &bd, &problems);
    if (!problems.ok()) {
      for (const Status& p : problems.problems()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
      return ReportError(Status::Invalid(std::to_string(problems.problems().size()) + " problem(s) in the battery data",
                                         {path, 0, 0}));
    }
    if (factors_file.empty()) factors_file = path + "/emission_factors.csv";
    if (grid_file.empty()) grid_file = path + "/grid_intensity.csv";
    if (stages_file.empty()) options.stages = bd.stages;
    options.physical_output = bd.physical;
  } else if (factors_file.empty() || grid_file.empty()) {
    return ReportError(Status::Invalid("--factors and --grid are required (except for a battery data folder)", {}));
  }
  Model model;
  Diagnostics problems;
  Status s = io::LoadModelOrData(path, &model, &problems);
  if (!s.ok()) {
    PrintProblems(problems);
    return ReportError(s);
  }
  lca::GridIntensities grid;
  s = lca::LoadGridIntensities(grid_file, &grid);
  if (!s.ok()) return ReportError(s);
  lca::EmissionFactors factors;
  s = lca::LoadEmissionFactors(factors_file, grid, &factors);
  if (!s.ok()) return ReportError(s);
  if (!stages_file.empty()) {
    s = lca::LoadStageLabels(stages_file, &options.stages);
    if (!s.ok()) return ReportError(s);
  }
  Scenario scenario;
  if (!scenario_name.empty()) {
    const Scenario* sc = model.FindScenario(scenario_name);
    if (sc == nullptr) return ReportError(Status::Invalid("no scenario named '" + scenario_name + "'", {path, 0, 0}));
    scenario = *sc;
  } else if (!model.scenarios().empty()) {
    scenario = model.scenarios().front();
  }
  // Check the labels and factors before solving: input errors exit 2 without a solve.
  lca::MultiRegionLabels labels;
  s = lca::LabelMultiRegionModel(model, &labels);
  if (!s.ok()) return ReportError(Status(s.code(), s.cause(), {path, 0, 0}));
  std::vector<lca::MultiRegionFactor> used;
  s = lca::MultiRegionEmissionFactors(model, labels, factors, grid, options, &used);
  if (!s.ok()) return ReportError(s.where().known() ? s : Status(s.code(), s.cause(), {factors_file, 0, 0}));

  Solver::Options solver_options;
  solver_options.method = method;
  solver_options.logger = StderrLogger();
  solver_options.max_iterations = max_iterations;
  Solution solution;
  Solver::Summary summary;
  s = Solve(model, scenario, solver_options, &solution, &summary);
  if (!s.ok()) return ReportError(s);
  if (!summary.converged()) {
    std::fprintf(stderr, "lccge emissions: %s: scenario '%s' did not converge: %s (max |F| %.3e)\n", path.c_str(),
                 scenario.name.c_str(), summary.message.c_str(), summary.max_residual);
    return kExitFailed;
  }
  lca::EquilibriumAccounts accounts;
  s = lca::ComputeMultiRegionAccounts(model, scenario, solution.values, factors, grid, options, &accounts);
  if (!s.ok()) return ReportError(s);
  if (json) {
    std::cout << ToJson(model, scenario, summary, options, accounts, used).dump(1) << std::endl;
  } else {
    PrintTables(model, scenario, summary, options, accounts);
  }
  return kExitOk;
}

}  // namespace lccge::app
