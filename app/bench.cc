#include "bench.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <random>

#include "lccge/io/model_file.hpp"
#include "lccge/mcp/system.hpp"
#include "lccge/model/benchmark_model.hpp"

#ifdef LCCGE_HAVE_PETSC
#include "petsc_vi.hpp"
#endif

namespace lccge::app::bench {

namespace {

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Backend LccgeBackend(const std::string& name, const std::string& method, const std::string& trust_region,
                     const std::string& description) {
  return {name, description,
          [method, trust_region](const Model& model, const Scenario& scenario, const Solver::Options& options,
                                 Solution* solution, Solver::Summary* summary) {
            Solver::Options o = options;
            o.method = method;
            o.trust_region = trust_region;
            return Solve(model, scenario, o, solution, summary);
          },
          nullptr};
}

#ifdef LCCGE_HAVE_PETSC
Backend PetscBackend(const std::string& snes_type, const std::string& description) {
  return {"petsc-" + snes_type, description,
          [snes_type](const Model& model, const Scenario& scenario, const Solver::Options& options, Solution* solution,
                      Solver::Summary* summary) {
            return lccge::bench::SolveWithPetscVi(model, scenario, options, snes_type, solution, summary);
          },
          [] { return lccge::bench::InitializePetsc(); }};
}
#endif

// test/data/models/shutdown_free_good.yaml, kept here so that an installed `lccge bench` needs no data files.
constexpr const char* kComplementarityModel = R"(
name: shutdown_free_good
sectors: [X, Z]
commodities: [PX, PL, PK, PW]
consumers: [RA]
productions:
  - sector: X
    s: 0
    nests: {va: {parent: top, elasticity: 1}}
    outputs: [{commodity: PX, quantity: 100}]
    inputs:
      - {commodity: PL, quantity: 40, nest: va}
      - {commodity: PK, quantity: 40, nest: va}
      - {commodity: PW, quantity: 20}
  - sector: Z
    s: 0
    outputs: [{commodity: PX, quantity: 10}]
    inputs: [{commodity: PL, quantity: 15}]
demands:
  - consumer: RA
    elasticity: 1
    final_demands: [{commodity: PX, quantity: 100}]
    endowments:
      - {commodity: PL, quantity: 40}
      - {commodity: PK, quantity: 40}
      - {commodity: PW, quantity: 50}
scenarios:
  - name: equilibrium
    fixed: {PL: 1}
    expected: {X: 1, Z: 0, PX: 0.8, PL: 1, PK: 1, PW: 0, RA: 80}
)";

// Largest |x - ref| / max(1, |ref|).
double Deviation(const std::vector<double>& x, const std::vector<double>& ref) {
  if (x.size() != ref.size() || ref.empty()) return -1;
  double d = 0;
  for (size_t i = 0; i < x.size(); ++i) d = std::max(d, std::fabs(x[i] - ref[i]) / std::max(1.0, std::fabs(ref[i])));
  return d;
}

}  // namespace

const std::vector<Backend>& Backends() {
  static const std::vector<Backend> backends = [] {
    std::vector<Backend> b;
    b.push_back(
        LccgeBackend("auto", "auto", "levenberg_marquardt",
                     "the default: newton-krylov, then ceres from the same start, then continuation in the shock"));
    b.push_back(LccgeBackend("ceres", "ceres", "levenberg_marquardt",
                             "Ceres trust region (Levenberg-Marquardt) on the Fischer-Burmeister system"));
    b.push_back(LccgeBackend("ceres-dogleg", "ceres", "dogleg", "Ceres dogleg on the Fischer-Burmeister system"));
    b.push_back(LccgeBackend("newton-lu", "newton-lu", "levenberg_marquardt",
                             "semismooth Newton with Eigen's sparse LU (reference)"));
    b.push_back(LccgeBackend("newton-krylov", "newton-krylov", "levenberg_marquardt",
                             "semismooth Newton with GMRES, block preconditioner by variable group"));
#ifdef LCCGE_HAVE_PETSC
    b.push_back(PetscBackend("vinewtonrsls", "PETSc SNES reduced-space active-set VI Newton (sparse LU)"));
    b.push_back(PetscBackend("vinewtonssls", "PETSc SNES semismooth VI Newton (sparse LU)"));
#endif
    return b;
  }();
  return backends;
}

