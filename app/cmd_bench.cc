// lccge bench: solver speed and convergence report (docs/benchmarks.md).
//   lccge bench --regions R --sectors S [--seed N] [--solver NAME] [--shock SPEC] [--json]
//   lccge bench --model FILE [--scenario NAME] [--solver NAME] [--shock SPEC] [--json]
//   lccge bench --robustness [--regions R --sectors S] [--trials N] [--solver A,B,...] [--json]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "bench.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "lccge/io/model_file.hpp"
#include "lccge/model/benchmark_model.hpp"

namespace lccge::app {

namespace {

// JSON numbers must be finite.
nlohmann::ordered_json Num(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}

nlohmann::ordered_json MeasurementJson(const bench::Measurement& m, const Solver::Options& options) {
  const Solver::Summary& s = m.summary;
  nlohmann::ordered_json j;
  j["solver"] = m.backend;
  j["status"] = TerminationName(s.termination);
  j["converged"] = s.converged();
  j["message"] = s.message;
  j["model"] = m.model;
  j["scenario"] = m.scenario;
  j["unknowns"] = s.unknowns;
  j["nonzeros"] = s.jacobian_nonzeros;
  j["build_seconds"] = Num(m.build_seconds);
  if (m.synth_seconds >= 0) j["synth_seconds"] = Num(m.synth_seconds);
  if (m.builder_seconds >= 0) j["builder_seconds"] = Num(m.builder_seconds);
  if (m.load_seconds >= 0) j["load_seconds"] = Num(m.load_seconds);
  j["solve_seconds"] = Num(m.solve_seconds);
  j["setup_seconds"] = Num(s.setup_seconds);
  j["evaluation_seconds"] = Num(s.evaluation_seconds);
  j["linear_solver_seconds"] = Num(s.linear_solver_seconds);
  j["iterations"] = s.iterations;
  j["gradient_steps"] = s.gradient_steps;
  j["continuation_steps"] = s.continuation_steps;
  j["evaluations"] = s.evaluations;
  j["initial_max_residual"] = Num(s.initial_max_residual);
  j["max_residual"] = Num(s.max_residual);
  j["tolerance"] = options.tolerance;
  if (s.method != m.backend) j["method"] = s.method;  // what "auto" ran
  if (m.backend.rfind("ceres", 0) == 0) {
    j["linear_solver"] = options.linear_solver;
    j["sparse_library"] = options.sparse_library;
  }
  j["peak_memory_bytes"] = m.peak_memory_bytes;
  return j;
}

void PrintMeasurement(const bench::Measurement& m, const std::string& what, const Solver::Options& options) {
  const Solver::Summary& s = m.summary;
  std::printf("lccge bench: %s, solver %s\n", what.c_str(), m.backend.c_str());
  std::printf("  status              %s%s%s\n", TerminationName(s.termination), s.message.empty() ? "" : ": ",
              s.message.c_str());
  std::printf("  unknowns            %d\n", s.unknowns);
  std::printf("  Jacobian nonzeros   %lld\n", s.jacobian_nonzeros);
  if (m.load_seconds >= 0) {
    std::printf("  build               %.3g s (loading the model file)\n", m.build_seconds);
  } else {
    std::printf("  build               %.3g s (synthesis %.3g s, builder %.3g s)\n", m.build_seconds, m.synth_seconds,
                m.builder_seconds);
  }
  const double other = m.solve_seconds - s.evaluation_seconds - s.linear_solver_seconds;
  std::printf("  solve               %.3g s (evaluation %.3g s, linear algebra %.3g s, other %.3g s)\n",
              m.solve_seconds, s.evaluation_seconds, s.linear_solver_seconds, other);
  if (m.solve_seconds > 0) std::printf("  build / solve       %.1f %%\n", 100.0 * m.build_seconds / m.solve_seconds);
  std::printf("  iterations          %d\n", s.iterations);
  std::printf("  evaluations         %d\n", s.evaluations);
  std::printf("  max |F| (scaled)    %.3e -> %.3e (tolerance %.0e)\n", s.initial_max_residual, s.max_residual,
              options.tolerance);
  std::printf("  peak memory         %.1f MB\n", static_cast<double>(m.peak_memory_bytes) / (1024.0 * 1024.0));
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "lccge bench: %s (see lccge bench --help)\n", message.c_str());
  return kExitInvalid;
}

int RunRobustnessCommand(const bench::RobustnessOptions& options, bool json) {
  std::vector<bench::RobustnessCase> cases;
  std::vector<bench::RobustnessSetSummary> sets;
  Status s = bench::RunRobustness(options, &cases, &sets);
  if (!s.ok()) return ReportError(s);
  const std::string first = options.backends.empty() ? bench::Backends().front().name : options.backends.front();
  bool first_all_converged = true;
  for (const auto& c : cases)
    if (c.backend == first && !c.converged) first_all_converged = false;
  if (json) {
    nlohmann::ordered_json out;
    out["regions"] = options.regions;
    out["sectors"] = options.sectors;
    out["seed"] = options.seed;
    out["trials"] = options.trials;
    out["tolerance"] = options.solver.tolerance;
    nlohmann::ordered_json js = nlohmann::ordered_json::array();
    for (const auto& set : sets) {
      nlohmann::ordered_json j;
      j["set"] = set.set;
      j["solver"] = set.backend;
      j["trials"] = set.trials;
      j["converged"] = set.converged;
      j["share"] = set.trials > 0 ? static_cast<double>(set.converged) / set.trials : 0.0;
      j["same_solution"] = set.same_solution;
      j["median_iterations"] = set.median_iterations;
      j["seconds"] = set.seconds;
      js.push_back(j);
    }
    out["sets"] = js;
    nlohmann::ordered_json jc = nlohmann::ordered_json::array();
    for (const auto& c : cases) {
      nlohmann::ordered_json j;
      j["set"] = c.set;
      j["case"] = c.label;
      j["solver"] = c.backend;
      j["converged"] = c.converged;
      j["deviation"] = c.deviation >= 0 ? nlohmann::ordered_json(c.deviation) : nlohmann::ordered_json(nullptr);
      j["iterations"] = c.iterations;
      j["gradient_steps"] = c.gradient_steps;
      j["continuation_steps"] = c.continuation_steps;
      j["seconds"] = c.seconds;
      j["max_residual"] = Num(c.max_residual);
      j["message"] = c.message;
      jc.push_back(j);
    }
    out["cases"] = jc;
    out["peak_memory_bytes"] = bench::PeakMemoryBytes();
    std::cout << out.dump(1) << std::endl;
  } else {
    std::printf("lccge bench --robustness: %d x %d synthetic model (seed %llu), %d trials per set, tolerance %.0e\n",
                options.regions, options.sectors, static_cast<unsigned long long>(options.seed), options.trials,
                options.solver.tolerance);
    std::printf("  %-16s %-20s %10s %8s %14s %12s %10s\n", "set", "solver", "converged", "share", "same solution",
                "median iter.", "seconds");
    for (const auto& set : sets) {
      char conv[32];
      std::snprintf(conv, sizeof(conv), "%d/%d", set.converged, set.trials);
      std::printf("  %-16s %-20s %10s %7.0f%% %14d %12.1f %10.3f\n", set.set.c_str(), set.backend.c_str(), conv,
                  set.trials > 0 ? 100.0 * set.converged / set.trials : 0.0, set.same_solution, set.median_iterations,
                  set.seconds);
    }
  }
  return first_all_converged ? kExitOk : kExitFailed;
}

}  // namespace

