// Google Benchmark programs for the hot paths (docs/benchmarks.md): the model build, residual evaluation, residual +
// Jacobian evaluation, one sparse LU factorisation and solve of the Newton system, and whole solves, on synthetic
// multi-region models of R x R (regions = sectors = R) after a +10 point tariff shock.
//   ./build/benchmarks/lccge_hot_paths --benchmark_filter=Evaluate
#include <benchmark/benchmark.h>

#include <chrono>

#include <Eigen/SparseLU>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench.hpp"
#include "lccge/mcp/system.hpp"
#include "lccge/model/benchmark_model.hpp"
#include "solve/reformulation.hpp"

namespace {

using lccge::Model;
using lccge::Scenario;

// One model per size, built once.
struct Case {
  Model model;
  Scenario scenario;
  std::unique_ptr<lccge::mcp::System> system;
  std::vector<double> x;  // a point off the equilibrium: the benchmark start scaled by factors in [0.9, 1.1]
};

Case& GetCase(int size) {
  static std::map<int, std::unique_ptr<Case>> cases;
  auto& c = cases[size];
  if (!c) {
    c = std::make_unique<Case>();
    lccge::model::BenchmarkModelOptions o;
    o.regions = o.sectors = size;
    lccge::model::ParseShock("tariff:+10", &o.shock);
    if (!lccge::model::BuildBenchmarkModel(o, &c->model, &c->scenario).ok()) std::abort();
    if (!lccge::mcp::System::Create(c->model, c->scenario, &c->system).ok()) std::abort();
    const std::vector<double> start = c->system->StartValues();
    c->x.resize(static_cast<size_t>(c->system->num_unknowns()));
    c->system->Restrict(start, c->x.data());
    std::mt19937_64 rng(42);
    for (double& v : c->x) v *= 0.9 + 0.2 * static_cast<double>(rng() >> 11) * 0x1.0p-53;
  }
  return *c;
}

void SetCounters(benchmark::State& state, const Case& c) {
  state.counters["unknowns"] = c.system->num_unknowns();
  state.counters["nonzeros"] = static_cast<double>(c.system->num_nonzeros());
}

void BM_EvaluateResidual(benchmark::State& state) {
  Case& c = GetCase(static_cast<int>(state.range(0)));
  std::vector<double> F(c.x.size());
  for (auto _ : state) {
    c.system->Evaluate(c.x.data(), F.data(), nullptr);
    benchmark::DoNotOptimize(F.data());
  }
  SetCounters(state, c);
}

void BM_EvaluateResidualAndJacobian(benchmark::State& state) {
  Case& c = GetCase(static_cast<int>(state.range(0)));
  std::vector<double> F(c.x.size());
  lccge::mcp::SparseMatrix J;
  for (auto _ : state) {
    c.system->Evaluate(c.x.data(), F.data(), &J);
    benchmark::DoNotOptimize(J.valuePtr());
  }
  SetCounters(state, c);
}

// One Newton step's linear algebra as newton-lu does it: the Fischer-Burmeister Jacobian, column-major copy,
// SparseLU analyse + factorise + solve. Range(1) = 1 reuses the analysed pattern (factorise + solve only).
void BM_SparseLU(benchmark::State& state) {
  Case& c = GetCase(static_cast<int>(state.range(0)));
  const bool reuse = state.range(1) != 0;
  lccge::internal::Reformulation phi(c.system.get());
  const int n = phi.size();
  std::vector<double> value(static_cast<size_t>(n));
  lccge::mcp::SparseMatrix jacobian;
  phi.Evaluate(c.x.data(), value.data(), &jacobian);
  Eigen::SparseMatrix<double, Eigen::ColMajor, int> J = jacobian;
  J.makeCompressed();
  Eigen::Map<const Eigen::VectorXd> rhs(value.data(), n);
  Eigen::SparseLU<Eigen::SparseMatrix<double, Eigen::ColMajor, int>> lu;
  if (reuse) lu.analyzePattern(J);
  for (auto _ : state) {
    if (!reuse) lu.analyzePattern(J);
    lu.factorize(J);
    Eigen::VectorXd step = lu.solve(rhs);
    benchmark::DoNotOptimize(step.data());
  }
  if (lu.info() != Eigen::Success) state.SkipWithError("SparseLU failed");
  SetCounters(state, c);
}

// The model build that `lccge bench` times: synthetic dataset, calibrated multi-region model, Finalize, shock.
void BM_Build(benchmark::State& state) {
  lccge::model::BenchmarkModelOptions o;
  o.regions = o.sectors = static_cast<int>(state.range(0));
  lccge::model::ParseShock("tariff:+10", &o.shock);
  // Timed by hand around the build alone: the model's destruction is not part of the build, and PauseTiming /
  // ResumeTiming would add two process-CPU-clock reads to every (tens of microseconds) build.
  for (auto _ : state) {
    Model model;
    Scenario scenario;
    const auto start = std::chrono::steady_clock::now();
    if (!lccge::model::BuildBenchmarkModel(o, &model, &scenario).ok()) {
      state.SkipWithError("build failed");
      break;
    }
    benchmark::DoNotOptimize(model);
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

// A whole solve (System::Create included) by a back end of `lccge bench`, from the benchmark start.
void BM_Solve(benchmark::State& state, const std::string& backend_name) {
  Case& c = GetCase(static_cast<int>(state.range(0)));
  const lccge::app::bench::Backend* backend = lccge::app::bench::FindBackend(backend_name);
  if (backend->prepare && !backend->prepare().ok()) {
    state.SkipWithError("back end start-up failed");
    return;
  }
  lccge::Solver::Options options;
  int iterations = 0;
  for (auto _ : state) {
    lccge::Solution solution;
    lccge::Solver::Summary summary;
    if (!backend->solve(c.model, c.scenario, options, &solution, &summary).ok() || !summary.converged()) {
      state.SkipWithError("did not converge");
      break;
    }
    iterations = summary.iterations;
  }
  state.counters["iterations"] = iterations;
  SetCounters(state, c);
}

}  // namespace

BENCHMARK(BM_Build)->Arg(2)->Arg(5)->Arg(10)->Arg(20)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EvaluateResidual)->Arg(2)->Arg(5)->Arg(10)->Arg(20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EvaluateResidualAndJacobian)->Arg(2)->Arg(5)->Arg(10)->Arg(20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SparseLU)
    ->ArgsProduct({{2, 5, 10, 20}, {0, 1}})
    ->ArgNames({"size", "reuse"})
    ->Unit(benchmark::kMicrosecond);

// Whole solves for every back end of this build, at 2x2, 5x5 and 10x10.
static const bool kSolveBenchmarksRegistered = [] {
  for (const auto& b : lccge::app::bench::Backends()) {
    benchmark::RegisterBenchmark(("BM_Solve/" + b.name).c_str(), BM_Solve, b.name)
        ->Arg(2)
        ->Arg(5)
        ->Arg(10)
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

BENCHMARK_MAIN();
