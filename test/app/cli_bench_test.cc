// `lccge bench`: the JSON report and its fields, the model-file form, the robustness sets and the exit codes
// (correctness only: no timing asserts).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"

namespace lccge {
namespace {

using testing::RunCli;

std::string Data(const std::string& rel) { return std::string(LCCGE_TEST_DATA_DIR) + "/" + rel; }

TEST(CliBench, JsonReportsEveryField) {
  const auto r = RunCli("bench --regions 2 --sectors 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  for (const char* key : {"solver", "status", "unknowns", "nonzeros", "build_seconds", "solve_seconds", "iterations",
                          "evaluations", "max_residual", "peak_memory_bytes", "evaluation_seconds",
                          "linear_solver_seconds", "synth_seconds", "builder_seconds", "shock"}) {
    EXPECT_TRUE(out.contains(key)) << key;
  }
  EXPECT_EQ(out["solver"], "auto");
  EXPECT_EQ(out["method"], "auto: newton-krylov");
  EXPECT_EQ(out["status"], "converged");
  EXPECT_EQ(out["shock"], "tariff:+10");
  EXPECT_GT(out["unknowns"].get<int>(), 0);
  EXPECT_GE(out["nonzeros"].get<long long>(), out["unknowns"].get<long long>());
  EXPECT_GT(out["iterations"].get<int>(), 0);
  EXPECT_GE(out["evaluations"].get<int>(), out["iterations"].get<int>());
  EXPECT_LE(out["max_residual"].get<double>(), out["tolerance"].get<double>());
  EXPECT_GT(out["peak_memory_bytes"].get<long long>(), 0);
  EXPECT_GE(out["build_seconds"].get<double>(), 0.0);
  EXPECT_GE(out["solve_seconds"].get<double>(), 0.0);
}

TEST(CliBench, EveryBackendAndShockConverges) {
  for (const char* solver : {"auto", "ceres", "ceres-dogleg", "newton-lu", "newton-krylov"}) {
    for (const char* shock : {"tariff:10", "tariff:0", "tariff:+100", "endowment:0.5", "none"}) {
      SCOPED_TRACE(std::string(solver) + " " + shock);
      const auto r = RunCli(std::string("bench -r 2 -s 3 --seed 7 --json --solver ") + solver + " --shock " + shock);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const nlohmann::json out = nlohmann::json::parse(r.out);
      EXPECT_EQ(out["solver"], solver);
      EXPECT_EQ(out["status"], "converged");
      EXPECT_EQ(out["shock"], shock);
      EXPECT_EQ(out["seed"], 7);
    }
  }
}

TEST(CliBench, RepeatReportsEveryRun) {
  const auto r = RunCli("bench --regions 2 --sectors 2 --solver newton-lu --repeat 3 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["repeat"], 3);
  ASSERT_EQ(out["solve_seconds_runs"].size(), 3u);
  EXPECT_LE(out["solve_seconds_min"].get<double>(), out["solve_seconds"].get<double>());
  // The build is repeated too: its median is reported, with the fastest beside it, and its parts add up.
  EXPECT_LE(out["build_seconds_min"].get<double>(), out["build_seconds"].get<double>());
  ASSERT_EQ(out["build_seconds_runs"].size(), 3u);
  EXPECT_NEAR(out["synth_seconds"].get<double>() + out["builder_seconds"].get<double>(),
              out["build_seconds"].get<double>(), 1e-12);
  EXPECT_EQ(RunCli("bench --regions 2 --sectors 2 --repeat 0").exit_code, 2);
}

TEST(CliBench, ReadableReport) {
  const auto r = RunCli("bench --regions 2 --sectors 2 --solver newton-lu");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* text : {"status              converged", "unknowns", "Jacobian nonzeros", "build", "solve",
                           "evaluation", "linear algebra", "iterations", "peak memory"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
}

TEST(CliBench, ModelFile) {
  const auto r = RunCli("bench --model " + Data("models/shutdown_free_good.yaml") + " --scenario equilibrium --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["status"], "converged");
  EXPECT_EQ(out["scenario"], "equilibrium");
  EXPECT_EQ(out["shock"], "none");
  EXPECT_TRUE(out.contains("load_seconds"));
  // An endowment shock works on any model; a tariff shock needs the multi-region model's parameters.
  const auto e = RunCli("bench --model " + Data("models/shutdown_free_good.yaml") + " --shock endowment:2 --json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_EQ(nlohmann::json::parse(e.out)["scenario"], "equilibrium+endowment:2");
  const auto t = RunCli("bench --model " + Data("models/shutdown_free_good.yaml") + " --shock tariff:+10");
  EXPECT_EQ(t.exit_code, 2);
  EXPECT_NE(t.err.find("tariff_scale"), std::string::npos) << t.err;
}

TEST(CliBench, NonConvergenceExitsOne) {
  const auto r =
      RunCli("bench --regions 2 --sectors 2 --shock tariff:+100 --max-iterations 1 --solver newton-lu --json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_NE(out["status"], "converged");
  EXPECT_FALSE(out["converged"].get<bool>());
}

TEST(CliBench, BadUsageExitsTwo) {
  for (const char* args :
       {"bench", "bench --regions 2", "bench --regions 2 --sectors 2 --solver nosuch",
        "bench --regions 2 --sectors 2 --shock tariff", "bench --regions 2 --sectors 2 --shock x:1",
        "bench --regions 0 --sectors 2", "bench --model nosuch.yaml", "bench --model m.yaml --regions 2 --sectors 2",
        "bench --scenario s --regions 2 --sectors 2", "bench --robustness --trials 0",
        "bench --robustness --solver nosuch", "bench --regions 2 --sectors 2 --tolerance -1", "bench --nosuchflag"}) {
    const auto r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
    EXPECT_FALSE(r.err.empty()) << args;
  }
}

TEST(CliBench, ListsSolvers) {
  const auto r = RunCli("bench --list-solvers");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* name : {"auto", "ceres", "ceres-dogleg", "newton-lu", "newton-krylov"})
    EXPECT_NE(r.out.find(name), std::string::npos);
}

TEST(CliBench, RobustnessSets) {
  const auto r = RunCli("bench --robustness --regions 2 --sectors 2 --trials 2 --solver newton-lu,ceres --json");
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out["sets"].size(), 6u);  // 3 sets x 2 back ends
  int cases = 0;
  for (const auto& set : out["sets"]) {
    EXPECT_TRUE(set["solver"] == "newton-lu" || set["solver"] == "ceres");
    const std::string name = set["set"];
    EXPECT_TRUE(name == "perturbed" || name == "large_shock" || name == "complementarity") << name;
    EXPECT_EQ(set["trials"].get<int>(), name == "large_shock" ? 4 : 2);  // two shocks per seed
    EXPECT_LE(set["converged"].get<int>(), set["trials"].get<int>());
    EXPECT_LE(set["same_solution"].get<int>(), set["converged"].get<int>());
    cases += set["trials"].get<int>();
  }
  EXPECT_EQ(out["cases"].size(), static_cast<size_t>(cases));
  // A converged perturbed start returns to the benchmark equilibrium.
  for (const auto& c : out["cases"]) {
    if (c["set"] == "perturbed" && c["converged"].get<bool>()) {
      EXPECT_LE(c["deviation"].get<double>(), 1e-6);
    }
  }
  // Exit code: 0 when every case of the first listed back end converged.
  bool first_all = true;
  for (const auto& c : out["cases"])
    if (c["solver"] == "newton-lu" && !c["converged"].get<bool>()) first_all = false;
  EXPECT_EQ(r.exit_code, first_all ? 0 : 1);
}

// The Newton back ends' globalisation (fraction to the boundary, Levenberg-Marquardt fallback) on the robustness
// sets of the 3x3 synthetic model: before it, perturbed starts drove a region's factor prices to 1e-262 in one
// step and stalled, and so did complementarity starts. Every perturbed and complementarity case converges, for
// both Newton back ends; on the large shocks only "auto" (with its continuation) is expected to solve every case.
TEST(CliBench, NewtonBackEndsSolveEveryRobustnessCase) {
  const auto r =
      RunCli("bench --robustness --regions 3 --sectors 3 --trials 20 --solver auto,newton-krylov,newton-lu --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;  // every case of "auto", the first back end, converged
  const nlohmann::json out = nlohmann::json::parse(r.out);
  int auto_cases = 0;
  for (const auto& c : out["cases"]) {
    if (c["set"] == "large_shock" && c["solver"] != "auto") continue;
    auto_cases += c["solver"] == "auto";
    EXPECT_TRUE(c["converged"].get<bool>()) << c.dump();
    EXPECT_LE(c["deviation"].get<double>(), 1e-6) << c.dump();
  }
  EXPECT_EQ(auto_cases, 20 + 40 + 20);
}

// The 3x3 seed-37 model under tariffs +100 points: the Newton direction stops decreasing ||Phi|| on the way, the
// Levenberg-Marquardt fallback takes over for a few steps and both Newton back ends converge.
TEST(CliBench, LevenbergMarquardtFallbackSolvesTheHardShock) {
  std::map<std::string, nlohmann::json> out;
  for (const char* solver : {"newton-lu", "newton-krylov"}) {
    SCOPED_TRACE(solver);
    const auto r =
        RunCli(std::string("bench --regions 3 --sectors 3 --seed 37 --shock tariff:+100 --json --solver ") + solver);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    out[solver] = nlohmann::json::parse(r.out);
    EXPECT_EQ(out[solver]["status"], "converged");
    EXPECT_GT(out[solver]["gradient_steps"].get<int>(), 0);
    EXPECT_LE(out[solver]["max_residual"].get<double>(), 1e-10);
  }
}

// The 2x2 seed-46 model under tariffs +100 points: from the benchmark, Newton and Ceres both stall (at max |F|
// about 0.02); "auto" reaches the equilibrium by continuation in the tariff, and fails without it
// (test/bench/benchmark_model_test.cc checks the point against a path stepped by hand).
TEST(CliBench, ContinuationSolvesWhatNewtonAndCeresMiss) {
  const std::string model = "bench --regions 2 --sectors 2 --seed 46 --json --shock tariff:+100";
  for (const char* solver : {"newton-krylov", "ceres"}) {
    const auto r = RunCli(model + " --solver " + solver);
    const nlohmann::json out = nlohmann::json::parse(r.out);
    EXPECT_NE(out["status"], "converged") << solver;  // else this case no longer tests continuation
  }
  const auto r = RunCli(model + " --solver auto");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["status"], "converged");
  EXPECT_GT(out["continuation_steps"].get<int>(), 0);
  EXPECT_LE(out["max_residual"].get<double>(), 1e-10);
  const auto off = RunCli(model + " --solver auto --no-continuation");
  EXPECT_EQ(nlohmann::json::parse(off.out)["status"], "failure") << off.err;
}

}  // namespace
}  // namespace lccge
