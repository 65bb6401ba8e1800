// Reference back end "newton-lu": semismooth Newton on Phi(x) = 0 with a sparse LU factorisation of the same
// Jacobian, an Armijo line search on 0.5 ||Phi||^2 and, when the Jacobian is singular, a Levenberg-Marquardt step.
#include <spdlog/spdlog.h>

#include <Eigen/SparseCholesky>
#include <Eigen/SparseLU>
#include <cmath>

#include "solve/newton_linear.hpp"
#include "solve/reformulation.hpp"

namespace lccge::internal {

namespace {

// Share of the distance to a bound a step must leave (fraction-to-the-boundary rule).
constexpr double kBoundaryFraction = 0.01;

// Above this many unknowns the fallback direction is steepest descent rather than Levenberg-Marquardt (J'J fills in).
constexpr int kMaxNormalEquationsUnknowns = 20000;

// (J'J + mu diag(1 + J'J)) d = -J'Phi: the Levenberg-Marquardt direction, between Gauss-Newton (mu -> 0) and
// scaled steepest descent (mu large). False when it cannot be computed.
bool LevenbergMarquardtStep(const Eigen::SparseMatrix<double, Eigen::ColMajor, int>& J, const Eigen::VectorXd& value,
                            double mu, Eigen::VectorXd* step) {
  Eigen::SparseMatrix<double> JtJ = Eigen::SparseMatrix<double>(J.transpose()) * J;
  for (int i = 0; i < JtJ.rows(); ++i) JtJ.coeffRef(i, i) += mu * (1.0 + JtJ.coeff(i, i));
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt(JtJ);
  if (ldlt.info() != Eigen::Success) return false;
  *step = ldlt.solve(-(J.transpose() * value));
  return ldlt.info() == Eigen::Success && step->allFinite();
}

}  // namespace

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
  // The last few values of f = 0.5 ||Phi||^2, for the non-monotone line search.
  std::vector<double> recent_f(5, 0.0);
  int recent_next = 0;
  // Backtracking along `direction` from x: accepts x + t d (projected on the bounds) once
  // f(x + t d) <= f_ref + 1e-4 t slope (Armijo), slope < 0 being the directional derivative of f along d.
  auto search = [&](const Eigen::VectorXd& direction, double f_ref, double slope, double* t_out) {
    double t = 1.0;
    for (int ls = 0; ls < 40; ++ls) {
      trial = x + t * direction;
      // Fraction to the boundary: a variable may move at most 99 % of the way to a finite bound in one step, so
      // that one step cannot drive all of a region's prices to zero at once, where the CES functions' derivatives
      // blow up (docs/theory.md, "Globalisation"). A variable headed for its bound gets there geometrically.
      for (int i = 0; i < n; ++i) {
        const double lo_i = lo[static_cast<size_t>(i)], up_i = up[static_cast<size_t>(i)];
        if (std::isfinite(lo_i)) trial[i] = std::max(trial[i], lo_i + kBoundaryFraction * (x[i] - lo_i));
        if (std::isfinite(up_i)) trial[i] = std::min(trial[i], up_i - kBoundaryFraction * (up_i - x[i]));
      }
      project(trial);
      if (phi.Evaluate(trial.data(), trial_value.data(), nullptr) &&
          0.5 * trial_value.squaredNorm() <= f_ref + 1e-4 * t * slope) {
        *t_out = t;
        return true;
      }
      t *= 0.5;
    }
    return false;
  };
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
    double evaluation_in_window = 0;  // Jacobian evaluation inside the timed window: evaluation, not linear algebra
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
      evaluation_in_window = jacobian_seconds;
      J = jacobian;
      const auto t_factor = Clock::now();
      factors_valid = linear->Factorize(J);
      factor_seconds = SecondsSince(t_factor);
      if (factors_valid) {
        have_step = linear->Solve(-value, forcing, &step);
        krylov_iterations += linear->last_iterations();
      }
      if (!have_step) {
        // Singular Jacobian: a Levenberg-Marquardt step instead.
        factors_valid = false;
        if (!LevenbergMarquardtStep(J, value, lambda, &step)) break;
        lambda *= 10;
      }
    }
    result->linear_solver_seconds += SecondsSince(t_lin) - evaluation_in_window;
    // Non-monotone Armijo backtracking on f = 0.5 ||Phi||^2 (Grippo, Lampariello and Lucidi 1986): the reference
    // is the largest f of the last few iterates, so that a step may climb out of a narrow valley.
    const double f0 = 0.5 * value.squaredNorm();
    const double f_ref = std::max(f0, *std::max_element(recent_f.begin(), recent_f.end()));
    double t = 1.0;
    // An exact Newton step has slope -2 f; -f leaves room for inexact (GMRES) and chord steps.
    bool accepted = search(step, f_ref, -f0, &t);
    if (!accepted && chord) {
      // The old factorisation no longer gives a descent direction: refactorise at this point.
      reuse_next = false;
      --it;
      continue;
    }
    if (!accepted) {
      // The Newton direction does not decrease f: Levenberg-Marquardt steps (J'J + mu D) d = -J'Phi with growing
      // mu, which turn towards steepest descent (docs/theory.md, "Globalisation").
      if (!jacobian_current) phi.Evaluate(x.data(), value.data(), &jacobian);
      jacobian_current = true;
      J = jacobian;
      const auto t_lm = Clock::now();  // the line searches' evaluations are counted in evaluation_seconds too
      for (double mu = 1e-6; mu <= 1e6 && !accepted; mu *= 100) {
        if (n > kMaxNormalEquationsUnknowns) {
          // Too large for a factorisation of J'J: plain steepest descent, once.
          if (mu > 1e-6) break;
          step = -(J.transpose() * value);
        } else if (!LevenbergMarquardtStep(J, value, mu, &step)) {
          continue;
        }
        // Components that would leave the box at a bound the iterate sits on are dropped: the projection would
        // cancel them anyway, and the slope must be that of the direction actually followed.
        for (int i = 0; i < n; ++i) {
          const double lo_i = lo[static_cast<size_t>(i)], up_i = up[static_cast<size_t>(i)];
          if ((step[i] < 0 && x[i] <= lo_i) || (step[i] > 0 && x[i] >= up_i)) step[i] = 0.0;
        }
        const double slope = value.dot(J * step);
        if (!(slope < 0)) continue;
        t = 1.0;
        accepted = search(step, f_ref, slope, &t);
      }
      result->linear_solver_seconds += SecondsSince(t_lm);
      factors_valid = false;
      if (accepted) ++result->gradient_steps;
    }
    if (!accepted) {
      result->termination = TerminationType::kFailure;
      result->message = "line search failed: no decrease of ||F|| along the Newton or Levenberg-Marquardt directions";
      result->iterations = it;
      return;
    }
    x = trial;
    value = trial_value;
    recent_f[static_cast<size_t>(recent_next)] = f0;
    recent_next = (recent_next + 1) % static_cast<int>(recent_f.size());
    jacobian_current = false;
    const double now_max = value.cwiseAbs().maxCoeff();
    // Keep the factorisation while full steps cut the residual fast enough.
    // Only where factorising costs clearly more than a new Jacobian (large models); small models keep Newton's
    // quadratic convergence.
    reuse_next = linear->SupportsReuse() && options.jacobian_reuse_ratio > 0 && t == 1.0 &&
                 now_max <= options.jacobian_reuse_ratio * max_abs && factor_seconds > 0.01 &&
                 factor_seconds > 4.0 * jacobian_seconds;
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
