// The default back end: Ceres's trust-region minimiser on 0.5 ||Phi(x)||^2, one residual block per condition and
// one parameter block per unknown; an EvaluationCallback computes Phi and its Jacobian once per point and each
// residual block copies its row. Convergence is our own test on max |Phi| (Ceres can report CONVERGENCE at a
// minimum that is not a root).
#include <ceres/ceres.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <memory>

#include "solve/reformulation.hpp"

namespace lccge::internal {

namespace {

class SharedPoint : public ceres::EvaluationCallback {
 public:
  SharedPoint(Reformulation& phi, double* x) : phi_(phi), x_(x) {
    values_.resize(static_cast<size_t>(phi.size()));
    ok_ = true;
  }
  void PrepareForEvaluation(bool evaluate_jacobians, bool new_evaluation_point) override {
    if (!new_evaluation_point && (have_jacobian_ || !evaluate_jacobians)) return;
    ok_ = phi_.Evaluate(x_, values_.data(), evaluate_jacobians ? &jacobian_ : nullptr);
    have_jacobian_ = evaluate_jacobians;
    max_abs_ = Reformulation::MaxAbs(values_.data(), phi_.size());
    point_.assign(x_, x_ + phi_.size());
  }
  bool ok() const { return ok_; }
  double value(int row) const { return values_[static_cast<size_t>(row)]; }
  const mcp::SparseMatrix& jacobian() const { return jacobian_; }
  mcp::SparseMatrix& mutable_jacobian() { return jacobian_; }
  // max |Phi| at the last evaluated point if it equals x, else -1.
  double MaxAbsAt(const double* x) const {
    if (point_.size() != static_cast<size_t>(phi_.size())) return -1;
    for (size_t i = 0; i < point_.size(); ++i)
      if (point_[i] != x[i]) return -1;
    return max_abs_;
  }

 private:
  Reformulation& phi_;
  double* x_;
  std::vector<double> values_;
  std::vector<double> point_;
  mcp::SparseMatrix jacobian_;
  bool have_jacobian_ = false;
  bool ok_ = true;
  double max_abs_ = 0;
};

class RowCost : public ceres::CostFunction {
 public:
  RowCost(const SharedPoint& shared, int row, int begin, int count) : shared_(shared), row_(row), begin_(begin) {
    set_num_residuals(1);
    mutable_parameter_block_sizes()->assign(static_cast<size_t>(count), 1);
  }
  bool Evaluate(double const* const* /*parameters*/, double* residuals, double** jacobians) const override {
    if (!shared_.ok()) return false;
    residuals[0] = shared_.value(row_);
    if (jacobians != nullptr) {
      const double* values = shared_.jacobian().valuePtr() + begin_;
      const size_t count = parameter_block_sizes().size();
      for (size_t b = 0; b < count; ++b)
        if (jacobians[b] != nullptr) jacobians[b][0] = values[b];
    }
    return true;
  }

 private:
  const SharedPoint& shared_;
  int row_;
  int begin_;
};

class Monitor : public ceres::IterationCallback {
 public:
  Monitor(Reformulation& phi, SharedPoint& shared, double* x, const Solver::Options& options, BackendResult* result)
      : phi_(phi), shared_(shared), x_(x), options_(options), result_(result), start_(Clock::now()) {
    logger_ = options.logger ? options.logger : spdlog::get("lccge");
    last_log_ = start_;
  }
  ceres::CallbackReturnType operator()(const ceres::IterationSummary& summary) override {
    double max_abs = shared_.MaxAbsAt(x_);
    if (max_abs < 0) {
      std::vector<double> v(static_cast<size_t>(phi_.size()));
      phi_.Evaluate(x_, v.data(), nullptr);
      max_abs = Reformulation::MaxAbs(v.data(), phi_.size());
    }
    result_->history.push_back({summary.iteration, max_abs, SecondsSince(start_)});
    result_->iterations = summary.iteration;
    if (logger_) {
      const bool periodic = SecondsSince(last_log_) > 2.0;
      if (options_.log_progress || periodic) {
        logger_->info("iteration {:4d}  max|F| {:.3e}  trust radius {:.2e}  {:.2f} s", summary.iteration, max_abs,
                      summary.trust_region_radius, SecondsSince(start_));
        last_log_ = Clock::now();
      }
    }
    if (max_abs <= options_.tolerance) {
      converged_ = true;
      return ceres::SOLVER_TERMINATE_SUCCESSFULLY;
    }
    return ceres::SOLVER_CONTINUE;
  }
  bool converged() const { return converged_; }

