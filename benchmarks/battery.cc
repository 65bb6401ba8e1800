// Google Benchmark program for the battery supply-chain model (docs/benchmarks.md, "Battery model"): loading the
// bundled data folder, building the model, solving the base year and each standard policy shock from the
// benchmark, and computing the stage accounts.
//   ./build/benchmarks/lccge_battery_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <memory>

#include "lccge/battery/battery.hpp"
#include "lccge/solve/solver.hpp"

namespace {

using namespace lccge;

struct Fixture {
  battery::BatteryData data;
  battery::BatteryModel model;
  std::vector<battery::Policy> policies;  // index 0: none (the base year)
  std::vector<Scenario> scenarios;
};

Fixture& Get() {
  static std::unique_ptr<Fixture> f;
  if (!f) {
    f = std::make_unique<Fixture>();
    if (!battery::LoadBatteryData(battery::DefaultDataDirectory(), &f->data).ok()) std::abort();
    if (!battery::BuildBatteryModel(f->data, {}, &f->model).ok()) std::abort();
    f->policies.emplace_back();
    f->scenarios.push_back(f->model.Benchmark());
    for (const battery::Policy& p : battery::StandardShocks(f->data)) {
      Scenario sc;
      if (!battery::PolicyScenario(f->data, f->model, p, &sc).ok()) std::abort();
      f->policies.push_back(p);
      f->scenarios.push_back(sc);
    }
  }
  return *f;
}

void BM_BatteryLoad(benchmark::State& state) {
  const std::string dir = battery::DefaultDataDirectory();
  for (auto _ : state) {
    battery::BatteryData d;
    benchmark::DoNotOptimize(battery::LoadBatteryData(dir, &d).ok());
  }
}

void BM_BatteryBuild(benchmark::State& state) {
  const Fixture& f = Get();
  for (auto _ : state) {
    battery::BatteryModel m;
    benchmark::DoNotOptimize(battery::BuildBatteryModel(f.data, {}, &m).ok());
  }
}

// Arg: 0 the base year, 1.. the standard shocks in order (US tariff, EU collection, China grid).
void BM_BatterySolve(benchmark::State& state) {
  const Fixture& f = Get();
  const Scenario& sc = f.scenarios.at(static_cast<size_t>(state.range(0)));
  state.SetLabel(sc.name);
  Solver::Summary summary;
  for (auto _ : state) {
    Solution solution;
    if (!Solve(f.model.model, sc, Solver::Options(), &solution, &summary).ok() || !summary.converged()) std::abort();
  }
  state.counters["iterations"] = summary.iterations;
}

void BM_BatteryAccounts(benchmark::State& state) {
  const Fixture& f = Get();
  Solution solution;
  Solver::Summary summary;
  if (!Solve(f.model.model, f.scenarios[0], Solver::Options(), &solution, &summary).ok()) std::abort();
  for (auto _ : state) {
    battery::BatteryAccounts a;
    benchmark::DoNotOptimize(
        battery::ComputeBatteryAccounts(f.data, f.model, f.scenarios[0], solution.values, nullptr, &a).ok());
  }
}

// The six bundled scenarios to 2060 (the main job's dynamics; one iteration runs all six), with the share of time
// in the model build, the solves, the updates between years and the accounts.
void BM_BatterySixScenariosTo2060(benchmark::State& state) {
  const Fixture& f = Get();
  std::vector<battery::ScenarioSpec> specs;
  for (const std::string& file : battery::BundledScenarioFiles(f.data.dir)) {
    battery::ScenarioSpec spec;
    if (!battery::LoadScenarioFile(file, f.data, &spec).ok()) std::abort();
    specs.push_back(spec);
  }
  double build = 0, solve = 0, update = 0, accounts = 0, total = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    battery::BatteryModel m;
    if (!battery::BuildBatteryModel(f.data, {}, &m).ok()) std::abort();
    build += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const auto& spec : specs) {
      battery::ScenarioResult r;
      if (!battery::RunScenario(f.data, m, spec, {}, nullptr, &r).ok()) std::abort();
      solve += r.solve_seconds;
      update += r.update_seconds;
      accounts += r.accounts_seconds;
    }
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["build_share"] = build / total;
  state.counters["solve_share"] = solve / total;
  state.counters["update_share"] = update / total;
  state.counters["accounts_share"] = accounts / total;
}

}  // namespace

BENCHMARK(BM_BatterySixScenariosTo2060)->Unit(benchmark::kSecond)->Iterations(1)->Repetitions(3);
BENCHMARK(BM_BatteryLoad)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatteryBuild)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatterySolve)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatteryAccounts)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