const Backend* FindBackend(const std::string& name) {
  for (const Backend& b : Backends())
    if (b.name == name) return &b;
  return nullptr;
}

long long PeakMemoryBytes() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
  return static_cast<long long>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

Status Measure(const Model& model, const Scenario& scenario, const Backend& backend, const Solver::Options& options,
               Measurement* m, Solution* solution) {
  m->backend = backend.name;
  m->model = model.name();
  m->scenario = scenario.name;
  Solution local;
  if (solution == nullptr) solution = &local;
  if (backend.prepare) {
    Status s = backend.prepare();
    if (!s.ok()) return s;
  }
  const auto t0 = std::chrono::steady_clock::now();
  Status s = backend.solve(model, scenario, options, solution, &m->summary);
  m->solve_seconds = SecondsSince(t0);
  m->peak_memory_bytes = PeakMemoryBytes();
  return s;
}

std::vector<double> PerturbedStart(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                                   std::uint64_t seed, int trial) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(trial), 0x6c636367u};
  std::mt19937_64 rng(seq);
  std::vector<double> out = values;
  const auto& vars = model.variables();
  for (size_t v = 0; v < out.size() && v < vars.size(); ++v) {
    // Draw for every variable (fixed or not) so that a variable's factor does not depend on which others are fixed.
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0;  // [-1, 1)
    if (vars[v].kind == VariableKind::kAuxiliary || scenario.fixed.count(vars[v].name) > 0) continue;
    out[v] *= std::exp(u * std::log(2.0));
  }
  return out;
}

Status ComplementarityModel(Model* model, Scenario* scenario) {
  Status s = io::ParseModel(kComplementarityModel, "<lccge bench: shutdown_free_good>", model);
  if (!s.ok()) return s;
  *scenario = model->scenarios().front();
  return Status::Ok();
}