 private:
  Reformulation& phi_;
  SharedPoint& shared_;
  double* x_;
  const Solver::Options& options_;
  BackendResult* result_;
  Clock::time_point start_, last_log_;
  std::shared_ptr<spdlog::logger> logger_;
  bool converged_ = false;
};

}  // namespace

void SolveWithCeres(Reformulation& phi, const std::vector<double>& x0, const Solver::Options& options,
                    BackendResult* result) {
  const int n = phi.size();
  result->x = x0;
  double* x = result->x.data();
  auto shared = std::make_unique<SharedPoint>(phi, x);
  // The pattern: one evaluation with the Jacobian gives the CSR structure.
  phi.Evaluate(x, std::vector<double>(static_cast<size_t>(n)).data(), &shared->mutable_jacobian());
  const mcp::SparseMatrix& pattern = shared->jacobian();

  ceres::Problem::Options problem_options;
  problem_options.evaluation_callback = shared.get();
  problem_options.cost_function_ownership = ceres::TAKE_OWNERSHIP;
  ceres::Problem problem(problem_options);
  for (int i = 0; i < n; ++i) problem.AddParameterBlock(x + i, 1);
  const int* outer = pattern.outerIndexPtr();
  const int* inner = pattern.innerIndexPtr();
  std::vector<double*> blocks;
  for (int r = 0; r < n; ++r) {
    blocks.clear();
    for (int p = outer[r]; p < outer[r + 1]; ++p) blocks.push_back(x + inner[p]);
    problem.AddResidualBlock(new RowCost(*shared, r, outer[r], outer[r + 1] - outer[r]), nullptr, blocks);
  }
  // Bounds keep trial points where the model's functions are defined (a guard, not the method).
  const auto& lo = phi.system().lower();
  const auto& up = phi.system().upper();
  for (int i = 0; i < n; ++i) {
    if (std::isfinite(lo[static_cast<size_t>(i)])) {
      problem.SetParameterLowerBound(x + i, 0, lo[static_cast<size_t>(i)]);
      x[i] = std::max(x[i], lo[static_cast<size_t>(i)]);
    }
    if (std::isfinite(up[static_cast<size_t>(i)])) {
      problem.SetParameterUpperBound(x + i, 0, up[static_cast<size_t>(i)]);
      x[i] = std::min(x[i], up[static_cast<size_t>(i)]);
    }
  }

  ceres::Solver::Options co;
  co.minimizer_type = ceres::TRUST_REGION;
  co.trust_region_strategy_type = options.trust_region == "dogleg" ? ceres::DOGLEG : ceres::LEVENBERG_MARQUARDT;
  const bool dense =
      options.linear_solver == "dense_qr" || (options.linear_solver == "auto" && n <= options.dense_threshold);
  if (dense) {
    co.linear_solver_type = ceres::DENSE_QR;
  } else {
    co.linear_solver_type = ceres::SPARSE_NORMAL_CHOLESKY;
    co.sparse_linear_algebra_library_type =
        options.sparse_library == "suite_sparse" &&
                ceres::IsSparseLinearAlgebraLibraryTypeAvailable(ceres::SUITE_SPARSE)
            ? ceres::SUITE_SPARSE
            : ceres::EIGEN_SPARSE;
  }
  co.max_num_iterations = options.max_iterations;
  // Start close to Gauss-Newton (= Newton on a square system): calibrated models start near the solution, and a
  // small initial radius only costs iterations. The radius still shrinks after a failed step.
  co.initial_trust_region_radius = 1e8;
  co.max_solver_time_in_seconds = options.max_seconds;
  co.function_tolerance = 1e-22;
  co.gradient_tolerance = 1e-30;
  co.parameter_tolerance = 1e-22;
  co.num_threads = options.num_threads;
  co.logging_type = ceres::SILENT;
  co.minimizer_progress_to_stdout = false;
  co.update_state_every_iteration = true;
  Monitor monitor(phi, *shared, x, options, result);
  co.callbacks.push_back(&monitor);

  ceres::Solver::Summary cs;
  ceres::Solve(co, &problem, &cs);
  result->linear_solver_seconds = cs.linear_solver_time_in_seconds;
  result->iterations = static_cast<int>(cs.iterations.size() > 0 ? cs.iterations.back().iteration : 0);
  if (monitor.converged()) {
    result->termination = TerminationType::kConverged;
    result->message = "max |F| below tolerance";
  } else if (cs.termination_type == ceres::NO_CONVERGENCE) {
    result->termination = TerminationType::kNoConvergence;
    result->message = "Ceres: " + cs.message;
  } else {
    result->termination = TerminationType::kFailure;
    result->message = "Ceres stopped without a root: " + cs.message;
  }
}

}  // namespace lccge::internal
