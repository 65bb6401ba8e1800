// lccge run [SCENARIO_FILE...] [--out DIR] [--years A:B] [--step N] [--data DIR]: the main job. With no file it runs
// the six bundled battery scenarios to 2060 (and the base year's policy shocks) and writes DIR/iamc.csv,
// DIR/summary.json and figures (run_battery.cc). Model files given as arguments (YAML/JSON model files, not scenario
// files) are solved as before: every scenario, one JSON result file per model.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/battery/battery.hpp"
#include "lccge/core/file.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/scenario/iamc.hpp"
#include "lccge/solve/solver.hpp"
#include "run_battery.hpp"

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

}  // namespace

// A battery scenario file (levers) rather than a model file: its top level has 'levers' or 'include'.
bool IsScenarioFile(const std::string& path) {
  std::string text;
  if (!ReadFileToString(path, &text).ok()) return false;
  for (const char* key : {"\nlevers:", "\ninclude:"})
    if (text.find(key) != std::string::npos || text.rfind(key + 1, 0) == 0) return true;
  return false;
}

int RunRun(int argc, char** argv) {
  CLI::App cli{"The main job: the battery chain's scenarios to 2060 (or the given model files)", "lccge run"};
  std::vector<std::string> files;
  RunBatteryOptions o;
  std::string years;
  bool no_figures = false, no_shocks = false;
  cli.add_option("FILE", files,
                 "scenario files (YAML, docs/battery-scenarios.md; default: the six bundled) or model files");
  cli.add_option("--out", o.out_dir, "output directory (default: results)");
  cli.add_option("--data", o.data_dir, "battery data folder (default: the bundled one)");
  cli.add_option("--years", years, "first and last year, A:B (default 2023:2060; A is the data's base year)");
  cli.add_option("--step", o.step, "years between solves (default 1)");
  cli.add_flag("--no-figures", no_figures, "skip the PNG/SVG figures");
  cli.add_flag("--no-shocks", no_shocks, "skip the base year's three policy shocks");
  cli.add_flag("--progress", o.verbose, "print a progress line per year even when standard error is not a terminal");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;
  if (!files.empty() && !IsScenarioFile(files.front())) {
    for (const std::string& f : files)
      if (IsScenarioFile(f))
        return ReportError(Status::Invalid("scenario files and model files cannot be mixed", {f, 0, 0}));
    return RunModelFiles(files, o.out_dir);
  }
  o.scenario_files = files;
  o.figures = !no_figures;
  o.shocks = !no_shocks;
  if (!years.empty()) {
    int a = 0, b = 0;
    char colon = 0;
    std::istringstream in(years);
    if (!(in >> a >> colon >> b) || colon != ':' || !in.eof())
      return ReportError(Status::Invalid("--years must be A:B (e.g. 2023:2060), not '" + years + "'"));
    o.first_year = a;
    o.last_year = b;
    if (a != 2023)
      return ReportError(
          Status::Invalid("--years must start at the data's base year 2023 (the recursive dynamics "
                          "start from the calibrated benchmark), not " +
                          std::to_string(a)));
  }
  if (o.data_dir.empty()) o.data_dir = battery::DefaultDataDirectory();
  if (o.data_dir.empty())
    return ReportError(
        Status::IoError("the bundled battery data folder was not found (set LCCGE_DATA_DIR or pass --data DIR)", {}));
  return RunBattery(o);
}

}  // namespace lccge::app
