// lccge run [FILE...] [--data DIR] [--out DIR]: the main job. With no file it solves the bundled battery supply-chain
// model (its base year and the standard policy shocks), prints value-added and emission shares by stage, and writes
// DIR/iamc.csv (IAMC format) atomically. Model files given as arguments are solved as before (every scenario, one
// JSON result file per model).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/battery/battery.hpp"
#include "lccge/core/file.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/scenario/iamc.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::app {

namespace {

int RunModelFiles(const std::vector<std::string>& files, const std::string& out_dir) {
  int exit_code = kExitOk;
  Solver::Options options;
  options.logger = StderrLogger();
  for (const std::string& file : files) {
    Model model;
    Status s = io::LoadModel(file, &model);
    if (!s.ok()) return ReportError(s);
    std::vector<Scenario> scenarios = model.scenarios();
    if (scenarios.empty()) scenarios.emplace_back();
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    std::printf("== %s (%s)\n", model.name().c_str(), file.c_str());
    for (const Scenario& sc : scenarios) {
      Solution solution;
      Solver::Summary summary;
      s = Solve(model, sc, options, &solution, &summary);
      if (!s.ok()) return ReportError(s);
      std::printf("-- scenario %s: %s\n", sc.name.c_str(), summary.BriefReport().c_str());
      PrintSolutionTable(model, solution, summary);
      if (!summary.converged()) exit_code = kExitFailed;
      nlohmann::ordered_json r;
      r["scenario"] = sc.name;
      r["status"] = TerminationName(summary.termination);
      r["iterations"] = summary.iterations;
      r["max_residual"] = summary.max_residual;
      nlohmann::ordered_json variables = nlohmann::ordered_json::object(), reports = nlohmann::ordered_json::object();
      for (size_t v = 0; v < solution.values.size(); ++v)
        AppendMember(&variables, model.variables()[v].name, solution.values[v]);
      for (const auto& [k, v] : solution.reports) AppendMember(&reports, k, v);
      r["variables"] = std::move(variables);
      r["reports"] = std::move(reports);
      results.push_back(r);
    }
    const std::string path = (std::filesystem::path(out_dir) / (model.name() + ".json")).string();
    s = WriteFileAtomically(path, results.dump(1) + "\n");
    if (!s.ok()) return ReportError(s);
    std::printf("   wrote %s\n", path.c_str());
  }
  return exit_code;
}

// Loads the battery data (every problem printed), or returns an exit code.
int LoadBattery(const std::string& dir, battery::BatteryData* data) {
  Diagnostics diagnostics;
  battery::LoadBatteryData(dir, data, &diagnostics);
  if (diagnostics.ok()) return -1;
  for (const Status& p : diagnostics.problems()) std::fprintf(stderr, "%s\n", p.ToString().c_str());
  return ReportError(
      Status::Invalid(std::to_string(diagnostics.problems().size()) + " problem(s) in the battery data", {dir, 0, 0}));
}

// The cradle-to-gate footprints the base year implies for the bundled chemistries made in the main producers.
void PrintFootprints(const battery::BatteryData& data, const battery::BatteryModel& bm,
                     const battery::BatteryAccounts& accounts, const std::vector<double>& values) {
  if (data.chemistries.empty()) return;
  std::printf("  implied cradle-to-gate footprint (every stage in the region, inputs from its market):\n");
  for (const auto& [name, bom] : data.chemistries) {
    std::string line;
    for (const battery::RegionInfo& r : data.regions) {
      battery::Footprint f;
      if (!battery::ImpliedFootprint(data, bm, accounts, values, r.code, bom, &f).ok()) continue;
      char buf[128];
      std::snprintf(buf, sizeof(buf), "  %s %.1f kg/kWh (cathode %.1f kg/kg)", r.code.c_str(), f.per_kwh,
                    f.cathode_per_kg);
      line += buf;
    }
    if (!line.empty()) std::printf("    %-7s%s\n", name.c_str(), line.c_str());
  }
}

int RunBatteryBaseYear(const std::string& data_dir, const std::string& out_dir) {
  const auto start = std::chrono::steady_clock::now();
  battery::BatteryData data;
  if (int code = LoadBattery(data_dir, &data); code >= 0) return code;
  battery::BatteryModel bm;
  Status s = battery::BuildBatteryModel(data, {}, &bm);
  if (!s.ok()) return ReportError(s);
  // Check every policy before any solve: bad input exits 2 with nothing solved or written.
  std::vector<battery::Policy> policies = battery::StandardShocks(data);
  std::vector<Scenario> scenarios;
  scenarios.push_back(bm.Benchmark());
  scenarios.back().name = "Baseline";
  for (const battery::Policy& p : policies) {
    Scenario sc;
    s = battery::PolicyScenario(data, bm, p, &sc);
    if (!s.ok()) return ReportError(s);
    scenarios.push_back(std::move(sc));
  }
  std::printf("Battery supply chain: %d regions x %d sectors, base year 2023 (%s)\n", data.dataset.num_regions(),
              data.dataset.num_sectors(), data.dir.c_str());
  scenario::IamcTable table;
  Solver::Options options;
  const int year = 2023;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& sc = scenarios[i];
    Solution solution;
    Solver::Summary summary;
    s = Solve(bm.model, sc, options, &solution, &summary);
    if (!s.ok()) return ReportError(s);
    std::printf("\n[%zu/%zu] %s: %s\n", i + 1, scenarios.size(), sc.name.c_str(), summary.BriefReport().c_str());
    if (!summary.converged()) {
      std::fprintf(stderr, "lccge run: scenario '%s' did not converge: %s (max |F| %.3e); nothing written\n",
                   sc.name.c_str(), summary.message.c_str(), summary.max_residual);
      return kExitFailed;
    }
    battery::BatteryAccounts accounts;
    const battery::Policy* policy = i == 0 ? nullptr : &policies[i - 1];
    s = battery::ComputeBatteryAccounts(data, bm, sc, solution.values, policy, &accounts);
    if (!s.ok()) return ReportError(s);
    std::printf("  value added (bn USD) and emissions (Mt CO2e) of the chain; shares by stage, value/emissions\n");
    std::printf("%s", battery::FormatStageShares(accounts).c_str());
    std::printf("  embodied = direct emissions: relative gap %.1e; secondary material %.1f %% of cathode metal\n",
                accounts.equilibrium.conservation_gap, 100 * accounts.secondary_share);
    battery::AppendIamcRows(accounts, sc.name, year, &table);
    if (i == 0) PrintFootprints(data, bm, accounts, solution.values);
  }
  const std::string path = (std::filesystem::path(out_dir) / "iamc.csv").string();
  s = table.Write(path);
  if (!s.ok()) return ReportError(s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("\nwrote %s (%zu rows) in %.2f s\n", path.c_str(), table.num_rows(), seconds);
  return kExitOk;
}

}  // namespace

int RunRun(int argc, char** argv) {
  CLI::App cli{"The main job: the bundled battery supply-chain model (or the given model files)", "lccge run"};
  std::vector<std::string> files;
  std::string out_dir = "results";
  std::string data_dir;
  cli.add_option("FILE", files, "model files to solve instead of the battery model (every scenario of each)");
  cli.add_option("--out", out_dir, "output directory (default: results)");
  cli.add_option("--data", data_dir, "battery data folder (default: the bundled one)");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;
  if (!files.empty()) return RunModelFiles(files, out_dir);
  if (data_dir.empty()) data_dir = battery::DefaultDataDirectory();
  if (data_dir.empty())
    return ReportError(
        Status::IoError("the bundled battery data folder was not found (set LCCGE_DATA_DIR or pass --data DIR)", {}));
  return RunBatteryBaseYear(data_dir, out_dir);
}

}  // namespace lccge::app
