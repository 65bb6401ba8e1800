// Solving a model: Solver::Options (defaults in the struct, IsValid), Solver::Summary (BriefReport, FullReport),
// and lccge::Solve. The call's status (did the call work: valid model, scenario, options?) is returned as a Status;
// the model's status (was an equilibrium found?) is in Summary::termination.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lccge/core/status.hpp"
#include "lccge/model/model.hpp"

namespace spdlog {
class logger;
}

namespace lccge {

// Values of every model variable (indexed like Model::variables()) and the derived reports.
struct Solution {
  std::vector<double> values;
  // "S:in:C" compensated demand for C per unit of activity of S; "S:out:C" supply per unit of activity;
  // "H:fd:C" total final demand of consumer H for C.
  std::map<std::string, double> reports;
};

enum class TerminationType {
  kConverged = 0,      // max scaled |F| below the tolerance: an equilibrium
  kNoConvergence = 1,  // iteration or time limit reached
  kFailure = 2,        // the method stalled (e.g. a local minimum of ||F|| that is not a root)
  kNotRun = 3,
};
const char* TerminationName(TerminationType t);  // "converged", "no_convergence", "failure", "not_run"

class Solver {
 public:
  struct Options {
    // Back end:
    // - "auto" (the default): "newton-krylov", and when it does not converge, "ceres" from the same start; when
    //   neither converges and `continuation` is on, a path of scenarios from the model's parameter values to the
    //   scenario's (docs/theory.md, "Continuation");
    // - "newton-krylov": damped semismooth Newton on the Fischer-Burmeister system, the Newton equations solved by
    //   GMRES preconditioned with the LU of the diagonal block of each variable group (Model::SetVariableGroup;
    //   without groups the preconditioner is the LU of the whole Jacobian); docs/theory.md, "Block preconditioner";
    // - "newton-lu": the same Newton method with a sparse LU of the whole Jacobian (the reference);
    // - "ceres": Ceres Solver's trust region (Levenberg-Marquardt or dogleg) on the same system.
    // Summary::method names what ran.
    std::string method = "auto";
    // Ceres trust-region strategy: "levenberg_marquardt" or "dogleg".
    std::string trust_region = "levenberg_marquardt";
    // Linear solver: "auto" (dense QR below dense_threshold unknowns, else sparse normal Cholesky),
    // "dense_qr", "sparse_normal_cholesky".
    std::string linear_solver = "auto";
    // Sparse library for sparse_normal_cholesky: "eigen" or "suite_sparse" (GPL parts; see README).
    std::string sparse_library = "eigen";
    int dense_threshold = 400;
    // Converged when the largest scaled residual (each condition divided by its benchmark scale) is below this.
    double tolerance = 1e-10;
    int max_iterations = 200;
    double max_seconds = 600.0;
    // Fischer-Burmeister smoothing: 0 (default) solves the semismooth system with an element of the generalized
    // Jacobian at degenerate pairs; a positive value first solves the smoothed system with this mu, then mu = 0
    // warm-started (docs/theory.md, "Complementarity").
    double smoothing_start = 0.0;
    // "auto" only: when Newton and Ceres both fail, move the scenario's parameters from the model's values to the
    // scenario's in steps (a quarter at first, halved after a failed step, doubled after a good one, down to
    // 1/1024), each solve warm-started from the last; the scenario's fixed values and starts hold throughout.
    // For large shocks (tariffs up 100 points), which a solve from the benchmark can miss.
    bool continuation = true;
    // newton-lu: reuse the last LU factorisation (a chord step) while each step still cuts max |F| at least by
    // this factor; a value of 0 refactorises at every iteration.
    double jacobian_reuse_ratio = 0.25;
    // newton-krylov: GMRES restart length and iteration limit per Newton step; past the limit the step falls back
    // to the LU of the whole Jacobian.
    int krylov_restart = 50;
    int krylov_max_iterations = 300;
    int num_threads = 1;
    // Log each iteration (through `logger`, or a logger named "lccge" when null).
    bool log_progress = false;
    std::shared_ptr<spdlog::logger> logger;
    // Start from these values (indexed like Model::variables()) instead of the model's start: warm start.
    std::vector<double> warm_start;

    bool IsValid(std::string* error) const;
  };

  struct IterationRecord {
    int iteration = 0;
    double max_residual = 0;  // scaled
    double seconds = 0;
  };

  struct Summary {
    TerminationType termination = TerminationType::kNotRun;
    std::string message;
    std::string method;
    int unknowns = 0;
    int equations = 0;
    long long jacobian_nonzeros = 0;
    int iterations = 0;
    int evaluations = 0;               // residual (+ Jacobian) evaluations
    double initial_max_residual = -1;  // scaled
    double max_residual = -1;          // scaled, at the returned point
    double max_residual_unscaled = -1;
    double walras_residual = -1;  // |sum_i p_i * excess_i - sum_h (M_h - income_h)| / scale: Walras' law check
    double setup_seconds = 0;
    double evaluation_seconds = 0;
    double linear_solver_seconds = 0;
    double total_seconds = 0;
    // Newton back ends: linear solves (newton-lu) or GMRES iterations in all (newton-krylov); for newton-krylov
    // also the preconditioner's diagonal blocks and the steps that fell back to the LU of the whole Jacobian.
    int linear_iterations = 0;
    int linear_blocks = 0;
    int linear_fallbacks = 0;
    // Newton back ends: Levenberg-Marquardt (or steepest-descent) steps taken where the Newton direction failed.
    int gradient_steps = 0;
    int continuation_steps = 0;  // solves along the continuation path (0 when it was not needed)
    std::vector<IterationRecord> history;
    // Variables whose paired condition is an inequality and was found binding (activities shut down, free goods).
    std::vector<std::string> inactive;

    bool converged() const { return termination == TerminationType::kConverged; }
    std::string BriefReport() const;
    std::string FullReport() const;
  };
};

// Solves `model` (finalized) under `scenario`. Returns a non-ok Status for an invalid call (unknown names in the
// scenario, invalid options); whether an equilibrium was found is in summary->termination. `solution` holds the
// last iterate either way.
Status Solve(const Model& model, const Scenario& scenario, const Solver::Options& options, Solution* solution,
             Solver::Summary* summary);

// Reports at given variable values (see Solution::reports).
Status ComputeReports(const Model& model, const Scenario& scenario, const std::vector<double>& values,
                      std::map<std::string, double>* reports);

}  // namespace lccge
