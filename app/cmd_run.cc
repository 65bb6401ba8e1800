// lccge run [FILE...] [--out DIR]: solves every scenario of the given model files (default: the bundled
// examples/models/*) and writes one JSON result file per model into DIR, atomically.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/core/file.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::app {

int RunRun(int argc, char** argv) {
  CLI::App cli{"Solve the bundled example models (or the given files) and write results", "lccge run"};
  std::vector<std::string> files;
  std::string out_dir = "results";
  std::string examples_dir = "examples/models";
  cli.add_option("FILE", files, "model files (default: every file in --examples)");
  cli.add_option("--out", out_dir, "output directory for results (default: results)");
  cli.add_option("--examples", examples_dir, "folder of bundled example models (default: examples/models)");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;
  if (files.empty()) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(examples_dir, ec)) {
      const std::string ext = entry.path().extension().string();
      if (ext == ".yaml" || ext == ".yml" || ext == ".json") files.push_back(entry.path().string());
    }
    if (ec || files.empty()) {
      return ReportError(
          Status::IoError("no model files found (run from the lccge checkout or pass files)", {examples_dir, 0, 0}));
    }
    std::sort(files.begin(), files.end());
  }
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

}  // namespace lccge::app
