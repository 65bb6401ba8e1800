// Internal: the Fischer-Burmeister reformulation of the MCP as a square system Phi(x) = 0 (docs/theory.md,
// "Complementarity"), with each condition divided by its scale. Shared by every back end.
#pragma once

#include <Eigen/SparseCore>
#include <chrono>
#include <memory>
#include <vector>

#include "lccge/mcp/system.hpp"
#include "lccge/solve/solver.hpp"

namespace lccge::internal {

class Reformulation {
 public:
  explicit Reformulation(mcp::System* system) : system_(system) {
    n_ = system->num_unknowns();
    F_.resize(static_cast<size_t>(n_));
    da_.resize(static_cast<size_t>(n_));
    db_.resize(static_cast<size_t>(n_));
  }

  int size() const { return n_; }
  mcp::System& system() { return *system_; }
  void set_smoothing(double mu) { mu_ = mu; }
  double smoothing() const { return mu_; }

  // Phi at x (size n) and, if `jacobian` is not null, its Jacobian (same pattern as the system's).
  // Returns false when the model's functions are not finite at x.
  bool Evaluate(const double* x, double* phi, mcp::SparseMatrix* jacobian);

  // Largest |Phi_i|: the convergence measure.
  static double MaxAbs(const double* v, int n);
  int evaluations() const { return evaluations_; }
  double evaluation_seconds() const { return evaluation_seconds_; }

 private:
  mcp::System* system_;
  int n_ = 0;
  double mu_ = 0.0;
  std::vector<double> F_, da_, db_;
  int evaluations_ = 0;
  double evaluation_seconds_ = 0;
};

// Shared outcome handling for back ends.
struct BackendResult {
  std::vector<double> x;
  TerminationType termination = TerminationType::kNotRun;
  std::string message;
  int iterations = 0;
  double linear_solver_seconds = 0;
  int linear_iterations = 0;  // newton back ends: linear solves (LU) or GMRES iterations (newton-krylov)
  int linear_blocks = 0;      // newton-krylov: diagonal blocks of the preconditioner
  int linear_fallbacks = 0;   // newton-krylov: steps that fell back to the LU of the whole Jacobian
  int gradient_steps = 0;     // newton back ends: Levenberg-Marquardt steps taken where Newton's failed
  std::vector<Solver::IterationRecord> history;
};

using Clock = std::chrono::steady_clock;
inline double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The common start of every back end: validates the options, calibrates the system for the scenario, fills the
// summary's problem size and computes the start point (warm start or the model's start values).
Status PrepareSolve(const Model& model, const Scenario& scenario, const Solver::Options& options,
                    std::unique_ptr<mcp::System>* system, std::vector<double>* x0, Solver::Summary* summary);

// Back ends: start at `x0`, stop when max|Phi| <= options.tolerance.
void SolveWithCeres(Reformulation& phi, const std::vector<double>& x0, const Solver::Options& options,
                    BackendResult* result);
void SolveWithNewton(Reformulation& phi, const std::vector<double>& x0, const Solver::Options& options,
                     BackendResult* result);

}  // namespace lccge::internal