int RunBench(int argc, char** argv) {
  CLI::App cli{"Solver speed and convergence report (docs/benchmarks.md)", "lccge bench"};
  int regions = 0, sectors = 0, trials = 5, repeat = 1;
  std::uint64_t seed = 1;
  std::string solver, shock_text = "tariff:+10", model_file, scenario_name;
  bool json = false, robustness = false, list = false, verbose = false;
  Solver::Options options;
  cli.add_option("--regions,-r", regions, "synthetic model: number of regions");
  cli.add_option("--sectors,-s", sectors, "synthetic model: number of sectors");
  cli.add_option("--seed", seed, "synthetic model: data seed")->capture_default_str();
  cli.add_option("--model", model_file, "a model file instead of the synthetic model");
  cli.add_option("--scenario", scenario_name, "with --model: the scenario (default: the file's first)");
  cli.add_option("--solver", solver,
                 "back end (default auto); with --robustness a comma-separated list (default: all); "
                 "--list-solvers names them");
  cli.add_option("--shock", shock_text,
                 "none | tariff:X (tariffs set to X %) | tariff:+X (X points added) | endowment:F (endowments x F)")
      ->capture_default_str();
  cli.add_flag("--json", json, "print one JSON object on standard output");
  cli.add_flag("--robustness", robustness, "run the robustness sets (perturbed starts, large shocks, complementarity)");
  cli.add_option("--trials", trials, "with --robustness: trials per set")->capture_default_str();
  cli.add_option("--repeat", repeat,
                 "build and solve this many times; report the median build and the run with the median solve time")
      ->capture_default_str();
  cli.add_flag("--list-solvers", list, "list the back ends of this build and exit");
  cli.add_option("--tolerance", options.tolerance, "convergence: max scaled |F|")->capture_default_str();
  cli.add_option("--max-iterations", options.max_iterations, "iteration limit")->capture_default_str();
  cli.add_option("--max-seconds", options.max_seconds, "time limit per solve")->capture_default_str();
  cli.add_option("--linear-solver", options.linear_solver, "ceres back ends: auto, dense_qr or sparse_normal_cholesky")
      ->capture_default_str();
  cli.add_option("--sparse-library", options.sparse_library, "ceres back ends: eigen or suite_sparse")
      ->capture_default_str();
  cli.add_option("--dense-threshold", options.dense_threshold, "ceres back ends, auto: dense QR below this size")
      ->capture_default_str();
  cli.add_option("--smoothing", options.smoothing_start, "Fischer-Burmeister smoothing start mu (0: none)")
      ->capture_default_str();
  cli.add_option("--threads", options.num_threads, "threads for the ceres back ends")->capture_default_str();
  bool no_continuation = false;
  cli.add_flag("--no-continuation", no_continuation,
               "auto: do not fall back to continuation in the scenario's parameters (Solver::Options::continuation)");
  cli.add_flag("-v,--verbose", verbose, "log every iteration (and, with --robustness, every case) on standard error");
  if (int code = ParseCli(cli, argc, argv); code >= 0) return code;
  options.continuation = !no_continuation;

  if (list) {
    for (const auto& b : bench::Backends()) std::printf("%-20s %s\n", b.name.c_str(), b.description.c_str());
    return kExitOk;
  }
  std::string error;
  if (!options.IsValid(&error)) return Usage(error);
  const bool synthetic = regions > 0 || sectors > 0;
  if (!model_file.empty() && synthetic) return Usage("--model and --regions/--sectors exclude each other");
  if (!scenario_name.empty() && model_file.empty()) return Usage("--scenario needs --model");
  if (repeat < 1) return Usage("--repeat must be at least 1");

  if (robustness) {
    if (!model_file.empty()) return Usage("--robustness runs on the synthetic model; --model is not accepted");
    bench::RobustnessOptions ro;
    if (regions > 0) ro.regions = regions;
    if (sectors > 0) ro.sectors = sectors;
    if (regions < 0 || sectors < 0) return Usage("--regions and --sectors must be positive");
    ro.seed = seed;
    ro.trials = trials;
    if (trials < 1) return Usage("--trials must be at least 1");
    ro.backends = SplitList(solver);
    for (const auto& name : ro.backends)
      if (bench::FindBackend(name) == nullptr) return Usage("no solver back end named '" + name + "' in this build");
    ro.solver = options;
    ro.progress = verbose;
    return RunRobustnessCommand(ro, json);
  }

  if (solver.empty()) solver = "auto";
  const bench::Backend* backend = bench::FindBackend(solver);
  if (backend == nullptr) return Usage("no solver back end named '" + solver + "' in this build (--list-solvers)");
  model::Shock shock;
  Status s = model::ParseShock(shock_text, &shock);
  if (!s.ok()) return Usage(s.cause());
  if (verbose) {
    options.log_progress = true;
    options.logger = StderrLogger();
  }

  // The model is built (or loaded) `repeat` times like it is solved, and the median build time is reported, so that
  // build and solve are timed alike (a single cold first build also pays the process's first page faults).
  Model model;
  Scenario scenario;
  bench::Measurement m;
  std::string what;
  std::vector<bench::Measurement> builds;
  for (int k = 0; k < repeat; ++k) {
    model = Model();  // the previous copy is released first: peak memory stays that of one model
    bench::Measurement b;
    if (!model_file.empty()) {
      const auto t0 = std::chrono::steady_clock::now();
      s = io::LoadModel(model_file, &model);
      if (!s.ok()) return ReportError(s);
      Scenario base;
      if (!scenario_name.empty()) {
        const Scenario* found = model.FindScenario(scenario_name);
        if (found == nullptr)
          return ReportError(Status::Invalid("no scenario named '" + scenario_name + "'", {model_file, 0, 0}));
        base = *found;
      } else if (!model.scenarios().empty()) {
        base = model.scenarios().front();
      }
      // A model file's scenario is solved as written unless a shock is asked for explicitly.
      if (cli.count("--shock") == 0) shock = model::Shock();
      s = model::ApplyShock(shock, base, &model, &scenario);
      if (!s.ok()) return ReportError(s);
      b.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      b.build_seconds = b.load_seconds;
      what = model_file + ", scenario " + scenario.name;
    } else {
      if (regions < 1 || sectors < 1) return Usage("give --regions and --sectors (both >= 1), or --model FILE");
      model::BenchmarkModelOptions mo;
      mo.regions = regions;
      mo.sectors = sectors;
      mo.seed = seed;
      mo.shock = shock;
      model::BenchmarkModelTimes times;
      s = model::BuildBenchmarkModel(mo, &model, &scenario, &times);
      if (!s.ok()) return ReportError(s);
      b.build_seconds = times.total();
      b.synth_seconds = times.synth_seconds;
      b.builder_seconds = times.builder_seconds + times.shock_seconds;
      what = std::to_string(regions) + " regions x " + std::to_string(sectors) + " sectors (seed " +
             std::to_string(seed) + "), shock " + shock.text;
    }
    builds.push_back(b);
  }
  std::vector<double> build_times;  // in the order run: the first is the process's first, cold build
  for (const auto& b : builds) build_times.push_back(b.build_seconds);
  std::sort(builds.begin(), builds.end(),
            [](const bench::Measurement& a, const bench::Measurement& b) { return a.build_seconds < b.build_seconds; });
  m = builds[builds.size() / 2];

  // Repeated solves: keep the run with the median solve time (its breakdown and counts), and every time.
  std::vector<bench::Measurement> runs;
  for (int k = 0; k < repeat; ++k) {
    bench::Measurement run = m;
    s = bench::Measure(model, scenario, *backend, options, &run);
    if (!s.ok()) return ReportError(s);
    runs.push_back(run);
  }
  std::vector<bench::Measurement> sorted = runs;
  std::sort(sorted.begin(), sorted.end(),
            [](const bench::Measurement& a, const bench::Measurement& b) { return a.solve_seconds < b.solve_seconds; });
  m = sorted[sorted.size() / 2];
  m.peak_memory_bytes = bench::PeakMemoryBytes();
  if (json) {
    nlohmann::ordered_json j = MeasurementJson(m, options);
    j["repeat"] = repeat;
    if (repeat > 1) {
      j["build_seconds_min"] = Num(builds.front().build_seconds);
      nlohmann::ordered_json built = nlohmann::ordered_json::array();
      for (double t : build_times) built.push_back(Num(t));
      j["build_seconds_runs"] = built;
      j["solve_seconds_min"] = Num(sorted.front().solve_seconds);
      nlohmann::ordered_json times = nlohmann::ordered_json::array();
      for (const auto& run : runs) times.push_back(Num(run.solve_seconds));
      j["solve_seconds_runs"] = times;
    }
    if (model_file.empty()) {
      j["regions"] = regions;
      j["sectors"] = sectors;
      j["seed"] = seed;
    } else {
      j["file"] = model_file;
    }
    j["shock"] = shock.text;
    std::cout << j.dump(1) << std::endl;
  } else {
    PrintMeasurement(m, what, options);
    if (repeat > 1)
      std::printf("  repeats             %d (medians shown; fastest build %.3g s, solve %.3g s)\n", repeat,
                  builds.front().build_seconds, sorted.front().solve_seconds);
    if (verbose) std::printf("%s", m.summary.FullReport().c_str());
  }
  if (!m.summary.converged()) {
    std::fprintf(stderr, "lccge bench: %s did not converge: %s (max |F| %.3e)\n", solver.c_str(),
                 m.summary.message.c_str(), m.summary.max_residual);
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace lccge::app