Status RunRobustness(const RobustnessOptions& options, std::vector<RobustnessCase>* cases,
                     std::vector<RobustnessSetSummary>* sets) {
  std::vector<const Backend*> backends;
  if (options.backends.empty()) {
    for (const Backend& b : Backends()) backends.push_back(&b);
  } else {
    for (const std::string& name : options.backends) {
      const Backend* b = FindBackend(name);
      if (b == nullptr) return Status::Invalid("no solver back end named '" + name + "' in this build");
      backends.push_back(b);
    }
  }
  if (options.trials < 1) return Status::Invalid("--trials must be at least 1");
  cases->clear();
  sets->clear();

  // Solves one case with every back end; `reference` is the known solution or, if empty, the first converged one.
  auto run_case = [&](const std::string& set, const std::string& label, const Model& model, const Scenario& scenario,
                      const std::vector<double>& start, std::vector<double> reference) -> Status {
    for (const Backend* b : backends) {
      if (b->prepare) {
        Status s = b->prepare();
        if (!s.ok()) return s;
      }
      Solver::Options o = options.solver;
      o.warm_start = start;
      Solution solution;
      Solver::Summary summary;
      const auto t0 = std::chrono::steady_clock::now();
      Status s = b->solve(model, scenario, o, &solution, &summary);
      if (!s.ok()) return s;
      RobustnessCase c;
      c.set = set;
      c.label = label;
      c.backend = b->name;
      c.converged = summary.converged();
      c.iterations = summary.iterations;
      c.gradient_steps = summary.gradient_steps;
      c.continuation_steps = summary.continuation_steps;
      c.seconds = SecondsSince(t0);
      c.max_residual = summary.max_residual;
      c.message = summary.message;
      if (c.converged && reference.empty()) reference = solution.values;
      if (c.converged) c.deviation = Deviation(solution.values, reference);
      if (options.progress)
        std::fprintf(stderr, "  %-16s %-24s %-20s %-14s %3d iterations  max|F| %.2e  %.3f s\n", set.c_str(),
                     label.c_str(), b->name.c_str(), TerminationName(summary.termination), c.iterations, c.max_residual,
                     c.seconds);
      cases->push_back(c);
    }
    return Status::Ok();
  };

  // Perturbed starts: the synthetic model's benchmark scenario, whose solution is the benchmark itself.
  {
    model::BenchmarkModelOptions mo;
    mo.regions = options.regions;
    mo.sectors = options.sectors;
    mo.seed = options.seed;
    Model model;
    Scenario scenario;
    Status s = model::BuildBenchmarkModel(mo, &model, &scenario);
    if (!s.ok()) return s;
    std::unique_ptr<mcp::System> system;
    s = mcp::System::Create(model, scenario, &system);
    if (!s.ok()) return s;
    const std::vector<double> benchmark = system->StartValues();
    for (int t = 0; t < options.trials; ++t) {
      s = run_case("perturbed", "trial " + std::to_string(t + 1), model, scenario,
                   PerturbedStart(model, scenario, benchmark, options.seed, t), benchmark);
      if (!s.ok()) return s;
    }
  }
  // Large shocks from the benchmark start, on `trials` synthetic datasets.
  for (int t = 0; t < options.trials; ++t) {
    for (const char* text : {"tariff:+100", "endowment:0.5"}) {
      model::BenchmarkModelOptions mo;
      mo.regions = options.regions;
      mo.sectors = options.sectors;
      mo.seed = options.seed + static_cast<std::uint64_t>(t);
      Status s = model::ParseShock(text, &mo.shock);
      if (!s.ok()) return s;
      Model model;
      Scenario scenario;
      s = model::BuildBenchmarkModel(mo, &model, &scenario);
      if (!s.ok()) return s;
      s = run_case("large_shock", std::string(text) + " seed " + std::to_string(mo.seed), model, scenario, {}, {});
      if (!s.ok()) return s;
    }
  }
  // Complementarity: an activity that shuts down and a free good, from perturbed starts.
  {
    Model model;
    Scenario scenario;
    Status s = ComplementarityModel(&model, &scenario);
    if (!s.ok()) return s;
    std::unique_ptr<mcp::System> system;
    s = mcp::System::Create(model, scenario, &system);
    if (!s.ok()) return s;
    const std::vector<double> start = system->StartValues();
    std::vector<double> expected(static_cast<size_t>(model.num_variables()));
    for (int v = 0; v < model.num_variables(); ++v) {
      auto it = scenario.expected.find(model.variables()[static_cast<size_t>(v)].name);
      if (it == scenario.expected.end()) return Status::Internal("complementarity case lacks an expected value");
      expected[static_cast<size_t>(v)] = it->second;
    }
    for (int t = 0; t < options.trials; ++t) {
      s = run_case("complementarity", "trial " + std::to_string(t + 1), model, scenario,
                   PerturbedStart(model, scenario, start, options.seed, t), expected);
      if (!s.ok()) return s;
    }
  }

  // Summaries per set and back end, in the order met.
  for (const char* set : {"perturbed", "large_shock", "complementarity"}) {
    for (const Backend* b : backends) {
      RobustnessSetSummary sum;
      sum.set = set;
      sum.backend = b->name;
      std::vector<int> iterations;
      for (const RobustnessCase& c : *cases) {
        if (c.set != set || c.backend != b->name) continue;
        ++sum.trials;
        if (c.converged) ++sum.converged;
        if (c.converged && c.deviation >= 0 && c.deviation <= 1e-6) ++sum.same_solution;
        iterations.push_back(c.iterations);
        sum.seconds += c.seconds;
      }
      if (!iterations.empty()) {
        std::sort(iterations.begin(), iterations.end());
        const size_t n = iterations.size();
        sum.median_iterations = n % 2 ? iterations[n / 2] : 0.5 * (iterations[n / 2 - 1] + iterations[n / 2]);
      }
      sets->push_back(sum);
    }
  }
  return Status::Ok();
}

}  // namespace lccge::app::bench
