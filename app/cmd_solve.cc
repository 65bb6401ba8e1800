// lccge solve FILE|DATA_DIR [--scenario NAME] [--json] [--method NAME]: a model file, or a data folder whose standard
// multi-region model is built in memory first (what `lccge build` would write, without the file).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::app {

int RunSolve(int argc, char** argv) {
  CLI::App cli{"Solve a model file (docs/model-format.md)", "lccge solve"};
  std::string file, scenario_name, method = "auto";
  bool json = false, verbose = false, all = false;
  cli.add_option("FILE", file,
                 "model file (YAML or JSON), or a data folder: its standard multi-region model is built in memory "
                 "(docs/multi-region.md)")
      ->required();
  cli.add_option("--scenario", scenario_name, "scenario to solve (default: the first in the file)");
  cli.add_flag("--all", all, "solve every scenario in the file");
  cli.add_flag("--json", json, "print one JSON object (an array with --all) on standard output");
  cli.add_option("--method", method,
                 "solver back end: auto (default: newton-krylov, then ceres, then continuation on failure), "
                 "newton-krylov, newton-lu or ceres");
  cli.add_flag("-v,--verbose", verbose, "log every iteration and print the full solver report");
  int max_iterations = Solver::Options().max_iterations;
  Solver::Options defaults;
  std::string trust_region = defaults.trust_region, linear_solver = defaults.linear_solver,
              sparse_library = defaults.sparse_library;
  cli.add_option("--trust-region", trust_region, "ceres: levenberg_marquardt (default) or dogleg");
  cli.add_option("--linear-solver", linear_solver, "ceres: auto (default), dense_qr or sparse_normal_cholesky");
  cli.add_option("--sparse-library", sparse_library, "ceres: eigen (default) or suite_sparse (GPL parts)");
  cli.add_option("--max-iterations", max_iterations, "iteration limit");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;

  Model model;
  Status s;
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    if (int code = BuildModelFromData(file, model::MultiRegionOptions(), &model); code >= 0) return code;
  } else {
    s = io::LoadModel(file, &model);
    if (!s.ok()) return ReportError(s);
  }
  for (const Status& warning : model.warnings()) std::fprintf(stderr, "lccge: %s\n", WarningText(warning).c_str());
  std::vector<Scenario> scenarios;
  if (all) {
    scenarios = model.scenarios();
  } else if (!scenario_name.empty()) {
    const Scenario* sc = model.FindScenario(scenario_name);
    if (sc == nullptr) return ReportError(Status::Invalid("no scenario named '" + scenario_name + "'", {file, 0, 0}));
    scenarios.push_back(*sc);
  } else if (!model.scenarios().empty()) {
    scenarios.push_back(model.scenarios().front());
  } else {
    scenarios.emplace_back();
  }
  if (scenarios.empty()) scenarios.emplace_back();

  Solver::Options options;
  options.method = method;
  options.logger = StderrLogger();
  options.log_progress = verbose;
  options.max_iterations = max_iterations;
  options.trust_region = trust_region;
  options.linear_solver = linear_solver;
  options.sparse_library = sparse_library;
  if (std::string error; !options.IsValid(&error))
    return ReportError(Status::Invalid("invalid solver options: " + error));
  int exit_code = kExitOk;
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const Scenario& scenario : scenarios) {
    Solution solution;
    Solver::Summary summary;
    s = Solve(model, scenario, options, &solution, &summary);
    if (!s.ok()) return ReportError(s);
    if (!summary.converged()) exit_code = kExitFailed;
    if (json) {
      nlohmann::ordered_json out;
      out["model"] = model.name();
      out["scenario"] = scenario.name;
      out["status"] = TerminationName(summary.termination);
      out["iterations"] = summary.iterations;
      out["max_residual"] = summary.max_residual;
      nlohmann::ordered_json vars = nlohmann::ordered_json::object();
      for (size_t v = 0; v < solution.values.size(); ++v)
        AppendMember(&vars, model.variables()[v].name, solution.values[v]);
      out["variables"] = std::move(vars);
      nlohmann::ordered_json reports = nlohmann::ordered_json::object();
      for (const auto& [k, v] : solution.reports) AppendMember(&reports, k, v);
      out["reports"] = std::move(reports);
      if (all)
        array.push_back(out);
      else
        std::cout << out.dump(1) << std::endl;
    } else {
      std::printf("%s, scenario %s: %s\n", model.name().c_str(), scenario.name.c_str(), summary.BriefReport().c_str());
      if (verbose) std::printf("%s", summary.FullReport().c_str());
      PrintSolutionTable(model, solution, summary);
    }
    if (!summary.converged()) {
      std::fprintf(stderr, "lccge solve: scenario '%s' did not converge: %s (max |F| %.3e)\n", scenario.name.c_str(),
                   summary.message.c_str(), summary.max_residual);
    }
  }
  if (json && all) std::cout << array.dump(1) << std::endl;
  return exit_code;
}

}  // namespace lccge::app
