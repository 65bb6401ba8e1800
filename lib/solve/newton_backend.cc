// Reference back end "newton-lu": semismooth Newton on Phi(x) = 0 with a sparse LU factorisation of the same
// Jacobian, an Armijo line search on 0.5 ||Phi||^2 and, when the Jacobian is singular, a Levenberg-Marquardt step.
#include <spdlog/spdlog.h>

#include <Eigen/SparseCholesky>
#include <Eigen/SparseLU>
#include <cmath>

#include "solve/newton_linear.hpp"
#include "solve/reformulation.hpp"

namespace lccge::internal {

void SolveWithNewton(Reformulation& phi, const std::vector<double>& x0, const Solver::Options& options,
                     BackendResult* result) {
  const int n = phi.size();
  result->x = x0;
  Eigen::Map<Eigen::VectorXd> x(result->x.data(), n);
  Eigen::VectorXd value(n), trial_value(n), trial(n), step(n);
  mcp::SparseMatrix jacobian;
  const auto start = Clock::now();
  auto logger = options.logger ? options.logger : spdlog::get("lccge");
  auto last_log = start;
  const auto& lo = phi.system().lower();
  const auto& up = phi.system().upper();
  auto project = [&](Eigen::VectorXd& v) {
    for (int i = 0; i < n; ++i) {
      if (std::isfinite(lo[static_cast<size_t>(i)])) v[i] = std::max(v[i], lo[static_cast<size_t>(i)]);
      if (std::isfinite(up[static_cast<size_t>(i)])) v[i] = std::min(v[i], up[static_cast<size_t>(i)]);
    }
  };
  Eigen::VectorXd xv = x;
  project(xv);
  x = xv;
  if (!phi.Evaluate(x.data(), value.data(), &jacobian)) {
    result->termination = TerminationType::kFailure;
    result->message = "the model's functions are not finite at the start point";
    return;
  }
  std::unique_ptr<NewtonLinearSolver> linear;
  BlockGmresSolver* krylov = nullptr;
  if (options.method == "newton-krylov") {
    KrylovOptions ko;
    ko.restart = options.krylov_restart;
    ko.max_iterations = options.krylov_max_iterations;
    auto solver = std::make_unique<BlockGmresSolver>(phi.system().UnknownGroups(), ko);
    krylov = solver.get();
    linear = std::move(solver);
  } else {
    linear = std::make_unique<SparseLuSolver>();
  }
  Eigen::SparseMatrix<double, Eigen::ColMajor, int> J;
  int krylov_iterations = 0;
  // Linear-solver statistics reach the result on every return.
  struct Record {
    BackendResult* result;
    const int* iterations;
    BlockGmresSolver** krylov;
    ~Record() {
      result->linear_iterations = *iterations;
      if (*krylov) {
        result->linear_blocks = (*krylov)->num_blocks();
        result->linear_fallbacks = (*krylov)->fallbacks();
      }
    }
  } record{result, &krylov_iterations, &krylov};
  bool factors_valid = false;    // lu holds a factorisation of a recent Jacobian
  bool jacobian_current = true;  // `jacobian` was evaluated at x
  bool reuse_next = false;       // the last step was a successful chord step candidate
  double lambda = 1e-6;
  double jacobian_seconds = 0, factor_seconds = 0;
  for (int it = 1; it <= options.max_iterations; ++it) {
    const double max_abs = value.cwiseAbs().maxCoeff();
    if (max_abs <= options.tolerance) {
      result->termination = TerminationType::kConverged;
      result->message = "max |F| below tolerance";
      return;
    }
    if (SecondsSince(start) > options.max_seconds) break;
    const auto t_lin = Clock::now();
    bool have_step = false;
    // Inexact Newton for iterative solvers: the linear residual may be this fraction of ||Phi|| (a forcing term
    // that tightens as Phi shrinks, keeping superlinear convergence).
    const double forcing = std::min(1e-2, std::max(1e-12, std::sqrt(max_abs)));
    if (reuse_next && factors_valid) {
      // Chord step with the previous factorisation.
      have_step = linear->Solve(-value, forcing, &step);
    }
    const bool chord = have_step;
    if (!have_step) {
      const auto t_eval = Clock::now();
      if (!jacobian_current) phi.Evaluate(x.data(), value.data(), &jacobian);
      jacobian_current = true;
      jacobian_seconds = SecondsSince(t_eval);
      J = jacobian;
      const auto t_factor = Clock::now();
      factors_valid = linear->Factorize(J);
      factor_seconds = SecondsSince(t_factor);
      if (factors_valid) {
        have_step = linear->Solve(-value, forcing, &step);
        krylov_iterations += linear->last_iterations();
      }
      if (!have_step) {
        // Singular Jacobian: a Levenberg-Marquardt step (J'J + lambda I) d = -J'F.
        Eigen::SparseMatrix<double> JtJ = Eigen::SparseMatrix<double>(J.transpose()) * J;
        for (int i = 0; i < n; ++i) JtJ.coeffRef(i, i) += lambda * (1.0 + JtJ.coeff(i, i));
        Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt(JtJ);
        step = ldlt.solve(-(J.transpose() * value));
        lambda *= 10;
        factors_valid = false;
        if (!step.allFinite()) break;
      }
    }
    result->linear_solver_seconds += SecondsSince(t_lin);
    // Armijo backtracking on 0.5 ||Phi||^2.
    const double f0 = 0.5 * value.squaredNorm();
    double t = 1.0;
    bool accepted = false;
    for (int ls = 0; ls < 40; ++ls) {
      trial = x + t * step;
      project(trial);
      if (phi.Evaluate(trial.data(), trial_value.data(), nullptr) &&
          0.5 * trial_value.squaredNorm() <= (1.0 - 1e-4 * t) * f0) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted && chord) {
      // The old factorisation no longer gives a descent direction: refactorise at this point.
      reuse_next = false;
      --it;
      continue;
    }
    if (!accepted) {
      result->termination = TerminationType::kFailure;
      result->message = "line search failed: no decrease of ||F|| along the Newton direction";
      result->iterations = it;
      return;
    }
    x = trial;
    value = trial_value;
    jacobian_current = false;
    const double now_max = value.cwiseAbs().maxCoeff();
    // Keep the factorisation while full steps cut the residual fast enough.
    // Only where factorising costs clearly more than a new Jacobian (large models); small models keep Newton's
    // quadratic convergence.
    reuse_next = linear->SupportsReuse() && options.jacobian_reuse_ratio > 0 && t == 1.0 && now_max <= options.jacobian_reuse_ratio * max_abs &&
                 factor_seconds > 0.01 && factor_seconds > 4.0 * jacobian_seconds;
    result->iterations = it;
    result->history.push_back({it, now_max, SecondsSince(start)});
    if (logger && (options.log_progress || SecondsSince(last_log) > 2.0)) {
      if (krylov)
        logger->info("iteration {:4d}  max|F| {:.3e}  step {:.2e}  GMRES {:4d}  {:.2f} s", it, now_max, t,
                     linear->last_iterations(), SecondsSince(start));
      else
        logger->info("iteration {:4d}  max|F| {:.3e}  step {:.2e}  {:.2f} s", it, now_max, t, SecondsSince(start));
      last_log = Clock::now();
    }
  }
  const double max_abs = value.cwiseAbs().maxCoeff();
  if (max_abs <= options.tolerance) {
    result->termination = TerminationType::kConverged;
    result->message = "max |F| below tolerance";
  } else {
    result->termination = TerminationType::kNoConvergence;
    result->message = "iteration or time limit reached";
  }
}

}  // namespace lccge::internal
