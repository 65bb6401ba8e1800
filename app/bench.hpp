// The measurements behind `lccge bench` (docs/benchmarks.md): solver back ends by name, one measured solve, and the
// robustness sets. Compiled into the `lccge` program and, with LCCGE_HAVE_PETSC defined, into benchmarks/'
// `lccge-bench`, which adds PETSc's variational-inequality solvers as back ends.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::app::bench {

// A solver back end: solves `scenario` of `model` with `options` (its method field is set by the back end).
struct Backend {
  std::string name;
  std::string description;
  std::function<Status(const Model&, const Scenario&, const Solver::Options&, Solution*, Solver::Summary*)> solve;
  // One-time start-up kept out of timed solves (PETSc's and MPI's initialisation); may be empty.
  std::function<Status()> prepare;
};

// Every back end in this build: "ceres", "ceres-dogleg", "newton-lu", and with PETSc "petsc-vinewtonrsls",
// "petsc-vinewtonssls".
const std::vector<Backend>& Backends();
// The back end of that name, or null.
const Backend* FindBackend(const std::string& name);

// Peak resident set size of this process so far (getrusage ru_maxrss), in bytes.
long long PeakMemoryBytes();

// One measured solve.
struct Measurement {
  std::string backend;
  std::string model;
  std::string scenario;
  Solver::Summary summary;
  double build_seconds = 0;   // everything before the solve: synthesis + builder (+ shock), or loading the file
  double synth_seconds = -1;  // synthetic models only
  double builder_seconds = -1;
  double load_seconds = -1;  // model files only
  double solve_seconds = 0;  // lccge::Solve (or the PETSc back end) as a whole, setup included
  long long peak_memory_bytes = 0;
};

// Runs the back end's one-time start-up (if any), then the timed solve.
Status Measure(const Model& model, const Scenario& scenario, const Backend& backend, const Solver::Options& options,
               Measurement* measurement, Solution* solution = nullptr);

// ---- robustness sets ----

struct RobustnessOptions {
  int regions = 3;
  int sectors = 3;
  std::uint64_t seed = 1;
  int trials = 5;
  std::vector<std::string> backends;  // empty = every back end in the build
  Solver::Options solver;             // tolerance, iteration and time limits
  // Progress lines on standard error.
  bool progress = false;
};

struct RobustnessCase {
  std::string set;    // "perturbed", "large_shock", "complementarity"
  std::string label;  // e.g. "trial 3", "tariff:+100 seed 2"
  std::string backend;
  bool converged = false;
  // Largest |x - reference| / max(1, |reference|) over the variables: is it the known equilibrium? (-1: no reference)
  double deviation = -1;
  int iterations = 0;
  int gradient_steps = 0;      // Newton back ends: Levenberg-Marquardt steps where the Newton direction failed
  int continuation_steps = 0;  // auto: solves along the continuation path (Solver::Summary)
  double seconds = 0;
  double max_residual = -1;
  std::string message;  // the back end's termination message
};

struct RobustnessSetSummary {
  std::string set;
  std::string backend;
  int trials = 0;
  int converged = 0;
  int same_solution = 0;  // converged to the reference equilibrium (deviation <= 1e-6)
  double median_iterations = 0;
  double seconds = 0;
};

// Deterministic start perturbation: each level, price and income of `values` whose variable is not fixed by
// `scenario` multiplied by a factor exp(u ln 2), u uniform in [-1, 1] (so in [0.5, 2]), from std::mt19937_64 seeded
// with (seed, trial).
std::vector<double> PerturbedStart(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                                   std::uint64_t seed, int trial);

// The complementarity case: a model with an activity that shuts down and a free good (the same as
// test/data/models/shutdown_free_good.yaml), its scenario and its known solution.
Status ComplementarityModel(Model* model, Scenario* scenario);

// Runs the three sets for every back end: "perturbed" (synthetic model, benchmark scenario, `trials` perturbed
// starts), "large_shock" (tariff:+100 and endowment:0.5 from the benchmark, on `trials` synthetic seeds) and
// "complementarity" (ComplementarityModel from `trials` perturbed starts).
Status RunRobustness(const RobustnessOptions& options, std::vector<RobustnessCase>* cases,
                     std::vector<RobustnessSetSummary>* sets);

}  // namespace lccge::app::bench
